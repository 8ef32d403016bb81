<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>YrdGeo</name>
    <message>
      <source>Table of units, one numeric field per sector (any layer or table)</source>
      <translation>单元表，每个行业一个数值字段（任意图层或表格）</translation>
    </message>
    <message>
      <source>Sector fields (at least 2; not a total such as 地区生产总值)</source>
      <translation>行业字段（至少 2 个；不能是地区生产总值这类合计）</translation>
    </message>
    <message>
      <source>Unit field: adcode or name (empty: found by its name)</source>
      <translation>单元字段：行政区划代码或名称（留空：按字段名识别）</translation>
    </message>
    <message>
      <source>sector table</source>
      <translation>行业表</translation>
    </message>
    <message>
      <source>Units (polygons or points; empty: the 41 cities)</source>
      <translation>单元（面或点；留空：41 个地级市）</translation>
    </message>
    <message>
      <source>Your network lines (empty: the bundled YRD intercity network)</source>
      <translation>自己的网络线图层（留空：内置长三角城际网络）</translation>
    </message>
    <message>
      <source>Speed field in km/h</source>
      <translation>速度字段（公里/小时）</translation>
    </message>
    <message>
      <source>Travel-time field in minutes (wins over speed)</source>
      <translation>出行时间字段（分钟；优先于速度）</translation>
    </message>
    <message>
      <source>Speed where the line has none (km/h)</source>
      <translation>无速度线段的默认速度（公里/小时）</translation>
    </message>
    <message>
      <source>Join line ends (and shared vertices) closer than (m)</source>
      <translation>连接距离小于此值的线端点（及共享节点）（米）</translation>
    </message>
    <message>
      <source>Where your lines join</source>
      <translation>线在何处相连</translation>
    </message>
    <message>
      <source>At shared vertices and line ends (as QGIS network analysis and QNEAT3)</source>
      <translation>在共享节点和线端点（同 QGIS 网络分析和 QNEAT3）</translation>
    </message>
    <message>
      <source>Also where lines cross or end on another line, without a vertex there</source>
      <translation>另在线相交处或一条线止于另一条线处（即使该处无节点）</translation>
    </message>
    <message>
      <source>Only at line ends (a layer already split at its junctions)</source>
      <translation>仅在线端点（图层已在交点处打断）</translation>
    </message>
    <message>
      <source>Level field (bridge/tunnel/ground, z-level): lines join inside only at one level</source>
      <translation>层级字段（桥梁/隧道/地面、z 层级）：线的内部只在同一层级相连</translation>
    </message>
    <message>
      <source>Access speed to the network (km/h)</source>
      <translation>接入网络的速度（公里/小时）</translation>
    </message>
    <message>
      <source>Network nodes an anchor may use to join the network</source>
      <translation>每个锚点可接入的网络节点数</translation>
    </message>
    <message>
      <source>Where a polygon without anchor columns joins the network</source>
      <translation>无锚点列的面在何处接入网络</translation>
    </message>
    <message>
      <source>Its seat of government (bundled, by adcode); stop if it has none</source>
      <translation>其政府驻地（内置数据，按 adcode）；无驻地则停止</translation>
    </message>
    <message>
      <source>A point inside the polygon (representative point)</source>
      <translation>面内一点（代表点）</translation>
    </message>
    <message>
      <source>Where lines of your layer become junctions. Shared vertices (default): every vertex two lines share (within the snapping distance) and every line end. Crossings: also where lines cross or one ends on another's segment, without a vertex there; a road layer's crossings are often bridges, so give a level field. Line ends only: the layer is already split at its junctions.</source>
      <translation>图层中的线在何处成为路口。共享节点（默认）：两条线共享的每个节点（在捕捉距离内）及每个线端点。相交处：另在线相交或一条线止于另一条线的线段处（即使该处无节点）；道路图层的相交处常是桥梁，请给出层级字段。仅线端点：图层已在路口处打断。</translation>
    </message>
    <message>
      <source>A field with each line's level (e.g. 1 bridge, 0 ground, -1 tunnel, or a z-level). Where the inside of two lines meets (a shared vertex, a crossing), they join only when their levels are equal, so a bridge over a road is not a junction; line ends join whatever their levels (a ramp). Empty cells are one level of their own.</source>
      <translation>记录每条线层级的字段（如 1 桥梁、0 地面、-1 隧道，或 z 层级）。两条线的内部相遇处（共享节点、相交处）只有层级相同时才相连，所以跨越道路的桥梁不是路口；线端点不论层级都相连（匝道）。空值自成一个层级。</translation>
    </message>
    <message>
      <source>Network as open on date (YYYY-MM-DD; empty: all links)</source>
      <translation>网络开通截至日期（YYYY-MM-DD；留空：全部线路）</translation>
    </message>
    <message>
      <source>Speed of the access leg: the straight line from each unit's anchor (seat of government, or the point) to the network, and from the network to the destination. 30 km/h (default) stands for local roads; the leg is a large part of the time where the anchor is far from a node.</source>
      <translation>接入段的速度：从各单元的锚点（政府驻地或点）到网络、再从网络到目的地的直线段。默认 30 公里/小时，代表地方道路；锚点离节点较远时，接入段占出行时间的很大一部分。</translation>
    </message>
    <message>
      <source>How many of the nearest network nodes each anchor may join (1, the default, is the nearest only). More nodes let an anchor reach a farther node in a straight line across anything, water included.</source>
      <translation>每个锚点可接入的最近网络节点个数（默认 1，即只接最近的节点）。节点越多，锚点越可能以直线跨越任何障碍（包括水面）接到更远的节点。</translation>
    </message>
    <message>
      <source>Units join the network at their seat of government (columns anchor_lon/anchor_lat; the bundled units have them) or, for points, at the point. For polygons without those columns: the bundled seat of each unit's adcode (default; the run stops when an adcode has none), or a point inside each polygon — often tens of km from the seat, which adds that distance at the access speed to every trip.</source>
      <translation>单元在其政府驻地（anchor_lon/anchor_lat 列；内置单元均有）接入网络，点图层在点本身接入。没有这两列的面：使用各单元 adcode 对应的内置政府驻地（默认；某个 adcode 没有驻地时停止运行），或使用面内一点——它常距驻地数十公里，每次出行都会按接入速度加上这段距离。</translation>
    </message>
    <message>
      <source>No units layer given: using the 41 cities (joined at their seats of government).</source>
      <translation>未给出单元图层：使用 41 个地级市（在其政府驻地接入网络）。</translation>
    </message>
    <message>
      <source>Access leg: straight line from each anchor to its {nodes} nearest network node(s) at {speed:g} km/h (ACCESS_SPEED_KMH = {speed:g}, ACCESS_NODES = {nodes}).</source>
      <translation>接入段：从各锚点到其最近的 {nodes} 个网络节点的直线，速度 {speed:g} 公里/小时（ACCESS_SPEED_KMH = {speed:g}，ACCESS_NODES = {nodes}）。</translation>
    </message>
    <message>
      <source>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network at the bundled seat of government of its adcode (ANCHORS); the output carries those anchor columns.</source>
      <translation>“{layer}”（{name}）没有 anchor_lon/anchor_lat 列：各单元在其 adcode 对应的内置政府驻地接入网络（ANCHORS）；输出中带有这些锚点列。</translation>
    </message>
    <message>
      <source>Access legs: median {median:.1f} km, longest {longest:.1f} km ({unit}), i.e. {minutes:.0f} min at {speed:g} km/h.</source>
      <translation>接入段：中位数 {median:.1f} 公里，最长 {longest:.1f} 公里（{unit}），按 {speed:g} 公里/小时即 {minutes:.0f} 分钟。</translation>
    </message>
    <message>
      <source>Your lines join {where} (NODING){level}.</source>
      <translation>你的线在{where}相连（NODING）{level}。</translation>
    </message>
    <message>
      <source>Network from your lines: {n} nodes, {m} links.</source>
      <translation>由线图层构建的网络：{n} 个节点，{m} 条边。</translation>
    </message>
    <message>
      <source>“{layer}” ({name}): each unit joins the network at its anchor_lon/anchor_lat.</source>
      <translation>“{layer}”（{name}）：各单元在其 anchor_lon/anchor_lat 处接入网络。</translation>
    </message>
    <message>
      <source>“{layer}” ({name}): each point joins the network where it is.</source>
      <translation>“{layer}”（{name}）：各点在其所在位置接入网络。</translation>
    </message>
    <message>
      <source>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network from a point inside its polygon (representative point, ANCHORS), not from its seat of government; times include that access leg at the access speed.</source>
      <translation>“{layer}”（{name}）没有 anchor_lon/anchor_lat 列：各单元从面内一点（代表点，ANCHORS）而非政府驻地接入网络；出行时间包含按接入速度计算的这段接入距离。</translation>
    </message>
    <message>
      <source>Bundled YRD intercity network{}: {n} nodes, {m} links.</source>
      <translation>内置长三角城际网络{}：{n} 个节点，{m} 条边。</translation>
    </message>
    <message>
      <source>The access speed must be more than 0 km/h, got {value}.</source>
      <translation>接入速度须大于 0 公里/小时，实际为 {value}。</translation>
    </message>
    <message>
      <source>At least 1 network node is needed, got {value}.</source>
      <translation>至少需要 1 个网络节点，实际为 {value}。</translation>
    </message>
    <message>
      <source>at shared vertices and line ends</source>
      <translation>共享节点和线端点</translation>
    </message>
    <message>
      <source>at shared vertices, crossings and line ends</source>
      <translation>共享节点、相交处和线端点</translation>
    </message>
    <message>
      <source>only at line ends</source>
      <translation>仅线端点</translation>
    </message>
    <message>
      <source>{error}. Or set ANCHORS to “A point inside the polygon” to join each unit from a point inside its polygon.</source>
      <translation>{error}。也可将 ANCHORS 设为“面内一点”，使每个单元从其多边形内部的一点接入路网。</translation>
    </message>
    <message>
      <source>, inside only at equal levels of “{field}”</source>
      <translation>，线内部仅在“{field}”层级相同时相连</translation>
    </message>
    <message>
      <source>Spatial weights</source>
      <translation>空间权重</translation>
    </message>
    <message>
      <source>Queen contiguity</source>
      <translation>Queen 邻接</translation>
    </message>
    <message>
      <source>Rook contiguity</source>
      <translation>Rook 邻接</translation>
    </message>
    <message>
      <source>k nearest neighbours</source>
      <translation>k 近邻</translation>
    </message>
    <message>
      <source>Distance band</source>
      <translation>距离阈值</translation>
    </message>
    <message>
      <source>Inverse distance</source>
      <translation>反距离</translation>
    </message>
    <message>
      <source>Adaptive kernel</source>
      <translation>自适应核</translation>
    </message>
    <message>
      <source>Neighbours k (k nearest, kernel)</source>
      <translation>邻居数 k（k 近邻、核）</translation>
    </message>
    <message>
      <source>Distance threshold in km (distance band, inverse distance)</source>
      <translation>距离阈值（公里；距离阈值、反距离）</translation>
    </message>
    <message>
      <source>Contiguity tolerance in km (0: shared boundary only)</source>
      <translation>邻接容差（公里；0：仅共享边界）</translation>
    </message>
    <message>
      <source>Units without neighbours</source>
      <translation>无邻接单元</translation>
    </message>
    <message>
      <source>Stop with an error (inspect first)</source>
      <translation>报错停止（先检查）</translation>
    </message>
    <message>
      <source>Attach to nearest units</source>
      <translation>连接最近单元</translation>
    </message>
    <message>
      <source>Leave out (isolated)</source>
      <translation>排除（孤立）</translation>
    </message>
    <message>
      <source>Nearest units attached to each island</source>
      <translation>每个孤岛连接的最近单元数</translation>
    </message>
    <message>
      <source>Permutations</source>
      <translation>置换次数</translation>
    </message>
    <message>
      <source>Random seed (empty: not reproducible)</source>
      <translation>随机种子（留空：不可复现）</translation>
    </message>
    <message>
      <source>Missing values</source>
      <translation>缺失值</translation>
    </message>
    <message>
      <source>Stop with an error</source>
      <translation>报错停止</translation>
    </message>
    <message>
      <source>Leave those units out</source>
      <translation>排除这些单元</translation>
    </message>
    <message>
      <source>Significance level</source>
      <translation>显著性水平</translation>
    </message>
    <message>
      <source>Multiple-testing correction</source>
      <translation>多重检验校正</translation>
    </message>
    <message>
      <source>None</source>
      <translation>不校正</translation>
    </message>
    <message>
      <source>Bonferroni</source>
      <translation>Bonferroni</translation>
    </message>
    <message>
      <source>False discovery rate (FDR)</source>
      <translation>错误发现率（FDR）</translation>
    </message>
    <message>
      <source>Units without neighbours: {}; policy: {}.</source>
      <translation>无邻接单元：{}；处理方式：{}。</translation>
    </message>
    <message>
      <source>Accessibility indicators</source>
      <translation>可达性指标</translation>
    </message>
    <message>
      <source>Opportunities field (population, jobs…; empty: each unit counts 1)</source>
      <translation>机会字段（人口、就业等；留空：每个单元计 1）</translation>
    </message>
    <message>
      <source>Centre (name or adcode)</source>
      <translation>中心（名称或行政区划代码）</translation>
    </message>
    <message>
      <source>Cumulative-opportunity thresholds (minutes, comma-separated)</source>
      <translation>累计机会时间阈值（分钟，逗号分隔）</translation>
    </message>
    <message>
      <source>Hansen decay</source>
      <translation>Hansen 距离衰减</translation>
    </message>
    <message>
      <source>Exponential (half-life)</source>
      <translation>指数（半衰期）</translation>
    </message>
    <message>
      <source>Power</source>
      <translation>幂函数</translation>
    </message>
    <message>
      <source>Half-life (minutes)</source>
      <translation>半衰期（分钟）</translation>
    </message>
    <message>
      <source>Power exponent</source>
      <translation>幂指数</translation>
    </message>
    <message>
      <source>Accessibility</source>
      <translation>可达性</translation>
    </message>
    <message>
      <source>Centre {centre}; decay {decay}.</source>
      <translation>中心 {centre}；衰减 {decay}。</translation>
    </message>
    <message>
      <source>Accessibility change between two dates</source>
      <translation>两个日期间的可达性变化</translation>
    </message>
    <message>
      <source>Earlier date (YYYY-MM-DD)</source>
      <translation>较早日期（YYYY-MM-DD）</translation>
    </message>
    <message>
      <source>Later date (YYYY-MM-DD)</source>
      <translation>较晚日期（YYYY-MM-DD）</translation>
    </message>
    <message>
      <source>Travel-time change</source>
      <translation>出行时间变化</translation>
    </message>
    <message>
      <source>Travel time to {centre} on {before} and on {after}.</source>
      <translation>{before} 与 {after} 到 {centre} 的出行时间。</translation>
    </message>
    <message>
      <source>Largest gains: {}</source>
      <translation>节省最多：{}</translation>
    </message>
    <message>
      <source>Spatial autocorrelation change between two years</source>
      <translation>两个年份间的空间自相关变化</translation>
    </message>
    <message>
      <source>Units (polygons)</source>
      <translation>单元（面）</translation>
    </message>
    <message>
      <source>Field of the earlier year</source>
      <translation>较早年份字段</translation>
    </message>
    <message>
      <source>Field of the later year</source>
      <translation>较晚年份字段</translation>
    </message>
    <message>
      <source>LISA of both years and of the change</source>
      <translation>两年及变化量的 LISA</translation>
    </message>
    <message>
      <source>Cluster transitions (earlier → later)</source>
      <translation>聚类转移（前 → 后）</translation>
    </message>
    <message>
      <source>Moran's I, earlier year</source>
      <translation>较早年份 Moran's I</translation>
    </message>
    <message>
      <source>Moran's I, later year</source>
      <translation>较晚年份 Moran's I</translation>
    </message>
    <message>
      <source>Moran's I of the change</source>
      <translation>变化量的 Moran's I</translation>
    </message>
    <message>
      <source>Space-time bivariate Moran's I</source>
      <translation>时空双变量 Moran's I</translation>
    </message>
    <message>
      <source>Moran's I {before} = {a:.4f}, {after} = {b:.4f}, change = {c:.4f}.</source>
      <translation>Moran's I：{before} = {a:.4f}，{after} = {b:.4f}，变化量 = {c:.4f}。</translation>
    </message>
    <message>
      <source>The earlier and the later year are the same field “{field}”; choose the field of each year.</source>
      <translation>前后两年是同一字段“{field}”；请分别选择两年的字段。</translation>
    </message>
    <message>
      <source>Build fly-in candidates</source>
      <translation>组装飞入地候选</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>层级</translation>
    </message>
    <message>
      <source>Region group id or series (e.g. g60, yrd_city_cluster_2016; empty: none)</source>
      <translation>区域组织编号或系列（如 g60、yrd_city_cluster_2016；留空：不按组织）</translation>
    </message>
    <message>
      <source>Group membership as of date (YYYY-MM-DD; needed for a series)</source>
      <translation>组织成员截至日期（YYYY-MM-DD；系列必填）</translation>
    </message>
    <message>
      <source>Your attribute table (joined by adcode)</source>
      <translation>自己的属性表（按 adcode 连接）</translation>
    </message>
    <message>
      <source>Columns to join (empty: all)</source>
      <translation>要连接的列（留空：全部）</translation>
    </message>
    <message>
      <source>Join column of the table</source>
      <translation>属性表连接列</translation>
    </message>
    <message>
      <source>Zonal statistics of the bundled DEM sample</source>
      <translation>内置 DEM 样例的分区统计</translation>
    </message>
    <message>
      <source>Raster statistics</source>
      <translation>栅格统计量</translation>
    </message>
    <message>
      <source>Count of cells</source>
      <translation>像元数</translation>
    </message>
    <message>
      <source>Mean</source>
      <translation>平均值</translation>
    </message>
    <message>
      <source>Minimum</source>
      <translation>最小值</translation>
    </message>
    <message>
      <source>Maximum</source>
      <translation>最大值</translation>
    </message>
    <message>
      <source>Standard deviation</source>
      <translation>标准差</translation>
    </message>
    <message>
      <source>Median</source>
      <translation>中位数</translation>
    </message>
    <message>
      <source>Sum</source>
      <translation>总和</translation>
    </message>
    <message>
      <source>Prefix of the raster columns</source>
      <translation>栅格统计列前缀</translation>
    </message>
    <message>
      <source>Lines to measure the distance to (e.g. a corridor centreline; any CRS)</source>
      <translation>计算距离的线要素（如走廊中心线；任意坐标系）</translation>
    </message>
    <message>
      <source>Candidates</source>
      <translation>候选单元</translation>
    </message>
    <message>
      <source>Or your raster</source>
      <translation>或自己的栅格</translation>
    </message>
    <message>
      <source>{n} candidates with columns: {cols}.</source>
      <translation>{n} 个候选单元，字段：{cols}。</translation>
    </message>
    <message>
      <source>The table has no column “{on}” to join on; its columns are: {names}.</source>
      <translation>属性表中没有用于连接的列“{on}”；现有列：{names}。</translation>
    </message>
    <message>
      <source>Core–periphery rings</source>
      <translation>核心—外围圈层</translation>
    </message>
    <message>
      <source>Centre unit (its seat of government), name or adcode</source>
      <translation>中心单元（其政府驻地），名称或行政区划代码</translation>
    </message>
    <message>
      <source>Upper bounds of the rings, increasing (km, or the field's unit)</source>
      <translation>各圈层上界，递增（千米，或字段的单位）</translation>
    </message>
    <message>
      <source>Units</source>
      <translation>单元</translation>
    </message>
    <message>
      <source>Table with a travel-time field (optional; empty: geodesic seat distance)</source>
      <translation>含出行时间字段的表（可选；留空：政府驻地大地线距离）</translation>
    </message>
    <message>
      <source>Travel-time (or other) field of the table the rings are bands of</source>
      <translation>划分圈层所依据的表中出行时间（或其他）字段</translation>
    </message>
    <message>
      <source>Unit field of the table: adcode or name (empty: found by its name)</source>
      <translation>表的单元字段：行政区划代码或名称（留空：按字段名识别）</translation>
    </message>
    <message>
      <source>Ring labels, comma-separated (default 内圈,中圈,外圈 for three rings)</source>
      <translation>圈层标签，以逗号分隔（三个圈层默认 内圈,中圈,外圈）</translation>
    </message>
    <message>
      <source>Units with their ring and the paper's layer</source>
      <translation>单元及其圈层和论文所列层级</translation>
    </message>
    <message>
      <source>Rings around {centre} by {by}: {counts}.</source>
      <translation>以{centre}为中心、按{by}划分的圈层：{counts}。</translation>
    </message>
    <message>
      <source>paper_layer: the layer {paper} names the unit (or its city) in: layers of industrial function, not of distance.</source>
      <translation>paper_layer：{paper}中该单元（或其所在城市）所属的层级：按产业功能划分，而非按距离。</translation>
    </message>
    <message>
      <source>Choose the table's field the rings are bands of, or leave TABLE empty for seat distance.</source>
      <translation>请选择划分圈层所依据的表字段，或将 TABLE 留空以按政府驻地距离划分。</translation>
    </message>
    <message>
      <source>A field needs its table: give TABLE, or leave BY empty for seat distance.</source>
      <translation>字段需要其所在的表：请给出 TABLE，或将 BY 留空以按政府驻地距离划分。</translation>
    </message>
    <message>
      <source>travel-time table</source>
      <translation>出行时间表</translation>
    </message>
    <message>
      <source>Corridor, wings and band</source>
      <translation>走廊、两翼与缓冲带</translation>
    </message>
    <message>
      <source>Bundled corridor (g60, hu_ning_he, hu_hang_yong or its name)</source>
      <translation>内置走廊（g60、hu_ning_he、hu_hang_yong 或其名称）</translation>
    </message>
    <message>
      <source>Or your corridor file (CSV: wing, order, unit_zh or adcode)</source>
      <translation>或自己的走廊文件（CSV：wing, order, unit_zh 或 adcode）</translation>
    </message>
    <message>
      <source>Version (e.g. 2.0; empty: the latest)</source>
      <translation>版本（如 2.0；留空：最新）</translation>
    </message>
    <message>
      <source>Or as of date (YYYY-MM-DD)</source>
      <translation>或截至日期（YYYY-MM-DD）</translation>
    </message>
    <message>
      <source>Band width on each side (km)</source>
      <translation>每侧缓冲宽度（公里）</translation>
    </message>
    <message>
      <source>Units to test against the band</source>
      <translation>与缓冲带比对的单元</translation>
    </message>
    <message>
      <source>Do not test units</source>
      <translation>不比对单元</translation>
    </message>
    <message>
      <source>Or your own units layer (any CRS)</source>
      <translation>或自己的单元图层（任意坐标系）</translation>
    </message>
    <message>
      <source>Corridor members</source>
      <translation>走廊成员</translation>
    </message>
    <message>
      <source>Wing centrelines</source>
      <translation>各翼中心线</translation>
    </message>
    <message>
      <source>Corridor bands</source>
      <translation>走廊缓冲带</translation>
    </message>
    <message>
      <source>Wings</source>
      <translation>两翼</translation>
    </message>
    <message>
      <source>Units near the corridor</source>
      <translation>走廊沿线单元</translation>
    </message>
    <message>
      <source>Wing summary</source>
      <translation>两翼对比表</translation>
    </message>
    <message>
      <source>{name}: hub {hub}, wings {wings}; band {w} km on each side.</source>
      <translation>{name}：枢纽 {hub}，两翼 {wings}；每侧缓冲 {w} 公里。</translation>
    </message>
    <message>
      <source>VERSION and AS_OF apply to bundled corridors, not to a file.</source>
      <translation>VERSION 与 AS_OF 只适用于内置走廊，不适用于文件。</translation>
    </message>
    <message>
      <source>Name a bundled corridor or give a corridor file.</source>
      <translation>请指定内置走廊或给出走廊文件。</translation>
    </message>
    <message>
      <source>Coupling coordination degree</source>
      <translation>耦合协调度</translation>
    </message>
    <message>
      <source>Table of units (any layer or table)</source>
      <translation>单元表（任意图层或表格）</translation>
    </message>
    <message>
      <source>Subsystem 1: its criteria fields (or its index field)</source>
      <translation>子系统 1：指标字段（或其指数字段）</translation>
    </message>
    <message>
      <source>Subsystem 2: its criteria fields (or its index field)</source>
      <translation>子系统 2：指标字段（或其指数字段）</translation>
    </message>
    <message>
      <source>Subsystem 3 (optional): its criteria fields (or its index field)</source>
      <translation>子系统 3（可选）：指标字段（或其指数字段）</translation>
    </message>
    <message>
      <source>Compute each subsystem's index by the entropy method (off: each subsystem is one field already in [0, 1])</source>
      <translation>用熵值法计算各子系统指数（关闭：每个子系统为一个已在 [0, 1] 内的字段）</translation>
    </message>
    <message>
      <source>Cost criteria (smaller is better) among the fields above</source>
      <translation>上述字段中的成本型（越小越好）指标</translation>
    </message>
    <message>
      <source>Subsystem names, comma-separated (default system1,system2[,system3])</source>
      <translation>子系统名称，以逗号分隔（默认 system1,system2[,system3]）</translation>
    </message>
    <message>
      <source>Weights α,β[,γ] of T, summing to 1 (default equal)</source>
      <translation>T 的权重 α,β[,γ]，和为 1（默认相等）</translation>
    </message>
    <message>
      <source>Coupling coordination (U, C, T, D, grade)</source>
      <translation>耦合协调（U、C、T、D、等级）</translation>
    </message>
    <message>
      <source>Coupling coordination of {n} units: {grades}.</source>
      <translation>{n} 个单元的耦合协调：{grades}。</translation>
    </message>
    <message>
      <source>Without the entropy method each subsystem is one index field in [0, 1] (and no cost criteria); choose one field per subsystem, or switch the entropy method on.</source>
      <translation>不用熵值法时，每个子系统是一个 [0, 1] 内的指数字段（且没有成本型指标）；请为每个子系统选择一个字段，或打开熵值法。</translation>
    </message>
    <message>
      <source>table of units</source>
      <translation>单元表</translation>
    </message>
    <message>
      <source>{n} names for {k} subsystems; give one name per subsystem, or none.</source>
      <translation>{k} 个子系统给了 {n} 个名称；请每个子系统给一个名称，或都不给。</translation>
    </message>
    <message>
      <source>Enclave pairs: ends, desire lines, gradients</source>
      <translation>飞地结对：两端、期望线、梯度</translation>
    </message>
    <message>
      <source>Include the bundled pairs (from the cited papers)</source>
      <translation>包含内置结对（出自所引论文）</translation>
    </message>
    <message>
      <source>Include the cross-border cooperation zones</source>
      <translation>包含跨省合作区</translation>
    </message>
    <message>
      <source>Your pairs (CSV/GPKG: fly_out, fly_in, kind)</source>
      <translation>自己的结对（CSV/GPKG：fly_out, fly_in, kind）</translation>
    </message>
    <message>
      <source>Match two-way pairs at</source>
      <translation>双向飞地匹配层级</translation>
    </message>
    <message>
      <source>Travel times in minutes (CSV: from_adcode, to_adcode, minutes as the travel-time matrix writes, or a square matrix of origins × destinations)</source>
      <translation>出行时间（分钟；CSV：出行时间矩阵输出的 from_adcode、to_adcode、minutes 长表，或起点 × 终点的方阵）</translation>
    </message>
    <message>
      <source>Attributes per unit (table with an adcode column)</source>
      <translation>单元属性表（含 adcode 列）</translation>
    </message>
    <message>
      <source>Attribute columns for gradients (empty: all numeric)</source>
      <translation>用于梯度的属性列（留空：全部数值列）</translation>
    </message>
    <message>
      <source>Look district ends up as</source>
      <translation>区级端点取值方式</translation>
    </message>
    <message>
      <source>Themselves</source>
      <translation>按自身</translation>
    </message>
    <message>
      <source>Their city</source>
      <translation>按所属市</translation>
    </message>
    <message>
      <source>Enclave ends</source>
      <translation>飞地两端</translation>
    </message>
    <message>
      <source>Desire lines</source>
      <translation>期望线</translation>
    </message>
    <message>
      <source>Partner network (units)</source>
      <translation>结对网络（单元）</translation>
    </message>
    <message>
      <source>{n} pairs ({two} two-way).</source>
      <translation>{n} 个结对（其中双向 {two} 个）。</translation>
    </message>
    <message>
      <source>Entropy-weight composite index</source>
      <translation>熵权综合指数</translation>
    </message>
    <message>
      <source>Criteria fields</source>
      <translation>指标字段</translation>
    </message>
    <message>
      <source>Shift of the normalised values in the entropy step (0: 0·ln 0 = 0)</source>
      <translation>熵值计算中标准化值的平移量（0：取 0·ln 0 = 0）</translation>
    </message>
    <message>
      <source>Units with a missing value</source>
      <translation>有缺失值的单元</translation>
    </message>
    <message>
      <source>Stop and list them</source>
      <translation>停止并列出</translation>
    </message>
    <message>
      <source>Year field of a panel, one row per unit-year (global entropy; empty: one row per unit)</source>
      <translation>面板数据的年份字段，每个单元每年一行（全局熵值法；留空：每个单元一行）</translation>
    </message>
    <message>
      <source>Name of the index field</source>
      <translation>指数字段名称</translation>
    </message>
    <message>
      <source>Entropy index</source>
      <translation>熵权指数</translation>
    </message>
    <message>
      <source>Criteria weights (weight, entropy, divergence)</source>
      <translation>指标权重（权重、熵值、差异系数）</translation>
    </message>
    <message>
      <source>Entropy weights: {weights}.</source>
      <translation>熵权：{weights}。</translation>
    </message>
    <message>
      <source>{n} rows with a missing value were left out (index empty).</source>
      <translation>{n} 行有缺失值，未计算（指数为空）。</translation>
    </message>
    <message>
      <source>The cost fields {fields} are not among the criteria; choose them in CRITERIA too.</source>
      <translation>成本型字段 {fields} 不在指标之中；请同时在 CRITERIA 中选择它们。</translation>
    </message>
    <message>
      <source>Export plan map (PDF/PNG/SVG)</source>
      <translation>导出规划图（PDF/PNG/SVG）</translation>
    </message>
    <message>
      <source>Style</source>
      <translation>样式</translation>
    </message>
    <message>
      <source>Numeric field to colour by (empty: keep the layer's style)</source>
      <translation>分级设色的数值字段（留空：保留图层原样式）</translation>
    </message>
    <message>
      <source>Classes</source>
      <translation>分级方法</translation>
    </message>
    <message>
      <source>Quantiles</source>
      <translation>分位数</translation>
    </message>
    <message>
      <source>Natural breaks (Jenks)</source>
      <translation>自然断点（Jenks）</translation>
    </message>
    <message>
      <source>Number of classes</source>
      <translation>分级数</translation>
    </message>
    <message>
      <source>Label field (e.g. short_zh)</source>
      <translation>标注字段（如 short_zh）</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Source note</source>
      <translation>资料来源注记</translation>
    </message>
    <message>
      <source>Data year (e.g. 2019)</source>
      <translation>数据年份（如 2019）</translation>
    </message>
    <message>
      <source>Map approval number (审图号)</source>
      <translation>审图号</translation>
    </message>
    <message>
      <source>Page</source>
      <translation>页面</translation>
    </message>
    <message>
      <source>Resolution (dpi)</source>
      <translation>分辨率（dpi）</translation>
    </message>
    <message>
      <source>Layer to map</source>
      <translation>制图图层</translation>
    </message>
    <message>
      <source>Plan map</source>
      <translation>规划图</translation>
    </message>
    <message>
      <source>PDF files (*.pdf);;PNG files (*.png);;SVG files (*.svg)</source>
      <translation>PDF 文件 (*.pdf);;PNG 文件 (*.png);;SVG 文件 (*.svg)</translation>
    </message>
    <message>
      <source>Layout in the project</source>
      <translation>工程中的布局</translation>
    </message>
    <message>
      <source>Drawing the map in {crs} with the font {font}.</source>
      <translation>以 {crs} 坐标系和 {font} 字体绘制地图。</translation>
    </message>
    <message>
      <source>The layout “{}” is in the project: Project → Layout Manager.</source>
      <translation>布局“{}”已加入工程：工程 → 布局管理器。</translation>
    </message>
    <message>
      <source>Coloured by {field} in {n} classes ({method}).</source>
      <translation>按 {field} 分 {n} 级设色（{method}）。</translation>
    </message>
    <message>
      <source>The input layer “{}” has no features; expected at least one.</source>
      <translation>输入图层“{}”没有要素；至少需要一个要素。</translation>
    </message>
    <message>
      <source>The map file must end in .pdf, .png or .svg, got “{}”.</source>
      <translation>地图文件须以 .pdf、.png 或 .svg 结尾，实际为“{}”。</translation>
    </message>
    <message>
      <source>The folder {folder} of this output does not exist; create it or choose another file.</source>
      <translation>此输出所在的文件夹 {folder} 不存在；请先创建，或另选文件。</translation>
    </message>
    <message>
      <source>The layer “{layer}” has no coordinate reference system, so the map's scale bar and projection note would be wrong. Set its CRS (Layer Properties → Source, or Processing “Assign projection”), e.g. EPSG:4326 for longitude/latitude or EPSG:4549 for CGCS2000 Gauss-Krüger metres.</source>
      <translation>图层“{layer}”没有坐标参考系，地图的比例尺和投影注记都会出错。请设置其坐标系（图层属性 → 源，或处理工具“指定投影”），如经纬度用 EPSG:4326，CGCS2000 高斯-克吕格米制坐标用 EPSG:4549。</translation>
    </message>
    <message>
      <source>The layer “{layer}” says {crs} (longitude/latitude degrees) but its coordinates run x {x0:,.0f} … {x1:,.0f}, y {y0:,.0f} … {y1:,.0f}, which are metres of a projected CRS; set the layer's real CRS.</source>
      <translation>图层“{layer}”声明为 {crs}（经纬度，单位为度），但其坐标范围为 x {x0:,.0f} … {x1:,.0f}、y {y0:,.0f} … {y1:,.0f}，是投影坐标系的米；请设置图层真实的坐标系。</translation>
    </message>
    <message>
      <source>The field “{}” has no values to classify.</source>
      <translation>字段“{}”没有可分级的值。</translation>
    </message>
    <message>
      <source>Could not apply the style {}: {}</source>
      <translation>无法应用样式 {}：{}</translation>
    </message>
    <message>
      <source>Economic linkage (gravity model)</source>
      <translation>经济联系强度（引力模型）</translation>
    </message>
    <message>
      <source>Table of units with population and GDP (any layer or table)</source>
      <translation>含人口和 GDP 的单元表（任意图层或表格）</translation>
    </message>
    <message>
      <source>Population field (P)</source>
      <translation>人口字段（P）</translation>
    </message>
    <message>
      <source>GDP field (G)</source>
      <translation>GDP 字段（G）</translation>
    </message>
    <message>
      <source>Distance D between units</source>
      <translation>单元间距离 D</translation>
    </message>
    <message>
      <source>Seat-to-seat geodesic distance (km)</source>
      <translation>政府驻地间大地线距离（千米）</translation>
    </message>
    <message>
      <source>Travel time over the network (minutes)</source>
      <translation>网络出行时间（分钟）</translation>
    </message>
    <message>
      <source>Distance-decay exponent b</source>
      <translation>距离衰减指数 b</translation>
    </message>
    <message>
      <source>Gravity constant k</source>
      <translation>引力常数 k</translation>
    </message>
    <message>
      <source>Desire lines: strongest links drawn (0: every linked pair)</source>
      <translation>期望线：绘制最强的联系（0：所有有联系的单元对）</translation>
    </message>
    <message>
      <source>Linkage pairs (i, j, D, R, F, status)</source>
      <translation>联系单元对（i、j、D、R、F、状态）</translation>
    </message>
    <message>
      <source>Total linkage per unit</source>
      <translation>各单元联系总量</translation>
    </message>
    <message>
      <source>Strongest links (desire lines)</source>
      <translation>最强联系（期望线）</translation>
    </message>
    <message>
      <source>{n} ordered pairs have no travel time: R and F are empty there (status says why), and they are left out of each unit's total.</source>
      <translation>{n} 个有序单元对没有出行时间：其 R 和 F 为空（状态字段说明原因），不计入各单元的总量。</translation>
    </message>
    <message>
      <source>A network and its date apply to travel-time distance; set DISTANCE to travel time, or leave {names} empty.</source>
      <translation>网络及其日期只用于出行时间距离；请把 DISTANCE 设为出行时间，或将 {names} 留空。</translation>
    </message>
    <message>
      <source>Grid analysis on dask (1 km cells)</source>
      <translation>规则格网分析（dask，1 公里格网）</translation>
    </message>
    <message>
      <source>Cell size (metres, at least 500)</source>
      <translation>格网边长（米，至少 500）</translation>
    </message>
    <message>
      <source>Units to cover (empty: the 305 YRD counties)</source>
      <translation>覆盖的单元（留空：长三角 305 个县级单元）</translation>
    </message>
    <message>
      <source>Code field of the units (empty: adcode)</source>
      <translation>单元代码字段（留空：adcode）</translation>
    </message>
    <message>
      <source>Values of the bundled DEM sample per cell</source>
      <translation>每格取内置 DEM 样例的值</translation>
    </message>
    <message>
      <source>How a cell's value is made from the raster</source>
      <translation>格网值的栅格取值方式</translation>
    </message>
    <message>
      <source>Most frequent value</source>
      <translation>众数</translation>
    </message>
    <message>
      <source>Pixel under the cell centre</source>
      <translation>格心处的像元</translation>
    </message>
    <message>
      <source>Travel time to this centre (unit name or adcode; empty: none)</source>
      <translation>到此中心的出行时间（单元名称或代码；留空：不计算）</translation>
    </message>
    <message>
      <source>Network as of date (YYYY-MM-DD; empty: every link)</source>
      <translation>路网日期（YYYY-MM-DD；留空：全部路段）</translation>
    </message>
    <message>
      <source>Local Moran's I (LISA) of</source>
      <translation>局部 Moran's I（LISA）的指标</translation>
    </message>
    <message>
      <source>No LISA</source>
      <translation>不计算 LISA</translation>
    </message>
    <message>
      <source>The raster values</source>
      <translation>栅格值</translation>
    </message>
    <message>
      <source>The travel time</source>
      <translation>出行时间</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Local dask workers (0: dask's threads inside QGIS)</source>
      <translation>本地 dask 工作进程数（0：在 QGIS 进程内用 dask 线程）</translation>
    </message>
    <message>
      <source>Or an existing dask cluster (tcp://host:port)</source>
      <translation>或已有的 dask 集群（tcp://主机:端口）</translation>
    </message>
    <message>
      <source>Grid cells</source>
      <translation>格网方格</translation>
    </message>
    <message>
      <source>Result written as a raster</source>
      <translation>写为栅格的结果</translation>
    </message>
    <message>
      <source>Local Moran's I</source>
      <translation>局部 Moran's I</translation>
    </message>
    <message>
      <source>LISA cluster (GeoDa code)</source>
      <translation>LISA 聚类（GeoDa 代码）</translation>
    </message>
    <message>
      <source>Result raster (COG)</source>
      <translation>结果栅格（COG）</translation>
    </message>
    <message>
      <source>LISA of a criterion this run does not compute: give a raster (or the DEM) or a centre.</source>
      <translation>所选 LISA 指标本次未计算：请给出栅格（或 DEM）或中心。</translation>
    </message>
    <message>
      <source>The chosen result is not computed in this run; choose another, or leave the result raster empty.</source>
      <translation>所选结果本次未计算；请另选，或将结果栅格留空。</translation>
    </message>
    <message>
      <source>{n} cells of {size:g} m in {parts} partitions ({seconds:.1f} s).</source>
      <translation>{n} 个 {size:g} 米格网，{parts} 个分区（{seconds:.1f} 秒）。</translation>
    </message>
    <message>
      <source>LISA of {name}: {counts}.</source>
      <translation>{name} 的 LISA：{counts}。</translation>
    </message>
    <message>
      <source>Hot and cold spots (Getis-Ord Gi*)</source>
      <translation>冷热点分析（Getis-Ord Gi*）</translation>
    </message>
    <message>
      <source>Numeric field (not negative)</source>
      <translation>数值字段（非负）</translation>
    </message>
    <message>
      <source>Hot and cold spots</source>
      <translation>冷热点</translation>
    </message>
    <message>
      <source>Clusters: {}</source>
      <translation>聚类：{}</translation>
    </message>
    <message>
      <source>Isochrones (travel-time bands)</source>
      <translation>等时圈（出行时间分带）</translation>
    </message>
    <message>
      <source>Origin (unit name or adcode)</source>
      <translation>起点（单元名称或代码）</translation>
    </message>
    <message>
      <source>Targets (units, points or cells; empty: a grid over the YRD)</source>
      <translation>目标（单元、点或网格；留空：长三角网格）</translation>
    </message>
    <message>
      <source>Grid cell size (km) when no targets are given</source>
      <translation>未给目标时的网格边长（公里）</translation>
    </message>
    <message>
      <source>Band limits (minutes, comma-separated)</source>
      <translation>分带界限（分钟，逗号分隔）</translation>
    </message>
    <message>
      <source>Output</source>
      <translation>输出</translation>
    </message>
    <message>
      <source>The targets (cells, units or points), each with its time and band</source>
      <translation>目标（格网、单元或点），各带出行时间和时段</translation>
    </message>
    <message>
      <source>One polygon per band, dissolved from the cells and smoothed</source>
      <translation>每个时段一个多边形，由格网融合并平滑</translation>
    </message>
    <message>
      <source>Polygons from the origin (0–60 holds 0–30) instead of rings (30–60)</source>
      <translation>从起点起算的多边形（0–60 包含 0–30），而非环带（30–60）</translation>
    </message>
    <message>
      <source>Isochrones</source>
      <translation>等时圈</translation>
    </message>
    <message>
      <source>Polygons (default): the cells (or polygon targets) of each band dissolved into one polygon, smoothed by a buffer out and back in of half a cell, clipped to the cells; points cannot be dissolved. Grid: every target with its travel time and band.</source>
      <translation>多边形（默认）：每个时段的格网（或多边形目标）融合为一个多边形，以半个格网宽度先外扩再内缩加以平滑，并裁剪到格网范围；点无法融合。格网：每个目标及其出行时间和时段。</translation>
    </message>
    <message>
      <source>Polygons are dissolved from polygon targets (cells or units); these targets are points. Choose the grid output, or give polygons.</source>
      <translation>多边形由多边形目标（格网或单元）融合而成；这些目标是点。请选择格网输出，或给出多边形。</translation>
    </message>
    <message>
      <source>{n} grid cells of {km} km over the YRD; each cell joins the network from its centre.</source>
      <translation>在长三角生成 {n} 个 {km} 公里网格；各网格从其中心接入网络。</translation>
    </message>
    <message>
      <source>Krugman specialisation index</source>
      <translation>克鲁格曼专业化指数</translation>
    </message>
    <message>
      <source>Compared with</source>
      <translation>比较对象</translation>
    </message>
    <message>
      <source>Each other unit (pairwise matrix Kij)</source>
      <translation>其他每个单元（两两矩阵 Kij）</translation>
    </message>
    <message>
      <source>The whole table's structure (Ki)</source>
      <translation>全表的结构（Ki）</translation>
    </message>
    <message>
      <source>All other units together (Ki)</source>
      <translation>其余所有单元合计（Ki）</translation>
    </message>
    <message>
      <source>Sector fields are shares already (pairwise matrix only)</source>
      <translation>行业字段已是份额（仅两两矩阵）</translation>
    </message>
    <message>
      <source>Krugman index (one row per unit)</source>
      <translation>克鲁格曼指数（每个单元一行）</translation>
    </message>
    <message>
      <source>Krugman index of each pair (seat-to-seat lines; pairwise matrix only)</source>
      <translation>每对单元的克鲁格曼指数（政府驻地连线；仅两两矩阵）</translation>
    </message>
    <message>
      <source>A reference structure needs sector quantities, not shares (shares would weight every unit alike); switch AS_SHARES off, or compare each pair of units.</source>
      <translation>与参照结构比较需要行业数量而非份额（份额会使各单元等权）；请关闭 AS_SHARES，或两两比较单元。</translation>
    </message>
    <message>
      <source>Krugman index of {n} units, pair by pair (0: the same structure, 2: no sector in common).</source>
      <translation>{n} 个单元两两之间的克鲁格曼指数（0：结构相同，2：没有共同行业）。</translation>
    </message>
    <message>
      <source>Load YRD units</source>
      <translation>加载长三角行政单元</translation>
    </message>
    <message>
      <source>Provinces (names or adcodes, comma-separated; empty: all four)</source>
      <translation>省份（名称或行政区划代码，逗号分隔；留空：全部四省市）</translation>
    </message>
    <message>
      <source>Group units: as listed, or every unit of one level the group covers</source>
      <translation>区域组织的单元：按名单，或该组织覆盖的某一级全部单元</translation>
    </message>
    <message>
      <source>Members as listed</source>
      <translation>按成员名单</translation>
    </message>
    <message>
      <source>YRD units</source>
      <translation>长三角行政单元</translation>
    </message>
    <message>
      <source>Give either a region group or provinces, not both.</source>
      <translation>区域组织与省份只能二选一。</translation>
    </message>
    <message>
      <source>{n} members of {group}; the LEVEL parameter does not apply to a group.</source>
      <translation>{group} 共 {n} 个成员；LEVEL 参数不适用于区域组织。</translation>
    </message>
    <message>
      <source>A date (AS_OF) applies only to a region group; give GROUP too.</source>
      <translation>日期（AS_OF）仅适用于区域组织，请同时给出 GROUP。</translation>
    </message>
    <message>
      <source>{n} units at level {level}.</source>
      <translation>{level} 层级共 {n} 个单元。</translation>
    </message>
    <message>
      <source>The region group “{group}” had no members on {date}.</source>
      <translation>区域组织“{group}”在 {date} 没有成员。</translation>
    </message>
    <message>
      <source>Location quotients</source>
      <translation>区位商</translation>
    </message>
    <message>
      <source>Location quotients (one row per unit, one field per sector)</source>
      <translation>区位商（每个单元一行，每个行业一个字段）</translation>
    </message>
    <message>
      <source>Location quotients of {n} units in {k} sectors; above 1: more of the unit's activity in that sector than in the whole table's.</source>
      <translation>{n} 个单元 {k} 个行业的区位商；大于 1：该单元在该行业的比重高于全表。</translation>
    </message>
    <message>
      <source>Rank fly-in candidates</source>
      <translation>飞入地候选排序</translation>
    </message>
    <message>
      <source>Candidate units (with criteria fields; any CRS)</source>
      <translation>候选单元（含指标字段；任意坐标系）</translation>
    </message>
    <message>
      <source>Benefit criteria (more is better)</source>
      <translation>效益型指标（越大越好）</translation>
    </message>
    <message>
      <source>Cost criteria (less is better)</source>
      <translation>成本型指标（越小越好）</translation>
    </message>
    <message>
      <source>Fly-out unit (e.g. 上海; empty: rank without one)</source>
      <translation>飞出地（如 上海；留空：不指定飞出地）</translation>
    </message>
    <message>
      <source>Distance from the fly-out unit's seat as a cost criterion</source>
      <translation>以到飞出地政府驻地的距离作为成本指标</translation>
    </message>
    <message>
      <source>Only candidates within (km of the fly-out unit)</source>
      <translation>仅保留距飞出地（公里）以内的候选</translation>
    </message>
    <message>
      <source>Weights</source>
      <translation>权重</translation>
    </message>
    <message>
      <source>Entropy weights (熵权法)</source>
      <translation>熵权法</translation>
    </message>
    <message>
      <source>Equal weights</source>
      <translation>等权</translation>
    </message>
    <message>
      <source>Scoring</source>
      <translation>评分方法</translation>
    </message>
    <message>
      <source>TOPSIS</source>
      <translation>TOPSIS</translation>
    </message>
    <message>
      <source>Weighted sum</source>
      <translation>加权和</translation>
    </message>
    <message>
      <source>TOPSIS input</source>
      <translation>TOPSIS 输入</translation>
    </message>
    <message>
      <source>Raw values (vector normalisation)</source>
      <translation>原始值（向量归一化）</translation>
    </message>
    <message>
      <source>Min-max values (entropy-TOPSIS)</source>
      <translation>极差归一化值（熵权-TOPSIS）</translation>
    </message>
    <message>
      <source>Candidates with missing values</source>
      <translation>含缺失值的候选</translation>
    </message>
    <message>
      <source>Exclude them</source>
      <translation>排除</translation>
    </message>
    <message>
      <source>Candidate id field (empty: adcode)</source>
      <translation>候选编号字段（留空：adcode）</translation>
    </message>
    <message>
      <source>Travel time from the fly-out unit as a cost criterion: bundled network open on date (YYYY-MM-DD; empty: no travel time)</source>
      <translation>到飞出地的出行时间作为成本指标：内置网络按该日开通线路（YYYY-MM-DD；留空：不用出行时间）</translation>
    </message>
    <message>
      <source>Travel time: links without an opening date (road proxy)</source>
      <translation>出行时间：无开通日期的线路（道路代理）</translation>
    </message>
    <message>
      <source>Keep them (open at every date)</source>
      <translation>保留（任何日期均视为开通）</translation>
    </message>
    <message>
      <source>Drop them (dated links only)</source>
      <translation>去除（只用有开通日期的线路）</translation>
    </message>
    <message>
      <source>Travel time: no access when a seat is farther from the network than (km)</source>
      <translation>出行时间：驻地距网络超过此距离即视为无法接入（公里）</translation>
    </message>
    <message>
      <source>Ranked candidates</source>
      <translation>候选排序结果</translation>
    </message>
    <message>
      <source>Explanation (per candidate and criterion)</source>
      <translation>解释表（逐候选、逐指标）</translation>
    </message>
    <message>
      <source>Choose at least one benefit or cost criterion.</source>
      <translation>请至少选择一个效益型或成本型指标。</translation>
    </message>
    <message>
      <source>Ranked {n} of {total} candidates ({method}, {source} weights: {weights}).</source>
      <translation>{total} 个候选中 {n} 个参与排序（{method}，{source} 权重：{weights}）。</translation>
    </message>
    <message>
      <source>A distance limit needs a fly-out unit.</source>
      <translation>距离限制需要指定飞出地。</translation>
    </message>
    <message>
      <source>A travel-time date needs a fly-out unit.</source>
      <translation>出行时间日期需要指定飞出地。</translation>
    </message>
    <message>
      <source>The input already has a field {field}: clear the travel-time date to rank by that field, or rename it to rank by the computed travel time.</source>
      <translation>输入已有字段 {field}：清空出行时间日期以按该字段排序，或将其改名以按计算的出行时间排序。</translation>
    </message>
    <message>
      <source>Region-group membership over time</source>
      <translation>区域合作组织成员历年变化</translation>
    </message>
    <message>
      <source>Region groups (each version of a series is listed)</source>
      <translation>区域合作组织（列出一个系列的每个版本）</translation>
    </message>
    <message>
      <source>As of date (YYYY-MM-DD; empty: every chosen version)</source>
      <translation>截至日期（YYYY-MM-DD；留空：所选的每个版本）</translation>
    </message>
    <message>
      <source>Units: as listed, or every unit of one level a group covers</source>
      <translation>单元：按所列，或组织覆盖的某一层级的全部单元</translation>
    </message>
    <message>
      <source>Region-group members</source>
      <translation>区域合作组织成员</translation>
    </message>
    <message>
      <source>{version} ({name}): {n} units.</source>
      <translation>{version}（{name}）：{n} 个单元。</translation>
    </message>
    <message>
      <source>None of the chosen region groups had members on {date}.</source>
      <translation>所选区域合作组织在 {date} 均无成员。</translation>
    </message>
    <message>
      <source>Regional inequality (Theil, Gini, CV) over years</source>
      <translation>历年区域差异（泰尔指数、基尼系数、变异系数）</translation>
    </message>
    <message>
      <source>Value fields, one per year (in order)</source>
      <translation>数值字段，每年一个（按顺序）</translation>
    </message>
    <message>
      <source>Groups of the decomposition</source>
      <translation>分解的分组</translation>
    </message>
    <message>
      <source>No decomposition</source>
      <translation>不分解</translation>
    </message>
    <message>
      <source>Province of each unit</source>
      <translation>各单元所在省份</translation>
    </message>
    <message>
      <source>City of each unit</source>
      <translation>各单元所在城市</translation>
    </message>
    <message>
      <source>Or a group field (replaces the groups above)</source>
      <translation>或一个分组字段（替代上面的分组）</translation>
    </message>
    <message>
      <source>Weight field, e.g. population (empty: every unit alike)</source>
      <translation>权重字段，例如人口（留空：各单元等权）</translation>
    </message>
    <message>
      <source>Inequality by year</source>
      <translation>各年差异</translation>
    </message>
    <message>
      <source>Groups by year</source>
      <translation>各年分组</translation>
    </message>
    <message>
      <source>Groups from the field {field}.</source>
      <translation>分组取自字段 {field}。</translation>
    </message>
    <message>
      <source>{year}: Theil T {t:.6f} (between {b:.1%}), L {l:.6f}, Gini {g:.4f}, CV {cv:.4f}.</source>
      <translation>{year}：泰尔指数 T {t:.6f}（组间 {b:.1%}），L {l:.6f}，基尼系数 {g:.4f}，变异系数 {cv:.4f}。</translation>
    </message>
    <message>
      <source>Revenue-sharing schedule</source>
      <translation>税收分成方案</translation>
    </message>
    <message>
      <source>Revenue per year (the same every year; or a table below)</source>
      <translation>每年收入（每年相同；或用下面的表）</translation>
    </message>
    <message>
      <source>Or a table of revenue, one row per year from the first year of production</source>
      <translation>或收入表，自投产第一年起每年一行</translation>
    </message>
    <message>
      <source>Revenue field of the table</source>
      <translation>表中的收入字段</translation>
    </message>
    <message>
      <source>Years (with one revenue figure)</source>
      <translation>年数（使用单一收入数值时）</translation>
    </message>
    <message>
      <source>Preset schedule</source>
      <translation>预设方案</translation>
    </message>
    <message>
      <source>Shanghai district rule: 25% to the fly-out side for 5 years, then 0 (张亚军)</source>
      <translation>上海区级规则：飞出地分成 25%，为期 5 年，之后为 0（张亚军）</translation>
    </message>
    <message>
      <source>Or your schedule: the fly-out share of each year, comma-separated (e.g. 0.3,0.3,0.2; replaces the preset)</source>
      <translation>或自定方案：各年飞出地分成比例，以逗号分隔（如 0.3,0.3,0.2；替代预设方案）</translation>
    </message>
    <message>
      <source>Fly-out share in every year after your schedule</source>
      <translation>自定方案之后各年的飞出地分成比例</translation>
    </message>
    <message>
      <source>Calendar year of the first year of production (optional)</source>
      <translation>投产第一年的公历年份（可选）</translation>
    </message>
    <message>
      <source>{n} years: {out:,.2f} to the fly-out side, {into:,.2f} to the fly-in side.</source>
      <translation>{n} 年：飞出地 {out:,.2f}，飞入地 {into:,.2f}。</translation>
    </message>
    <message>
      <source>Give the revenue either as one number (REVENUE, with YEARS) or as a table with one row per year (TABLE and REVENUE_FIELD), not both and not neither.</source>
      <translation>收入须二选一给出：单一数值（REVENUE 加 YEARS），或每年一行的表（TABLE 和 REVENUE_FIELD）；不能都给，也不能都不给。</translation>
    </message>
    <message>
      <source>Choose the field of TABLE that holds each year's revenue.</source>
      <translation>请选择 TABLE 中记录每年收入的字段。</translation>
    </message>
    <message>
      <source>Your schedule: fly-out shares {shares}, then {after}; PRESET does not apply.</source>
      <translation>自定方案：飞出地分成比例 {shares}，之后为 {after}；PRESET 不适用。</translation>
    </message>
    <message>
      <source>“{value}” is not a list of shares separated by commas; expected e.g. 0.3,0.3,0.2.</source>
      <translation>“{value}”不是以逗号分隔的分成比例列表；应为如 0.3,0.3,0.2。</translation>
    </message>
    <message>
      <source>Spatial autocorrelation (Moran's I, LISA)</source>
      <translation>空间自相关（Moran's I、LISA）</translation>
    </message>
    <message>
      <source>Numeric field</source>
      <translation>数值字段</translation>
    </message>
    <message>
      <source>LISA clusters</source>
      <translation>LISA 聚类</translation>
    </message>
    <message>
      <source>Moran's I</source>
      <translation>Moran's I</translation>
    </message>
    <message>
      <source>Expected I</source>
      <translation>I 的期望值</translation>
    </message>
    <message>
      <source>Pseudo p-value of I</source>
      <translation>I 的伪 p 值</translation>
    </message>
    <message>
      <source>z-score of I (permutations)</source>
      <translation>I 的 z 值（置换）</translation>
    </message>
    <message>
      <source>Units used</source>
      <translation>参与单元数</translation>
    </message>
    <message>
      <source>Moran's I = {i:.4f} (expected {e:.4f}), pseudo p = {p}, {n} units.</source>
      <translation>Moran's I = {i:.4f}（期望 {e:.4f}），伪 p = {p}，{n} 个单元。</translation>
    </message>
    <message>
      <source>Industrial structure similarity</source>
      <translation>产业结构相似系数</translation>
    </message>
    <message>
      <source>Similarity matrix (one row per unit, one field per unit)</source>
      <translation>相似系数矩阵（每个单元一行，每个单元一个字段）</translation>
    </message>
    <message>
      <source>Similarity of each pair (seat-to-seat lines)</source>
      <translation>每对单元的相似系数（政府驻地连线）</translation>
    </message>
    <message>
      <source>Structure similarity of {n} units over {k} sectors (1: the same structure).</source>
      <translation>{n} 个单元在 {k} 个行业上的结构相似系数（1：结构相同）。</translation>
    </message>
    <message>
      <source>Travel-time matrix</source>
      <translation>出行时间矩阵</translation>
    </message>
    <message>
      <source>Stop searching after (minutes; empty: no limit)</source>
      <translation>搜索时间上限（分钟；留空：不限）</translation>
    </message>
    <message>
      <source>Travel times (from, to, minutes, status)</source>
      <translation>出行时间（起点、终点、分钟、状态）</translation>
    </message>
    <message>
      <source>Destinations (empty: the origins)</source>
      <translation>终点（留空：同起点）</translation>
    </message>
    <message>
      <source>Origins (polygons or points; empty: the 41 cities)</source>
      <translation>起点（面或点；留空：41 个地级市）</translation>
    </message>
    <message>
      <source>{n} pairs, {u} without a time.</source>
      <translation>共 {n} 对，其中 {u} 对无出行时间。</translation>
    </message>
    <message>
      <source>Two-step floating catchment (2SFCA)</source>
      <translation>两步移动搜寻法（2SFCA）</translation>
    </message>
    <message>
      <source>Demand units (polygons or points)</source>
      <translation>需求单元（面或点）</translation>
    </message>
    <message>
      <source>Demand field (e.g. population)</source>
      <translation>需求字段（如人口）</translation>
    </message>
    <message>
      <source>Supply sites (polygons or points)</source>
      <translation>供给点（面或点）</translation>
    </message>
    <message>
      <source>Supply field (e.g. hospital beds)</source>
      <translation>供给字段（如医院床位）</translation>
    </message>
    <message>
      <source>Catchment (minutes)</source>
      <translation>搜寻阈值（分钟）</translation>
    </message>
    <message>
      <source>2SFCA access</source>
      <translation>2SFCA 可达性</translation>
    </message>
    <message>
      <source>Supply-to-demand ratios per site</source>
      <translation>各供给点供需比</translation>
    </message>
    <message>
      <source>Polygon areas (km²)</source>
      <translation>面积（平方公里）</translation>
    </message>
    <message>
      <source>Polygon layer</source>
      <translation>面图层</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <source>Equal-area projection (YRD Albers)</source>
      <translation>等积投影（长三角 Albers）</translation>
    </message>
    <message>
      <source>Geodesic (WGS84 ellipsoid)</source>
      <translation>椭球面积（WGS84）</translation>
    </message>
    <message>
      <source>Name of the area column</source>
      <translation>面积字段名</translation>
    </message>
    <message>
      <source>Polygons with areas</source>
      <translation>含面积的面图层</translation>
    </message>
    <message>
      <source>The area column needs a name, e.g. area_km2.</source>
      <translation>面积字段需要名称，如 area_km2。</translation>
    </message>
    <message>
      <source>The input field {column} is replaced by the computed areas in the output (the input layer keeps it).</source>
      <translation>输出中的字段 {column} 由计算出的面积替换（输入图层保留原字段）。</translation>
    </message>
    <message>
      <source>Weights sensitivity of Moran's I</source>
      <translation>莫兰指数对空间权重的敏感性</translation>
    </message>
    <message>
      <source>Spatial weights compared</source>
      <translation>比较的空间权重</translation>
    </message>
    <message>
      <source>Neighbours k for k nearest and kernel, comma-separated</source>
      <translation>k 近邻和核函数的邻居数 k，以逗号分隔</translation>
    </message>
    <message>
      <source>Distance bands in km, comma-separated (empty: the smallest band in which every unit has a neighbour)</source>
      <translation>距离带（千米），以逗号分隔（留空：使每个单元都有邻居的最小距离带）</translation>
    </message>
    <message>
      <source>Moran's I by weights</source>
      <translation>各空间权重下的莫兰指数</translation>
    </message>
    <message>
      <source>{weights}: I = {i:.4f} (E[I] {e:.4f}), z = {z:.3f}, pseudo p = {p}, {islands} island(s), {mean:.2f} neighbours on average.</source>
      <translation>{weights}：I = {i:.4f}（E[I] {e:.4f}），z = {z:.3f}，伪 p = {p}，孤立单元 {islands} 个，平均 {mean:.2f} 个邻居。</translation>
    </message>
    <message>
      <source>“{value}” is not a list of whole numbers; expected e.g. 4,6,8.</source>
      <translation>“{value}”不是整数列表；应为如 4,6,8。</translation>
    </message>
    <message>
      <source>Units and regions</source>
      <translation>行政单元与区域组织</translation>
    </message>
    <message>
      <source>Corridors and enclaves</source>
      <translation>走廊与飞地</translation>
    </message>
    <message>
      <source>Networks and accessibility</source>
      <translation>交通网络与可达性</translation>
    </message>
    <message>
      <source>Spatial statistics</source>
      <translation>空间统计</translation>
    </message>
    <message>
      <source>Site ranking</source>
      <translation>选址排序</translation>
    </message>
    <message>
      <source>Plan maps</source>
      <translation>规划图件</translation>
    </message>
    <message>
      <source>Province</source>
      <translation>省级</translation>
    </message>
    <message>
      <source>City (prefecture level)</source>
      <translation>地级市</translation>
    </message>
    <message>
      <source>County level</source>
      <translation>县级</translation>
    </message>
    <message>
      <source>One click: Plugins → YRD Geo / 长三角 → Install Python dependencies… installs them into your QGIS profile with QGIS's own Python (QGIS's numpy and GDAL stay as they are); or by hand:</source>
      <translation>一键安装：插件 → YRD Geo / 长三角 → 安装 Python 依赖…，用 QGIS 自带的 Python 安装到你的 QGIS 配置文件夹中（QGIS 的 numpy 和 GDAL 保持不变）；或手动安装：</translation>
    </message>
    <message>
      <source>yrdgeo could not use the input: {message}</source>
      <translation>yrdgeo 无法使用该输入：{message}</translation>
    </message>
    <message>
      <source>The CRS of the output layers. Empty: the CRS of the first input layer given; EPSG:4326 when the algorithm has no input layer. The analysis itself always measures in EPSG:4326/4549; only the written layers are reprojected.</source>
      <translation>输出图层的坐标参考系。留空：所给第一个输入图层的坐标参考系；算法没有输入图层时为 EPSG:4326。分析本身始终在 EPSG:4326/4549 中量算；只对写出的图层重投影。</translation>
    </message>
    <message>
      <source>This algorithm needs the Python package(s) {missing}, which QGIS's Python cannot import. Install the plugin's requirements into QGIS's Python without upgrading numpy past 1.x — Windows (OSGeo4W Shell) and macOS: python -m pip install "numpy&lt;2" -r "{requirements}"; Debian 12 / Ubuntu (system Python, PEP 668; needs the package python3-pip): python3 -m pip install --user --break-system-packages "numpy&lt;2" -r "{requirements}" (--break-system-packages only lifts Debian's guard for this command; --user keeps the files out of /usr, in your home folder, where they take precedence over Debian's python3-* packages for your user) — then restart QGIS. Step-by-step instructions: {homepage}</source>
      <translation>此算法需要 Python 包 {missing}，但 QGIS 的 Python 无法导入。请将插件依赖安装到 QGIS 的 Python 中，且不要把 numpy 升级到 2.x——Windows（OSGeo4W Shell）和 macOS：python -m pip install "numpy&lt;2" -r "{requirements}"；Debian 12 / Ubuntu（系统 Python，受 PEP 668 保护；需安装 python3-pip 软件包）：python3 -m pip install --user --break-system-packages "numpy&lt;2" -r "{requirements}"（--break-system-packages 只是对这条命令解除 Debian 的保护；--user 把文件装在主目录而非 /usr 下，对你的用户会优先于 Debian 的 python3-* 软件包）——然后重启 QGIS。详细步骤：{homepage}</translation>
    </message>
    <message>
      <source>The yrdgeo library itself is missing: install the plugin from the zip built by tools/build_plugin_zip.py (it carries yrdgeo in ext/), or install yrdgeo from its checkout into QGIS's Python. Step-by-step instructions: {homepage}</source>
      <translation>缺少 yrdgeo 库本身：请用 tools/build_plugin_zip.py 生成的 zip 安装插件（其 ext/ 中带有 yrdgeo），或从源码目录把 yrdgeo 安装到 QGIS 的 Python 中。详细步骤：{homepage}</translation>
    </message>
    <message>
      <source>Give both dates, e.g. 2010-01-01 and 2020-01-01.</source>
      <translation>请给出两个日期，如 2010-01-01 和 2020-01-01。</translation>
    </message>
    <message>
      <source>Output CRS (empty: the input's)</source>
      <translation>输出坐标参考系（留空：与输入相同）</translation>
    </message>
    <message>
      <source>The field “{field}” does not exist in the input layer; its fields are: {names}.</source>
      <translation>输入图层中不存在字段“{field}”；现有字段：{names}。</translation>
    </message>
    <message>
      <source>The field “{field}” is of type {kind}; expected a numeric field.</source>
      <translation>字段“{field}”的类型为 {kind}；需要数值字段。</translation>
    </message>
    <message>
      <source>“{value}” is not a list of positive numbers separated by commas; expected e.g. {example}.</source>
      <translation>“{value}”不是逗号分隔的正数列表；应如 {example}。</translation>
    </message>
    <message>
      <source>The earlier date {first} = {a} is not before the later date {second} = {b}; swap them (the change is measured from {first} to {second}).</source>
      <translation>较早日期 {first} = {a} 并不早于较晚日期 {second} = {b}；请交换两者（变化按从 {first} 到 {second} 计算）。</translation>
    </message>
    <message>
      <source>set {name} to “{label}”</source>
      <translation>将 {name} 设为“{label}”</translation>
    </message>
    <message>
      <source>set {name}</source>
      <translation>设置 {name}</translation>
    </message>
    <message>
      <source>“{value}” is not a date; expected YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2018-06-01.</source>
      <translation>“{value}”不是日期；应为 YYYY-MM-DD（或 YYYY-MM、YYYY），如 2018-06-01。</translation>
    </message>
    <message>
      <source>{alg} stopped on an unexpected error ({kind}: {message}); no output was written. Please report it with the log: {homepage}</source>
      <translation>{alg} 因意外错误停止（{kind}：{message}）；未写出任何结果。请附上日志报告此问题：{homepage}</translation>
    </message>
    <message>
      <source>The run was cancelled; no output was written.</source>
      <translation>运行已取消；未写出任何结果。</translation>
    </message>
    <message>
      <source>Parameters {names}: {message}</source>
      <translation>参数 {names}：{message}</translation>
    </message>
    <message>
      <source>Parameter {names}: {message}</source>
      <translation>参数 {names}：{message}</translation>
    </message>
    <message>
      <source>Cannot write mixed geometry types {} to one layer.</source>
      <translation>无法将混合几何类型 {} 写入同一图层。</translation>
    </message>
    <message>
      <source>Could not open the input layer “{}”.</source>
      <translation>无法打开输入图层“{}”。</translation>
    </message>
    <message>
      <source>The input layer “{layer}” has no field {fields}; its fields are: {names}.</source>
      <translation>输入图层“{layer}”没有字段 {fields}；现有字段：{names}。</translation>
    </message>
    <message>
      <source>The input layer “{}” has no coordinate reference system; set one in the layer properties.</source>
      <translation>输入图层“{}”没有坐标参考系；请在图层属性中设置。</translation>
    </message>
    <message>
      <source>Transforming “{layer}” from {src} to {dst} for the analysis.</source>
      <translation>为分析将“{layer}”从 {src} 转换到 {dst}。</translation>
    </message>
    <message>
      <source>Could not transform “{layer}” to {dst}: {err}</source>
      <translation>无法将“{layer}”转换到 {dst}：{err}</translation>
    </message>
    <message>
      <source>the features were not accepted</source>
      <translation>要素未被接受</translation>
    </message>
    <message>
      <source>Could not write this output: {error}. No output of this run was kept: the files it had created were removed and files it was replacing were put back.</source>
      <translation>无法写出此输出：{error}。本次运行的输出均未保留：已删除本次运行创建的文件，并恢复了原本将被替换的文件。</translation>
    </message>
    <message>
      <source>{path} is a folder; give this output a file name.</source>
      <translation>{path} 是文件夹；请为此输出指定文件名。</translation>
    </message>
    <message>
      <source>{name} and {other} would both write the file {path}, and one would replace the other; give each output its own file.</source>
      <translation>{name} 与 {other} 会写入同一个文件 {path}，一个会覆盖另一个；请为每个输出指定各自的文件。</translation>
    </message>
    <message>
      <source>{path} is the file of the input {input}; an output never replaces an input — choose another file.</source>
      <translation>{path} 是输入 {input} 的文件；输出绝不替换输入——请另选文件。</translation>
    </message>
    <message>
      <source>YRD Geo / 长三角: Python dependencies</source>
      <translation>YRD Geo / 长三角：Python 依赖</translation>
    </message>
    <message>
      <source>Check the dependencies when QGIS starts</source>
      <translation>QGIS 启动时检查依赖</translation>
    </message>
    <message>
      <source>Install</source>
      <translation>安装</translation>
    </message>
    <message>
      <source>All Python packages the plugin needs are installed.</source>
      <translation>插件所需的 Python 包均已安装。</translation>
    </message>
    <message>
      <source>QGIS's profile folder is unknown.</source>
      <translation>无法确定 QGIS 配置文件夹。</translation>
    </message>
    <message>
      <source>The dependencies cannot be installed from here: {error}. The manual steps are in the plugin's documentation (docs/qgis.md).</source>
      <translation>无法在此安装依赖：{error}。手动步骤见插件文档（docs/qgis.md）。</translation>
    </message>
    <message>
      <source>The plugin needs these Python packages, which QGIS's Python does not have (or has at another version): {missing}.</source>
      <translation>插件需要以下 Python 包，QGIS 的 Python 中没有（或版本不符）：{missing}。</translation>
    </message>
    <message>
      <source>Installing into {folder} …</source>
      <translation>正在安装到 {folder} …</translation>
    </message>
    <message>
      <source>Installed; the packages are moved into place when QGIS restarts. Please restart QGIS.</source>
      <translation>已安装；QGIS 重启时这些包会移到位。请重启 QGIS。</translation>
    </message>
    <message>
      <source>“Install” runs pip with QGIS's own Python ({python}) and puts the packages in a folder the plugin owns inside your QGIS profile: {folder}. QGIS's own numpy ({numpy}) and GDAL are kept as they are. Downloading takes a minute or two.</source>
      <translation>“安装”用 QGIS 自带的 Python（{python}）运行 pip，把这些包放在插件在你的 QGIS 配置中专用的文件夹：{folder}。QGIS 自带的 numpy（{numpy}）和 GDAL 保持不变。下载需要一两分钟。</translation>
    </message>
    <message>
      <source>Manual fallback (a terminal), with a file constraints.txt holding {constraints}: {command}</source>
      <translation>手动备用方法（终端），constraints.txt 文件内容为 {constraints}：{command}</translation>
    </message>
    <message>
      <source>Done. The packages are in {folder}. Restart QGIS so that every algorithm uses them.</source>
      <translation>完成。这些包在 {folder} 中。请重启 QGIS，使所有算法都能使用它们。</translation>
    </message>
    <message>
      <source>none found</source>
      <translation>未找到</translation>
    </message>
    <message>
      <source>pip failed (exit code {code}); nothing was changed. The whole log is above and in {log}.</source>
      <translation>pip 运行失败（退出码 {code}）；未做任何更改。完整日志见上方及 {log}。</translation>
    </message>
    <message>
      <source>A4 landscape</source>
      <translation>A4 横向</translation>
    </message>
    <message>
      <source>A4 portrait</source>
      <translation>A4 纵向</translation>
    </message>
    <message>
      <source>A3 landscape</source>
      <translation>A3 横向</translation>
    </message>
    <message>
      <source>QGIS's north-arrow SVG (arrows/NorthArrow_02.svg) was not found.</source>
      <translation>未找到 QGIS 指北针 SVG（arrows/NorthArrow_02.svg）。</translation>
    </message>
    <message>
      <source>The font “{}” is not installed; Chinese labels would not render. Install Noto Sans CJK (Debian: fonts-noto-cjk).</source>
      <translation>未安装字体“{}”，中文标注将无法显示。请安装 Noto Sans CJK（Debian：fonts-noto-cjk）。</translation>
    </message>
    <message>
      <source>The layout “{}” could not be added to the project.</source>
      <translation>布局“{}”无法加入工程。</translation>
    </message>
    <message>
      <source>The layout export to {} failed ({}).</source>
      <translation>布局导出到 {} 失败（{}）。</translation>
    </message>
    <message>
      <source>Install Python dependencies…</source>
      <translation>安装 Python 依赖…</translation>
    </message>
  </context>
</TS>

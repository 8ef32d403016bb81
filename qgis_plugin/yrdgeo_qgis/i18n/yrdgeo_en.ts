<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>YrdGeo</name>
    <message>
      <source>Table of units, one numeric field per sector (any layer or table)</source>
      <translation>Table of units, one numeric field per sector (any layer or table)</translation>
    </message>
    <message>
      <source>Sector fields (at least 2; not a total such as 地区生产总值)</source>
      <translation>Sector fields (at least 2; not a total such as 地区生产总值)</translation>
    </message>
    <message>
      <source>Unit field: adcode or name (empty: found by its name)</source>
      <translation>Unit field: adcode or name (empty: found by its name)</translation>
    </message>
    <message>
      <source>sector table</source>
      <translation>sector table</translation>
    </message>
    <message>
      <source>Units (polygons or points; empty: the 41 cities)</source>
      <translation>Units (polygons or points; empty: the 41 cities)</translation>
    </message>
    <message>
      <source>Your network lines (empty: the bundled YRD intercity network)</source>
      <translation>Your network lines (empty: the bundled YRD intercity network)</translation>
    </message>
    <message>
      <source>Speed field in km/h</source>
      <translation>Speed field in km/h</translation>
    </message>
    <message>
      <source>Travel-time field in minutes (wins over speed)</source>
      <translation>Travel-time field in minutes (wins over speed)</translation>
    </message>
    <message>
      <source>Speed where the line has none (km/h)</source>
      <translation>Speed where the line has none (km/h)</translation>
    </message>
    <message>
      <source>Join line ends (and shared vertices) closer than (m)</source>
      <translation>Join line ends (and shared vertices) closer than (m)</translation>
    </message>
    <message>
      <source>Where your lines join</source>
      <translation>Where your lines join</translation>
    </message>
    <message>
      <source>At shared vertices and line ends (as QGIS network analysis and QNEAT3)</source>
      <translation>At shared vertices and line ends (as QGIS network analysis and QNEAT3)</translation>
    </message>
    <message>
      <source>Also where lines cross or end on another line, without a vertex there</source>
      <translation>Also where lines cross or end on another line, without a vertex there</translation>
    </message>
    <message>
      <source>Only at line ends (a layer already split at its junctions)</source>
      <translation>Only at line ends (a layer already split at its junctions)</translation>
    </message>
    <message>
      <source>Level field (bridge/tunnel/ground, z-level): lines join inside only at one level</source>
      <translation>Level field (bridge/tunnel/ground, z-level): lines join inside only at one level</translation>
    </message>
    <message>
      <source>Access speed to the network (km/h)</source>
      <translation>Access speed to the network (km/h)</translation>
    </message>
    <message>
      <source>Network nodes an anchor may use to join the network</source>
      <translation>Network nodes an anchor may use to join the network</translation>
    </message>
    <message>
      <source>Where a polygon without anchor columns joins the network</source>
      <translation>Where a polygon without anchor columns joins the network</translation>
    </message>
    <message>
      <source>Its seat of government (bundled, by adcode); stop if it has none</source>
      <translation>Its seat of government (bundled, by adcode); stop if it has none</translation>
    </message>
    <message>
      <source>A point inside the polygon (representative point)</source>
      <translation>A point inside the polygon (representative point)</translation>
    </message>
    <message>
      <source>Where lines of your layer become junctions. Shared vertices (default): every vertex two lines share (within the snapping distance) and every line end. Crossings: also where lines cross or one ends on another's segment, without a vertex there; a road layer's crossings are often bridges, so give a level field. Line ends only: the layer is already split at its junctions.</source>
      <translation>Where lines of your layer become junctions. Shared vertices (default): every vertex two lines share (within the snapping distance) and every line end. Crossings: also where lines cross or one ends on another's segment, without a vertex there; a road layer's crossings are often bridges, so give a level field. Line ends only: the layer is already split at its junctions.</translation>
    </message>
    <message>
      <source>A field with each line's level (e.g. 1 bridge, 0 ground, -1 tunnel, or a z-level). Where the inside of two lines meets (a shared vertex, a crossing), they join only when their levels are equal, so a bridge over a road is not a junction; line ends join whatever their levels (a ramp). Empty cells are one level of their own.</source>
      <translation>A field with each line's level (e.g. 1 bridge, 0 ground, -1 tunnel, or a z-level). Where the inside of two lines meets (a shared vertex, a crossing), they join only when their levels are equal, so a bridge over a road is not a junction; line ends join whatever their levels (a ramp). Empty cells are one level of their own.</translation>
    </message>
    <message>
      <source>Network as open on date (YYYY-MM-DD; empty: all links)</source>
      <translation>Network as open on date (YYYY-MM-DD; empty: all links)</translation>
    </message>
    <message>
      <source>Speed of the access leg: the straight line from each unit's anchor (seat of government, or the point) to the network, and from the network to the destination. 30 km/h (default) stands for local roads; the leg is a large part of the time where the anchor is far from a node.</source>
      <translation>Speed of the access leg: the straight line from each unit's anchor (seat of government, or the point) to the network, and from the network to the destination. 30 km/h (default) stands for local roads; the leg is a large part of the time where the anchor is far from a node.</translation>
    </message>
    <message>
      <source>How many of the nearest network nodes each anchor may join (1, the default, is the nearest only). More nodes let an anchor reach a farther node in a straight line across anything, water included.</source>
      <translation>How many of the nearest network nodes each anchor may join (1, the default, is the nearest only). More nodes let an anchor reach a farther node in a straight line across anything, water included.</translation>
    </message>
    <message>
      <source>Units join the network at their seat of government (columns anchor_lon/anchor_lat; the bundled units have them) or, for points, at the point. For polygons without those columns: the bundled seat of each unit's adcode (default; the run stops when an adcode has none), or a point inside each polygon — often tens of km from the seat, which adds that distance at the access speed to every trip.</source>
      <translation>Units join the network at their seat of government (columns anchor_lon/anchor_lat; the bundled units have them) or, for points, at the point. For polygons without those columns: the bundled seat of each unit's adcode (default; the run stops when an adcode has none), or a point inside each polygon — often tens of km from the seat, which adds that distance at the access speed to every trip.</translation>
    </message>
    <message>
      <source>No units layer given: using the 41 cities (joined at their seats of government).</source>
      <translation>No units layer given: using the 41 cities (joined at their seats of government).</translation>
    </message>
    <message>
      <source>Access leg: straight line from each anchor to its {nodes} nearest network node(s) at {speed:g} km/h (ACCESS_SPEED_KMH = {speed:g}, ACCESS_NODES = {nodes}).</source>
      <translation>Access leg: straight line from each anchor to its {nodes} nearest network node(s) at {speed:g} km/h (ACCESS_SPEED_KMH = {speed:g}, ACCESS_NODES = {nodes}).</translation>
    </message>
    <message>
      <source>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network at the bundled seat of government of its adcode (ANCHORS); the output carries those anchor columns.</source>
      <translation>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network at the bundled seat of government of its adcode (ANCHORS); the output carries those anchor columns.</translation>
    </message>
    <message>
      <source>Access legs: median {median:.1f} km, longest {longest:.1f} km ({unit}), i.e. {minutes:.0f} min at {speed:g} km/h.</source>
      <translation>Access legs: median {median:.1f} km, longest {longest:.1f} km ({unit}), i.e. {minutes:.0f} min at {speed:g} km/h.</translation>
    </message>
    <message>
      <source>Your lines join {where} (NODING){level}.</source>
      <translation>Your lines join {where} (NODING){level}.</translation>
    </message>
    <message>
      <source>Network from your lines: {n} nodes, {m} links.</source>
      <translation>Network from your lines: {n} nodes, {m} links.</translation>
    </message>
    <message>
      <source>“{layer}” ({name}): each unit joins the network at its anchor_lon/anchor_lat.</source>
      <translation>“{layer}” ({name}): each unit joins the network at its anchor_lon/anchor_lat.</translation>
    </message>
    <message>
      <source>“{layer}” ({name}): each point joins the network where it is.</source>
      <translation>“{layer}” ({name}): each point joins the network where it is.</translation>
    </message>
    <message>
      <source>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network from a point inside its polygon (representative point, ANCHORS), not from its seat of government; times include that access leg at the access speed.</source>
      <translation>“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network from a point inside its polygon (representative point, ANCHORS), not from its seat of government; times include that access leg at the access speed.</translation>
    </message>
    <message>
      <source>Bundled YRD intercity network{}: {n} nodes, {m} links.</source>
      <translation>Bundled YRD intercity network{}: {n} nodes, {m} links.</translation>
    </message>
    <message>
      <source>The access speed must be more than 0 km/h, got {value}.</source>
      <translation>The access speed must be more than 0 km/h, got {value}.</translation>
    </message>
    <message>
      <source>At least 1 network node is needed, got {value}.</source>
      <translation>At least 1 network node is needed, got {value}.</translation>
    </message>
    <message>
      <source>at shared vertices and line ends</source>
      <translation>at shared vertices and line ends</translation>
    </message>
    <message>
      <source>at shared vertices, crossings and line ends</source>
      <translation>at shared vertices, crossings and line ends</translation>
    </message>
    <message>
      <source>only at line ends</source>
      <translation>only at line ends</translation>
    </message>
    <message>
      <source>{error}. Or set ANCHORS to “A point inside the polygon” to join each unit from a point inside its polygon.</source>
      <translation>{error}. Or set ANCHORS to “A point inside the polygon” to join each unit from a point inside its polygon.</translation>
    </message>
    <message>
      <source>, inside only at equal levels of “{field}”</source>
      <translation>, inside only at equal levels of “{field}”</translation>
    </message>
    <message>
      <source>Spatial weights</source>
      <translation>Spatial weights</translation>
    </message>
    <message>
      <source>Queen contiguity</source>
      <translation>Queen contiguity</translation>
    </message>
    <message>
      <source>Rook contiguity</source>
      <translation>Rook contiguity</translation>
    </message>
    <message>
      <source>k nearest neighbours</source>
      <translation>k nearest neighbours</translation>
    </message>
    <message>
      <source>Distance band</source>
      <translation>Distance band</translation>
    </message>
    <message>
      <source>Inverse distance</source>
      <translation>Inverse distance</translation>
    </message>
    <message>
      <source>Adaptive kernel</source>
      <translation>Adaptive kernel</translation>
    </message>
    <message>
      <source>Neighbours k (k nearest, kernel)</source>
      <translation>Neighbours k (k nearest, kernel)</translation>
    </message>
    <message>
      <source>Distance threshold in km (distance band, inverse distance)</source>
      <translation>Distance threshold in km (distance band, inverse distance)</translation>
    </message>
    <message>
      <source>Contiguity tolerance in km (0: shared boundary only)</source>
      <translation>Contiguity tolerance in km (0: shared boundary only)</translation>
    </message>
    <message>
      <source>Units without neighbours</source>
      <translation>Units without neighbours</translation>
    </message>
    <message>
      <source>Stop with an error (inspect first)</source>
      <translation>Stop with an error (inspect first)</translation>
    </message>
    <message>
      <source>Attach to nearest units</source>
      <translation>Attach to nearest units</translation>
    </message>
    <message>
      <source>Leave out (isolated)</source>
      <translation>Leave out (isolated)</translation>
    </message>
    <message>
      <source>Nearest units attached to each island</source>
      <translation>Nearest units attached to each island</translation>
    </message>
    <message>
      <source>Permutations</source>
      <translation>Permutations</translation>
    </message>
    <message>
      <source>Random seed (empty: not reproducible)</source>
      <translation>Random seed (empty: not reproducible)</translation>
    </message>
    <message>
      <source>Missing values</source>
      <translation>Missing values</translation>
    </message>
    <message>
      <source>Stop with an error</source>
      <translation>Stop with an error</translation>
    </message>
    <message>
      <source>Leave those units out</source>
      <translation>Leave those units out</translation>
    </message>
    <message>
      <source>Significance level</source>
      <translation>Significance level</translation>
    </message>
    <message>
      <source>Multiple-testing correction</source>
      <translation>Multiple-testing correction</translation>
    </message>
    <message>
      <source>None</source>
      <translation>None</translation>
    </message>
    <message>
      <source>Bonferroni</source>
      <translation>Bonferroni</translation>
    </message>
    <message>
      <source>False discovery rate (FDR)</source>
      <translation>False discovery rate (FDR)</translation>
    </message>
    <message>
      <source>Units without neighbours: {}; policy: {}.</source>
      <translation>Units without neighbours: {}; policy: {}.</translation>
    </message>
    <message>
      <source>Accessibility indicators</source>
      <translation>Accessibility indicators</translation>
    </message>
    <message>
      <source>Opportunities field (population, jobs…; empty: each unit counts 1)</source>
      <translation>Opportunities field (population, jobs…; empty: each unit counts 1)</translation>
    </message>
    <message>
      <source>Centre (name or adcode)</source>
      <translation>Centre (name or adcode)</translation>
    </message>
    <message>
      <source>Cumulative-opportunity thresholds (minutes, comma-separated)</source>
      <translation>Cumulative-opportunity thresholds (minutes, comma-separated)</translation>
    </message>
    <message>
      <source>Hansen decay</source>
      <translation>Hansen decay</translation>
    </message>
    <message>
      <source>Exponential (half-life)</source>
      <translation>Exponential (half-life)</translation>
    </message>
    <message>
      <source>Power</source>
      <translation>Power</translation>
    </message>
    <message>
      <source>Half-life (minutes)</source>
      <translation>Half-life (minutes)</translation>
    </message>
    <message>
      <source>Power exponent</source>
      <translation>Power exponent</translation>
    </message>
    <message>
      <source>Accessibility</source>
      <translation>Accessibility</translation>
    </message>
    <message>
      <source>Centre {centre}; decay {decay}.</source>
      <translation>Centre {centre}; decay {decay}.</translation>
    </message>
    <message>
      <source>Accessibility change between two dates</source>
      <translation>Accessibility change between two dates</translation>
    </message>
    <message>
      <source>Earlier date (YYYY-MM-DD)</source>
      <translation>Earlier date (YYYY-MM-DD)</translation>
    </message>
    <message>
      <source>Later date (YYYY-MM-DD)</source>
      <translation>Later date (YYYY-MM-DD)</translation>
    </message>
    <message>
      <source>Travel-time change</source>
      <translation>Travel-time change</translation>
    </message>
    <message>
      <source>Travel time to {centre} on {before} and on {after}.</source>
      <translation>Travel time to {centre} on {before} and on {after}.</translation>
    </message>
    <message>
      <source>Largest gains: {}</source>
      <translation>Largest gains: {}</translation>
    </message>
    <message>
      <source>Spatial autocorrelation change between two years</source>
      <translation>Spatial autocorrelation change between two years</translation>
    </message>
    <message>
      <source>Units (polygons)</source>
      <translation>Units (polygons)</translation>
    </message>
    <message>
      <source>Field of the earlier year</source>
      <translation>Field of the earlier year</translation>
    </message>
    <message>
      <source>Field of the later year</source>
      <translation>Field of the later year</translation>
    </message>
    <message>
      <source>LISA of both years and of the change</source>
      <translation>LISA of both years and of the change</translation>
    </message>
    <message>
      <source>Cluster transitions (earlier → later)</source>
      <translation>Cluster transitions (earlier → later)</translation>
    </message>
    <message>
      <source>Moran's I, earlier year</source>
      <translation>Moran's I, earlier year</translation>
    </message>
    <message>
      <source>Moran's I, later year</source>
      <translation>Moran's I, later year</translation>
    </message>
    <message>
      <source>Moran's I of the change</source>
      <translation>Moran's I of the change</translation>
    </message>
    <message>
      <source>Space-time bivariate Moran's I</source>
      <translation>Space-time bivariate Moran's I</translation>
    </message>
    <message>
      <source>Moran's I {before} = {a:.4f}, {after} = {b:.4f}, change = {c:.4f}.</source>
      <translation>Moran's I {before} = {a:.4f}, {after} = {b:.4f}, change = {c:.4f}.</translation>
    </message>
    <message>
      <source>The earlier and the later year are the same field “{field}”; choose the field of each year.</source>
      <translation>The earlier and the later year are the same field “{field}”; choose the field of each year.</translation>
    </message>
    <message>
      <source>Build fly-in candidates</source>
      <translation>Build fly-in candidates</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>Level</translation>
    </message>
    <message>
      <source>Region group id or series (e.g. g60, yrd_city_cluster_2016; empty: none)</source>
      <translation>Region group id or series (e.g. g60, yrd_city_cluster_2016; empty: none)</translation>
    </message>
    <message>
      <source>Group membership as of date (YYYY-MM-DD; needed for a series)</source>
      <translation>Group membership as of date (YYYY-MM-DD; needed for a series)</translation>
    </message>
    <message>
      <source>Your attribute table (joined by adcode)</source>
      <translation>Your attribute table (joined by adcode)</translation>
    </message>
    <message>
      <source>Columns to join (empty: all)</source>
      <translation>Columns to join (empty: all)</translation>
    </message>
    <message>
      <source>Join column of the table</source>
      <translation>Join column of the table</translation>
    </message>
    <message>
      <source>Zonal statistics of the bundled DEM sample</source>
      <translation>Zonal statistics of the bundled DEM sample</translation>
    </message>
    <message>
      <source>Raster statistics</source>
      <translation>Raster statistics</translation>
    </message>
    <message>
      <source>Count of cells</source>
      <translation>Count of cells</translation>
    </message>
    <message>
      <source>Mean</source>
      <translation>Mean</translation>
    </message>
    <message>
      <source>Minimum</source>
      <translation>Minimum</translation>
    </message>
    <message>
      <source>Maximum</source>
      <translation>Maximum</translation>
    </message>
    <message>
      <source>Standard deviation</source>
      <translation>Standard deviation</translation>
    </message>
    <message>
      <source>Median</source>
      <translation>Median</translation>
    </message>
    <message>
      <source>Sum</source>
      <translation>Sum</translation>
    </message>
    <message>
      <source>Prefix of the raster columns</source>
      <translation>Prefix of the raster columns</translation>
    </message>
    <message>
      <source>Lines to measure the distance to (e.g. a corridor centreline; any CRS)</source>
      <translation>Lines to measure the distance to (e.g. a corridor centreline; any CRS)</translation>
    </message>
    <message>
      <source>Candidates</source>
      <translation>Candidates</translation>
    </message>
    <message>
      <source>Or your raster</source>
      <translation>Or your raster</translation>
    </message>
    <message>
      <source>{n} candidates with columns: {cols}.</source>
      <translation>{n} candidates with columns: {cols}.</translation>
    </message>
    <message>
      <source>The table has no column “{on}” to join on; its columns are: {names}.</source>
      <translation>The table has no column “{on}” to join on; its columns are: {names}.</translation>
    </message>
    <message>
      <source>Core–periphery rings</source>
      <translation>Core–periphery rings</translation>
    </message>
    <message>
      <source>Centre unit (its seat of government), name or adcode</source>
      <translation>Centre unit (its seat of government), name or adcode</translation>
    </message>
    <message>
      <source>Upper bounds of the rings, increasing (km, or the field's unit)</source>
      <translation>Upper bounds of the rings, increasing (km, or the field's unit)</translation>
    </message>
    <message>
      <source>Units</source>
      <translation>Units</translation>
    </message>
    <message>
      <source>Table with a travel-time field (optional; empty: geodesic seat distance)</source>
      <translation>Table with a travel-time field (optional; empty: geodesic seat distance)</translation>
    </message>
    <message>
      <source>Travel-time (or other) field of the table the rings are bands of</source>
      <translation>Travel-time (or other) field of the table the rings are bands of</translation>
    </message>
    <message>
      <source>Unit field of the table: adcode or name (empty: found by its name)</source>
      <translation>Unit field of the table: adcode or name (empty: found by its name)</translation>
    </message>
    <message>
      <source>Ring labels, comma-separated (default 内圈,中圈,外圈 for three rings)</source>
      <translation>Ring labels, comma-separated (default 内圈,中圈,外圈 for three rings)</translation>
    </message>
    <message>
      <source>Units with their ring and the paper's layer</source>
      <translation>Units with their ring and the paper's layer</translation>
    </message>
    <message>
      <source>Rings around {centre} by {by}: {counts}.</source>
      <translation>Rings around {centre} by {by}: {counts}.</translation>
    </message>
    <message>
      <source>paper_layer: the layer {paper} names the unit (or its city) in: layers of industrial function, not of distance.</source>
      <translation>paper_layer: the layer {paper} names the unit (or its city) in: layers of industrial function, not of distance.</translation>
    </message>
    <message>
      <source>Choose the table's field the rings are bands of, or leave TABLE empty for seat distance.</source>
      <translation>Choose the table's field the rings are bands of, or leave TABLE empty for seat distance.</translation>
    </message>
    <message>
      <source>A field needs its table: give TABLE, or leave BY empty for seat distance.</source>
      <translation>A field needs its table: give TABLE, or leave BY empty for seat distance.</translation>
    </message>
    <message>
      <source>travel-time table</source>
      <translation>travel-time table</translation>
    </message>
    <message>
      <source>Corridor, wings and band</source>
      <translation>Corridor, wings and band</translation>
    </message>
    <message>
      <source>Bundled corridor (g60, hu_ning_he, hu_hang_yong or its name)</source>
      <translation>Bundled corridor (g60, hu_ning_he, hu_hang_yong or its name)</translation>
    </message>
    <message>
      <source>Or your corridor file (CSV: wing, order, unit_zh or adcode)</source>
      <translation>Or your corridor file (CSV: wing, order, unit_zh or adcode)</translation>
    </message>
    <message>
      <source>Version (e.g. 2.0; empty: the latest)</source>
      <translation>Version (e.g. 2.0; empty: the latest)</translation>
    </message>
    <message>
      <source>Or as of date (YYYY-MM-DD)</source>
      <translation>Or as of date (YYYY-MM-DD)</translation>
    </message>
    <message>
      <source>Band width on each side (km)</source>
      <translation>Band width on each side (km)</translation>
    </message>
    <message>
      <source>Units to test against the band</source>
      <translation>Units to test against the band</translation>
    </message>
    <message>
      <source>Do not test units</source>
      <translation>Do not test units</translation>
    </message>
    <message>
      <source>Or your own units layer (any CRS)</source>
      <translation>Or your own units layer (any CRS)</translation>
    </message>
    <message>
      <source>Corridor members</source>
      <translation>Corridor members</translation>
    </message>
    <message>
      <source>Wing centrelines</source>
      <translation>Wing centrelines</translation>
    </message>
    <message>
      <source>Corridor bands</source>
      <translation>Corridor bands</translation>
    </message>
    <message>
      <source>Wings</source>
      <translation>Wings</translation>
    </message>
    <message>
      <source>Units near the corridor</source>
      <translation>Units near the corridor</translation>
    </message>
    <message>
      <source>Wing summary</source>
      <translation>Wing summary</translation>
    </message>
    <message>
      <source>{name}: hub {hub}, wings {wings}; band {w} km on each side.</source>
      <translation>{name}: hub {hub}, wings {wings}; band {w} km on each side.</translation>
    </message>
    <message>
      <source>VERSION and AS_OF apply to bundled corridors, not to a file.</source>
      <translation>VERSION and AS_OF apply to bundled corridors, not to a file.</translation>
    </message>
    <message>
      <source>Name a bundled corridor or give a corridor file.</source>
      <translation>Name a bundled corridor or give a corridor file.</translation>
    </message>
    <message>
      <source>Coupling coordination degree</source>
      <translation>Coupling coordination degree</translation>
    </message>
    <message>
      <source>Table of units (any layer or table)</source>
      <translation>Table of units (any layer or table)</translation>
    </message>
    <message>
      <source>Subsystem 1: its criteria fields (or its index field)</source>
      <translation>Subsystem 1: its criteria fields (or its index field)</translation>
    </message>
    <message>
      <source>Subsystem 2: its criteria fields (or its index field)</source>
      <translation>Subsystem 2: its criteria fields (or its index field)</translation>
    </message>
    <message>
      <source>Subsystem 3 (optional): its criteria fields (or its index field)</source>
      <translation>Subsystem 3 (optional): its criteria fields (or its index field)</translation>
    </message>
    <message>
      <source>Compute each subsystem's index by the entropy method (off: each subsystem is one field already in [0, 1])</source>
      <translation>Compute each subsystem's index by the entropy method (off: each subsystem is one field already in [0, 1])</translation>
    </message>
    <message>
      <source>Cost criteria (smaller is better) among the fields above</source>
      <translation>Cost criteria (smaller is better) among the fields above</translation>
    </message>
    <message>
      <source>Subsystem names, comma-separated (default system1,system2[,system3])</source>
      <translation>Subsystem names, comma-separated (default system1,system2[,system3])</translation>
    </message>
    <message>
      <source>Weights α,β[,γ] of T, summing to 1 (default equal)</source>
      <translation>Weights α,β[,γ] of T, summing to 1 (default equal)</translation>
    </message>
    <message>
      <source>Coupling coordination (U, C, T, D, grade)</source>
      <translation>Coupling coordination (U, C, T, D, grade)</translation>
    </message>
    <message>
      <source>Coupling coordination of {n} units: {grades}.</source>
      <translation>Coupling coordination of {n} units: {grades}.</translation>
    </message>
    <message>
      <source>Without the entropy method each subsystem is one index field in [0, 1] (and no cost criteria); choose one field per subsystem, or switch the entropy method on.</source>
      <translation>Without the entropy method each subsystem is one index field in [0, 1] (and no cost criteria); choose one field per subsystem, or switch the entropy method on.</translation>
    </message>
    <message>
      <source>table of units</source>
      <translation>table of units</translation>
    </message>
    <message>
      <source>{n} names for {k} subsystems; give one name per subsystem, or none.</source>
      <translation>{n} names for {k} subsystems; give one name per subsystem, or none.</translation>
    </message>
    <message>
      <source>Enclave pairs: ends, desire lines, gradients</source>
      <translation>Enclave pairs: ends, desire lines, gradients</translation>
    </message>
    <message>
      <source>Include the bundled pairs (from the cited papers)</source>
      <translation>Include the bundled pairs (from the cited papers)</translation>
    </message>
    <message>
      <source>Include the cross-border cooperation zones</source>
      <translation>Include the cross-border cooperation zones</translation>
    </message>
    <message>
      <source>Your pairs (CSV/GPKG: fly_out, fly_in, kind)</source>
      <translation>Your pairs (CSV/GPKG: fly_out, fly_in, kind)</translation>
    </message>
    <message>
      <source>Match two-way pairs at</source>
      <translation>Match two-way pairs at</translation>
    </message>
    <message>
      <source>Travel times in minutes (CSV: from_adcode, to_adcode, minutes as the travel-time matrix writes, or a square matrix of origins × destinations)</source>
      <translation>Travel times in minutes (CSV: from_adcode, to_adcode, minutes as the travel-time matrix writes, or a square matrix of origins × destinations)</translation>
    </message>
    <message>
      <source>Attributes per unit (table with an adcode column)</source>
      <translation>Attributes per unit (table with an adcode column)</translation>
    </message>
    <message>
      <source>Attribute columns for gradients (empty: all numeric)</source>
      <translation>Attribute columns for gradients (empty: all numeric)</translation>
    </message>
    <message>
      <source>Look district ends up as</source>
      <translation>Look district ends up as</translation>
    </message>
    <message>
      <source>Themselves</source>
      <translation>Themselves</translation>
    </message>
    <message>
      <source>Their city</source>
      <translation>Their city</translation>
    </message>
    <message>
      <source>Enclave ends</source>
      <translation>Enclave ends</translation>
    </message>
    <message>
      <source>Desire lines</source>
      <translation>Desire lines</translation>
    </message>
    <message>
      <source>Partner network (units)</source>
      <translation>Partner network (units)</translation>
    </message>
    <message>
      <source>{n} pairs ({two} two-way).</source>
      <translation>{n} pairs ({two} two-way).</translation>
    </message>
    <message>
      <source>Entropy-weight composite index</source>
      <translation>Entropy-weight composite index</translation>
    </message>
    <message>
      <source>Criteria fields</source>
      <translation>Criteria fields</translation>
    </message>
    <message>
      <source>Shift of the normalised values in the entropy step (0: 0·ln 0 = 0)</source>
      <translation>Shift of the normalised values in the entropy step (0: 0·ln 0 = 0)</translation>
    </message>
    <message>
      <source>Units with a missing value</source>
      <translation>Units with a missing value</translation>
    </message>
    <message>
      <source>Stop and list them</source>
      <translation>Stop and list them</translation>
    </message>
    <message>
      <source>Year field of a panel, one row per unit-year (global entropy; empty: one row per unit)</source>
      <translation>Year field of a panel, one row per unit-year (global entropy; empty: one row per unit)</translation>
    </message>
    <message>
      <source>Name of the index field</source>
      <translation>Name of the index field</translation>
    </message>
    <message>
      <source>Entropy index</source>
      <translation>Entropy index</translation>
    </message>
    <message>
      <source>Criteria weights (weight, entropy, divergence)</source>
      <translation>Criteria weights (weight, entropy, divergence)</translation>
    </message>
    <message>
      <source>Entropy weights: {weights}.</source>
      <translation>Entropy weights: {weights}.</translation>
    </message>
    <message>
      <source>{n} rows with a missing value were left out (index empty).</source>
      <translation>{n} rows with a missing value were left out (index empty).</translation>
    </message>
    <message>
      <source>The cost fields {fields} are not among the criteria; choose them in CRITERIA too.</source>
      <translation>The cost fields {fields} are not among the criteria; choose them in CRITERIA too.</translation>
    </message>
    <message>
      <source>Export plan map (PDF/PNG/SVG)</source>
      <translation>Export plan map (PDF/PNG/SVG)</translation>
    </message>
    <message>
      <source>Style</source>
      <translation>Style</translation>
    </message>
    <message>
      <source>Numeric field to colour by (empty: keep the layer's style)</source>
      <translation>Numeric field to colour by (empty: keep the layer's style)</translation>
    </message>
    <message>
      <source>Classes</source>
      <translation>Classes</translation>
    </message>
    <message>
      <source>Quantiles</source>
      <translation>Quantiles</translation>
    </message>
    <message>
      <source>Natural breaks (Jenks)</source>
      <translation>Natural breaks (Jenks)</translation>
    </message>
    <message>
      <source>Number of classes</source>
      <translation>Number of classes</translation>
    </message>
    <message>
      <source>Label field (e.g. short_zh)</source>
      <translation>Label field (e.g. short_zh)</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>Title</translation>
    </message>
    <message>
      <source>Source note</source>
      <translation>Source note</translation>
    </message>
    <message>
      <source>Data year (e.g. 2019)</source>
      <translation>Data year (e.g. 2019)</translation>
    </message>
    <message>
      <source>Map approval number (审图号)</source>
      <translation>Map approval number (审图号)</translation>
    </message>
    <message>
      <source>Page</source>
      <translation>Page</translation>
    </message>
    <message>
      <source>Resolution (dpi)</source>
      <translation>Resolution (dpi)</translation>
    </message>
    <message>
      <source>Layer to map</source>
      <translation>Layer to map</translation>
    </message>
    <message>
      <source>Plan map</source>
      <translation>Plan map</translation>
    </message>
    <message>
      <source>PDF files (*.pdf);;PNG files (*.png);;SVG files (*.svg)</source>
      <translation>PDF files (*.pdf);;PNG files (*.png);;SVG files (*.svg)</translation>
    </message>
    <message>
      <source>Layout in the project</source>
      <translation>Layout in the project</translation>
    </message>
    <message>
      <source>Drawing the map in {crs} with the font {font}.</source>
      <translation>Drawing the map in {crs} with the font {font}.</translation>
    </message>
    <message>
      <source>The layout “{}” is in the project: Project → Layout Manager.</source>
      <translation>The layout “{}” is in the project: Project → Layout Manager.</translation>
    </message>
    <message>
      <source>Coloured by {field} in {n} classes ({method}).</source>
      <translation>Coloured by {field} in {n} classes ({method}).</translation>
    </message>
    <message>
      <source>The input layer “{}” has no features; expected at least one.</source>
      <translation>The input layer “{}” has no features; expected at least one.</translation>
    </message>
    <message>
      <source>The map file must end in .pdf, .png or .svg, got “{}”.</source>
      <translation>The map file must end in .pdf, .png or .svg, got “{}”.</translation>
    </message>
    <message>
      <source>The folder {folder} of this output does not exist; create it or choose another file.</source>
      <translation>The folder {folder} of this output does not exist; create it or choose another file.</translation>
    </message>
    <message>
      <source>The layer “{layer}” has no coordinate reference system, so the map's scale bar and projection note would be wrong. Set its CRS (Layer Properties → Source, or Processing “Assign projection”), e.g. EPSG:4326 for longitude/latitude or EPSG:4549 for CGCS2000 Gauss-Krüger metres.</source>
      <translation>The layer “{layer}” has no coordinate reference system, so the map's scale bar and projection note would be wrong. Set its CRS (Layer Properties → Source, or Processing “Assign projection”), e.g. EPSG:4326 for longitude/latitude or EPSG:4549 for CGCS2000 Gauss-Krüger metres.</translation>
    </message>
    <message>
      <source>The layer “{layer}” says {crs} (longitude/latitude degrees) but its coordinates run x {x0:,.0f} … {x1:,.0f}, y {y0:,.0f} … {y1:,.0f}, which are metres of a projected CRS; set the layer's real CRS.</source>
      <translation>The layer “{layer}” says {crs} (longitude/latitude degrees) but its coordinates run x {x0:,.0f} … {x1:,.0f}, y {y0:,.0f} … {y1:,.0f}, which are metres of a projected CRS; set the layer's real CRS.</translation>
    </message>
    <message>
      <source>The field “{}” has no values to classify.</source>
      <translation>The field “{}” has no values to classify.</translation>
    </message>
    <message>
      <source>Could not apply the style {}: {}</source>
      <translation>Could not apply the style {}: {}</translation>
    </message>
    <message>
      <source>Economic linkage (gravity model)</source>
      <translation>Economic linkage (gravity model)</translation>
    </message>
    <message>
      <source>Table of units with population and GDP (any layer or table)</source>
      <translation>Table of units with population and GDP (any layer or table)</translation>
    </message>
    <message>
      <source>Population field (P)</source>
      <translation>Population field (P)</translation>
    </message>
    <message>
      <source>GDP field (G)</source>
      <translation>GDP field (G)</translation>
    </message>
    <message>
      <source>Distance D between units</source>
      <translation>Distance D between units</translation>
    </message>
    <message>
      <source>Seat-to-seat geodesic distance (km)</source>
      <translation>Seat-to-seat geodesic distance (km)</translation>
    </message>
    <message>
      <source>Travel time over the network (minutes)</source>
      <translation>Travel time over the network (minutes)</translation>
    </message>
    <message>
      <source>Distance-decay exponent b</source>
      <translation>Distance-decay exponent b</translation>
    </message>
    <message>
      <source>Gravity constant k</source>
      <translation>Gravity constant k</translation>
    </message>
    <message>
      <source>Desire lines: strongest links drawn (0: every linked pair)</source>
      <translation>Desire lines: strongest links drawn (0: every linked pair)</translation>
    </message>
    <message>
      <source>Linkage pairs (i, j, D, R, F, status)</source>
      <translation>Linkage pairs (i, j, D, R, F, status)</translation>
    </message>
    <message>
      <source>Total linkage per unit</source>
      <translation>Total linkage per unit</translation>
    </message>
    <message>
      <source>Strongest links (desire lines)</source>
      <translation>Strongest links (desire lines)</translation>
    </message>
    <message>
      <source>{n} ordered pairs have no travel time: R and F are empty there (status says why), and they are left out of each unit's total.</source>
      <translation>{n} ordered pairs have no travel time: R and F are empty there (status says why), and they are left out of each unit's total.</translation>
    </message>
    <message>
      <source>A network and its date apply to travel-time distance; set DISTANCE to travel time, or leave {names} empty.</source>
      <translation>A network and its date apply to travel-time distance; set DISTANCE to travel time, or leave {names} empty.</translation>
    </message>
    <message>
      <source>Grid analysis on dask (1 km cells)</source>
      <translation>Grid analysis on dask (1 km cells)</translation>
    </message>
    <message>
      <source>Cell size (metres, at least 500)</source>
      <translation>Cell size (metres, at least 500)</translation>
    </message>
    <message>
      <source>Units to cover (empty: the 305 YRD counties)</source>
      <translation>Units to cover (empty: the 305 YRD counties)</translation>
    </message>
    <message>
      <source>Code field of the units (empty: adcode)</source>
      <translation>Code field of the units (empty: adcode)</translation>
    </message>
    <message>
      <source>Values of the bundled DEM sample per cell</source>
      <translation>Values of the bundled DEM sample per cell</translation>
    </message>
    <message>
      <source>How a cell's value is made from the raster</source>
      <translation>How a cell's value is made from the raster</translation>
    </message>
    <message>
      <source>Most frequent value</source>
      <translation>Most frequent value</translation>
    </message>
    <message>
      <source>Pixel under the cell centre</source>
      <translation>Pixel under the cell centre</translation>
    </message>
    <message>
      <source>Travel time to this centre (unit name or adcode; empty: none)</source>
      <translation>Travel time to this centre (unit name or adcode; empty: none)</translation>
    </message>
    <message>
      <source>Network as of date (YYYY-MM-DD; empty: every link)</source>
      <translation>Network as of date (YYYY-MM-DD; empty: every link)</translation>
    </message>
    <message>
      <source>Local Moran's I (LISA) of</source>
      <translation>Local Moran's I (LISA) of</translation>
    </message>
    <message>
      <source>No LISA</source>
      <translation>No LISA</translation>
    </message>
    <message>
      <source>The raster values</source>
      <translation>The raster values</translation>
    </message>
    <message>
      <source>The travel time</source>
      <translation>The travel time</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>Random seed</translation>
    </message>
    <message>
      <source>Local dask workers (0: dask's threads inside QGIS)</source>
      <translation>Local dask workers (0: dask's threads inside QGIS)</translation>
    </message>
    <message>
      <source>Or an existing dask cluster (tcp://host:port)</source>
      <translation>Or an existing dask cluster (tcp://host:port)</translation>
    </message>
    <message>
      <source>Grid cells</source>
      <translation>Grid cells</translation>
    </message>
    <message>
      <source>Result written as a raster</source>
      <translation>Result written as a raster</translation>
    </message>
    <message>
      <source>Local Moran's I</source>
      <translation>Local Moran's I</translation>
    </message>
    <message>
      <source>LISA cluster (GeoDa code)</source>
      <translation>LISA cluster (GeoDa code)</translation>
    </message>
    <message>
      <source>Result raster (COG)</source>
      <translation>Result raster (COG)</translation>
    </message>
    <message>
      <source>LISA of a criterion this run does not compute: give a raster (or the DEM) or a centre.</source>
      <translation>LISA of a criterion this run does not compute: give a raster (or the DEM) or a centre.</translation>
    </message>
    <message>
      <source>The chosen result is not computed in this run; choose another, or leave the result raster empty.</source>
      <translation>The chosen result is not computed in this run; choose another, or leave the result raster empty.</translation>
    </message>
    <message>
      <source>{n} cells of {size:g} m in {parts} partitions ({seconds:.1f} s).</source>
      <translation>{n} cells of {size:g} m in {parts} partitions ({seconds:.1f} s).</translation>
    </message>
    <message>
      <source>LISA of {name}: {counts}.</source>
      <translation>LISA of {name}: {counts}.</translation>
    </message>
    <message>
      <source>Hot and cold spots (Getis-Ord Gi*)</source>
      <translation>Hot and cold spots (Getis-Ord Gi*)</translation>
    </message>
    <message>
      <source>Numeric field (not negative)</source>
      <translation>Numeric field (not negative)</translation>
    </message>
    <message>
      <source>Hot and cold spots</source>
      <translation>Hot and cold spots</translation>
    </message>
    <message>
      <source>Clusters: {}</source>
      <translation>Clusters: {}</translation>
    </message>
    <message>
      <source>Isochrones (travel-time bands)</source>
      <translation>Isochrones (travel-time bands)</translation>
    </message>
    <message>
      <source>Origin (unit name or adcode)</source>
      <translation>Origin (unit name or adcode)</translation>
    </message>
    <message>
      <source>Targets (units, points or cells; empty: a grid over the YRD)</source>
      <translation>Targets (units, points or cells; empty: a grid over the YRD)</translation>
    </message>
    <message>
      <source>Grid cell size (km) when no targets are given</source>
      <translation>Grid cell size (km) when no targets are given</translation>
    </message>
    <message>
      <source>Band limits (minutes, comma-separated)</source>
      <translation>Band limits (minutes, comma-separated)</translation>
    </message>
    <message>
      <source>Output</source>
      <translation>Output</translation>
    </message>
    <message>
      <source>The targets (cells, units or points), each with its time and band</source>
      <translation>The targets (cells, units or points), each with its time and band</translation>
    </message>
    <message>
      <source>One polygon per band, dissolved from the cells and smoothed</source>
      <translation>One polygon per band, dissolved from the cells and smoothed</translation>
    </message>
    <message>
      <source>Polygons from the origin (0–60 holds 0–30) instead of rings (30–60)</source>
      <translation>Polygons from the origin (0–60 holds 0–30) instead of rings (30–60)</translation>
    </message>
    <message>
      <source>Isochrones</source>
      <translation>Isochrones</translation>
    </message>
    <message>
      <source>Polygons (default): the cells (or polygon targets) of each band dissolved into one polygon, smoothed by a buffer out and back in of half a cell, clipped to the cells; points cannot be dissolved. Grid: every target with its travel time and band.</source>
      <translation>Polygons (default): the cells (or polygon targets) of each band dissolved into one polygon, smoothed by a buffer out and back in of half a cell, clipped to the cells; points cannot be dissolved. Grid: every target with its travel time and band.</translation>
    </message>
    <message>
      <source>Polygons are dissolved from polygon targets (cells or units); these targets are points. Choose the grid output, or give polygons.</source>
      <translation>Polygons are dissolved from polygon targets (cells or units); these targets are points. Choose the grid output, or give polygons.</translation>
    </message>
    <message>
      <source>{n} grid cells of {km} km over the YRD; each cell joins the network from its centre.</source>
      <translation>{n} grid cells of {km} km over the YRD; each cell joins the network from its centre.</translation>
    </message>
    <message>
      <source>Krugman specialisation index</source>
      <translation>Krugman specialisation index</translation>
    </message>
    <message>
      <source>Compared with</source>
      <translation>Compared with</translation>
    </message>
    <message>
      <source>Each other unit (pairwise matrix Kij)</source>
      <translation>Each other unit (pairwise matrix Kij)</translation>
    </message>
    <message>
      <source>The whole table's structure (Ki)</source>
      <translation>The whole table's structure (Ki)</translation>
    </message>
    <message>
      <source>All other units together (Ki)</source>
      <translation>All other units together (Ki)</translation>
    </message>
    <message>
      <source>Sector fields are shares already (pairwise matrix only)</source>
      <translation>Sector fields are shares already (pairwise matrix only)</translation>
    </message>
    <message>
      <source>Krugman index (one row per unit)</source>
      <translation>Krugman index (one row per unit)</translation>
    </message>
    <message>
      <source>Krugman index of each pair (seat-to-seat lines; pairwise matrix only)</source>
      <translation>Krugman index of each pair (seat-to-seat lines; pairwise matrix only)</translation>
    </message>
    <message>
      <source>A reference structure needs sector quantities, not shares (shares would weight every unit alike); switch AS_SHARES off, or compare each pair of units.</source>
      <translation>A reference structure needs sector quantities, not shares (shares would weight every unit alike); switch AS_SHARES off, or compare each pair of units.</translation>
    </message>
    <message>
      <source>Krugman index of {n} units, pair by pair (0: the same structure, 2: no sector in common).</source>
      <translation>Krugman index of {n} units, pair by pair (0: the same structure, 2: no sector in common).</translation>
    </message>
    <message>
      <source>Load YRD units</source>
      <translation>Load YRD units</translation>
    </message>
    <message>
      <source>Provinces (names or adcodes, comma-separated; empty: all four)</source>
      <translation>Provinces (names or adcodes, comma-separated; empty: all four)</translation>
    </message>
    <message>
      <source>Group units: as listed, or every unit of one level the group covers</source>
      <translation>Group units: as listed, or every unit of one level the group covers</translation>
    </message>
    <message>
      <source>Members as listed</source>
      <translation>Members as listed</translation>
    </message>
    <message>
      <source>YRD units</source>
      <translation>YRD units</translation>
    </message>
    <message>
      <source>Give either a region group or provinces, not both.</source>
      <translation>Give either a region group or provinces, not both.</translation>
    </message>
    <message>
      <source>{n} members of {group}; the LEVEL parameter does not apply to a group.</source>
      <translation>{n} members of {group}; the LEVEL parameter does not apply to a group.</translation>
    </message>
    <message>
      <source>A date (AS_OF) applies only to a region group; give GROUP too.</source>
      <translation>A date (AS_OF) applies only to a region group; give GROUP too.</translation>
    </message>
    <message>
      <source>{n} units at level {level}.</source>
      <translation>{n} units at level {level}.</translation>
    </message>
    <message>
      <source>The region group “{group}” had no members on {date}.</source>
      <translation>The region group “{group}” had no members on {date}.</translation>
    </message>
    <message>
      <source>Location quotients</source>
      <translation>Location quotients</translation>
    </message>
    <message>
      <source>Location quotients (one row per unit, one field per sector)</source>
      <translation>Location quotients (one row per unit, one field per sector)</translation>
    </message>
    <message>
      <source>Location quotients of {n} units in {k} sectors; above 1: more of the unit's activity in that sector than in the whole table's.</source>
      <translation>Location quotients of {n} units in {k} sectors; above 1: more of the unit's activity in that sector than in the whole table's.</translation>
    </message>
    <message>
      <source>Rank fly-in candidates</source>
      <translation>Rank fly-in candidates</translation>
    </message>
    <message>
      <source>Candidate units (with criteria fields; any CRS)</source>
      <translation>Candidate units (with criteria fields; any CRS)</translation>
    </message>
    <message>
      <source>Benefit criteria (more is better)</source>
      <translation>Benefit criteria (more is better)</translation>
    </message>
    <message>
      <source>Cost criteria (less is better)</source>
      <translation>Cost criteria (less is better)</translation>
    </message>
    <message>
      <source>Fly-out unit (e.g. 上海; empty: rank without one)</source>
      <translation>Fly-out unit (e.g. 上海; empty: rank without one)</translation>
    </message>
    <message>
      <source>Distance from the fly-out unit's seat as a cost criterion</source>
      <translation>Distance from the fly-out unit's seat as a cost criterion</translation>
    </message>
    <message>
      <source>Only candidates within (km of the fly-out unit)</source>
      <translation>Only candidates within (km of the fly-out unit)</translation>
    </message>
    <message>
      <source>Weights</source>
      <translation>Weights</translation>
    </message>
    <message>
      <source>Entropy weights (熵权法)</source>
      <translation>Entropy weights (熵权法)</translation>
    </message>
    <message>
      <source>Equal weights</source>
      <translation>Equal weights</translation>
    </message>
    <message>
      <source>Scoring</source>
      <translation>Scoring</translation>
    </message>
    <message>
      <source>TOPSIS</source>
      <translation>TOPSIS</translation>
    </message>
    <message>
      <source>Weighted sum</source>
      <translation>Weighted sum</translation>
    </message>
    <message>
      <source>TOPSIS input</source>
      <translation>TOPSIS input</translation>
    </message>
    <message>
      <source>Raw values (vector normalisation)</source>
      <translation>Raw values (vector normalisation)</translation>
    </message>
    <message>
      <source>Min-max values (entropy-TOPSIS)</source>
      <translation>Min-max values (entropy-TOPSIS)</translation>
    </message>
    <message>
      <source>Candidates with missing values</source>
      <translation>Candidates with missing values</translation>
    </message>
    <message>
      <source>Exclude them</source>
      <translation>Exclude them</translation>
    </message>
    <message>
      <source>Candidate id field (empty: adcode)</source>
      <translation>Candidate id field (empty: adcode)</translation>
    </message>
    <message>
      <source>Travel time from the fly-out unit as a cost criterion: bundled network open on date (YYYY-MM-DD; empty: no travel time)</source>
      <translation>Travel time from the fly-out unit as a cost criterion: bundled network open on date (YYYY-MM-DD; empty: no travel time)</translation>
    </message>
    <message>
      <source>Travel time: links without an opening date (road proxy)</source>
      <translation>Travel time: links without an opening date (road proxy)</translation>
    </message>
    <message>
      <source>Keep them (open at every date)</source>
      <translation>Keep them (open at every date)</translation>
    </message>
    <message>
      <source>Drop them (dated links only)</source>
      <translation>Drop them (dated links only)</translation>
    </message>
    <message>
      <source>Travel time: no access when a seat is farther from the network than (km)</source>
      <translation>Travel time: no access when a seat is farther from the network than (km)</translation>
    </message>
    <message>
      <source>Ranked candidates</source>
      <translation>Ranked candidates</translation>
    </message>
    <message>
      <source>Explanation (per candidate and criterion)</source>
      <translation>Explanation (per candidate and criterion)</translation>
    </message>
    <message>
      <source>Choose at least one benefit or cost criterion.</source>
      <translation>Choose at least one benefit or cost criterion.</translation>
    </message>
    <message>
      <source>Ranked {n} of {total} candidates ({method}, {source} weights: {weights}).</source>
      <translation>Ranked {n} of {total} candidates ({method}, {source} weights: {weights}).</translation>
    </message>
    <message>
      <source>A distance limit needs a fly-out unit.</source>
      <translation>A distance limit needs a fly-out unit.</translation>
    </message>
    <message>
      <source>A travel-time date needs a fly-out unit.</source>
      <translation>A travel-time date needs a fly-out unit.</translation>
    </message>
    <message>
      <source>The input already has a field {field}: clear the travel-time date to rank by that field, or rename it to rank by the computed travel time.</source>
      <translation>The input already has a field {field}: clear the travel-time date to rank by that field, or rename it to rank by the computed travel time.</translation>
    </message>
    <message>
      <source>Region-group membership over time</source>
      <translation>Region-group membership over time</translation>
    </message>
    <message>
      <source>Region groups (each version of a series is listed)</source>
      <translation>Region groups (each version of a series is listed)</translation>
    </message>
    <message>
      <source>As of date (YYYY-MM-DD; empty: every chosen version)</source>
      <translation>As of date (YYYY-MM-DD; empty: every chosen version)</translation>
    </message>
    <message>
      <source>Units: as listed, or every unit of one level a group covers</source>
      <translation>Units: as listed, or every unit of one level a group covers</translation>
    </message>
    <message>
      <source>Region-group members</source>
      <translation>Region-group members</translation>
    </message>
    <message>
      <source>{version} ({name}): {n} units.</source>
      <translation>{version} ({name}): {n} units.</translation>
    </message>
    <message>
      <source>None of the chosen region groups had members on {date}.</source>
      <translation>None of the chosen region groups had members on {date}.</translation>
    </message>
    <message>
      <source>Regional inequality (Theil, Gini, CV) over years</source>
      <translation>Regional inequality (Theil, Gini, CV) over years</translation>
    </message>
    <message>
      <source>Value fields, one per year (in order)</source>
      <translation>Value fields, one per year (in order)</translation>
    </message>
    <message>
      <source>Groups of the decomposition</source>
      <translation>Groups of the decomposition</translation>
    </message>
    <message>
      <source>No decomposition</source>
      <translation>No decomposition</translation>
    </message>
    <message>
      <source>Province of each unit</source>
      <translation>Province of each unit</translation>
    </message>
    <message>
      <source>City of each unit</source>
      <translation>City of each unit</translation>
    </message>
    <message>
      <source>Or a group field (replaces the groups above)</source>
      <translation>Or a group field (replaces the groups above)</translation>
    </message>
    <message>
      <source>Weight field, e.g. population (empty: every unit alike)</source>
      <translation>Weight field, e.g. population (empty: every unit alike)</translation>
    </message>
    <message>
      <source>Inequality by year</source>
      <translation>Inequality by year</translation>
    </message>
    <message>
      <source>Groups by year</source>
      <translation>Groups by year</translation>
    </message>
    <message>
      <source>Groups from the field {field}.</source>
      <translation>Groups from the field {field}.</translation>
    </message>
    <message>
      <source>{year}: Theil T {t:.6f} (between {b:.1%}), L {l:.6f}, Gini {g:.4f}, CV {cv:.4f}.</source>
      <translation>{year}: Theil T {t:.6f} (between {b:.1%}), L {l:.6f}, Gini {g:.4f}, CV {cv:.4f}.</translation>
    </message>
    <message>
      <source>Revenue-sharing schedule</source>
      <translation>Revenue-sharing schedule</translation>
    </message>
    <message>
      <source>Revenue per year (the same every year; or a table below)</source>
      <translation>Revenue per year (the same every year; or a table below)</translation>
    </message>
    <message>
      <source>Or a table of revenue, one row per year from the first year of production</source>
      <translation>Or a table of revenue, one row per year from the first year of production</translation>
    </message>
    <message>
      <source>Revenue field of the table</source>
      <translation>Revenue field of the table</translation>
    </message>
    <message>
      <source>Years (with one revenue figure)</source>
      <translation>Years (with one revenue figure)</translation>
    </message>
    <message>
      <source>Preset schedule</source>
      <translation>Preset schedule</translation>
    </message>
    <message>
      <source>Shanghai district rule: 25% to the fly-out side for 5 years, then 0 (张亚军)</source>
      <translation>Shanghai district rule: 25% to the fly-out side for 5 years, then 0 (张亚军)</translation>
    </message>
    <message>
      <source>Or your schedule: the fly-out share of each year, comma-separated (e.g. 0.3,0.3,0.2; replaces the preset)</source>
      <translation>Or your schedule: the fly-out share of each year, comma-separated (e.g. 0.3,0.3,0.2; replaces the preset)</translation>
    </message>
    <message>
      <source>Fly-out share in every year after your schedule</source>
      <translation>Fly-out share in every year after your schedule</translation>
    </message>
    <message>
      <source>Calendar year of the first year of production (optional)</source>
      <translation>Calendar year of the first year of production (optional)</translation>
    </message>
    <message>
      <source>{n} years: {out:,.2f} to the fly-out side, {into:,.2f} to the fly-in side.</source>
      <translation>{n} years: {out:,.2f} to the fly-out side, {into:,.2f} to the fly-in side.</translation>
    </message>
    <message>
      <source>Give the revenue either as one number (REVENUE, with YEARS) or as a table with one row per year (TABLE and REVENUE_FIELD), not both and not neither.</source>
      <translation>Give the revenue either as one number (REVENUE, with YEARS) or as a table with one row per year (TABLE and REVENUE_FIELD), not both and not neither.</translation>
    </message>
    <message>
      <source>Choose the field of TABLE that holds each year's revenue.</source>
      <translation>Choose the field of TABLE that holds each year's revenue.</translation>
    </message>
    <message>
      <source>Your schedule: fly-out shares {shares}, then {after}; PRESET does not apply.</source>
      <translation>Your schedule: fly-out shares {shares}, then {after}; PRESET does not apply.</translation>
    </message>
    <message>
      <source>“{value}” is not a list of shares separated by commas; expected e.g. 0.3,0.3,0.2.</source>
      <translation>“{value}” is not a list of shares separated by commas; expected e.g. 0.3,0.3,0.2.</translation>
    </message>
    <message>
      <source>Spatial autocorrelation (Moran's I, LISA)</source>
      <translation>Spatial autocorrelation (Moran's I, LISA)</translation>
    </message>
    <message>
      <source>Numeric field</source>
      <translation>Numeric field</translation>
    </message>
    <message>
      <source>LISA clusters</source>
      <translation>LISA clusters</translation>
    </message>
    <message>
      <source>Moran's I</source>
      <translation>Moran's I</translation>
    </message>
    <message>
      <source>Expected I</source>
      <translation>Expected I</translation>
    </message>
    <message>
      <source>Pseudo p-value of I</source>
      <translation>Pseudo p-value of I</translation>
    </message>
    <message>
      <source>z-score of I (permutations)</source>
      <translation>z-score of I (permutations)</translation>
    </message>
    <message>
      <source>Units used</source>
      <translation>Units used</translation>
    </message>
    <message>
      <source>Moran's I = {i:.4f} (expected {e:.4f}), pseudo p = {p}, {n} units.</source>
      <translation>Moran's I = {i:.4f} (expected {e:.4f}), pseudo p = {p}, {n} units.</translation>
    </message>
    <message>
      <source>Industrial structure similarity</source>
      <translation>Industrial structure similarity</translation>
    </message>
    <message>
      <source>Similarity matrix (one row per unit, one field per unit)</source>
      <translation>Similarity matrix (one row per unit, one field per unit)</translation>
    </message>
    <message>
      <source>Similarity of each pair (seat-to-seat lines)</source>
      <translation>Similarity of each pair (seat-to-seat lines)</translation>
    </message>
    <message>
      <source>Structure similarity of {n} units over {k} sectors (1: the same structure).</source>
      <translation>Structure similarity of {n} units over {k} sectors (1: the same structure).</translation>
    </message>
    <message>
      <source>Travel-time matrix</source>
      <translation>Travel-time matrix</translation>
    </message>
    <message>
      <source>Stop searching after (minutes; empty: no limit)</source>
      <translation>Stop searching after (minutes; empty: no limit)</translation>
    </message>
    <message>
      <source>Travel times (from, to, minutes, status)</source>
      <translation>Travel times (from, to, minutes, status)</translation>
    </message>
    <message>
      <source>Destinations (empty: the origins)</source>
      <translation>Destinations (empty: the origins)</translation>
    </message>
    <message>
      <source>Origins (polygons or points; empty: the 41 cities)</source>
      <translation>Origins (polygons or points; empty: the 41 cities)</translation>
    </message>
    <message>
      <source>{n} pairs, {u} without a time.</source>
      <translation>{n} pairs, {u} without a time.</translation>
    </message>
    <message>
      <source>Two-step floating catchment (2SFCA)</source>
      <translation>Two-step floating catchment (2SFCA)</translation>
    </message>
    <message>
      <source>Demand units (polygons or points)</source>
      <translation>Demand units (polygons or points)</translation>
    </message>
    <message>
      <source>Demand field (e.g. population)</source>
      <translation>Demand field (e.g. population)</translation>
    </message>
    <message>
      <source>Supply sites (polygons or points)</source>
      <translation>Supply sites (polygons or points)</translation>
    </message>
    <message>
      <source>Supply field (e.g. hospital beds)</source>
      <translation>Supply field (e.g. hospital beds)</translation>
    </message>
    <message>
      <source>Catchment (minutes)</source>
      <translation>Catchment (minutes)</translation>
    </message>
    <message>
      <source>2SFCA access</source>
      <translation>2SFCA access</translation>
    </message>
    <message>
      <source>Supply-to-demand ratios per site</source>
      <translation>Supply-to-demand ratios per site</translation>
    </message>
    <message>
      <source>Polygon areas (km²)</source>
      <translation>Polygon areas (km²)</translation>
    </message>
    <message>
      <source>Polygon layer</source>
      <translation>Polygon layer</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>Method</translation>
    </message>
    <message>
      <source>Equal-area projection (YRD Albers)</source>
      <translation>Equal-area projection (YRD Albers)</translation>
    </message>
    <message>
      <source>Geodesic (WGS84 ellipsoid)</source>
      <translation>Geodesic (WGS84 ellipsoid)</translation>
    </message>
    <message>
      <source>Name of the area column</source>
      <translation>Name of the area column</translation>
    </message>
    <message>
      <source>Polygons with areas</source>
      <translation>Polygons with areas</translation>
    </message>
    <message>
      <source>The area column needs a name, e.g. area_km2.</source>
      <translation>The area column needs a name, e.g. area_km2.</translation>
    </message>
    <message>
      <source>The input field {column} is replaced by the computed areas in the output (the input layer keeps it).</source>
      <translation>The input field {column} is replaced by the computed areas in the output (the input layer keeps it).</translation>
    </message>
    <message>
      <source>Weights sensitivity of Moran's I</source>
      <translation>Weights sensitivity of Moran's I</translation>
    </message>
    <message>
      <source>Spatial weights compared</source>
      <translation>Spatial weights compared</translation>
    </message>
    <message>
      <source>Neighbours k for k nearest and kernel, comma-separated</source>
      <translation>Neighbours k for k nearest and kernel, comma-separated</translation>
    </message>
    <message>
      <source>Distance bands in km, comma-separated (empty: the smallest band in which every unit has a neighbour)</source>
      <translation>Distance bands in km, comma-separated (empty: the smallest band in which every unit has a neighbour)</translation>
    </message>
    <message>
      <source>Moran's I by weights</source>
      <translation>Moran's I by weights</translation>
    </message>
    <message>
      <source>{weights}: I = {i:.4f} (E[I] {e:.4f}), z = {z:.3f}, pseudo p = {p}, {islands} island(s), {mean:.2f} neighbours on average.</source>
      <translation>{weights}: I = {i:.4f} (E[I] {e:.4f}), z = {z:.3f}, pseudo p = {p}, {islands} island(s), {mean:.2f} neighbours on average.</translation>
    </message>
    <message>
      <source>“{value}” is not a list of whole numbers; expected e.g. 4,6,8.</source>
      <translation>“{value}” is not a list of whole numbers; expected e.g. 4,6,8.</translation>
    </message>
    <message>
      <source>Units and regions</source>
      <translation>Units and regions</translation>
    </message>
    <message>
      <source>Corridors and enclaves</source>
      <translation>Corridors and enclaves</translation>
    </message>
    <message>
      <source>Networks and accessibility</source>
      <translation>Networks and accessibility</translation>
    </message>
    <message>
      <source>Spatial statistics</source>
      <translation>Spatial statistics</translation>
    </message>
    <message>
      <source>Site ranking</source>
      <translation>Site ranking</translation>
    </message>
    <message>
      <source>Plan maps</source>
      <translation>Plan maps</translation>
    </message>
    <message>
      <source>Province</source>
      <translation>Province</translation>
    </message>
    <message>
      <source>City (prefecture level)</source>
      <translation>City (prefecture level)</translation>
    </message>
    <message>
      <source>County level</source>
      <translation>County level</translation>
    </message>
    <message>
      <source>One click: Plugins → YRD Geo / 长三角 → Install Python dependencies… installs them into your QGIS profile with QGIS's own Python (QGIS's numpy and GDAL stay as they are); or by hand:</source>
      <translation>One click: Plugins → YRD Geo / 长三角 → Install Python dependencies… installs them into your QGIS profile with QGIS's own Python (QGIS's numpy and GDAL stay as they are); or by hand:</translation>
    </message>
    <message>
      <source>yrdgeo could not use the input: {message}</source>
      <translation>yrdgeo could not use the input: {message}</translation>
    </message>
    <message>
      <source>The CRS of the output layers. Empty: the CRS of the first input layer given; EPSG:4326 when the algorithm has no input layer. The analysis itself always measures in EPSG:4326/4549; only the written layers are reprojected.</source>
      <translation>The CRS of the output layers. Empty: the CRS of the first input layer given; EPSG:4326 when the algorithm has no input layer. The analysis itself always measures in EPSG:4326/4549; only the written layers are reprojected.</translation>
    </message>
    <message>
      <source>This algorithm needs the Python package(s) {missing}, which QGIS's Python cannot import. Install the plugin's requirements into QGIS's Python without upgrading numpy past 1.x — Windows (OSGeo4W Shell) and macOS: python -m pip install "numpy&lt;2" -r "{requirements}"; Debian 12 / Ubuntu (system Python, PEP 668; needs the package python3-pip): python3 -m pip install --user --break-system-packages "numpy&lt;2" -r "{requirements}" (--break-system-packages only lifts Debian's guard for this command; --user keeps the files out of /usr, in your home folder, where they take precedence over Debian's python3-* packages for your user) — then restart QGIS. Step-by-step instructions: {homepage}</source>
      <translation>This algorithm needs the Python package(s) {missing}, which QGIS's Python cannot import. Install the plugin's requirements into QGIS's Python without upgrading numpy past 1.x — Windows (OSGeo4W Shell) and macOS: python -m pip install "numpy&lt;2" -r "{requirements}"; Debian 12 / Ubuntu (system Python, PEP 668; needs the package python3-pip): python3 -m pip install --user --break-system-packages "numpy&lt;2" -r "{requirements}" (--break-system-packages only lifts Debian's guard for this command; --user keeps the files out of /usr, in your home folder, where they take precedence over Debian's python3-* packages for your user) — then restart QGIS. Step-by-step instructions: {homepage}</translation>
    </message>
    <message>
      <source>The yrdgeo library itself is missing: install the plugin from the zip built by tools/build_plugin_zip.py (it carries yrdgeo in ext/), or install yrdgeo from its checkout into QGIS's Python. Step-by-step instructions: {homepage}</source>
      <translation>The yrdgeo library itself is missing: install the plugin from the zip built by tools/build_plugin_zip.py (it carries yrdgeo in ext/), or install yrdgeo from its checkout into QGIS's Python. Step-by-step instructions: {homepage}</translation>
    </message>
    <message>
      <source>Give both dates, e.g. 2010-01-01 and 2020-01-01.</source>
      <translation>Give both dates, e.g. 2010-01-01 and 2020-01-01.</translation>
    </message>
    <message>
      <source>Output CRS (empty: the input's)</source>
      <translation>Output CRS (empty: the input's)</translation>
    </message>
    <message>
      <source>The field “{field}” does not exist in the input layer; its fields are: {names}.</source>
      <translation>The field “{field}” does not exist in the input layer; its fields are: {names}.</translation>
    </message>
    <message>
      <source>The field “{field}” is of type {kind}; expected a numeric field.</source>
      <translation>The field “{field}” is of type {kind}; expected a numeric field.</translation>
    </message>
    <message>
      <source>“{value}” is not a list of positive numbers separated by commas; expected e.g. {example}.</source>
      <translation>“{value}” is not a list of positive numbers separated by commas; expected e.g. {example}.</translation>
    </message>
    <message>
      <source>The earlier date {first} = {a} is not before the later date {second} = {b}; swap them (the change is measured from {first} to {second}).</source>
      <translation>The earlier date {first} = {a} is not before the later date {second} = {b}; swap them (the change is measured from {first} to {second}).</translation>
    </message>
    <message>
      <source>set {name} to “{label}”</source>
      <translation>set {name} to “{label}”</translation>
    </message>
    <message>
      <source>set {name}</source>
      <translation>set {name}</translation>
    </message>
    <message>
      <source>“{value}” is not a date; expected YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2018-06-01.</source>
      <translation>“{value}” is not a date; expected YYYY-MM-DD (or YYYY-MM, YYYY), e.g. 2018-06-01.</translation>
    </message>
    <message>
      <source>{alg} stopped on an unexpected error ({kind}: {message}); no output was written. Please report it with the log: {homepage}</source>
      <translation>{alg} stopped on an unexpected error ({kind}: {message}); no output was written. Please report it with the log: {homepage}</translation>
    </message>
    <message>
      <source>The run was cancelled; no output was written.</source>
      <translation>The run was cancelled; no output was written.</translation>
    </message>
    <message>
      <source>Parameters {names}: {message}</source>
      <translation>Parameters {names}: {message}</translation>
    </message>
    <message>
      <source>Parameter {names}: {message}</source>
      <translation>Parameter {names}: {message}</translation>
    </message>
    <message>
      <source>Cannot write mixed geometry types {} to one layer.</source>
      <translation>Cannot write mixed geometry types {} to one layer.</translation>
    </message>
    <message>
      <source>Could not open the input layer “{}”.</source>
      <translation>Could not open the input layer “{}”.</translation>
    </message>
    <message>
      <source>The input layer “{layer}” has no field {fields}; its fields are: {names}.</source>
      <translation>The input layer “{layer}” has no field {fields}; its fields are: {names}.</translation>
    </message>
    <message>
      <source>The input layer “{}” has no coordinate reference system; set one in the layer properties.</source>
      <translation>The input layer “{}” has no coordinate reference system; set one in the layer properties.</translation>
    </message>
    <message>
      <source>Transforming “{layer}” from {src} to {dst} for the analysis.</source>
      <translation>Transforming “{layer}” from {src} to {dst} for the analysis.</translation>
    </message>
    <message>
      <source>Could not transform “{layer}” to {dst}: {err}</source>
      <translation>Could not transform “{layer}” to {dst}: {err}</translation>
    </message>
    <message>
      <source>the features were not accepted</source>
      <translation>the features were not accepted</translation>
    </message>
    <message>
      <source>Could not write this output: {error}. No output of this run was kept: the files it had created were removed and files it was replacing were put back.</source>
      <translation>Could not write this output: {error}. No output of this run was kept: the files it had created were removed and files it was replacing were put back.</translation>
    </message>
    <message>
      <source>{path} is a folder; give this output a file name.</source>
      <translation>{path} is a folder; give this output a file name.</translation>
    </message>
    <message>
      <source>{name} and {other} would both write the file {path}, and one would replace the other; give each output its own file.</source>
      <translation>{name} and {other} would both write the file {path}, and one would replace the other; give each output its own file.</translation>
    </message>
    <message>
      <source>{path} is the file of the input {input}; an output never replaces an input — choose another file.</source>
      <translation>{path} is the file of the input {input}; an output never replaces an input — choose another file.</translation>
    </message>
    <message>
      <source>YRD Geo / 长三角: Python dependencies</source>
      <translation>YRD Geo / 长三角: Python dependencies</translation>
    </message>
    <message>
      <source>Check the dependencies when QGIS starts</source>
      <translation>Check the dependencies when QGIS starts</translation>
    </message>
    <message>
      <source>Install</source>
      <translation>Install</translation>
    </message>
    <message>
      <source>All Python packages the plugin needs are installed.</source>
      <translation>All Python packages the plugin needs are installed.</translation>
    </message>
    <message>
      <source>QGIS's profile folder is unknown.</source>
      <translation>QGIS's profile folder is unknown.</translation>
    </message>
    <message>
      <source>The dependencies cannot be installed from here: {error}. The manual steps are in the plugin's documentation (docs/qgis.md).</source>
      <translation>The dependencies cannot be installed from here: {error}. The manual steps are in the plugin's documentation (docs/qgis.md).</translation>
    </message>
    <message>
      <source>The plugin needs these Python packages, which QGIS's Python does not have (or has at another version): {missing}.</source>
      <translation>The plugin needs these Python packages, which QGIS's Python does not have (or has at another version): {missing}.</translation>
    </message>
    <message>
      <source>Installing into {folder} …</source>
      <translation>Installing into {folder} …</translation>
    </message>
    <message>
      <source>Installed; the packages are moved into place when QGIS restarts. Please restart QGIS.</source>
      <translation>Installed; the packages are moved into place when QGIS restarts. Please restart QGIS.</translation>
    </message>
    <message>
      <source>“Install” runs pip with QGIS's own Python ({python}) and puts the packages in a folder the plugin owns inside your QGIS profile: {folder}. QGIS's own numpy ({numpy}) and GDAL are kept as they are. Downloading takes a minute or two.</source>
      <translation>“Install” runs pip with QGIS's own Python ({python}) and puts the packages in a folder the plugin owns inside your QGIS profile: {folder}. QGIS's own numpy ({numpy}) and GDAL are kept as they are. Downloading takes a minute or two.</translation>
    </message>
    <message>
      <source>Manual fallback (a terminal), with a file constraints.txt holding {constraints}: {command}</source>
      <translation>Manual fallback (a terminal), with a file constraints.txt holding {constraints}: {command}</translation>
    </message>
    <message>
      <source>Done. The packages are in {folder}. Restart QGIS so that every algorithm uses them.</source>
      <translation>Done. The packages are in {folder}. Restart QGIS so that every algorithm uses them.</translation>
    </message>
    <message>
      <source>none found</source>
      <translation>none found</translation>
    </message>
    <message>
      <source>pip failed (exit code {code}); nothing was changed. The whole log is above and in {log}.</source>
      <translation>pip failed (exit code {code}); nothing was changed. The whole log is above and in {log}.</translation>
    </message>
    <message>
      <source>A4 landscape</source>
      <translation>A4 landscape</translation>
    </message>
    <message>
      <source>A4 portrait</source>
      <translation>A4 portrait</translation>
    </message>
    <message>
      <source>A3 landscape</source>
      <translation>A3 landscape</translation>
    </message>
    <message>
      <source>QGIS's north-arrow SVG (arrows/NorthArrow_02.svg) was not found.</source>
      <translation>QGIS's north-arrow SVG (arrows/NorthArrow_02.svg) was not found.</translation>
    </message>
    <message>
      <source>The font “{}” is not installed; Chinese labels would not render. Install Noto Sans CJK (Debian: fonts-noto-cjk).</source>
      <translation>The font “{}” is not installed; Chinese labels would not render. Install Noto Sans CJK (Debian: fonts-noto-cjk).</translation>
    </message>
    <message>
      <source>The layout “{}” could not be added to the project.</source>
      <translation>The layout “{}” could not be added to the project.</translation>
    </message>
    <message>
      <source>The layout export to {} failed ({}).</source>
      <translation>The layout export to {} failed ({}).</translation>
    </message>
    <message>
      <source>Install Python dependencies…</source>
      <translation>Install Python dependencies…</translation>
    </message>
  </context>
</TS>

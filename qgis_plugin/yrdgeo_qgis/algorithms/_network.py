"""Parameters shared by the network algorithms: the network, the access leg to it, and where each unit joins it.

A unit joins the network by an access leg: a straight line from its anchor to
its ACCESS_NODES nearest network nodes, travelled at ACCESS_SPEED_KMH. The
anchor is the unit's seat of government (columns anchor_lon/anchor_lat, which
the bundled units carry) or, for a point layer, the point. A polygon layer
without anchor columns would otherwise join from a point inside each polygon,
tens of kilometres from the seat where the bundled network's nodes are
(Changzhou → Shanghai: 43 min from the seat, 154 min from the inner point);
ANCHORS decides, and the log says which anchor each layer used.
"""

from qgis.core import QgsProcessing, QgsProcessingException

from ..convert import check_cancelled, parameter_message, warn
from ..i18n import tr, tr_noop

#: What the network algorithms import (their REQUIRES).
NETWORK_PACKAGES = ("geopandas", "scipy", "networkx")
# The library's defaults (yrdgeo.accessibility.ACCESS_SPEED_KMH, K_NEAREST; a test keeps them equal), written
# out because the parameters' help quotes them.
ACCESS_SPEED_KMH = 30.0
K_NEAREST = 1


def define_units(alg, name="UNITS", description=tr_noop("Units (polygons or points; empty: the 41 cities)")):
    """Add the optional units layer ``name`` that :func:`read_units` reads (empty: the 41 cities)."""
    alg.add_source(name, description, geometry=QgsProcessing.SourceType.TypeVectorAnyGeometry, optional=True)


def define_network(alg, *, dated=True):
    """Add the network parameters to ``alg`` (LINES, SPEED_FIELD, TIME_FIELD, DEFAULT_SPEED, SNAP_M, NODING,
    LEVEL_FIELD, AS_OF).

    The access parameters (ACCESS_SPEED_KMH, ACCESS_NODES, ANCHORS) are added
    by :func:`define_access`, after the algorithm's own parameters.
    """
    alg.add_source("LINES", "Your network lines (empty: the bundled YRD intercity network)",
                   geometry=QgsProcessing.SourceType.TypeVectorLine, optional=True)
    alg.add_field("SPEED_FIELD", "Speed field in km/h", "LINES", optional=True)
    alg.add_field("TIME_FIELD", "Travel-time field in minutes (wins over speed)", "LINES", optional=True)
    alg.add_number("DEFAULT_SPEED", "Speed where the line has none (km/h)", default=None, minimum=1, optional=True)
    alg.add_number("SNAP_M", "Join line ends (and shared vertices) closer than (m)", default=5.0, minimum=0)
    alg.add_choice("NODING", "Where your lines join", {
        "vertices": "At shared vertices and line ends (as QGIS network analysis and QNEAT3)",
        "crossings": "Also where lines cross or end on another line, without a vertex there",
        "endpoints": "Only at line ends (a layer already split at its junctions)"},
        library="yrdgeo.network.lines.NODING")
    alg.set_help("NODING", tr(
        "Where lines of your layer become junctions. Shared vertices (default): every vertex two lines share "
        "(within the snapping distance) and every line end. Crossings: also where lines cross or one ends on "
        "another's segment, without a vertex there; a road layer's crossings are often bridges, so give a level "
        "field. Line ends only: the layer is already split at its junctions."))
    alg.add_field("LEVEL_FIELD", "Level field (bridge/tunnel/ground, z-level): lines join inside only at one level",
                  "LINES", numeric=False, optional=True)
    alg.set_help("LEVEL_FIELD", tr(
        "A field with each line's level (e.g. 1 bridge, 0 ground, -1 tunnel, or a z-level). Where the inside of "
        "two lines meets (a shared vertex, a crossing), they join only when their levels are equal, so a bridge "
        "over a road is not a junction; line ends join whatever their levels (a ramp). Empty cells are one level "
        "of their own."))
    if dated:
        alg.add_string("AS_OF", "Network as open on date (YYYY-MM-DD; empty: all links)")


def define_access(alg, *, anchors=True):
    """Add ACCESS_SPEED_KMH, ACCESS_NODES and (unless ``anchors=False``) ANCHORS, with their help, to ``alg``."""
    alg.add_number("ACCESS_SPEED_KMH", "Access speed to the network (km/h)", default=ACCESS_SPEED_KMH, minimum=0.1)
    alg.set_help("ACCESS_SPEED_KMH", tr(
        "Speed of the access leg: the straight line from each unit's anchor (seat of government, or the point) "
        "to the network, and from the network to the destination. 30 km/h (default) stands for local roads; the "
        "leg is a large part of the time where the anchor is far from a node."))
    alg.add_number("ACCESS_NODES", "Network nodes an anchor may use to join the network", default=K_NEAREST,
                   minimum=1, integer=True)
    alg.set_help("ACCESS_NODES", tr(
        "How many of the nearest network nodes each anchor may join (1, the default, is the nearest only). More "
        "nodes let an anchor reach a farther node in a straight line across anything, water included."))
    if not anchors:
        return
    alg.add_choice("ANCHORS", "Where a polygon without anchor columns joins the network", {
        "seat": "Its seat of government (bundled, by adcode); stop if it has none",
        "inner_point": "A point inside the polygon (representative point)"},
        library="yrdgeo.accessibility.ANCHOR_POLICIES")
    alg.set_help("ANCHORS", tr(
        "Units join the network at their seat of government (columns anchor_lon/anchor_lat; the bundled units "
        "have them) or, for points, at the point. For polygons without those columns: the bundled seat of each "
        "unit's adcode (default; the run stops when an adcode has none), or a point inside each polygon — often "
        "tens of km from the seat, which adds that distance at the access speed to every trip."))


def access_options(alg, parameters, context, feedback):
    """Return ``dict(access_speed_kmh=..., k_nearest=...)`` from the parameters, and log them."""
    speed = alg.parameterAsDouble(parameters, "ACCESS_SPEED_KMH", context)
    nodes = alg.parameterAsInt(parameters, "ACCESS_NODES", context)
    if not speed > 0:
        raise QgsProcessingException(parameter_message(["ACCESS_SPEED_KMH"], tr(
            "The access speed must be more than 0 km/h, got {value}.").format(value=speed)))
    if nodes < 1:
        raise QgsProcessingException(parameter_message(["ACCESS_NODES"], tr(
            "At least 1 network node is needed, got {value}.").format(value=nodes)))
    feedback.pushInfo(tr("Access leg: straight line from each anchor to its {nodes} nearest network node(s) "
                         "at {speed:g} km/h (ACCESS_SPEED_KMH = {speed:g}, ACCESS_NODES = {nodes}).").format(
        speed=speed, nodes=nodes))
    return {"access_speed_kmh": speed, "k_nearest": nodes}


def anchor_places(alg, parameters, name, frame, context, feedback):
    """Return ``frame`` with the anchors the library will use, saying which (or raise naming ANCHORS).

    Anchor columns or point geometries are used as they are. A polygon layer
    without anchor columns gets the bundled seat of each adcode (ANCHORS = seat)
    or keeps its polygons, which the library joins from an inner point
    (ANCHORS = inner point); either way the log says so.
    """
    label = alg.parameterDefinition(name).description()
    if {"anchor_lon", "anchor_lat"} <= set(frame.columns):
        feedback.pushInfo(tr("“{layer}” ({name}): each unit joins the network at its anchor_lon/anchor_lat.").format(
            layer=label, name=name))
        return frame
    if frame.geometry.notna().all() and (frame.geom_type == "Point").all():
        feedback.pushInfo(tr("“{layer}” ({name}): each point joins the network where it is.").format(
            layer=label, name=name))
        return frame
    if alg.read_choice(parameters, "ANCHORS", context) == "inner_point":
        from yrdgeo.accessibility import with_anchors

        frame = with_anchors(frame, anchors="inner_point", what=label)
        warn(feedback, tr(
            "“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network from a point "
            "inside its polygon (representative point, ANCHORS), not from its seat of government; times include "
            "that access leg at the access speed.").format(layer=label, name=name))
        return frame
    return _bundled_seats(frame, label, name, feedback)


def _bundled_seats(frame, label, name, feedback):
    from yrdgeo.accessibility import with_anchors

    try:
        out = with_anchors(frame, anchors="seat", what=f"“{label}”")
    except ValueError as exc:
        raise QgsProcessingException(parameter_message([name, "ANCHORS"], tr(
            "{error}. Or set ANCHORS to “A point inside the polygon” to join each unit from a point inside its "
            "polygon.").format(error=str(exc).replace("anchors='inner_point'", "ANCHORS")))) from None
    warn(feedback, tr(
        "“{layer}” ({name}) has no anchor_lon/anchor_lat columns: each unit joins the network at the bundled seat "
        "of government of its adcode (ANCHORS); the output carries those anchor columns.").format(
        layer=label, name=name))
    return out


def log_access_legs(feedback, access, speed_kmh):
    """Log the length of the access legs (DataFrame with ``access_km`` per origin): the longest adds the most."""
    if access is None or "access_km" not in access or not len(access):
        return
    km = access["access_km"].astype(float)
    if km.notna().sum() == 0:
        return
    longest = km.idxmax()
    feedback.pushInfo(tr("Access legs: median {median:.1f} km, longest {longest:.1f} km ({unit}), i.e. {minutes:.0f} "
                         "min at {speed:g} km/h.").format(median=km.median(), longest=km.max(), unit=longest,
                                                         minutes=km.max() / speed_kmh * 60.0, speed=speed_kmh))


def network_and_access(alg, parameters, context, feedback):
    """Return ``(network, access options)``: :func:`read_network` and :func:`access_options`, run checked."""
    as_of = alg.read_date(parameters, "AS_OF", context) if alg.parameterDefinition("AS_OF") else None
    access = access_options(alg, parameters, context, feedback)
    net = read_network(alg, parameters, context, feedback, as_of=as_of)
    check_cancelled(feedback)
    return net, access


def read_network(alg, parameters, context, feedback, *, as_of=None):
    """Return the yrdgeo Network the parameters describe (bundled, or built from the user's lines)."""
    from yrdgeo import network

    if not alg.is_given(parameters, "LINES"):
        with alg.about("AS_OF"):
            net = network.load_yrd_network(as_of=as_of)
        feedback.pushInfo(tr("Bundled YRD intercity network{}: {n} nodes, {m} links.").format(
            f" ({as_of})" if as_of else "", n=len(net.nodes), m=len(net.edges)))
        return net
    fields = alg.read_source(parameters, "LINES", context).fields()
    speed = alg.read_field(parameters, "SPEED_FIELD", fields, context)
    time = alg.read_field(parameters, "TIME_FIELD", fields, context)
    level = alg.read_field(parameters, "LEVEL_FIELD", fields, context, numeric=False)
    node = alg.read_choice(parameters, "NODING", context)
    lines = alg.read_frame(parameters, "LINES", context, feedback)
    with alg.about("LINES"):
        net = network.from_lines(lines, speed=speed, time=time,
                                 default_speed_kmh=alg.read_number(parameters, "DEFAULT_SPEED", context),
                                 snap_m=alg.parameterAsDouble(parameters, "SNAP_M", context), node=node, level=level)
    feedback.pushInfo(tr("Your lines join {where} (NODING){level}.").format(
        where={"vertices": tr("at shared vertices and line ends"),
               "crossings": tr("at shared vertices, crossings and line ends"),
               "endpoints": tr("only at line ends")}[node],
        level=tr(", inside only at equal levels of “{field}”").format(field=level) if level else ""))
    if as_of:
        with alg.about("AS_OF"):
            net = network.as_of(net, as_of)
    feedback.pushInfo(tr("Network from your lines: {n} nodes, {m} links.").format(n=len(net.nodes), m=len(net.edges)))
    return net


def read_places(alg, parameters, name, context, feedback):
    """Return the layer ``name`` with its anchors (see :func:`anchor_places`), or None when it is empty."""
    frame = alg.read_frame(parameters, name, context, feedback)
    return None if frame is None else anchor_places(alg, parameters, name, frame, context, feedback)


def read_units(alg, parameters, context, feedback, yrdgeo, name="UNITS"):
    """Return the ``name`` layer (default UNITS) with its anchors (see :func:`read_places`), or the 41 cities."""
    places = read_places(alg, parameters, name, context, feedback)
    if places is None:
        feedback.pushInfo(tr("No units layer given: using the 41 cities (joined at their seats of government)."))
        return yrdgeo.load_units("city")
    return places

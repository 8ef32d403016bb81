"""Parameters shared by the network algorithms: the bundled YRD network or the user's line layer."""

from qgis.core import QgsProcessing

from ..i18n import tr


def define_network(alg, *, dated=True):
    """Add the network parameters to ``alg`` (LINES, SPEED_FIELD, TIME_FIELD, DEFAULT_SPEED, AS_OF)."""
    alg.add_source("LINES", "Your network lines (empty: the bundled YRD intercity network)",
                   geometry=QgsProcessing.TypeVectorLine, optional=True)
    alg.add_field("SPEED_FIELD", "Speed field in km/h", "LINES", optional=True)
    alg.add_field("TIME_FIELD", "Travel-time field in minutes (wins over speed)", "LINES", optional=True)
    alg.add_number("DEFAULT_SPEED", "Speed where the line has none (km/h)", default=None, minimum=1, optional=True)
    alg.add_number("SNAP_M", "Join line ends closer than (m)", default=5.0, minimum=0)
    if dated:
        alg.add_string("AS_OF", "Network as open on date (YYYY-MM-DD; empty: all links)")


def read_network(alg, parameters, context, feedback, *, as_of=None):
    """Return the yrdgeo Network the parameters describe (bundled, or built from the user's lines)."""
    from yrdgeo import network

    if parameters.get("LINES") in (None, ""):
        net = network.load_yrd_network(as_of=as_of)
        feedback.pushInfo(tr("Bundled YRD intercity network{}: {n} nodes, {m} links.").format(
            f" ({as_of})" if as_of else "", n=len(net.nodes), m=len(net.edges)))
        return net
    fields = alg.read_source(parameters, "LINES", context).fields()
    speed = alg.read_field(parameters, "SPEED_FIELD", fields, context)
    time = alg.read_field(parameters, "TIME_FIELD", fields, context)
    default = parameters.get("DEFAULT_SPEED")
    default = None if default in (None, "") else alg.parameterAsDouble(parameters, "DEFAULT_SPEED", context)
    lines = alg.read_frame(parameters, "LINES", context, feedback)
    net = network.from_lines(lines, speed=speed, time=time, default_speed_kmh=default,
                             snap_m=alg.parameterAsDouble(parameters, "SNAP_M", context))
    if as_of:
        net = network.as_of(net, as_of)
    feedback.pushInfo(tr("Network from your lines: {n} nodes, {m} links.").format(n=len(net.nodes), m=len(net.edges)))
    return net


def read_units(alg, parameters, context, feedback, yrdgeo):
    """Return the UNITS layer as a frame, or the 41 cities when it is empty."""
    if parameters.get("UNITS") in (None, ""):
        feedback.pushInfo(tr("No units layer given: using the 41 cities."))
        return yrdgeo.load_units("city")
    return alg.read_frame(parameters, "UNITS", context, feedback)

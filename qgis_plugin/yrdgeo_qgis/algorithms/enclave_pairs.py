"""Enclave (飞地) pairs: both ends, desire lines with distance (and travel time, gradients), the partner network."""

from qgis.core import QgsProcessing

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import check_cancelled
from ..i18n import tr


class EnclavePairs(YrdGeoAlgorithm):
    ID = "enclave_pairs"
    DISPLAY_NAME = "Enclave pairs: ends, desire lines, gradients"
    GROUP_ID = "corridors"

    def define(self, config):
        self.add_bool("BUNDLED", "Include the bundled pairs (from the cited papers)", default=True)
        self.add_bool("COOPERATION_ZONES", "Include the cross-border cooperation zones", default=True)
        self.add_file("PAIRS_FILE", "Your pairs (CSV/GPKG: fly_out, fly_in, kind)")
        # cities first: where two-way pairs are usually matched (the order saved models know)
        self.add_choice("TWO_WAY_LEVEL", "Match two-way pairs at",
                        {level: LEVEL_LABELS[level] for level in ("city", "county", "province")})
        self.add_file("TRAVEL_TIME", "Travel times in minutes (CSV: from_adcode, to_adcode, minutes as the "
                      "travel-time matrix writes, or a square matrix of origins × destinations)")
        self.add_table("ATTRIBUTES", "Attributes per unit (table with an adcode column)")
        self.add_field("COLUMNS", "Attribute columns for gradients (empty: all numeric)", "ATTRIBUTES",
                       optional=True, multiple=True)
        self.add_choice("ROLL_UP", "Look district ends up as", {None: "Themselves", "city": "Their city"})
        self.add_sink("ENDS", "Enclave ends")
        self.add_sink("LINES", "Desire lines", geometry=QgsProcessing.SourceType.TypeVectorLine)
        self.add_sink("NODES", "Partner network (units)", geometry=QgsProcessing.SourceType.TypeVector)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import enclaves, od

        path = self.parameterAsFile(parameters, "PAIRS_FILE", context)
        bundled = self.parameterAsBool(parameters, "BUNDLED", context)
        level = self.read_choice(parameters, "TWO_WAY_LEVEL", context)
        with self.about("PAIRS_FILE") if path else self.about():
            pairs = enclaves.enclave_pairs(path or None, bundled=bundled, level=level,
                                           cooperation_zones=self.parameterAsBool(parameters, "COOPERATION_ZONES",
                                                                                  context))
        feedback.pushInfo(tr("{n} pairs ({two} two-way).").format(n=len(pairs), two=int(pairs.two_way.sum())))
        tt_path = self.parameterAsFile(parameters, "TRAVEL_TIME", context)
        travel_time = None
        if tt_path:
            with self.about("TRAVEL_TIME"):
                travel_time = od.read(tt_path)
        attributes = self.read_table(parameters, "ATTRIBUTES", context, feedback)
        columns = None
        if attributes is not None:
            source = self.read_source(parameters, "ATTRIBUTES", context)
            columns = self.read_fields(parameters, "COLUMNS", source.fields(), context) or None
        check_cancelled(feedback)
        result = enclaves.analyze_enclaves(pairs, travel_time=travel_time, attributes=attributes, columns=columns,
                                           roll_up=self.read_choice(parameters, "ROLL_UP", context))
        layers = result.layers()
        return self.write_frames(parameters, context, {
            "ENDS": (layers["enclave_ends"], None), "LINES": (layers["enclave_desire_lines"], None),
            "NODES": (layers["enclave_nodes"], None)}, feedback)

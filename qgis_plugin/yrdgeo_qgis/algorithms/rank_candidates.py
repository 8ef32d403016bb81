"""Rank candidate fly-in sites (飞入地) for a fly-out unit by several criteria, with explanations."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message, warn
from ..i18n import tr
from ._network import access_options, define_access


class RankCandidates(YrdGeoAlgorithm):
    ID = "rank_candidates"
    DISPLAY_NAME = "Rank fly-in candidates"
    GROUP_ID = "ranking"

    def define(self, config):
        self.add_source("INPUT", "Candidate units (with criteria fields; any CRS)")
        self.add_field("BENEFIT", "Benefit criteria (more is better)", "INPUT", optional=True, multiple=True)
        self.add_field("COST", "Cost criteria (less is better)", "INPUT", optional=True, multiple=True)
        self.add_string("FLY_OUT", "Fly-out unit (e.g. 上海; empty: rank without one)")
        self.add_bool("DISTANCE_COST", "Distance from the fly-out unit's seat as a cost criterion", default=True)
        self.add_number("MAX_DISTANCE_KM", "Only candidates within (km of the fly-out unit)", default=None,
                        minimum=0, optional=True)
        self.add_choice("WEIGHTS", "Weights", {"entropy": "Entropy weights (熵权法)", "equal": "Equal weights"},
                        library="yrdgeo.ranking.WEIGHT_METHODS")
        self.add_choice("METHOD", "Scoring", {"topsis": "TOPSIS", "weighted_sum": "Weighted sum"},
                        library="yrdgeo.ranking.METHODS")
        self.add_choice("TOPSIS_INPUT", "TOPSIS input", {"raw": "Raw values (vector normalisation)",
                                                         "minmax": "Min-max values (entropy-TOPSIS)"},
                        library="yrdgeo.ranking.TOPSIS_INPUTS")
        self.add_choice("MISSING", "Candidates with missing values", {"error": "Stop with an error",
                                                                      "exclude": "Exclude them"},
                        library="yrdgeo.ranking.MISSING_POLICIES")
        self.add_field("KEY", "Candidate id field (empty: adcode)", "INPUT", numeric=False, optional=True)
        self.add_string("TRAVEL_TIME_DATE", "Travel time from the fly-out unit as a cost criterion: bundled network "
                        "open on date (YYYY-MM-DD; empty: no travel time)")
        # yrdgeo.network.UNDATED_POLICIES but "error", which the bundled network's undated road proxy always meets
        self.add_choice("UNDATED", "Travel time: links without an opening date (road proxy)", {
            "keep": "Keep them (open at every date)", "drop": "Drop them (dated links only)"})
        self.add_number("MAX_ACCESS_KM", "Travel time: no access when a seat is farther from the network than (km)",
                        default=None, minimum=0, optional=True)
        define_access(self, anchors=False)
        self.add_sink("OUTPUT", "Ranked candidates")
        self.add_sink("EXPLANATION", "Explanation (per candidate and criterion)",
                      geometry=QgsProcessing.SourceType.TypeVector,
                      optional=True)

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import ranking

        fields = self.read_source(parameters, "INPUT", context).fields()
        benefit = self.read_fields(parameters, "BENEFIT", fields, context)
        cost = self.read_fields(parameters, "COST", fields, context)
        key = self.read_field(parameters, "KEY", fields, context, numeric=False) or "adcode"
        fly_out = self.read_unit(parameters, "FLY_OUT", context)
        criteria = [ranking.Criterion(c, "benefit") for c in benefit] + [ranking.Criterion(c, "cost") for c in cost]
        max_km = self.read_number(parameters, "MAX_DISTANCE_KM", context)
        if fly_out:
            use_distance = self.parameterAsBool(parameters, "DISTANCE_COST", context)
            if use_distance or max_km is not None:
                criteria.append(ranking.Criterion(ranking.PAIR_DISTANCE, "cost", maximum=max_km,
                                                  filter_only=not use_distance))
        elif max_km is not None:
            raise QgsProcessingException(parameter_message(["MAX_DISTANCE_KM", "FLY_OUT"], tr(
                "A distance limit needs a fly-out unit.")))
        travel_date = self.read_date(parameters, "TRAVEL_TIME_DATE", context)
        if travel_date:
            if not fly_out:
                raise QgsProcessingException(parameter_message(["TRAVEL_TIME_DATE", "FLY_OUT"], tr(
                    "A travel-time date needs a fly-out unit.")))
            if ranking.PAIR_TRAVEL_TIME in fields.names():
                raise QgsProcessingException(parameter_message(["TRAVEL_TIME_DATE", "INPUT"], tr(
                    "The input already has a field {field}: clear the travel-time date to rank by that field, "
                    "or rename it to rank by the computed travel time.").format(field=ranking.PAIR_TRAVEL_TIME)))
            criteria.append(ranking.Criterion(ranking.PAIR_TRAVEL_TIME, "cost"))
        access_km = self.read_number(parameters, "MAX_ACCESS_KM", context)
        if not [c for c in criteria if not c.filter_only]:
            raise QgsProcessingException(parameter_message(["BENEFIT", "COST"], tr(
                "Choose at least one benefit or cost criterion.")))
        candidates = self.read_frame(parameters, "INPUT", context, feedback)
        options = dict(weights=self.read_choice(parameters, "WEIGHTS", context),
                       method=self.read_choice(parameters, "METHOD", context),
                       topsis_input=self.read_choice(parameters, "TOPSIS_INPUT", context),
                       missing=self.read_choice(parameters, "MISSING", context), key=key)
        feedback.setProgress(30)
        check_cancelled(feedback)
        if fly_out:
            result = next(iter(ranking.pairing_matrix(
                [fly_out], candidates, criteria, travel_time_as_of=travel_date,
                undated=self.read_choice(parameters, "UNDATED", context),
                max_access_km=access_km, **(access_options(self, parameters, context, feedback) if travel_date
                                            else {}), **options).results.values()))
        else:
            result = ranking.rank_candidates(candidates, criteria, **options)
        for warning in result.warnings:
            warn(feedback, warning)
        feedback.pushInfo(tr("Ranked {n} of {total} candidates ({method}, {source} weights: {weights}).").format(
            n=result.n_ranked, total=len(result.frame), method=result.method, source=result.weight_source,
            weights=", ".join(f"{k} {v:.3f}" for k, v in result.weights.items())))
        outputs = {"OUTPUT": (result.frame, "ranked")}
        if "EXPLANATION" in parameters:
            outputs["EXPLANATION"] = (result.explanation_long(), None)
        return self.write_frames(parameters, context, outputs, feedback)

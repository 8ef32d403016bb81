"""Coupling coordination degree (耦合协调度) C, T, D and grade of two or three subsystems of a unit table."""

from qgis.core import QgsProcessing, QgsProcessingException

from ..base import YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr

SYSTEMS = ("SYSTEM_1", "SYSTEM_2", "SYSTEM_3")


class CouplingCoordination(YrdGeoAlgorithm):
    ID = "coupling_coordination"
    DISPLAY_NAME = "Coupling coordination degree"
    GROUP_ID = "statistics"

    def define(self, config):
        self.add_source("TABLE", "Table of units (any layer or table)", geometry=QgsProcessing.SourceType.TypeVector)
        self.add_field("SYSTEM_1", "Subsystem 1: its criteria fields (or its index field)", "TABLE", multiple=True)
        self.add_field("SYSTEM_2", "Subsystem 2: its criteria fields (or its index field)", "TABLE", multiple=True)
        self.add_field("SYSTEM_3", "Subsystem 3 (optional): its criteria fields (or its index field)", "TABLE",
                       multiple=True, optional=True)
        self.add_bool("ENTROPY", "Compute each subsystem's index by the entropy method (off: each subsystem is "
                      "one field already in [0, 1])", default=True)
        self.add_field("COST", "Cost criteria (smaller is better) among the fields above", "TABLE", multiple=True,
                       optional=True)
        self.add_string("NAMES", "Subsystem names, comma-separated (default system1,system2[,system3])")
        self.add_string("WEIGHTS", "Weights α,β[,γ] of T, summing to 1 (default equal)")
        self.add_field("KEY", "Unit field: adcode or name (empty: found by its name)", "TABLE", numeric=False,
                       optional=True)
        self.add_sink("OUTPUT", "Coupling coordination (U, C, T, D, grade)")

    def compute(self, parameters, context, feedback, yrdgeo):
        from yrdgeo import coordination, inputs

        fields = self.read_source(parameters, "TABLE", context).fields()
        systems = [self.read_fields(parameters, name, fields, context) for name in SYSTEMS]
        given = [(name, cols) for name, cols in zip(SYSTEMS, systems) if cols]
        cost = set(self.read_fields(parameters, "COST", fields, context))
        key = self.read_field(parameters, "KEY", fields, context, numeric=False)
        names = self.read_list(parameters, "NAMES", context) or [f"system{i + 1}" for i in range(len(given))]
        if len(names) != len(given):
            raise QgsProcessingException(parameter_message(["NAMES"], tr(
                "{n} names for {k} subsystems; give one name per subsystem, or none.").format(
                n=len(names), k=len(given))))
        weights = None
        if self.is_given(parameters, "WEIGHTS"):
            weights = self.read_numbers(parameters, "WEIGHTS", context, example="0.5,0.5")
        entropy = self.parameterAsBoolean(parameters, "ENTROPY", context)
        if entropy:
            spec = {n: {c: "cost" if c in cost else "benefit" for c in cols} for n, (_, cols) in zip(names, given)}
        else:
            several = [name for name, cols in given if len(cols) != 1]
            if several or cost:
                raise QgsProcessingException(parameter_message([*several, "ENTROPY"], tr(
                    "Without the entropy method each subsystem is one index field in [0, 1] (and no cost "
                    "criteria); choose one field per subsystem, or switch the entropy method on.")))
            spec = [cols[0] for _, cols in given]
        wanted = list(dict.fromkeys(c for _, cols in given for c in cols))
        table = self.read_table(parameters, "TABLE", context, feedback)
        check_cancelled(feedback)
        with self.about("TABLE", *[name for name, _ in given]):
            data = inputs.read_table(table, key=key, columns=wanted, what=tr("table of units")).data
            res = coordination.coupling_coordination(data, spec, weights=weights, label="adcode")
        counts = res.grade_counts()
        feedback.pushInfo(tr("Coupling coordination of {n} units: {grades}.").format(
            n=len(res.frame), grades=", ".join(f"{g} {c}" for g, c in counts.items() if c)))
        frame = yrdgeo.select_units(list(res.frame["adcode"]))[["adcode", "geometry"]].merge(res.frame, on="adcode")
        return self.write_frames(parameters, context, {"OUTPUT": (frame, None)}, feedback)

"""Region-group membership over time: the member units of chosen groups, every version or as of a date.

The GROUPS options are the library's region groups (``yrdgeo.regions.list_groups()``, one row each in
``yrdgeo/data/reference/region_groups.csv``), read from that file when the provider loads, without importing
the library. Saved models store an option's index: the file is appended to, never reordered.
"""

import csv
import importlib.util
import os

from qgis.core import QgsProcessingException

from ..base import LEVEL_LABELS, YrdGeoAlgorithm
from ..convert import check_cancelled, parameter_message
from ..i18n import tr


def bundled_groups():
    """Return ``{group_id: label}`` of the library's region groups in its order ({} without the library)."""
    try:
        spec = importlib.util.find_spec("yrdgeo")  # located, not imported
    except (ImportError, ValueError):
        return {}
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = os.path.join(list(spec.submodule_search_locations)[0], "data", "reference", "region_groups.csv")
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        return {}
    return {row["group_id"]: f"{row['group_id']} — {row['group_zh']}" for row in rows}


class RegionGroups(YrdGeoAlgorithm):
    ID = "region_groups"
    DISPLAY_NAME = "Region-group membership over time"
    GROUP_ID = "units"

    def define(self, config):
        self.add_choice("GROUPS", "Region groups (each version of a series is listed)", bundled_groups(),
                        multiple=True)
        self.add_string("AS_OF", "As of date (YYYY-MM-DD; empty: every chosen version)")
        self.add_choice("LEVEL", "Units: as listed, or every unit of one level a group covers",
                        {None: "Members as listed", **LEVEL_LABELS}, library="yrdgeo.units.LEVELS", optional=True)
        self.add_sink("OUTPUT", "Region-group members")

    def compute(self, parameters, context, feedback, yrdgeo):
        import pandas as pd

        from yrdgeo import regions

        chosen = self.read_choices(parameters, "GROUPS", context)  # Processing refuses none
        as_of = self.read_date(parameters, "AS_OF", context)
        level = self.read_choice(parameters, "LEVEL", context)
        listed = regions.list_groups().set_index("group_id")
        # As of a date, a version stands for its series: the version in force then (g60_v1 in 2019: g60_v3).
        asked = list(dict.fromkeys(listed.at[g, "series"] for g in chosen)) if as_of else chosen
        frames = []
        for group in asked:
            check_cancelled(feedback)
            with self.about("GROUPS", "AS_OF"):
                members = regions.group_members(group, as_of=as_of, level=level)
            if members.empty:
                continue
            version = listed.loc[members.group_id.iloc[0]]
            frames.append(members.assign(group=version.series, version=members.group_id, group_zh=version.group_zh,
                                         since=version.since, until=version.until,
                                         notes=[_notes(m, j) for m, j in zip(members.membership, members.joined)]))
            feedback.pushInfo(tr("{version} ({name}): {n} units.").format(
                version=members.group_id.iloc[0], name=version.group_zh, n=len(members)))
        if not frames:
            raise QgsProcessingException(parameter_message(["GROUPS", "AS_OF"], tr(
                "None of the chosen region groups had members on {date}.").format(date=as_of)))
        frame = pd.concat(frames, ignore_index=True)
        return {"OUTPUT": self.write_frame(parameters, "OUTPUT", context, frame, feedback, style="units")}


def _notes(membership, joined):
    """Return what a member's row cannot say as a plain yes: only part of it belongs, it joined later."""
    from yrdgeo.regions import JOINED_LATER

    return "; ".join(n for n in (membership if membership != "whole" else "",
                                 joined if joined == JOINED_LATER else "") if n)

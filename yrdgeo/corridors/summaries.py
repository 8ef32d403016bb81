"""Corridor summaries: the wings side by side (length, units, area, joined attributes) and wing polygons."""

from __future__ import annotations

import warnings
from typing import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..checks import check_choices
from ..crs import AREA_CRS, WGS84
from ..inputs import indicators_by_code
from ..units import by_code
from .geometry import centrelines, corridor_band, corridor_members
from .model import Corridor

AGGREGATIONS = ("sum", "mean", "median", "min", "max", "std", "count")

__all__ = ["AGGREGATIONS", "summarize_wings", "wing_polygons"]


def summarize_wings(
    corridor: Corridor,
    *,
    width_km: float | None = None,
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    agg: str | Mapping[str, str] = "sum",
) -> pd.DataFrame:
    """Return one row per wing plus ``"all"``: length, units, area and joined attributes, side by side.

    Each wing counts the hub (G60: south 4 units, north 6); the ``"all"``
    row counts it once.

    Parameters
    ----------
    corridor
        The corridor.
    width_km
        If given, add ``band_area_km2`` for a band of that width.
    attributes
        A table with an ``adcode`` column (or adcodes as index) and numeric
        columns to aggregate over each wing's members, e.g. GDP or
        population. Members missing from it count as missing values, and a
        ``UserWarning`` names them per column (a sum over the members that
        have a value is smaller than the wing's true total).
    columns
        The attribute columns to use (default: every numeric column).
    agg
        An aggregation name from :data:`AGGREGATIONS` (``"sum"``, ``"mean"``,
        ``"median"``, ``"min"``, ``"max"``, ``"std"``, ``"count"``) or
        ``{column: name}``.

    Returns
    -------
    pandas.DataFrame
        Columns ``corridor_id``, ``wing``, ``n_units``, ``units_zh``,
        ``length_km`` (centreline, geodesic; for ``"all"`` the sum of the
        wings), ``member_area_km2`` (equal-area), optionally
        ``band_area_km2``, then per attribute column its aggregate and
        ``<column>_n`` (members with a value).
    """
    members = corridor_members(corridor)
    members["member_area_km2"] = members.geometry.to_crs(AREA_CRS).area.to_numpy() / 1e6
    lines = centrelines(corridor)
    length = dict(zip(lines.wing, lines.length_km))
    groups = {w: corridor.wing_units(w) for w in corridor.wings}
    groups["all"] = corridor.adcodes
    attr = indicators_by_code(attributes, columns=columns) if attributes is not None else None
    funcs = {c: (agg if isinstance(agg, str) else agg.get(c, "sum")) for c in (attr.columns if attr is not None else [])}
    named = [("agg", agg)] if isinstance(agg, str) else [(f"agg[{c!r}]", how) for c, how in agg.items()]
    check_choices(*((name, how, AGGREGATIONS) for name, how in named))
    if attr is not None and not isinstance(agg, str):
        unknown = set(agg) - set(attr.columns)
        if unknown:
            msg = f"agg names columns {sorted(unknown)} that are not among the attributes {list(attr.columns)}"
            raise ValueError(msg)
    band = corridor_band(corridor, width_km) if width_km is not None else None
    band_area = dict(zip(band.wing, band.area_km2)) if band is not None else {}
    if band is not None and "all" not in band_area:
        band_area["all"] = float(band.area_km2.iloc[0])
    area = dict(zip(members.adcode, members.member_area_km2))
    names = dict(zip(members.adcode, members.name_zh))
    if attr is not None:
        _warn_missing_members(corridor, attr, names, agg)
    rows = []
    for w, codes in groups.items():
        row = dict(corridor_id=corridor.corridor_id, wing=w, n_units=len(codes),
                   units_zh="、".join(names[c] for c in codes),
                   length_km=length.get(w, sum(length.values()) if w == "all" else 0.0),
                   member_area_km2=float(sum(area[c] for c in codes)))
        if band is not None:
            row["band_area_km2"] = float(band_area.get(w, np.nan))
        if attr is not None:
            sub = attr.reindex(codes)
            for c in attr.columns:
                vals = sub[c].dropna()
                row[c] = float(vals.agg(funcs[c])) if len(vals) else np.nan
                row[f"{c}_n"] = int(len(vals))
        rows.append(row)
    return pd.DataFrame(rows)


def _warn_missing_members(corridor: Corridor, attr: pd.DataFrame, names: Mapping[str, str],
                          agg: str | Mapping[str, str]) -> None:
    """Warn, naming them per column, about corridor members that have no value in ``attr``."""
    # a member without a row (a district beside whole cities, a city table missing one city) or with an
    # empty cell drops out of the aggregate; said nothing, a wing's sum would look like its total
    sub = attr.reindex(list(corridor.adcodes))
    parts = []
    for c in attr.columns:
        missing = list(sub.index[sub[c].isna()])
        if missing:
            how = agg if isinstance(agg, str) else agg.get(c, "sum")
            listing = ", ".join(f"{names.get(code, code)} ({code})" for code in missing)
            parts.append(f"{c!r} ({how} over {len(corridor.adcodes) - len(missing)} of "
                         f"{len(corridor.adcodes)} members): no value for {listing}")
    if parts:
        msg = (f"{corridor.corridor_id}: the attribute table has no value for some corridor members, so their "
               f"wings' aggregates leave them out: " + "; ".join(parts)
               + ". Give a value for each member (a table at the members' own levels) or read the <column>_n columns.")
        warnings.warn(msg, UserWarning, stacklevel=3)


def wing_polygons(corridor: Corridor) -> gpd.GeoDataFrame:
    """Return one polygon per wing (the union of its members' polygons, hub included), with its summary.

    Columns: those of :func:`summarize_wings` for the wings, geometry
    (MultiPolygon/Polygon, EPSG:4326).
    """
    summary = summarize_wings(corridor)
    summary = summary[summary.wing != "all"].reset_index(drop=True)
    t = by_code()
    geoms = [shapely.union_all(t.loc[corridor.wing_units(w), "geometry"].to_numpy()) for w in summary.wing]
    return gpd.GeoDataFrame(summary, geometry=geoms, crs=WGS84)

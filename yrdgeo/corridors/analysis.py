"""The one-call corridor analysis and its GeoPackage layers, for the command line and the QGIS algorithms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import geopandas as gpd
import pandas as pd

from ..checks import check_number
from ..crs import WGS84
from .geometry import WIDTH_UNIT, centrelines, corridor_band, corridor_members, units_near
from .model import Corridor
from .summaries import summarize_wings, wing_polygons

__all__ = ["CorridorAnalysis", "analyze_corridor", "combine_layers", "corridor_layers"]


@dataclass
class CorridorAnalysis:
    """Everything the corridor exports: the layers and the wing summary.

    Attributes
    ----------
    corridor
        The corridor analysed.
    width_km
        Band distance on each side of the centreline.
    members, centrelines, bands, wings
        Layers from :func:`corridor_members`, :func:`centrelines`,
        :func:`corridor_band` and :func:`wing_polygons` (EPSG:4326).
    units
        Units near the corridor (:func:`units_near`), or ``None``.
    summary
        :func:`summarize_wings` with the band area.
    """

    corridor: Corridor
    width_km: float
    members: gpd.GeoDataFrame
    centrelines: gpd.GeoDataFrame
    bands: gpd.GeoDataFrame
    wings: gpd.GeoDataFrame
    units: gpd.GeoDataFrame | None
    summary: pd.DataFrame

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Return the layers by GeoPackage layer name (``corridor_members``, ``_centrelines``, ``_bands``, ``_wings``, ``_units``)."""
        out = {"corridor_members": self.members, "corridor_centrelines": self.centrelines,
               "corridor_bands": self.bands, "corridor_wings": self.wings}
        if self.units is not None:
            out["corridor_units"] = self.units
        return out


def analyze_corridor(
    corridor: Corridor,
    width_km: float,
    *,
    units: str | gpd.GeoDataFrame | None = "county",
    attributes: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
    agg: str | Mapping[str, str] = "sum",
) -> CorridorAnalysis:
    """Return every corridor layer and the wing summary for a band of ``width_km``.

    This is the one call the command line and the QGIS algorithms make.
    ``units`` (a level or a frame; ``None`` to skip) selects the units to
    test against the band; ``attributes``/``columns``/``agg`` go to
    :func:`summarize_wings`.
    """
    w = check_number("width_km", width_km, minimum=0, inclusive=True, unit=WIDTH_UNIT)
    near = units_near(corridor, w, units=units) if units is not None else None
    if near is not None and isinstance(near, gpd.GeoDataFrame) and near.crs is not None and not near.crs.equals(WGS84):
        near = near.to_crs(WGS84)
    return CorridorAnalysis(
        corridor=corridor, width_km=w, members=corridor_members(corridor), centrelines=centrelines(corridor),
        bands=corridor_band(corridor, w), wings=wing_polygons(corridor), units=near,
        summary=summarize_wings(corridor, width_km=w, attributes=attributes, columns=columns, agg=agg),
    )


def corridor_layers(corridors: Corridor | Sequence[Corridor], width_km: float, *,
                    units: str | gpd.GeoDataFrame | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Return the GeoPackage layers for one or several corridors, rows of all corridors stacked per layer.

    Write them with ``yrdgeo.io.write_layers(layers, "out.gpkg")``.
    """
    items = [corridors] if isinstance(corridors, Corridor) else list(corridors)
    if not items:
        msg = "no corridors given"
        raise ValueError(msg)
    return combine_layers([analyze_corridor(c, width_km, units=units) for c in items])


def combine_layers(analyses: Sequence[CorridorAnalysis]) -> dict[str, gpd.GeoDataFrame]:
    """Return the layers of several :class:`CorridorAnalysis` results stacked per layer (``corridor_id`` tells them apart)."""
    if not analyses:
        msg = "no corridor analyses given"
        raise ValueError(msg)
    ids = [a.corridor.corridor_id for a in analyses]
    if len(set(ids)) != len(ids):
        msg = f"corridor ids must differ to share layers, got {ids}"
        raise ValueError(msg)
    parts = [a.layers() for a in analyses]
    names = list(dict.fromkeys(n for p in parts for n in p))
    out = {}
    for name in names:
        frames = []
        for p, a in zip(parts, analyses):
            if name not in p:
                continue
            f = p[name]
            if "corridor_id" not in f.columns:
                f = f.copy()
                f.insert(0, "corridor_id", a.corridor.corridor_id)
            frames.append(f)
        out[name] = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=WGS84)
    return out

"""Helpers the map modules share (private to :mod:`yrdgeo.maps`): the map CRS, drawing-only simplification, axes."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..crs import require_crs
from .style import MAP_CRS

# Set on an axes drawn by plot_map: its data are MAP_CRS metres (the furniture checks it).
_MAP_AXES_MARK = "_yrdgeo_map_crs"


def to_map_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> gpd.GeoDataFrame:
    """Return ``frame`` in :data:`MAP_CRS` without empty geometries; ValueError naming ``what`` if it has no CRS."""
    require_crs(frame, what=what)
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(geometry=frame)
    out = frame.to_crs(MAP_CRS)
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def simplified(frame: gpd.GeoDataFrame, tol: float) -> gpd.GeoSeries:
    """Return the geometry simplified to ``tol`` metres, for drawing only (a tenth of a millimetre on paper)."""
    return frame.geometry.simplify(tol, preserve_topology=True)


def ensure_agg(fig: Any) -> None:
    """Give ``fig`` an Agg canvas if it has none: label layout and wrapping measure text with its renderer."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)


def mark_map_axes(ax: Any) -> None:
    """Record on ``ax`` that its data coordinates are :data:`MAP_CRS` metres."""
    setattr(ax, _MAP_AXES_MARK, MAP_CRS.to_string())


def is_map_axes(ax: Any) -> bool:
    """Return whether ``ax`` was marked by :func:`mark_map_axes`."""
    return getattr(ax, _MAP_AXES_MARK, None) == MAP_CRS.to_string()


def is_numeric(values: pd.Series) -> bool:
    """Return whether a column is classified as numbers (numeric and not boolean) rather than drawn as categories."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def relative_luminance(rgb: Any) -> float:
    """Return the WCAG relative luminance (0 black … 1 white) of an sRGB triple in 0–1."""
    c = np.asarray(rgb, dtype=float)[:3]
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(lin @ np.array([0.2126, 0.7152, 0.0722]))

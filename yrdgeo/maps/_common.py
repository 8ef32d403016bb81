"""Helpers the map modules share (private to :mod:`yrdgeo.maps`): the map CRS, drawing-only simplification, axes,
and the content-keyed cache of projected and simplified layers (:func:`content_cache`)."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Any, Callable, Hashable, Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..crs import caches_enabled, require_crs
from .style import MAP_CRS

# Set on an axes drawn by plot_map: its data are MAP_CRS metres (the furniture checks it).
_MAP_AXES_MARK = "_yrdgeo_map_crs"


# Results computed once per content inside content_cache() (None outside): see cached().
_STORE: dict[Hashable, Any] | None = None


@contextmanager
def content_cache() -> Iterator[None]:
    """Return a context in which :func:`cached` keeps what it computes (off when caches are disabled)."""
    global _STORE
    outer = _STORE
    if outer is None and caches_enabled():
        _STORE = {}
    try:
        yield
    finally:
        _STORE = outer


def caching() -> bool:
    """Return whether :func:`cached` keeps results (inside :func:`content_cache`, caches enabled)."""
    return _STORE is not None


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Return ``compute()``, computed once per ``key`` inside :func:`content_cache` (every time outside it)."""
    if _STORE is None:
        return compute()
    if key not in _STORE:
        _STORE[key] = compute()
    return _STORE[key]


def content_key(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> bytes:
    """Return a digest of ``frame``'s geometries (WKB, in row order, missing ones marked) and CRS.

    Inside :func:`content_cache` the digest of the same geometry objects is computed once: shapely geometries
    cannot change, and the cache holds the objects, so their ids cannot be reused while it lives.
    """
    values = np.asarray(frame.geometry.values)
    crs = str(frame.crs)
    same = None if _STORE is None else ("content_key", crs, tuple(map(id, values)))
    if same is not None and same in _STORE:
        return _STORE[same][0]
    digest = hashlib.sha256(crs.encode())
    for wkb in shapely.to_wkb(values):
        digest.update(b"\xff" * 8 if wkb is None else len(wkb).to_bytes(8, "little") + wkb)
    if same is not None:
        _STORE[same] = digest.digest(), values.copy()  # the objects themselves, not the caller's array
    return digest.digest()


def to_map_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str, *, key: bytes | None = None) -> gpd.GeoDataFrame:
    """Return ``frame`` in :data:`MAP_CRS` without empty geometries; ValueError naming ``what`` if it has no CRS.

    Inside :func:`content_cache` the same geometries are projected once (``key``: their
    :func:`content_key`, when the caller has it): the atlas draws the same cities and counties on many maps.
    """
    require_crs(frame, what=what)
    if not isinstance(frame, gpd.GeoDataFrame):
        frame = gpd.GeoDataFrame(geometry=frame)
    if not caching():
        out = frame.to_crs(MAP_CRS)
    else:  # as GeoDataFrame.to_crs does, with the projected geometries of the same content
        geoms = cached(("projected", key or content_key(frame)), lambda: frame.geometry.values.to_crs(MAP_CRS))
        out = frame.copy()
        out.geometry = gpd.GeoSeries(geoms.copy(), index=frame.index, name=frame.geometry.name)
    return out[~(out.geometry.isna() | out.geometry.is_empty)]


def simplified(frame: gpd.GeoDataFrame | gpd.GeoSeries, tol: float) -> gpd.GeoSeries:
    """Return the geometry simplified to ``tol`` metres, for drawing only (a tenth of a millimetre on paper).

    Plain Douglas-Peucker first, 10-20x faster than the topology-preserving simplifier on the bundled
    outlines; a row it breaks (a part or hole lost, e.g. a small island of Zhoushan at this scale, or an
    invalid outline) is simplified again preserving topology, so that every island and hole is still drawn.
    """
    geoms = frame.geometry
    values = np.asarray(geoms.values)
    out = shapely.simplify(values, tol, preserve_topology=False)
    broken = (_rings(out) != _rings(values)) | ~(shapely.is_valid(out) | shapely.is_missing(out))
    if broken.any():
        out[broken] = shapely.simplify(values[broken], tol, preserve_topology=True)
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs, name=geoms.name)


def _rings(values: np.ndarray) -> np.ndarray:
    """Return the number of parts and interior rings (holes) of each geometry of ``values``."""
    parts, row = shapely.get_parts(values, return_index=True)
    holes = np.maximum(shapely.get_num_interior_rings(parts), 0)  # -1 for a part that is not a polygon
    return np.bincount(row, weights=holes + 1, minlength=len(values))


def ensure_agg(fig: Any) -> None:
    """Give ``fig`` an Agg canvas if it has none: label layout and wrapping measure text with its renderer."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)


@contextmanager
def deferred_draws(fig: Any) -> Iterator[None]:
    """Return a context in which ``fig.canvas.draw_idle()`` does nothing; on leaving, one is requested if any was.

    geopandas' ``.plot`` ends with ``draw_idle()``, which on an Agg canvas draws the whole figure at
    once: a map of six layers drew itself six times before being saved (drawn again). Nothing laid
    out here needs those drawings (labels and the locator measure with the renderer); an interactive
    canvas still gets its one refresh request at the end.
    """
    canvas = fig.canvas
    requested = []
    canvas.draw_idle = lambda *args, **kwargs: requested.append(True)  # this canvas only, for the context
    try:
        yield
    finally:
        del canvas.draw_idle  # the class's method again
        if requested and type(canvas) is not FigureCanvasAgg:  # plain Agg shows nothing: no refresh needed
            canvas.draw_idle()


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

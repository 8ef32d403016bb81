"""Distances and areas between YRD units, measured geodesically or in an equal-area CRS.

Distances run seat to seat (the ``anchor_lon``/``anchor_lat`` of each unit), on
the WGS84 ellipsoid with pyproj: Shanghai–Hangzhou is 162.9 km and
Shanghai–Nanjing 270.1 km, against "about 165" and "about 270" in 林玉妹、林善浪
《区域一体化背景下跨区域产业协同发展研究——以长三角地区为例》.
Centroids would give 242 and 263 km; Hangzhou's centroid lies far west of the city.
"""

from __future__ import annotations

from typing import Sequence

import geopandas as gpd
import pandas as pd

from .crs import area_km2, geodesic_distance_km
from .units import anchors, resolve

#: A WGS84 point as ``(lon, lat)``, accepted wherever a unit's seat is (distances, accessibility centres, rings).
PointLike = tuple[float, float]


def locate(where: str | int | PointLike) -> tuple[str | None, PointLike]:
    """Return ``(adcode, (lon, lat))`` of a unit's seat of government, or ``(None, (lon, lat))`` for a point.

    Parameters
    ----------
    where
        A unit name or adcode (anything :func:`yrdgeo.units.resolve` reads), or a WGS84
        ``(lon, lat)`` tuple, used as given.

    Raises
    ------
    yrdgeo.units.UnitError
        ``where`` is neither a 2-tuple nor a YRD unit (the message says why).
    """
    if isinstance(where, tuple) and len(where) == 2:
        return None, (float(where[0]), float(where[1]))
    code = resolve(where)
    ((lon, lat),) = anchors([code])
    return code, (float(lon), float(lat))


def distance_km(a: str | int | PointLike, b: str | int | PointLike) -> float:
    """Return the geodesic distance in km between two units' seats or (lon, lat) WGS84 points."""
    (x1, y1), (x2, y2) = locate(a)[1], locate(b)[1]
    return float(geodesic_distance_km(x1, y1, x2, y2))


def distance_matrix_km(
    origins: gpd.GeoDataFrame, destinations: gpd.GeoDataFrame | None = None, *, key: str = "adcode"
) -> pd.DataFrame:
    """Return a DataFrame of seat-to-seat geodesic distances in km, labelled by ``key``.

    Both frames need ``anchor_lon``/``anchor_lat`` (any yrdgeo unit frame has them).
    """
    destinations = origins if destinations is None else destinations
    for name, f in (("origins", origins), ("destinations", destinations)):
        missing = {"anchor_lon", "anchor_lat", key} - set(f.columns)
        if missing:
            msg = f"{name} lacks columns {sorted(missing)}; pass a yrdgeo unit frame or add anchor_lon/anchor_lat"
            raise ValueError(msg)
    d = geodesic_distance_km(
        origins.anchor_lon.to_numpy()[:, None], origins.anchor_lat.to_numpy()[:, None],
        destinations.anchor_lon.to_numpy()[None, :], destinations.anchor_lat.to_numpy()[None, :],
    )
    return pd.DataFrame(d, index=origins[key].to_numpy(), columns=destinations[key].to_numpy())


def with_area(frame: gpd.GeoDataFrame, *, column: str = "area_km2", method: str = "equal_area") -> gpd.GeoDataFrame:
    """Return a copy of ``frame`` with a column of polygon areas in km² (equal-area CRS or geodesic).

    The frame passes the layer gate first (:func:`yrdgeo.inputs.check_layer`): a frame without CRS,
    null or empty polygons are refused; an invalid polygon (a bow-tie's signed area is about 0) is
    repaired with ``shapely.make_valid`` and reported, and the copy carries the repaired geometry.
    """
    from .inputs import check_layer

    out = check_layer(frame, geometry="polygon", compare_bundled=False, what="the polygons to measure")
    out[column] = area_km2(out, method=method)
    return out


__all__: Sequence[str] = ["PointLike", "distance_km", "distance_matrix_km", "locate", "with_area"]

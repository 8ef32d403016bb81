"""Regular grids over the YRD (or a planner's units) in an equal-area CRS, built band by band on dask.

A grid is a :class:`GridSpec` (cell size, top-left corner, rows, columns, CRS) and a dask frame of
the cells that lie in a unit: one row per cell with its ``cell_id``, ``row``, ``col``, centre
``x``/``y`` and the ``county`` and ``city`` adcodes of the unit its centre lies in. Row 0 is the
northernmost row and column 0 the westernmost, so cell (row, col) is pixel (row, col) of
``spec.transform`` and any result column is a GeoTIFF as it stands.

The frame is built partition by partition: a partition is a band of whole rows, built in its own
task from the unit polygons (shipped to the workers once), so no process ever holds the whole grid
(36M cells at 100 m). Cell geometry is not stored: it follows from row and column.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from pyproj import CRS

from ..checks import check_integer, check_number
from ..crs import AREA_CRS

__all__ = ["CELL_COLUMNS", "Grid", "GridSpec", "make_grid"]

#: The columns of :attr:`Grid.frame`, in order, with their dtypes.
CELL_COLUMNS: dict[str, str] = {"cell_id": "int64", "row": "int32", "col": "int32", "x": "float64",
                                "y": "float64", "county": "int64", "city": "int64"}

# A band holds about this many cells of the grid's bounding box (a few MB per column), and a
# grid has at least _MIN_BANDS bands so that two or more workers share even a 1 km grid.
_BAND_CELLS = 2**19
_MIN_BANDS = 8


@dataclass(frozen=True)
class GridSpec:
    """A regular grid: square cells of ``cell_size`` metres from the top-left corner (``x_min``, ``y_max``).

    Row 0 is the northernmost row, column 0 the westernmost; ``cell_id = row * ncols + col``.
    ``crs`` is :data:`yrdgeo.crs.AREA_CRS` (Albers equal-area) unless given, so every cell has the
    same area on the ground.
    """

    cell_size: float
    x_min: float
    y_max: float
    ncols: int
    nrows: int
    crs: CRS = AREA_CRS

    def __post_init__(self) -> None:
        object.__setattr__(self, "cell_size", check_number("cell_size", self.cell_size, unit="metres"))
        object.__setattr__(self, "ncols", check_integer("ncols", self.ncols))
        object.__setattr__(self, "nrows", check_integer("nrows", self.nrows))
        object.__setattr__(self, "crs", CRS.from_user_input(self.crs))
        for name in ("x_min", "y_max"):
            check_number(name, getattr(self, name), minimum=None, unit="metres")

    @classmethod
    def covering(cls, bounds: Any, cell_size: float, *, crs: Any = AREA_CRS) -> "GridSpec":
        """Return the grid of ``cell_size`` covering ``bounds`` (x_min, y_min, x_max, y_max in ``crs``), corner snapped.

        The top-left corner is snapped outward to a multiple of ``cell_size``, so grids of the same
        cell size share their cell edges whatever area they cover.
        """
        cs = check_number("cell_size", cell_size, unit="metres")
        x0, y0, x1, y1 = (float(b) for b in bounds)
        if not (x1 > x0 and y1 > y0):
            msg = f"bounds must be (x_min, y_min, x_max, y_max) with x_max > x_min and y_max > y_min, got {bounds!r}"
            raise ValueError(msg)
        left, top = math.floor(x0 / cs) * cs, math.ceil(y1 / cs) * cs
        ncols = max(1, math.ceil((x1 - left) / cs))
        nrows = max(1, math.ceil((top - y0) / cs))
        return cls(cs, left, top, ncols, nrows, crs)

    @property
    def transform(self) -> Affine:
        """Return the affine transform of the grid as a raster (pixel (row, col) = cell (row, col))."""
        return Affine(self.cell_size, 0.0, self.x_min, 0.0, -self.cell_size, self.y_max)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return (x_min, y_min, x_max, y_max) of the whole grid in its CRS."""
        return (self.x_min, self.y_max - self.nrows * self.cell_size,
                self.x_min + self.ncols * self.cell_size, self.y_max)

    @property
    def cell_area_km2(self) -> float:
        """Return the area of one cell in km² (equal for every cell in an equal-area CRS)."""
        return self.cell_size**2 / 1e6

    @property
    def size(self) -> int:
        """Return the number of cells of the bounding rectangle (``nrows * ncols``), in a unit or not."""
        return self.nrows * self.ncols

    def centres(self, rows: Any, cols: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return the centres (x, y) of cells (rows, cols) in the grid CRS, as float64 arrays."""
        rows, cols = np.asarray(rows, dtype="float64"), np.asarray(cols, dtype="float64")
        return self.x_min + (cols + 0.5) * self.cell_size, self.y_max - (rows + 0.5) * self.cell_size

    def cell_id(self, rows: Any, cols: Any) -> np.ndarray:
        """Return the ids (``row * ncols + col``, int64) of cells (rows, cols)."""
        return np.asarray(rows, dtype="int64") * self.ncols + np.asarray(cols, dtype="int64")

    def row_col(self, cell_id: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return (rows, cols) of the given cell ids as int64 arrays."""
        return np.divmod(np.asarray(cell_id, dtype="int64"), self.ncols)

    def squares(self, rows: Any, cols: Any) -> np.ndarray:
        """Return the cells (rows, cols) as square shapely polygons in the grid CRS."""
        x, y = self.centres(rows, cols)
        h = self.cell_size / 2
        return shapely.box(x - h, y - h, x + h, y + h)

    def bands(self, partition_rows: int | None = None) -> list[tuple[int, int]]:
        """Return the row bands ``[(r0, r1), …]`` of ``partition_rows`` rows each (the last may be shorter).

        By default a band holds about half a million cells of the bounding rectangle, and a grid has
        at least eight bands (fewer only when it has fewer rows).
        """
        if partition_rows is None:
            partition_rows = max(1, min(math.ceil(self.nrows / _MIN_BANDS), _BAND_CELLS // self.ncols))
        step = check_integer("partition_rows", partition_rows)
        return [(r0, min(r0 + step, self.nrows)) for r0 in range(0, self.nrows, step)]


@dataclass(frozen=True)
class _Units:
    """The unit polygons in the grid CRS with their codes and cell windows: what each band task receives once."""

    geoms: np.ndarray  # shapely polygons, grid CRS
    county: np.ndarray  # int64 code of each unit
    city: np.ndarray  # int64 city code of each unit
    windows: np.ndarray  # (n, 4) int64: first row, last row, first col, last col whose centres may fall inside


def _windows(geoms: np.ndarray, spec: GridSpec) -> np.ndarray:
    """Return each polygon's (row0, row1, col0, col1) window of candidate cells, inclusive, one cell of margin."""
    b = shapely.bounds(geoms)
    cs = spec.cell_size
    col0 = np.floor((b[:, 0] - spec.x_min) / cs - 0.5) - 1
    col1 = np.ceil((b[:, 2] - spec.x_min) / cs - 0.5) + 1
    row0 = np.floor((spec.y_max - b[:, 3]) / cs - 0.5) - 1
    row1 = np.ceil((spec.y_max - b[:, 1]) / cs - 0.5) + 1
    out = np.stack([row0, row1, col0, col1], axis=1)
    hi = np.array([spec.nrows - 1, spec.nrows - 1, spec.ncols - 1, spec.ncols - 1])
    return np.clip(out, 0, hi).astype("int64")


def _build_band(spec: GridSpec, r0: int, r1: int, units: _Units) -> pd.DataFrame:
    """Return the cells of rows ``[r0, r1)`` whose centre lies in a unit, sorted by cell_id (one partition).

    Each unit tests only the centres inside its bounding window (shapely ``contains_xy`` on the
    prepared polygon), so a band costs about the cells of the units' windows it crosses. A centre
    in two units (a shared edge, overlapping planner's polygons) goes to the first unit.
    """
    ncols = spec.ncols
    owner = np.full((r1 - r0) * ncols, -1, dtype="int64")
    w = units.windows
    hit = np.flatnonzero((w[:, 0] < r1) & (w[:, 1] >= r0))
    # Each task clips its own copies to the band (a margin of two cells: no tested centre lies near the cut):
    # fewer vertices to test, and prepared geometries are never shared between threads (GEOS's are not
    # thread-safe: a shared prepare crashes the threaded scheduler).
    top = spec.y_max - (r0 - 2) * spec.cell_size
    bottom = spec.y_max - (r1 + 2) * spec.cell_size
    x0, _, x1, _ = spec.bounds
    clipped = dict(zip(hit.tolist(), shapely.clip_by_rect(units.geoms[hit], x0 - spec.cell_size, bottom,
                                                           x1 + spec.cell_size, top)))
    for i in hit:
        a, b = max(int(w[i, 0]), r0), min(int(w[i, 1]), r1 - 1)
        c0, c1 = int(w[i, 2]), int(w[i, 3])
        rows = np.arange(a, b + 1)
        cols = np.arange(c0, c1 + 1)
        flat = ((rows[:, None] - r0) * ncols + cols[None, :]).ravel()
        free = owner[flat] < 0
        flat = flat[free]
        if not len(flat):
            continue
        rr, cc = np.divmod(flat, ncols)
        x, y = spec.centres(rr + r0, cc)
        geom = clipped[int(i)]
        shapely.prepare(geom)
        inside = shapely.contains_xy(geom, x, y)
        # contains_xy leaves out the boundary; a centre exactly on an edge goes to the first unit it touches
        edge = ~inside
        if edge.any():
            inside[edge] = shapely.intersects_xy(geom, x[edge], y[edge])
        owner[flat[inside]] = i
    flat = np.flatnonzero(owner >= 0)
    rows, cols = np.divmod(flat, ncols)
    rows += r0
    x, y = spec.centres(rows, cols)
    idx = owner[flat]
    ids = spec.cell_id(rows, cols)
    frame = pd.DataFrame({"cell_id": ids, "row": rows.astype("int32"), "col": cols.astype("int32"), "x": x, "y": y,
                          "county": units.county[idx], "city": units.city[idx]}, index=pd.Index(ids))
    return frame


def _empty_frame() -> pd.DataFrame:
    """Return an empty cell frame with the columns and dtypes of :data:`CELL_COLUMNS` (dask's meta)."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in CELL_COLUMNS.items()},
                        index=pd.Index([], dtype="int64"))


def _city_code(code: str) -> int:
    """Return the city adcode of a county-level code: the bundled unit's city, else the GB/T 2260 rule."""
    from .. import units as _units

    if code in _units.by_code().index and _units.by_code().at[code, "level"] != "province":
        return int(_units.ancestor(code, "city"))
    # GB/T 2260: digits 1–2 province, 3–4 city (municipal districts of Shanghai: 310100); 4-digit + "00"
    return int(code[:4] + "00")


@functools.lru_cache(maxsize=4)
def _bundled_counties(crs_wkt: str) -> tuple[gpd.GeoDataFrame, _Units]:
    """Return the bundled counties in the CRS ``crs_wkt`` and their band-task form (cached: read-only)."""
    return _units_in(None, key="adcode", crs=CRS.from_wkt(crs_wkt))


def _prepare_units(units: gpd.GeoDataFrame | None, *, key: str, crs: CRS) -> tuple[gpd.GeoDataFrame, _Units]:
    """Return the units in ``crs`` (the bundled counties by default, projected once a CRS) and their band-task form."""
    from ..crs import caches_enabled

    if units is None and caches_enabled():
        frame, prepared = _bundled_counties(crs.to_wkt())
        return frame.copy(), prepared  # the arrays of _Units are never written to
    return _units_in(units, key=key, crs=crs)


def _units_in(units: gpd.GeoDataFrame | None, *, key: str, crs: CRS) -> tuple[gpd.GeoDataFrame, _Units]:
    """Return the units in ``crs`` (the bundled counties when None) and their band-task form."""
    from .. import units as _units
    from ..codes import parse_code
    from ..inputs import InputError, check_layer

    if units is None:
        frame = _units.load_units("county").sort_values("adcode").reset_index(drop=True)
        codes = frame["adcode"].astype(str).tolist()
    else:
        frame = check_layer(units, geometry="polygon", key=key, what="units")
        if key not in frame.columns:
            msg = (f"units: no {key!r} column; each unit needs its administrative code (6 digits) in a column "
                   f"named {key!r} (or pass key=) so that cells can be tagged with it")
            raise InputError(msg)
        codes = [parse_code(v, what=f"units, row {i + 1}, column {key}") for i, v in enumerate(frame[key])]
        frame = frame.reset_index(drop=True)
    frame = frame.to_crs(crs)
    geoms = np.asarray(frame.geometry.array)
    county = np.array([int(c) for c in codes], dtype="int64")
    city = np.array([_city_code(c) for c in codes], dtype="int64")
    return frame, _Units(geoms, county, city, np.zeros((len(geoms), 4), dtype="int64"))


class Grid:
    """A grid's cells: :attr:`spec`, the dask :attr:`frame` (one partition per row band) and its :attr:`bands`.

    ``frame`` has exactly the columns of :data:`CELL_COLUMNS`, is indexed by ``cell_id`` (unnamed,
    known divisions: partition ``i`` holds the ids of band ``i``) and is sorted within a partition.
    Result columns of other parts of :mod:`yrdgeo.grid` are aligned with it (same partitions, same
    order): ``grid.frame.assign(dem=...)``.
    """

    def __init__(self, spec: GridSpec, frame: Any, bands: list[tuple[int, int]], *,
                 units: gpd.GeoDataFrame | None = None) -> None:
        self.spec = spec
        self.frame = frame
        self.bands = list(bands)
        #: the unit polygons the cells were tagged by, in the grid CRS
        self.units = units

    def __repr__(self) -> str:
        s = self.spec
        return (f"Grid({s.cell_size:g} m, {s.nrows} rows x {s.ncols} cols, {self.npartitions} partitions, "
                f"crs={s.crs.name!r})")

    @property
    def npartitions(self) -> int:
        """Return the number of partitions (row bands)."""
        return self.frame.npartitions

    def compute(self, **kwargs: Any) -> pd.DataFrame:
        """Return the whole cell frame as pandas (small grids: 1 km is 360k rows, 100 m 36M)."""
        return self.frame.compute(**kwargs)

    def to_geopandas(self, columns: list[str] | None = None, *, frame: Any = None,
                     max_cells: int = 2_000_000) -> gpd.GeoDataFrame:
        """Return the cells as a GeoDataFrame of squares in the grid CRS (small grids only).

        Parameters
        ----------
        columns
            Columns to keep (default all).
        frame
            A frame aligned with :attr:`frame` holding result columns (default :attr:`frame`).
        max_cells
            Refuse more cells than this: polygons of a 100 m grid (36M) do not fit in memory;
            write them partition by partition with :func:`yrdgeo.grid.store.write_parquet`.
        """
        data = self.frame if frame is None else frame
        data = data.compute() if hasattr(data, "dask") else data
        if len(data) > max_cells:
            msg = (f"the grid has {len(data):,} cells, more than max_cells={max_cells:,} polygons in memory; "
                   "use yrdgeo.grid.write_parquet (partition by partition) or raise max_cells")
            raise ValueError(msg)
        if columns is not None:
            data = data[list(columns)]
        rows, cols = self.spec.row_col(data.index.to_numpy() if "cell_id" not in data else data["cell_id"])
        return gpd.GeoDataFrame(data, geometry=self.spec.squares(rows, cols), crs=self.spec.crs)


def make_grid(
    cell_size: float,
    *,
    units: gpd.GeoDataFrame | None = None,
    key: str = "adcode",
    partition_rows: int | None = None,
    crs: Any = AREA_CRS,
) -> Grid:
    """Return the grid of ``cell_size`` metres over the units: every cell whose centre lies in one, tagged by it.

    Parameters
    ----------
    cell_size
        Side of a cell in metres (1000, 250, 100 …), in ``crs``.
    units
        A planner's polygons (any CRS; checked by :func:`yrdgeo.inputs.check_layer`) with their
        administrative code in column ``key``. Default: the bundled 305 YRD counties.
    key
        Column of ``units`` holding each unit's code. Cells get ``county`` = that code (a county's
        adcode; for units of another level, their own code) and ``city`` = its city (the bundled
        unit's city, else digits 1–4 of the code + ``00``, the GB/T 2260 rule).
    partition_rows
        Rows per partition (band). Default: about half a million cells of the bounding rectangle a
        band, at least eight bands. The cells do not depend on it.
    crs
        The grid's CRS; keep the default :data:`yrdgeo.crs.AREA_CRS` (equal-area) unless cells must
        match another raster's grid. It must be projected in metres.

    Returns
    -------
    Grid
        Lazily built: nothing is computed until the frame is (each band in its own task, the unit
        polygons shipped to the workers once).

    Notes
    -----
    The grid's corner is snapped to a multiple of ``cell_size``, so grids of one cell size over
    different units share their cell edges. A centre lying in several units (a shared edge,
    overlapping polygons) goes to the first (the bundled counties sorted by adcode; a planner's
    units in their row order). Cells whose centre lies in no unit (sea, outside) are not cells.
    """
    import dask
    import dask.dataframe as dd

    cell_size = check_number("cell_size", cell_size, unit="metres")
    crs = CRS.from_user_input(crs)
    if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
        msg = f"crs must be a projected CRS in metres (the default is yrdgeo.crs.AREA_CRS), got {crs.name!r}"
        raise ValueError(msg)
    frame, prepared = _prepare_units(units, key=key, crs=crs)
    spec = GridSpec.covering(frame.total_bounds, cell_size, crs=crs)
    _check_size(spec)
    prepared = _Units(prepared.geoms, prepared.county, prepared.city, _windows(prepared.geoms, spec))
    bands = spec.bands(partition_rows)
    shipped = dask.delayed(prepared, pure=True, traverse=False)  # one key: each worker fetches it once
    build = dask.delayed(_build_band, pure=True)
    parts = [build(spec, r0, r1, shipped) for r0, r1 in bands]
    divisions = [r0 * spec.ncols for r0, _ in bands] + [spec.size - 1]
    ddf = dd.from_delayed(parts, meta=_empty_frame(), divisions=divisions, verify_meta=False)
    return Grid(spec, ddf, bands, units=frame)


# Cells of the bounding rectangle above which a grid is refused: the YRD at 10 m (7 billion) passes, at 1 m not
_MAX_CELLS = 2**35


def _check_size(spec: GridSpec) -> None:
    """Refuse a grid whose bounding rectangle is absurdly large for the cell size (a cell size in km, not m)."""
    if spec.size > _MAX_CELLS:
        msg = (f"cell_size={spec.cell_size:g} m gives a grid of {spec.nrows:,} x {spec.ncols:,} cells; "
               "cell_size is in metres (1000 for 1 km)")
        raise ValueError(msg)

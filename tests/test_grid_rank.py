"""Ranking grid cells (yrdgeo.grid.rank_cells) equals yrdgeo.ranking.rank_candidates on the same cells: entropy
weights, TOPSIS (raw and min-max), weighted sum, user weights; constraints (a column, a polygon layer, a function)
filter cells before normalising."""

from __future__ import annotations

import warnings

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from yrdgeo.grid import make_grid
from yrdgeo.grid.rank import rank_cells
from yrdgeo.ranking import Criterion, rank_candidates

CRITERIA = [Criterion("pop", "benefit"), Criterion("travel", "cost"), Criterion("slope", "cost", maximum=25)]


def _criteria(cells: pd.DataFrame) -> pd.DataFrame:
    """Deterministic criteria per cell_id (the same on pandas and on dask partitions)."""
    i = cells["cell_id"].to_numpy()

    def noise(a):
        return np.abs(np.modf(np.sin(i * a) * 43758.5453)[0])

    return cells.assign(slope=30 * noise(12.9898), pop=1000 * noise(78.233) + cells["x"] / 1e3,
                        travel=60 + 100 * noise(3.1), water=noise(9.7) < 0.1)


@pytest.fixture(scope="module")
def grid():
    return make_grid(20_000, partition_rows=3)


@pytest.fixture(scope="module")
def frame(grid):
    with dask.config.set(scheduler="synchronous"):
        return grid.frame.map_partitions(_criteria).persist()


@pytest.fixture(scope="module")
def cells(frame):
    return frame.compute()


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _same(res, ref):
    got, want = res.frame.compute(), ref.frame
    assert got.index.equals(want.index)
    assert (got["excluded"].to_numpy() == want["excluded"].to_numpy()).all()
    assert (got["exclusion_reason"].to_numpy() == want["exclusion_reason"].to_numpy()).all()
    assert got["rank"].equals(want["rank"])  # the rank order is identical
    cols = ["score"] + [f"{p}_{c.column}" for c in ref.scoring for p in ("norm", "contrib")]
    np.testing.assert_allclose(got[cols].to_numpy(float), want[cols].to_numpy(float), rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.weights.to_numpy(), ref.weights.to_numpy(), rtol=0, atol=1e-12)
    num = res.criteria_table.select_dtypes("number").columns
    np.testing.assert_allclose(res.criteria_table[num].to_numpy(float), ref.criteria_table[num].to_numpy(float),
                               rtol=1e-12, atol=1e-12)
    assert res.n_ranked == ref.n_ranked
    assert res.weight_source == ref.weight_source


@pytest.mark.parametrize("options", [
    {}, {"topsis_input": "minmax"}, {"method": "weighted_sum"}, {"weights": "equal"},
    {"weights": {"pop": 0.5, "travel": 0.25, "slope": 0.25}},
])
def test_rank_cells_equals_rank_candidates(frame, cells, options):
    water = {k: "water" for k in cells.loc[cells["water"], "cell_id"]}
    _same(rank_cells(frame, CRITERIA, constraints=["water"], **options),
          rank_candidates(cells, CRITERIA, key="cell_id", exclude=water, **options))


def test_constraints_polygon_function_and_missing(grid, frame, cells):
    # a "protected area" around Taihu (any CRS: given in lon/lat) and a function constraint
    area = gpd.GeoDataFrame(geometry=[shapely.Point(120.2, 31.2).buffer(0.5)], crs="EPSG:4326")
    inside = shapely.contains_xy(area.to_crs(grid.spec.crs).geometry.iloc[0], cells["x"], cells["y"])
    assert 5 < inside.sum() < len(cells) / 2

    def north(part):
        return part["row"] < 3

    gaps = frame.assign(pop=frame["pop"].mask(frame["cell_id"] % 11 == 0))
    with pytest.raises(ValueError, match="missing"):
        rank_cells(gaps, CRITERIA, constraints={"protected": area})
    res = rank_cells(gaps, CRITERIA, constraints={"protected": area, "north": north}, missing="exclude")
    local = cells.assign(pop=cells["pop"].mask(cells["cell_id"] % 11 == 0))
    removed = inside | (local["row"] < 3).to_numpy()
    reasons = np.where(inside & (local["row"] < 3).to_numpy(), "protected; north",
                       np.where(inside, "protected", "north"))
    # constrained cells are filtered before the missing-value check: rank only the others, as rank_candidates
    ref = rank_candidates(local.loc[~removed], CRITERIA, key="cell_id", missing="exclude")
    got = res.frame.compute()
    # constraint reasons come first (then a threshold broken, as rank_candidates lists them after `exclude`)
    assert all(a.split("; slope")[0] == b for a, b in zip(got.loc[removed, "exclusion_reason"], reasons[removed]))
    assert got.loc[removed, "score"].isna().all() and got.loc[removed, "rank"].isna().all()
    kept = got.loc[~removed]
    assert kept["rank"].equals(ref.frame["rank"])
    assert (kept["exclusion_reason"] == ref.frame["exclusion_reason"]).all()
    np.testing.assert_allclose(kept["score"], ref.frame["score"], rtol=0, atol=1e-12)
    assert res.n_excluded == len(cells) - ref.n_ranked


def test_rank_cells_refusals(frame):
    with pytest.raises(ValueError, match="not in the frame"):
        rank_cells(frame, {"nope": "benefit"})
    with pytest.raises(ValueError, match="same value"):
        rank_cells(frame.assign(flat=1.0), {"flat": "benefit", "pop": "benefit"})
    with pytest.raises(ValueError, match="constraint must be"):
        rank_cells(frame, CRITERIA, constraints=[3])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = rank_cells(frame, CRITERIA, weights={"pop": 2, "travel": 1, "slope": 1})
    assert res.warnings and any("normalised" in str(w.message) for w in caught)

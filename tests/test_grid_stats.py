"""Grid statistics (yrdgeo.grid.stats): contiguity by row/column across partition borders, Moran's I, LISA and
Gi* equal to the in-memory path (yrdgeo.autocorrelation on the cell squares with queen weights) for the same seed,
without a cluster and on a 2-worker local cluster."""

from __future__ import annotations

import dask
import numpy as np
import pandas as pd
import pytest

from yrdgeo import autocorrelation as ac
from yrdgeo.grid import make_grid
from yrdgeo.grid import stats as gs
from yrdgeo.weights import build_weights

CELL = 20_000  # 20 km cells over the YRD: ~900 cells, a lone island cell, 15 bands of 3 rows


@pytest.fixture(scope="module")
def grid():
    return make_grid(CELL, partition_rows=3)


@pytest.fixture(scope="module")
def other_bands():
    """The same grid with one row per partition, and in one partition."""
    return [make_grid(CELL, partition_rows=rows) for rows in (1, 1000)]


def _value(cells: pd.DataFrame) -> pd.Series:
    """A smooth field plus deterministic noise per cell_id (positive, for Gi*); the same on pandas and dask."""
    noise = np.modf(np.sin(cells["cell_id"].to_numpy() * 12.9898) * 43758.5453)[0]
    return pd.Series(3.0 + np.sin(cells["x"] / 6e4) + np.cos(cells["y"] / 9e4) + 0.8 * noise, index=cells.index)


@pytest.fixture(scope="module")
def squares(grid):
    """The cells as squares (GeoDataFrame) with the value ``v``."""
    sq = grid.to_geopandas()
    sq["v"] = _value(sq)
    return sq


@pytest.fixture(scope="module")
def frame(grid):
    """grid.frame with the value column ``v`` computed per partition (same partitions)."""
    return grid.frame.assign(v=grid.frame.map_partitions(_value, meta=("v", float)))


@pytest.fixture
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


@pytest.mark.parametrize("method", ["queen", "rook"])
def test_contiguity_equals_geometry_and_ignores_partitions(grid, other_bands, squares, method, synchronous):
    adj = gs.contiguity(grid, method=method)
    sw = build_weights(squares, method, islands="isolate")
    assert adj.shape == (len(squares), len(squares))
    assert (sw.w.sparse.astype(bool) != adj.astype(bool)).nnz == 0
    # a cell on a band border has the same neighbours as with one partition, or one row per partition
    for other in other_bands:
        assert (gs.contiguity(other, method=method) != adj).nnz == 0


def test_contiguity_weights_are_spatial_weights(grid, squares, synchronous):
    sw = gs.contiguity_weights(grid)
    ref = build_weights(squares, "queen", islands="isolate")
    assert list(sw.ids) == squares["cell_id"].tolist()
    assert sw.islands == [int(squares["cell_id"].iloc[i]) for i in np.flatnonzero(ref.isolated_mask)]
    assert len(sw.islands) >= 1  # the 20 km grid has a lone coastal cell
    assert (sw.w.sparse != ref.w.sparse).nnz == 0


def test_contiguity_refuses_split_rows(grid, synchronous):
    import dask.dataframe as dd

    cells = grid.compute().reset_index(drop=True)
    split = dd.from_pandas(cells, npartitions=grid.npartitions, sort=False)  # equal row counts: rows cut
    with pytest.raises(ValueError, match="do not repartition"):
        gs.contiguity(grid, frame=split)


def _same_global(res, ref):
    a, b = res.summary(), ref.summary()
    for key, value in b.items():
        if isinstance(value, float):
            assert a[key] == pytest.approx(value, rel=1e-12, abs=1e-15), key
        else:
            assert a[key] == value, key


def test_moran_equals_in_memory(grid, squares, frame, synchronous):
    sw = build_weights(squares, "queen", islands="isolate")
    _same_global(gs.moran(grid, "v", frame=frame, seed=11), ac.moran(squares, "v", weights=sw, seed=11))
    bw = build_weights(squares, "rook", islands="isolate", transform="b")
    _same_global(gs.moran(grid, "v", frame=frame, method="rook", transform="b", permutations=0),
                 ac.moran(squares, "v", weights=bw, permutations=0))


def test_moran_missing_values(grid, squares, frame, synchronous):
    gaps = squares.copy()
    gaps.loc[gaps["cell_id"] % 7 == 0, "v"] = np.nan
    with_gaps = frame.assign(v=frame["v"].mask(frame["cell_id"] % 7 == 0))
    with pytest.raises(ValueError, match="missing values"):
        gs.moran(grid, "v", frame=with_gaps)
    sw = build_weights(gaps, "queen", islands="isolate")
    with pytest.warns(UserWarning):
        ref = ac.moran(gaps, "v", weights=sw, seed=2, missing="drop")
    res = gs.moran(grid, "v", frame=with_gaps, seed=2, missing="drop")
    _same_global(res, ref)
    assert res.n_missing == int(gaps["v"].isna().sum())
    assert res.n_missing + res.n_isolated == len(ref.excluded)


def _same_local(res, ref):
    """The grid result equals the in-memory LocalResult: every column bit for bit, the summary exactly."""
    assert res.summary() == ref.summary()
    assert res.columns == ref.columns
    got = res.frame.compute()
    assert got.index.equals(ref.frame.index)
    for col in ref.columns.values():
        a, b = got[col].to_numpy(), ref.frame[col].to_numpy()
        assert ((a == b) | (pd.isna(a) & pd.isna(b))).all(), col


@pytest.mark.parametrize("correction", ["none", "fdr"])
def test_lisa_and_gi_star_equal_in_memory(grid, squares, frame, correction, synchronous):
    sw = build_weights(squares, "queen", islands="isolate")
    ref = ac.local_moran(squares, "v", weights=sw, seed=5, correction=correction)
    _same_local(gs.local_moran(grid, "v", frame=frame, seed=5, correction=correction), ref)
    # cut into tasks of 37 cells: the same numbers
    _same_local(gs.local_moran(grid, "v", frame=frame, seed=5, correction=correction, block_cells=37), ref)
    _same_local(gs.gi_star(grid, "v", frame=frame, seed=5, correction=correction, permutations=199),
                ac.gi_star(squares, "v", weights=sw, seed=5, correction=correction, permutations=199))


def test_lisa_missing_values_and_binary_gi_star(grid, squares, frame, synchronous):
    gaps = squares.copy()
    gaps.loc[gaps["cell_id"] % 5 == 0, "v"] = np.nan
    with_gaps = frame.assign(v=frame["v"].mask(frame["cell_id"] % 5 == 0))
    sw = build_weights(gaps, "queen", islands="isolate")
    with pytest.warns(UserWarning):
        ref = ac.local_moran(gaps, "v", weights=sw, seed=1, missing="drop", correction="bonferroni")
    _same_local(gs.local_moran(grid, "v", frame=with_gaps, seed=1, missing="drop", correction="bonferroni"), ref)
    bw = build_weights(squares, "rook", islands="isolate", transform="b")
    _same_local(gs.gi_star(grid, "v", frame=frame, method="rook", transform="b", seed=9, permutations=99),
                ac.gi_star(squares, "v", weights=bw, seed=9, permutations=99))


@pytest.mark.slow
def test_grid_statistics_on_a_two_worker_cluster(grid, squares, frame):
    from distributed import Client, LocalCluster

    sw = build_weights(squares, "queen", islands="isolate")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster):
        _same_global(gs.moran(grid, "v", frame=frame, seed=11), ac.moran(squares, "v", weights=sw, seed=11))
        _same_local(gs.local_moran(grid, "v", frame=frame, seed=5), ac.local_moran(squares, "v", weights=sw, seed=5))
        _same_local(gs.gi_star(grid, "v", frame=frame, seed=5, permutations=199),
                    ac.gi_star(squares, "v", weights=sw, seed=5, permutations=199))
        assert (gs.contiguity(grid) != gs.contiguity(grid, frame=frame)).nnz == 0


def test_fast_draws_are_reproducible_and_change_only_the_pseudo_p(grid, squares, frame, synchronous):
    sw = build_weights(squares, "queen", islands="isolate")
    ref = ac.local_moran(squares, "v", weights=sw, seed=5).frame
    fast = gs.local_moran(grid, "v", frame=frame, seed=5, draws="fast").frame.compute()
    again = gs.local_moran(grid, "v", frame=frame, seed=5, draws="fast", block_cells=50).frame.compute()
    assert fast.equals(again)
    for col in ("lisa_i", "lisa_z", "lisa_lag", "lisa_q", "lisa_quad"):  # observed: the same as esda's
        assert pd.Series(fast[col].to_numpy(object)).equals(pd.Series(ref[col].to_numpy(object))), col
    p = fast["lisa_p"].dropna()
    assert ((p >= 1 / 1000) & (p <= 0.5 + 1e-12)).all() and not p.equals(ref["lisa_p"].dropna())
    # as valid a test: the same cells stand out, up to the noise of 999 draws
    assert (fast["lisa_sig"] == ref["lisa_sig"]).mean() > 0.95
    with pytest.raises(ValueError, match="draws"):
        gs.local_moran(grid, "v", frame=frame, draws="quick")


def test_worker_side_modules_import_no_esda():
    """A fresh dask worker imports the module of each task it runs: the grid's task modules stay light."""
    import json
    import subprocess
    import sys

    heavy = ["esda", "libpysal", "sklearn", "scipy.stats", "matplotlib", "yrdgeo.autocorrelation.stats",
             "yrdgeo.weights", "yrdgeo.grid.pipeline"]
    code = ("import json, sys\n"
            "import yrdgeo.grid._frames, yrdgeo.grid.cells, yrdgeo.grid.criteria, yrdgeo.grid.rank, yrdgeo.grid.stats\n"
            "import yrdgeo.grid.store, yrdgeo.grid.zonal, yrdgeo.autocorrelation.permutation\n"
            "from yrdgeo.autocorrelation import CLUSTER_ORDER, SPOT_ORDER, local_randomization\n"
            f"print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(proc.stdout.splitlines()[-1]) == []
    # the names still come from yrdgeo.autocorrelation, and the same objects as its stats module's
    from yrdgeo.autocorrelation import stats as ac_stats

    assert ac.CLUSTER_ORDER is ac_stats.CLUSTER_ORDER and ac.local_moran is ac_stats.local_moran

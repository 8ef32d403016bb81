"""The fast ranking (in-place formulas, explanation columns built on access) gives the plain path's floats, bit for bit.

The plain path is the textbook expressions of the entropy-TOPSIS formulas with their full temporaries (as
:mod:`yrdgeo.ranking.mcda` computed them before issue 15), on the kept rows laid out as rank_candidates
lays them out: sums over eight or more terms depend on the order of the terms, so equality is exact
(``np.array_equal``), never approximate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from yrdgeo import ranking
from yrdgeo.ranking import Criterion, mcda


def plain_minmax(x, benefit):
    lo, hi = x.min(axis=0), x.max(axis=0)
    return np.where(benefit, (x - lo) / (hi - lo), (hi - x) / (hi - lo))


def plain_entropy_weights(xn, epsilon=0.0):
    xs = xn + epsilon
    p = xs / xs.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    d = 1.0 - (-plogp.sum(axis=0) / np.log(xn.shape[0]))
    return d / d.sum()


def plain_topsis(x, w, benefit, vector_normalise=True):
    """Return r, closeness and contributions with every n×m temporary of the textbook expressions."""
    r = x / np.sqrt((x**2).sum(axis=0)) if vector_normalise else x
    v = r * w
    ideal = np.where(benefit, v.max(axis=0), v.min(axis=0))
    anti = np.where(benefit, v.min(axis=0), v.max(axis=0))
    gap_i, gap_a = (v - ideal) ** 2, (v - anti) ** 2
    total = np.sqrt(gap_i.sum(axis=1)) + np.sqrt(gap_a.sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(total > 0, np.sqrt(gap_a.sum(axis=1)) / total, 0.5)
        contrib = np.where(total[:, None] > 0, 0.5 * (gap_a - gap_i) / (total[:, None] ** 2), 0.0)
    return r, c, contrib


def _matrix(rng, n, m, order):
    x = rng.gamma(2.0, 3.0, (n, m)) * rng.uniform(0.1, 100.0, m)
    x[:, ::3] = np.round(x[:, ::3])  # integer columns: ties
    return np.asarray(x, order=order)


@pytest.mark.parametrize("m", [1, 3, 9, 17])
@pytest.mark.parametrize("order", ["C", "F"])
def test_formulas_equal_the_textbook_expressions_bit_for_bit(m, order):
    rng = np.random.default_rng(m)
    x = _matrix(rng, 3001, m, order)
    benefit = rng.random(m) < 0.5
    xn = mcda.minmax(x, benefit)
    assert np.array_equal(xn, plain_minmax(x, benefit))
    assert xn.flags.f_contiguous == plain_minmax(x, benefit).flags.f_contiguous  # later sums see the same layout
    for eps in (0.0, 1e-3):
        assert np.array_equal(mcda.entropy(xn, epsilon=eps).weights, plain_entropy_weights(xn, eps))
    w = plain_entropy_weights(xn)
    for raw in (True, False):
        t = mcda.topsis(x if raw else xn, w, benefit if raw else np.ones(m, bool), vector_normalise=raw)
        r, c, contrib = plain_topsis(x if raw else xn, w, benefit if raw else np.ones(m, bool), raw)
        assert np.array_equal(t.normalised, r) and np.array_equal(t.closeness, c)
        assert np.array_equal(t.contribution, contrib)


def _candidates(n, m, seed):
    rng = np.random.default_rng(seed)
    x = _matrix(rng, n, m, "C")
    x[rng.random(n) < 0.03, 0] = np.nan
    frame = pd.DataFrame(x, columns=[f"k{j}" for j in range(m)], index=rng.permutation(n) + 5)
    frame.insert(0, "adcode", [f"u{i}" for i in range(n)])
    crits = [Criterion(c, "cost" if j % 2 else "benefit", maximum=float(np.nanquantile(frame[c], 0.9)) if j == 1 else None)
             for j, c in enumerate(frame.columns[1:])]
    return frame, crits


@pytest.mark.filterwarnings("ignore:weights summed")
@pytest.mark.parametrize("m", [4, 9])
@pytest.mark.parametrize(("method", "topsis_input"), [("topsis", "raw"), ("topsis", "minmax"), ("weighted_sum", "raw")])
@pytest.mark.parametrize("weights", ["entropy", "equal", "user"])
def test_rank_candidates_equals_the_plain_path_bit_for_bit(m, method, topsis_input, weights):
    cand, crits = _candidates(2500, m, seed=m)
    cols = [c.column for c in crits]
    user = {c: float(j + 1) for j, c in enumerate(cols)}
    res = ranking.rank_candidates(cand, crits, missing="exclude", method=method, topsis_input=topsis_input,
                                  weights=user if weights == "user" else weights, exclude={"u4": "own unit"})
    f = res.frame
    # the plain path on the kept rows, laid out as rank_candidates lays them out
    x = cand[cols].to_numpy(dtype="float64", na_value=np.nan)
    keep = ~f["excluded"].to_numpy()
    xk = x.T[:, keep].T
    benefit = np.array([c.direction == "benefit" for c in crits])
    xn = plain_minmax(xk, benefit)
    w = {"entropy": plain_entropy_weights(xn), "equal": np.full(m, 1.0 / m)}.get(weights)
    if w is None:
        w = np.array([user[c] for c in cols]) / sum(user.values())
    assert np.array_equal(res.weights.to_numpy(), w)
    if method == "weighted_sum":
        norm, contrib = xn, xn * w
        score = np.ascontiguousarray(contrib).sum(axis=1)
    else:
        raw = topsis_input == "raw"
        norm, score, contrib = plain_topsis(xk if raw else xn, w, benefit if raw else np.ones(m, bool), raw)
    assert np.array_equal(f["score"].to_numpy()[keep], score) and f["score"][~keep].isna().all()
    for j, c in enumerate(cols):
        assert np.array_equal(f[f"norm_{c}"].to_numpy()[keep], norm[:, j])
        assert np.array_equal(f[f"contrib_{c}"].to_numpy()[keep], contrib[:, j])
    expected_rank = f["score"].rank(ascending=False, method="min").astype("Int64")
    pd.testing.assert_series_equal(f["rank"], expected_rank, check_names=False)
    assert list(f.columns) == (list(cand.columns) + ["score", "rank", "excluded", "exclusion_reason"]
                               + [f"{p}_{c}" for c in cols for p in ("norm", "contrib")])


def test_frame_is_built_once_on_access_and_shares_nothing_with_the_input():
    cand, crits = _candidates(500, 4, seed=1)
    before = cand.copy()
    res = ranking.rank_candidates(cand, crits, missing="exclude")
    n_ranked = res.n_ranked  # counted without the frame
    assert "frame" not in vars(res)
    pd.testing.assert_series_equal(res.scores, res.frame["score"])
    cand.iloc[:, 1:] = -1.0  # the caller changes its table after ranking: the result does not move
    f = res.frame
    assert f is res.frame and n_ranked == int((~f["excluded"]).sum())
    pd.testing.assert_frame_equal(f[before.columns], before)

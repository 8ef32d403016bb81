"""Cell results summarised per county or city: the roll-up back into the unit table.

:func:`rollup` reduces a cell column per unit as dask reductions (per-partition sums, then one
small combine), so a 36M-cell column never leaves its partitions; the result is a pandas table of
at most a few hundred rows indexed by adcode, ready to join onto :func:`yrdgeo.units.load_units`
for maps and the atlas.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..checks import check_choice, check_number
from ._frames import require_columns

__all__ = ["ROLLUP_BY", "ROLLUP_HOW", "rollup"]

#: The unit levels cells roll up to (the cell frame's tag columns).
ROLLUP_BY = ("county", "city")
#: The summaries: the mean of the cells, the share of cells above a threshold, a weighted mean.
ROLLUP_HOW = ("mean", "share_above", "weighted_mean")


def _partial(part: pd.DataFrame, by: str, columns: Sequence[str], how: str, threshold: float | None,
             weights: str | None) -> pd.DataFrame:
    """Return one partition's sums per unit: per column ``num<j>`` (sum, count above or weighted sum), ``den<j>``
    and ``cells<j>``."""
    out = {"by": part[by].to_numpy()}
    w = None
    if how == "weighted_mean":
        w = part[weights].astype("float64")
        if (w < 0).any():
            msg = f"weights {weights!r} must be non-negative, found {w[w < 0].iloc[0]:g}"
            raise ValueError(msg)
    for j, column in enumerate(columns):
        values = part[column].astype("float64")
        if w is not None:
            ok = values.notna() & w.notna()
            num, den = (values * w).where(ok, 0.0), w.where(ok, 0.0)
        else:
            ok = values.notna()
            num = (values > threshold).astype("float64").where(ok, 0.0) if how == "share_above" else values.fillna(0.0)
            den = ok.astype("float64")
        out.update({f"num{j}": num.to_numpy(), f"den{j}": den.to_numpy(), f"cells{j}": ok.to_numpy().astype("int64")})
    return pd.DataFrame(out).groupby("by", sort=False).sum().reset_index()


def rollup(
    frame: Any,
    column: str | Sequence[str],
    *,
    by: str = "county",
    how: str = "mean",
    threshold: float | None = None,
    weights: str | None = None,
    names: bool = True,
) -> pd.DataFrame:
    """Return ``column`` summarised per county or city: a pandas table indexed by adcode.

    Parameters
    ----------
    frame
        A cell frame (a :class:`~yrdgeo.grid.Grid`, its dask ``frame`` with result columns, or a pandas
        frame) holding ``column`` and the tag column ``by``.
    column
        The cell result to summarise. Missing values (NaN: no data, outside a raster) are left out.
        Several columns (a list) are summarised in one pass over the cells, one ``<column>_<how>``
        each in one table.
    by
        ``"county"`` or ``"city"``.
    how
        ``"mean"``: the mean over the unit's cells; ``"share_above"``: the share of the unit's cells
        (with a value) whose value is above ``threshold``; ``"weighted_mean"``: the mean weighted by
        the column ``weights`` (population for a population-weighted mean; cells with either missing
        are left out).
    threshold
        For ``"share_above"``: the value cells must exceed (strictly).
    weights
        For ``"weighted_mean"``: the weight column (non-negative).
    names
        Add the units' ``name_zh`` and ``name_en`` from the bundled table (blank for a planner's own codes).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``adcode`` (6-digit text, as in the unit table), sorted, one row per unit with at
        least one cell: ``name_zh``, ``name_en`` (with ``names``), ``<column>_<how>`` and ``cells`` (the
        cells with a value, or with value and weight — of the first column when several are given).
        A unit whose cells all lack a value has NaN. ``attrs`` records column, by, how, threshold and
        weights.
    """
    check_choice("by", by, ROLLUP_BY)
    check_choice("how", how, ROLLUP_HOW)
    from .cells import Grid

    data = frame.frame if isinstance(frame, Grid) else frame
    columns = [column] if isinstance(column, str) else list(column)
    if not columns:
        msg = "rollup: give a column (or a list of columns) to summarise"
        raise ValueError(msg)
    needed = list(dict.fromkeys([by, *columns, *([weights] if how == "weighted_mean" else [])]))
    if how == "share_above":
        threshold = check_number("threshold", threshold, minimum=None)
    elif threshold is not None:
        msg = f"threshold applies to how='share_above', not how={how!r}"
        raise ValueError(msg)
    if how == "weighted_mean" and weights is None:
        msg = "how='weighted_mean' needs weights=, the column of weights (population)"
        raise ValueError(msg)
    if how != "weighted_mean" and weights is not None:
        msg = f"weights applies to how='weighted_mean', not how={how!r}"
        raise ValueError(msg)
    require_columns(data, needed)
    for c in needed[1:]:
        if not (pd.api.types.is_numeric_dtype(data[c].dtype) or pd.api.types.is_bool_dtype(data[c].dtype)):
            msg = f"column {c!r} must hold numbers, not {data[c].dtype}"
            raise TypeError(msg)
    args = (by, columns, how, threshold, weights)
    if hasattr(data, "dask"):
        meta = pd.DataFrame({"by": pd.Series(dtype=data[by].dtype),
                             **{f"{k}{j}": pd.Series(dtype="int64" if k == "cells" else "float64")
                                for j in range(len(columns)) for k in ("num", "den", "cells")}})
        # split_out=1: a tree of sums (a few hundred units); dask would otherwise pick a shuffle on many partitions
        sums = data[needed].map_partitions(_partial, *args, meta=meta).groupby("by").sum(split_out=1).compute()
    else:
        sums = _partial(data[needed], *args).groupby("by").sum()
    out = pd.DataFrame(index=pd.Index([str(c).zfill(6) for c in sums.index], name="adcode"))
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, c in enumerate(columns):
            out[f"{c}_{how}"] = (sums[f"num{j}"] / sums[f"den{j}"]).where(sums[f"den{j}"] > 0).to_numpy()
    out["cells"] = sums["cells0"].to_numpy()
    out = out.sort_index()
    if names:
        from .. import units

        table = units.by_code()
        known = out.index.intersection(table.index)
        for col in ("name_en", "name_zh"):
            out.insert(0, col, table[col].reindex(out.index).where(out.index.isin(known), ""))
    out.attrs.update({"column": column if isinstance(column, str) else columns, "by": by, "how": how,
                      "threshold": threshold, "weights": weights})
    return out

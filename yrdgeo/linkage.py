"""Intercity economic linkage by the gravity model (经济联系强度) and economic affiliation (经济隶属度).

The standard gravity model of the regional-science literature, in the form used by studies of
YRD integration:

* **Linkage strength** R_ij = k·√(P_i·G_i)·√(P_j·G_j) / D_ij^b, with P a unit's population, G its GDP
  (the "mass" √(P·G)), D_ij the distance between units i and j and b the distance-decay exponent
  (b = 2 usually, k = 1 by default).
* **Economic affiliation** F_ij = R_ij / Σ_{j≠i} R_ij: the share of unit i's linkage that goes to j
  (each row sums to 1; F_ij ≠ F_ji in general).

D is the seat-to-seat geodesic distance in km (``distance="geodesic"``), or the network travel time in
minutes on a date (``distance="travel_time"``: :func:`yrdgeo.accessibility.od_matrix` over
:func:`yrdgeo.network.load_yrd_network` as open on ``date``, or over the caller's own
:class:`~yrdgeo.network.Network`). R's size depends on the units of P, G and D (万人, 亿元, km or
minutes), so compare R only within one run; F is unit-free.

The masses come from the caller's table through the input gate (:func:`yrdgeo.inputs.read_table`):
units by name or adcode, the population and GDP columns named by the caller. The bundled data has no
population or GDP. A missing, zero or negative mass is refused, and so is D = 0 between two units; a
pair the network cannot connect gets R = NaN and F = NaN with its ``status`` (never 0), and is left out
of the sums.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from . import inputs
from .accessibility import ACCESS_SPEED_KMH, K_NEAREST, od_matrix
from .checks import check_choice, check_number
from .choices import LINKAGE_DISTANCES as DISTANCES  # light, for the command line's parser
from .crs import WGS84, geodesic_distance_km, geodesic_line
from .network import Network, as_of, load_yrd_network
from .units import by_code, describe

__all__ = ["DISTANCES", "DISTANCE_UNITS", "MATRIX_VALUES", "Linkage", "gravity_linkage"]

#: What D_ij is: the seat-to-seat geodesic distance (km) or the network travel time (minutes).
#: The unit of D for each choice of :data:`DISTANCES`.
DISTANCE_UNITS = {"geodesic": "km", "travel_time": "min"}
#: The pair values :meth:`Linkage.matrix` lays out as a square table.
MATRIX_VALUES = ("R", "F", "D")
#: ``status`` of a pair with a distance (R and F computed).
STATUS_OK = "ok"


@dataclass
class Linkage:
    """Gravity-model linkage between units, with economic affiliation.

    Attributes
    ----------
    pairs
        One row per ordered pair i ≠ j (in the table's unit order): ``i``, ``j`` (adcodes), ``i_name``,
        ``j_name``, ``D`` (km or minutes, see ``D_unit``), ``D_unit``, ``R``, ``F`` (NaN where the pair
        has no distance) and ``status`` (``ok``; for travel time also ``unreachable`` or ``no_access``).
    totals
        One row per unit: ``adcode``, ``name_zh``, ``population``, ``gdp``, ``mass`` (√(P·G)),
        ``R_total`` (Σ_j R_ij over the pairs with a value), ``n_linked`` (those pairs) and
        ``n_unreachable`` (pairs left out).
    distance
        ``"geodesic"`` or ``"travel_time"``.
    b, k
        Distance-decay exponent and constant.
    population, gdp
        The columns of the caller's table the masses came from.
    as_of, network_name
        For travel time: the network's date (None: every link) and name; None for geodesic.
    report
        The input gate's report on the table (coerced cells, rows set aside).
    """

    pairs: pd.DataFrame
    totals: pd.DataFrame
    distance: str
    b: float
    k: float
    population: str
    gdp: str
    as_of: _dt.date | None
    network_name: str | None
    report: inputs.InputReport

    @property
    def d_unit(self) -> str:
        """The unit of D: ``"km"`` or ``"min"``."""
        return DISTANCE_UNITS[self.distance]

    @property
    def unreachable(self) -> pd.DataFrame:
        """Return the pairs without a distance (R = NaN), with their ``status``."""
        return self.pairs[self.pairs["status"] != STATUS_OK]

    @property
    def explanation(self) -> str:
        """One line saying what was computed, for logs and reports."""
        d = ("seat-to-seat geodesic distance (km)" if self.distance == "geodesic" else
             f"travel time (minutes) on {self.network_name}" + (f" as of {self.as_of}" if self.as_of else ""))
        return (f"gravity linkage R_ij = {self.k:g}·√(P_i·G_i)·√(P_j·G_j)/D_ij^{self.b:g}, P = {self.population!r}, "
                f"G = {self.gdp!r}, D = {d}; affiliation F_ij = R_ij/Σ_j R_ij; {len(self.totals)} units, "
                f"{len(self.unreachable)} ordered pairs without a distance")

    def matrix(self, value: str = "R") -> pd.DataFrame:
        """Return ``value`` (one of :data:`MATRIX_VALUES`) as a square unit × unit table (rows i, columns j).

        The diagonal is NaN: a unit has no linkage with itself.
        """
        check_choice("value", value, MATRIX_VALUES)
        codes = list(self.totals["adcode"])
        return self.pairs.pivot(index="i", columns="j", values=value).reindex(index=codes, columns=codes)

    def top_links(self, n: int | None = 10) -> pd.DataFrame:
        """Return the ``n`` strongest links (all with ``None``), each pair of units once, strongest first.

        A pair is shown in its stronger direction (on a symmetric distance both directions have the same R
        and the pair is shown as i → j in the table's order); ``F_ji`` beside ``F`` is the reverse share,
        j's linkage that goes to i. Pairs without a distance are left out.
        """
        if n is not None:
            n = int(check_number("n", n, minimum=1, inclusive=True))
        p = self.pairs.reset_index(drop=True)
        reverse = p.set_index(["i", "j"])["F"]
        p = p.assign(F_ji=reverse.reindex(pd.MultiIndex.from_arrays([p["j"], p["i"]])).to_numpy(),
                     _order=np.arange(len(p)))
        p = p[p["status"] == STATUS_OK].sort_values(["R", "_order"], ascending=[False, True], kind="stable")
        pair = p["i"].where(p["i"] < p["j"], p["j"]) + "-" + p["j"].where(p["i"] < p["j"], p["i"])
        p = p[~pair.duplicated()].drop(columns="_order")
        cols = ["i", "j", "i_name", "j_name", "D", "D_unit", "R", "F", "F_ji", "status"]
        return (p if n is None else p.head(n))[cols].reset_index(drop=True)

    def desire_lines(self, n: int | None = None) -> gpd.GeoDataFrame:
        """Return :meth:`top_links` (default: every linked pair) as geodesic lines between seats, EPSG:4326.

        Each line follows the WGS84 geodesic (:func:`yrdgeo.crs.geodesic_line`) from i's seat of government
        to j's and carries ``D``, ``R``, ``F``, ``F_ji`` and ``rank`` (1 = strongest), for maps.
        """
        links = self.top_links(n)
        seats = by_code().loc[:, ["anchor_lon", "anchor_lat"]]
        a = seats.loc[links["i"]].to_numpy(float)
        b = seats.loc[links["j"]].to_numpy(float)
        lines = [geodesic_line(x1, y1, x2, y2) for (x1, y1), (x2, y2) in zip(a, b)]
        links.insert(0, "rank", np.arange(1, len(links) + 1))
        return gpd.GeoDataFrame(links, geometry=gpd.GeoSeries(lines, crs=WGS84), crs=WGS84)


def gravity_linkage(
    table: str | os.PathLike | pd.DataFrame | inputs.Table,
    *,
    population: str,
    gdp: str,
    key: str | None = None,
    level: str | None = None,
    distance: str = "geodesic",
    date: str | _dt.date | None = None,
    network: Network | None = None,
    undated: str = "keep",
    b: float = 2.0,
    k: float = 1.0,
    access_speed_kmh: float = ACCESS_SPEED_KMH,
    k_nearest: int = K_NEAREST,
    max_access_km: float | None = None,
) -> Linkage:
    """Return the gravity-model linkage R_ij and affiliation F_ij between the units of the caller's table.

    Parameters
    ----------
    table
        The caller's table, one row per unit (CSV/XLSX/vector file, DataFrame, or an
        :class:`yrdgeo.inputs.Table` already read), read through :func:`yrdgeo.inputs.read_table`:
        units by adcode or name, yearbook numbers parsed, total rows set aside.
    population, gdp
        Columns holding P and G (any consistent units, e.g. 万人 and 亿元). Every unit needs both,
        greater than 0.
    key, level
        The table's unit column and the level expected (``"city"``, ``"county"``…); default: what
        the gate finds. Not used with a :class:`~yrdgeo.inputs.Table`, which is read already.
    distance
        One of :data:`DISTANCES`: ``"geodesic"`` (seat to seat, km) or ``"travel_time"`` (minutes over
        the network).
    date
        Travel time only: use the network as open on this date (``"2010"`` is 2010-12-31,
        :mod:`yrdgeo.dates`); None keeps every link.
    network
        Travel time only: the caller's network (default: the bundled YRD network).
    undated
        Travel time only: links without an opening date (:data:`yrdgeo.network.UNDATED_POLICIES`).
    b, k
        Distance-decay exponent (> 0; 2 is the usual choice) and constant (> 0).
    access_speed_kmh, k_nearest, max_access_km
        Travel time only: the access leg from each seat to the network, as in
        :func:`yrdgeo.accessibility.od_matrix`.

    Returns
    -------
    Linkage
        ``pairs`` (i, j, names, D, R, F, status), ``totals`` per unit, ``top_links(n)``,
        ``desire_lines(n)``, ``matrix(value)``.

    Raises
    ------
    ValueError
        An option out of its list or range; date, network or undated given with geodesic distance;
        fewer than 2 units; a missing, zero or negative population or GDP; D = 0 between two units.
    yrdgeo.inputs.InputError
        From the gate: an unknown unit, a unit listed twice, a column absent or not numeric.
    """
    check_choice("distance", distance, DISTANCES)
    b = check_number("b", b)
    k = check_number("k", k)
    if population == gdp:
        msg = f"population and gdp name the same column {population!r}; the mass √(P·G) needs both"
        raise ValueError(msg)
    given = [name for name, value in (("date", date), ("network", network), ("undated", undated))
             if value is not None and not (name == "undated" and value == "keep")]
    if distance == "geodesic" and given:
        msg = (f"distance='geodesic' takes no {', '.join(f'{g}=' for g in given)}: "
               "they choose the network and its date for distance='travel_time'")
        raise ValueError(msg)
    if not isinstance(table, inputs.Table):
        table = inputs.read_table(table, key=key, level=level, columns=[population, gdp], what="the mass table")
    data = table.data
    absent = [c for c in (population, gdp) if c not in table.indicators]
    if absent:
        msg = f"the mass table has no numeric column(s) {absent}; its indicators: {table.indicators}"
        raise inputs.InputError(msg)
    codes = [str(c) for c in data["adcode"]]
    if len(codes) < 2:
        msg = f"gravity linkage needs at least 2 units, the table has {len(codes)}"
        raise ValueError(msg)
    p = _masses(data, population, codes)
    g = _masses(data, gdp, codes)
    d, status, unit_frame, net = _distances(codes, distance, date=date, network=network, undated=undated,
                                            access_speed_kmh=access_speed_kmh, k_nearest=k_nearest,
                                            max_access_km=max_access_km)
    mass = np.sqrt(p * g)
    r = k * np.outer(mass, mass) / d**b  # NaN where D is NaN (unreachable)
    np.fill_diagonal(r, np.nan)
    r_total = np.nansum(r, axis=1)
    n_linked = np.isfinite(r).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        f = r / np.where(n_linked > 0, r_total, np.nan)[:, None]
    names = unit_frame["name_zh"].to_numpy()
    i, j = np.nonzero(~np.eye(len(codes), dtype=bool))
    pairs = pd.DataFrame({
        "i": np.array(codes)[i], "j": np.array(codes)[j], "i_name": names[i], "j_name": names[j],
        "D": d[i, j], "D_unit": DISTANCE_UNITS[distance], "R": r[i, j], "F": f[i, j], "status": status[i, j],
    })
    totals = pd.DataFrame({
        "adcode": codes, "name_zh": names, "population": p, "gdp": g, "mass": mass,
        "R_total": np.where(n_linked > 0, r_total, np.nan), "n_linked": n_linked,
        "n_unreachable": (status != STATUS_OK).sum(axis=1),
    })
    return Linkage(pairs=pairs, totals=totals, distance=distance, b=b, k=k, population=population, gdp=gdp,
                   as_of=None if net is None else net.as_of, network_name=None if net is None else net.name,
                   report=table.report)


def _masses(data: pd.DataFrame, column: str, codes: list[str]) -> np.ndarray:
    """Return the column as floats, refusing a missing, zero or negative value (naming the units)."""
    x = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype="float64")
    for bad, what in ((np.isnan(x), "missing"), (~np.isnan(x) & (x <= 0), "zero or negative")):
        if bad.any():
            units = [describe(c) + ("" if np.isnan(v) else f": {v:g}") for c, v in zip(np.array(codes)[bad], x[bad])]
            msg = (f"the mass table's column {column!r} is {what} for {int(bad.sum())} unit(s): {units[:10]}; "
                   "the gravity model needs every unit's population and GDP greater than 0 (fill them in, or "
                   "leave those units out of the table)")
            raise ValueError(msg)
    return x


def _distances(codes: list[str], distance: str, *, date, network, undated, access_speed_kmh, k_nearest,
               max_access_km) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, Network | None]:
    """Return (D matrix, status matrix, the units as a frame, the network used or None); refuse D = 0."""
    unit_frame = by_code().loc[codes].reset_index(drop=True)
    n = len(codes)
    net = None
    if distance == "geodesic":
        lon = unit_frame["anchor_lon"].to_numpy(float)
        lat = unit_frame["anchor_lat"].to_numpy(float)
        d = geodesic_distance_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
        status = np.full((n, n), STATUS_OK, dtype=object)
    else:
        if network is None:
            net = load_yrd_network(as_of=date, undated=undated)
        elif date is not None or undated != "keep":
            net = as_of(network, date, undated=undated)
        else:
            net = network
        tt = od_matrix(net, unit_frame, key="adcode", access_speed_kmh=access_speed_kmh, k_nearest=k_nearest,
                       max_access_km=max_access_km)
        d = tt.minutes.loc[codes, codes].to_numpy(dtype="float64")
        status = np.full((n, n), STATUS_OK, dtype=object)
        pos = {c: x for x, c in enumerate(codes)}
        for o, t, reason in tt.unreachable[["origin", "destination", "reason"]].itertuples(index=False):
            status[pos[str(o)], pos[str(t)]] = reason
    off = ~np.eye(n, dtype=bool)
    zero = off & (d == 0)
    if zero.any():
        found = {tuple(sorted(pair)) for pair in zip(*np.nonzero(zero))}
        shown = [f"{describe(codes[x])} – {describe(codes[y])}" for x, y in sorted(found)[:5]]
        msg = (f"D = 0 {DISTANCE_UNITS[distance]} between {len(found)} pair(s) of different units, e.g. {shown}; "
               "the gravity model divides by D^b: give units with distinct seats")
        raise ValueError(msg)
    np.fill_diagonal(d, np.nan)
    return d, status, unit_frame, net

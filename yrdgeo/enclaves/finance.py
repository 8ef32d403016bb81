"""Revenue sharing between the two sides of an enclave: schedules, the preset rules, year-by-year splits.

A project placed by one side (fly-out, 飞出地, the recommending side) in
the other (fly-in, 飞入地, the host) pays local revenue that the two sides
split by a schedule agreed in advance: :class:`SharingSchedule` holds one,
:data:`PRESETS` the published rules by name, and :func:`revenue_schedule`
splits a revenue stream year by year.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from ..checks import check_choice, check_integer, check_number
from ..sources import cite

__all__ = ["PRESETS", "SHANGHAI_DISTRICT_RULE", "SharingSchedule", "revenue_schedule"]


@dataclass(frozen=True)
class SharingSchedule:
    """How a project's local revenue is split between the fly-out and the fly-in side, year by year.

    Attributes
    ----------
    name
        Identifier (``"shanghai_district_rule"`` for the preset).
    phases
        ``((years, fly_out_share), ...)``: consecutive phases counted from
        the first year of production; the share (0–1) goes to the fly-out
        (recommending, 原推荐) side, the rest to the fly-in (host, 落地) side.
    after
        The fly-out share in every year after the phases.
    source
        Where the rule comes from.
    """

    name: str
    phases: tuple[tuple[int, float], ...]
    after: float
    source: str = ""

    def __post_init__(self) -> None:
        for i, (years, share) in enumerate(self.phases, start=1):
            check_integer(f"schedule {self.name!r}: years of phase {i}", years)
            check_number(f"schedule {self.name!r}: fly-out share of phase {i}", share, minimum=0, inclusive=True,
                         maximum=1)
        check_number(f"schedule {self.name!r}: after", self.after, minimum=0, inclusive=True, maximum=1)

    def fly_out_share(self, year: int) -> float:
        """Return the fly-out side's share in ``year`` (1 = first year of production)."""
        check_integer("year", year)  # 1 is the first year of production
        end = 0
        for years, share in self.phases:
            end += int(years)
            if year <= end:
                return float(share)
        return float(self.after)

    @classmethod
    def from_shares(cls, shares: Sequence[float], *, after: float, name: str = "user", source: str = "") -> "SharingSchedule":
        """Return a schedule from one fly-out share per year (then ``after`` for every later year)."""
        return cls(name=name, phases=tuple((1, float(s)) for s in shares), after=float(after), source=source)


SHANGHAI_DISTRICT_RULE = SharingSchedule(
    name="shanghai_district_rule",
    phases=((5, 0.25),),
    after=0.0,
    source=(f"{cite('zhang-yajun')}: a Shanghai district's rule for industrial projects placed in another town "
            "(异地落户): of the town-level fiscal revenue (镇本级财力) after production starts, 25% a year goes to "
            "the recommending town for the first 5 years; from year 6 the host town keeps 100%."),
)


class _Presets(Mapping[str, SharingSchedule]):
    """The preset schedules by name; a former name still finds its schedule, with a DeprecationWarning."""

    def __init__(self, schedules: Sequence[SharingSchedule], former: Mapping[str, str]) -> None:
        self._by_name = {s.name: s for s in schedules}
        #: Former preset name -> current name (accepted, with a DeprecationWarning).
        self.former = dict(former)

    def lookup(self, name: str, *, stacklevel: int = 2) -> SharingSchedule:
        """Return the schedule called ``name`` (a former name warns); KeyError naming the presets otherwise."""
        if name in self.former:
            warnings.warn(f"the sharing schedule {name!r} is now called {self.former[name]!r}; the old name "
                          "will be removed", DeprecationWarning, stacklevel=stacklevel + 1)
            name = self.former[name]
        if name not in self._by_name:
            msg = f"unknown sharing schedule {name!r}; presets: {', '.join(self._by_name)}"
            raise KeyError(msg)
        return self._by_name[name]

    def __getitem__(self, name: str) -> SharingSchedule:
        return self.lookup(name, stacklevel=2)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name or name in self.former

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)  # current names only: what a menu or --help lists

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"PRESETS({', '.join(self._by_name)})"


#: Preset schedules by name (``revenue_schedule(schedule=name)``).
PRESETS = _Presets([SHANGHAI_DISTRICT_RULE], former={"seed002_shanghai_town": SHANGHAI_DISTRICT_RULE.name})


def revenue_schedule(
    revenue: float | Sequence[float],
    *,
    schedule: str | SharingSchedule = "shanghai_district_rule",
    years: int | None = None,
    start_year: int | None = None,
) -> pd.DataFrame:
    """Return the year-by-year split of revenue between the fly-out and fly-in side.

    Parameters
    ----------
    revenue
        Revenue per year: one number (the same every year; then pass
        ``years``) or one number per year from the first year of production.
    schedule
        A preset name (see :data:`PRESETS`) or a :class:`SharingSchedule`.
    years
        Number of years (required with a single revenue figure; must match
        the length of a per-year sequence).
    start_year
        Calendar year of the first year of production, to add ``calendar_year``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (1, 2, …), optional ``calendar_year``, ``revenue``,
        ``fly_out_share``, ``fly_in_share``, ``fly_out_revenue``,
        ``fly_in_revenue``, ``fly_out_cumulative``, ``fly_in_cumulative``.
    """
    if isinstance(schedule, str):
        if schedule not in PRESETS:  # a former name is in PRESETS (it warns) but not among the names listed
            check_choice("schedule", schedule, PRESETS)
        schedule = PRESETS.lookup(schedule, stacklevel=2)
    if not isinstance(schedule, SharingSchedule):
        msg = f"schedule must be a preset name or a SharingSchedule, got {type(schedule).__name__}"
        raise ValueError(msg)
    if np.ndim(revenue) == 0:
        if years is None:
            msg = "a single revenue figure needs years= (how many years to schedule)"
            raise ValueError(msg)
        check_integer("years", years)
        values = np.full(int(years), float(revenue))
    else:
        values = np.asarray(revenue, dtype="float64")
        if years is not None and years != len(values):
            msg = f"years={years} but {len(values)} revenue figures were given"
            raise ValueError(msg)
        if len(values) == 0:
            msg = "revenue is empty: give one figure per year"
            raise ValueError(msg)
    for year, value in enumerate(values.tolist(), start=1):
        check_number(f"revenue of year {year}", value, minimum=0, inclusive=True)
    yr = np.arange(1, len(values) + 1)
    share = np.array([schedule.fly_out_share(int(y)) for y in yr])
    out = pd.DataFrame({"year": yr})
    if start_year is not None:
        out["calendar_year"] = int(start_year) + yr - 1
    out["revenue"] = values
    out["fly_out_share"] = share
    out["fly_in_share"] = 1.0 - share
    out["fly_out_revenue"] = values * share
    out["fly_in_revenue"] = values * (1.0 - share)
    out["fly_out_cumulative"] = out.fly_out_revenue.cumsum()
    out["fly_in_cumulative"] = out.fly_in_revenue.cumsum()
    out.attrs["schedule"] = schedule.name
    return out


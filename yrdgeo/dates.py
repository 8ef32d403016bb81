"""Dates in yrdgeo: one rule for dates given only to the year or the month.

The sources date many things only partly: a council "since 1997", a line
"opened 2015-12", a corridor version "2017-07". yrdgeo reads every such date,
wherever it appears (region-group rosters, corridor versions, network links
``opened``/``closed``, and the ``as_of=`` / ``--date`` you ask with), by one
rule:

**A partial date means the last day of the period it names**: ``"2019"`` is
2019-12-31, ``"2015-12"`` is 2015-12-31, ``"2003-08"`` is 2003-08-31.

Why the end and not the start: an event dated only by its year could have
happened on any day of it, so counting it from 31 December never counts a
line open, or a council in force, before it could have been; and a question
"as of 2019" is answered with the state at the end of 2019, the date that
yearbook and statistical-bulletin figures describe. Both ends of a period
follow the same rule, so a roster "until 2003-08" and its successor "since
2003-08" meet without a gap or an overlap (in force means
``since <= day < until``).

Full dates (``2019-12-01``, ``2019/12/01``, a :class:`datetime.date` or a
pandas ``Timestamp``) are taken as they are.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

import pandas as pd

from .inputs import is_blank

__all__ = ["DateError", "FORMS", "as_date", "as_timestamp", "parse"]

FORMS = "'2019-12-01', '2019-12' or '2019'"

_PARTIAL = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2}))?(?:[-/.](\d{1,2}))?\s*$")


class DateError(ValueError):
    """A text that is not a date of the accepted forms."""


def parse(value: object, *, what: str = "date") -> _dt.date | None:
    """Return the date ``value`` stands for (a partial date: the last day of its period), or None when blank.

    Parameters
    ----------
    value
        ``"2019"``, ``"2019-12"``, ``"2019-12-01"`` (``/`` or ``.`` also separate), a
        :class:`datetime.date`/``datetime`` or a pandas ``Timestamp``; None, NaN or blank text give None.
    what
        What the date is, for the error message (``"opening date"``, ``"as_of"``).

    Raises
    ------
    DateError
        When the text is none of the accepted forms or not a real day, naming the forms.
    """
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    m = _PARTIAL.match(str(value))
    if m is None:
        msg = f"{what}: expected a date like {FORMS}, got {value!r}"
        raise DateError(msg)
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return _dt.date(year, 12, 31)
        if day is None:
            return _dt.date(year, month, calendar.monthrange(year, month)[1])
        return _dt.date(year, month, day)
    except ValueError:
        msg = f"{what}: {value!r} is not a real day; expected a date like {FORMS}"
        raise DateError(msg) from None


def as_date(value: object, *, what: str = "date") -> _dt.date:
    """Return ``value`` as a date by the rule of this module; a blank value is refused.

    Raises
    ------
    DateError
        When ``value`` is blank or not a date.
    """
    out = parse(value, what=what)
    if out is None:
        msg = f"{what}: expected a date like {FORMS}, got {value!r}"
        raise DateError(msg)
    return out


def as_timestamp(value: object, *, what: str = "date") -> pd.Timestamp:
    """Return ``value`` as a pandas Timestamp by the rule of this module, or NaT when blank."""
    out = parse(value, what=what)
    return pd.NaT if out is None else pd.Timestamp(out)

"""Checks of a function's options, with one wording for every module.

An option out of its list or a number out of its range is refused before
any work is done, with a message that names the option, what it got and what
was expected: ``method must be one of 'queen', 'rook', …; got 'Queen'``,
``cutoff_min must be a positive number (minutes), got -5``. Messages stay
plain ValueErrors so the CLI and QGIS report them as they do every other
refusal.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, Iterable

__all__ = ["check_choice", "check_choices", "check_integer", "check_number", "check_numbers"]


def check_choice(name: str, value: Any, choices: Iterable[Any], *, allow_none: bool = False) -> Any:
    """Return ``value`` when it is one of ``choices`` (or None with ``allow_none``); raise ValueError naming them."""
    choices = tuple(choices)
    if (value is None and allow_none) or value in choices:
        return value
    listed = ", ".join(map(repr, choices)) + (" or None" if allow_none else "")
    msg = f"{name} must be one of {listed}; got {value!r}"
    raise ValueError(msg)


def check_choices(*checks: tuple[str, Any, Iterable[Any]]) -> None:
    """Check several ``(name, value, choices)`` options at once with :func:`check_choice`."""
    for name, value, choices in checks:
        check_choice(name, value, choices)


def check_number(
    name: str,
    value: Any,
    *,
    minimum: float | None = 0.0,
    inclusive: bool = False,
    maximum: float | None = None,
    allow_none: bool = False,
    unit: str = "",
) -> float | None:
    """Return ``value`` as a float when it is a finite real number in range; raise ValueError otherwise.

    Parameters
    ----------
    name
        The option's name, as the caller's signature spells it.
    value
        What was passed. ``bool`` is refused (``True`` is not a distance).
    minimum, inclusive
        Lower bound; by default the number must be > 0 (``inclusive=True``: >= ``minimum``;
        ``minimum=None``: no lower bound).
    maximum
        Upper bound (inclusive), or None.
    allow_none
        Accept None (returned as None), for options where None means "no limit".
    unit
        Shown in the message: ``cutoff_min must be a positive number (minutes)``.
    """
    if value is None and allow_none:
        return None
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok and minimum is not None:
        ok = float(value) >= minimum if inclusive else float(value) > minimum
    if ok and maximum is not None:
        ok = float(value) <= maximum
    if ok:
        return float(value)
    if minimum == 0 and maximum is None:
        what = "a number >= 0" if inclusive else "a positive number"
    else:
        lo = "" if minimum is None else f"{'>=' if inclusive else '>'} {minimum:g}"
        hi = "" if maximum is None else f"<= {maximum:g}"
        what = "a finite number" + (f" {lo}" if lo else "") + (" and" if lo and hi else "") + (f" {hi}" if hi else "")
    msg = f"{name} must be {what}{f' ({unit})' if unit else ''}{' or None' if allow_none else ''}, got {value!r}"
    raise ValueError(msg)


def check_integer(name: str, value: Any, *, minimum: int = 1) -> int:
    """Return ``value`` as an int when it is a whole number >= ``minimum``; raise ValueError otherwise."""
    if isinstance(value, Integral) and not isinstance(value, bool) and int(value) >= minimum:
        return int(value)
    msg = f"{name} must be a whole number >= {minimum}, got {value!r}"
    raise ValueError(msg)


def check_numbers(
    name: str, values: Iterable[Any], *, increasing: bool = False, allow_empty: bool = False, **number: Any
) -> list[float]:
    """Return ``values`` as a list of floats, each checked by :func:`check_number` (``**number`` its bounds).

    ``allow_empty`` accepts no value at all; ``increasing`` asks for strictly increasing values
    (bands, rings, class breaks): ``bands must be strictly increasing, got [60.0, 30.0]``.
    """
    out = [check_number(name, value, **number) for value in values]
    if not (out or allow_empty):
        msg = f"{name} must hold at least one number, got none"
        raise ValueError(msg)
    if increasing and any(b <= a for a, b in zip(out, out[1:])):
        msg = f"{name} must be strictly increasing, got {out}"
        raise ValueError(msg)
    return out

"""Administrative codes (行政区划代码): read a code exactly as written, never truncate it.

A unit code is 6 digits (``320583`` 昆山市). Statistical tables also print the
12-digit statistical division code (统计用区划代码), which is the 6-digit code
followed by six zeros for a county-level unit or above (``320583000000``);
digits 7–12 name townships (乡镇/街道, ``320583101000``) and villages, which
yrdgeo does not model. Spreadsheets turn codes into numbers (``320583.0``) and
yearbooks print them with full-width digits (``３２０５８３``); both are read.
Anything else — 7 or 9 digits, a township code, a fraction, letters — is an
error that names the value and what was expected; a code is never cut to fit.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np


class CodeError(ValueError):
    """A value that is not a 6-digit (or 12-digit statistical) administrative code."""

    def __init__(self, msg: str, *, value: object):
        super().__init__(msg)
        self.value = value


_EXPECTED = "a 6-digit administrative code such as 320583, or a 12-digit statistical code ending in 000000"
_DIGITS = re.compile(r"[0-9]+")


def parse_code(value: Any, *, what: str = "code") -> str:
    """Return the 6-digit administrative code that ``value`` writes.

    Parameters
    ----------
    value
        A code as str, int or an integral float (spreadsheets), with optional
        surrounding spaces and full-width digits; 12-digit statistical codes of
        county-level units and above (six trailing zeros) are accepted.
    what
        How the value is named in an error (``"row 4, column adcode"``).

    Returns
    -------
    str
        Six ASCII digits.

    Raises
    ------
    CodeError
        The value is missing, not made of digits, of another length, or a
        township/village statistical code; the message names the value.
    """
    text = _as_text(value, what=what)
    if not _DIGITS.fullmatch(text):
        msg = f"{what}: {_show(value)} is not an administrative code; expected {_EXPECTED}"
        raise CodeError(msg, value=value)
    if len(text) == 12:
        head, tail = text[:6], text[6:]
        if tail != "000000":
            level = "village (村/社区)" if tail[3:] != "000" else "township (乡镇/街道)"
            msg = (f"{what}: {_show(value)} is a {level} statistical code inside {head}; yrdgeo works with "
                   f"county-level units and above: use {head} (or {head}000000) for the whole county")
            raise CodeError(msg, value=value)
        text = head
    elif len(text) == 9:
        msg = (f"{what}: {_show(value)} has 9 digits, the form of a township (乡镇/街道) code inside {text[:6]}; "
               f"yrdgeo works with county-level units and above: expected {_EXPECTED}")
        raise CodeError(msg, value=value)
    elif len(text) != 6:
        msg = f"{what}: {_show(value)} has {len(text)} digits; expected {_EXPECTED}"
        raise CodeError(msg, value=value)
    if text[0] == "0" or text[:2] == "00":
        msg = f"{what}: {_show(value)} cannot be an administrative code (province codes run from 11 to 82)"
        raise CodeError(msg, value=value)
    return text


def is_code(value: Any) -> bool:
    """Return True if :func:`parse_code` accepts ``value``."""
    try:
        parse_code(value)
    except CodeError:
        return False
    return True


def _show(value: Any) -> str:
    """Return a short repr of ``value`` for a message (a huge int or a long text is not printed whole)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)) \
            and abs(int(value)).bit_length() > 64:
        return f"<an integer of {abs(int(value)).bit_length() * 30103 // 100000 + 1} digits or so>"
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Invisible characters that copy-paste and BOM-less decoding leave at the edges of a cell.
_EDGE_INVISIBLE = "\ufeff\u200b\u200c\u200d\u200e\u200f\u2060"


def _as_text(value: Any, *, what: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is getattr(np, "nan", None):
        msg = f"{what}: the code is missing; expected {_EXPECTED}"
        raise CodeError(msg, value=value)
    if isinstance(value, (bool, np.bool_)):
        msg = f"{what}: {_show(value)} is not an administrative code; expected {_EXPECTED}"
        raise CodeError(msg, value=value)
    if isinstance(value, (int, np.integer)):
        if abs(int(value)).bit_length() > 64:  # str() of a huge int raises ValueError (Python's digit limit)
            msg = f"{what}: {_show(value)} has far more than 12 digits; expected {_EXPECTED}"
            raise CodeError(msg, value=value)
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or value != math.floor(value):
            msg = f"{what}: {_show(value)} is not a whole number; expected {_EXPECTED}"
            raise CodeError(msg, value=value)
        if isinstance(value, np.floating) and abs(float(value)) >= 2.0 ** (np.finfo(value.dtype).nmant + 1):
            # a float32 holds 24 bits: a 12-digit code in it is already rounded to other digits
            msg = (f"{what}: {_show(value)} is stored as {value.dtype} and cannot hold a code of that size "
                   f"exactly; read the column as text or int64; expected {_EXPECTED}")
            raise CodeError(msg, value=value)
        return str(int(value))
    # Full-width digits only, not NFKC: NFKC also turns superscripts and circled digits into
    # digits, so a footnote mark would become part of the code ('32058³' read as 320583).
    text = str(value).translate(_FULL_WIDTH).strip().strip(_EDGE_INVISIBLE).strip()
    if text == "" or text.lower() in {"nan", "none", "null", "<na>"}:
        msg = f"{what}: the code is missing; expected {_EXPECTED}"
        raise CodeError(msg, value=value)
    if re.fullmatch(r"[0-9]+\.0+", text):  # a spreadsheet's integral float written as text
        text = text.split(".")[0]
    return text


__all__ = ["CodeError", "parse_code", "is_code"]

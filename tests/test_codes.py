"""yrdgeo.codes.parse_code reads a code exactly as written and never cuts one to fit (property tests)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yrdgeo.codes import CodeError, is_code, parse_code

# No wall-clock limit: the machine is shared and a slow example is not a failure.
settings.register_profile("yrdgeo-codes", deadline=None, max_examples=200)
settings.load_profile("yrdgeo-codes")

six_digits = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
FULL_WIDTH_IN = str.maketrans("０１２３４５６７８９．", "0123456789.")


@given(six_digits)
def test_any_six_digit_code_round_trips(code):
    assert parse_code(code) == code
    assert is_code(code)


@given(six_digits, st.sampled_from(["", " ", "\t", "\u3000", "\ufeff", "\n"]))
def test_surrounding_space_and_bom_are_ignored(code, edge):
    assert parse_code(f"{edge}{code}{edge}") == code


@given(six_digits)
def test_every_written_form_gives_the_same_six_digits(code):
    forms = [
        int(code), np.int64(code), np.int32(code), float(code), np.float64(code), np.float32(code),
        f"{code}.0", f"{code}.000", code.translate(FULL_WIDTH),
        f"{code}000000", int(f"{code}000000"), np.int64(f"{code}000000"), float(f"{code}000000"),
        f"{code}000000.0", f"{code}000000".translate(FULL_WIDTH),
    ]
    for form in forms:
        assert parse_code(form) == code, form


@given(st.from_regex(r"[0-9]{1,40}", fullmatch=True).filter(lambda s: len(s) not in (6, 12)))
def test_any_other_digit_length_is_refused(digits):
    with pytest.raises(CodeError) as err:
        parse_code(digits)
    assert repr(digits)[:20] in str(err.value) or "digits" in str(err.value)
    if digits[0] != "0":
        with pytest.raises(CodeError):
            parse_code(int(digits))


@given(six_digits, st.from_regex(r"[0-9]{6}", fullmatch=True).filter(lambda t: t != "000000"))
def test_twelve_digits_with_a_township_or_village_tail_are_refused(code, tail):
    for form in (f"{code}{tail}", int(f"{code}{tail}"), float(f"{code}{tail}")):
        with pytest.raises(CodeError, match=f"inside {code}"):
            parse_code(form)


@given(st.one_of(
    st.text(), st.text(alphabet="0123456789０１２３４５６７８９ .,+-e\u3000\ufeff"), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans(), st.binary(),
    st.decimals(allow_nan=True), st.integers(min_value=10**20, max_value=10**6000),
))
def test_random_input_gives_six_digits_or_a_code_error(value):
    try:
        out = parse_code(value)
    except CodeError as err:
        assert err.value is value
        assert 0 < len(str(err)) < 600  # a message, and a huge input is not printed whole
        return
    assert isinstance(out, str) and len(out) == 6 and out.isascii() and out.isdigit() and out[0] != "0"
    # Nothing was cut: what was written is the code, or the code and six zeros (plus a spreadsheet's ".0").
    if isinstance(value, (float, np.floating)):
        assert int(value) in (int(out), int(out) * 10**6)
    else:
        written = "".join(ch for ch in str(value).translate(FULL_WIDTH_IN) if ch in "0123456789.")
        assert re.fullmatch(rf"{out}(000000)?(\.0+)?", written), written


@pytest.mark.parametrize("value,words", [
    ("3205001", "7 digits"),
    ("32058", "5 digits"),
    ("320583101", "township"),
    (320583101, "township"),
    ("320583101000", "township"),
    (320583101000, "township"),
    ("320583101001", "village"),
    ("32058300000", "11 digits"),
    ("3205830000000", "13 digits"),
    ("012345", "cannot be an administrative code"),
    ("000000000000", "cannot be an administrative code"),
    ("320583.5", "not an administrative code"),
    (320583.5, "not a whole number"),
    (float("inf"), "not a whole number"),
    ("3.20583e5", "not an administrative code"),
    ("+320583", "not an administrative code"),
    ("-320583", "not an administrative code"),
    (-320583, "not an administrative code"),
    ("32 05 83", "not an administrative code"),
    ("32058³", "not an administrative code"),  # a footnote mark is not a digit of the code
    ("③②⓪⑤⑧③", "not an administrative code"),
    ("٣٢٠٥٨٣", "not an administrative code"),
    ("苏州", "not an administrative code"),
    ("", "missing"),
    ("nan", "missing"),
    (None, "missing"),
    (float("nan"), "missing"),
    (np.nan, "missing"),
    (True, "not an administrative code"),
    (np.bool_(False), "not an administrative code"),
    (b"320583", "not an administrative code"),
    (np.float32(320583000000), "float32"),
    pytest.param(10**5000, "far more than 12 digits", id="int-of-5001-digits"),
])
def test_malformed_codes_are_refused_with_a_message(value, words):
    with pytest.raises(CodeError, match=words) as err:
        parse_code(value, what="row 4, column adcode")
    assert str(err.value).startswith("row 4, column adcode: ")
    assert isinstance(err.value, ValueError)
    assert not is_code(value)


def test_numbers_spreadsheets_write_are_read():
    assert parse_code(320583.0) == "320583"
    assert parse_code(np.float64(320583000000.0)) == "320583"
    assert parse_code(np.float32(320583)) == "320583"  # six digits fit a float32 exactly
    assert parse_code(np.uint64(320583000000)) == "320583"
    assert parse_code("３２０５８３００００００") == "320583"
    assert math.isclose(float(parse_code("340200")), 340200)

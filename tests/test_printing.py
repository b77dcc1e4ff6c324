"""course_utils.printing: printed digits that cannot depend on the last bits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.printing import RoundingBoundaryError, rounded, stable, stable_text


def _wiggle(x, ulps):
    for _ in range(abs(ulps)):
        x = np.nextafter(x, np.inf if ulps > 0 else -np.inf)
    return x


@pytest.mark.parametrize("x, spec", [(0.125, ".2f"), (0.415, ".2f"), (2.5, ".0f"),
                                     (1.125e-3, ".2e"), (0.12345, ".4f"), (0.0625, ".1%"),
                                     (-0.415, "8.2f"), (12.345, ".4g")])
def test_a_value_on_a_rounding_boundary_is_refused(x, spec):
    with pytest.raises(RoundingBoundaryError, match="rounding boundary"):
        format(stable(x), spec)
    # ... exactly because a few ulps would change what is printed
    printed = {format(_wiggle(x, u), spec) for u in (-40, 40)}
    assert len(printed) == 2, printed


@pytest.mark.parametrize("x, spec, text", [(2 / 3, ".3f", "0.667"), (0.1 + 0.2, ".2f", "0.30"),
                                           (7.48e-89, ".4e", "7.4800e-89"), (0.0, ".3f", "0.000"),
                                           (float("nan"), ".2f", "nan"), (3, "4d", "   3"),
                                           (True, "", "True"), (np.int64(12), ",", "12")])
def test_safe_values_print_as_format_would(x, spec, text):
    assert format(stable(x), spec) == text


def test_negative_zero_prints_as_zero_keeping_the_width():
    assert format(stable(-1e-17), ".3f") == "0.000"
    assert format(stable(-1e-17), "7.3f") == "  0.000"
    assert format(stable(-0.0), ".2e") == "0.00e+00"
    assert format(stable(-1e-17), ".1%") == "0.0%"
    assert format(stable(-0.2), ".1f") == "-0.2"


def test_arrays_print_entry_by_entry_and_keep_their_rows():
    assert f"{stable(np.array([[0.25, -1e-18], [1 / 3, 2.0]])):.2f}" == "[[0.25, 0.00], [0.33, 2.00]]"
    assert f"{stable(np.array([0.25, 1 / 3])):.2f}" == "[0.25, 0.33]"
    assert stable_text(np.zeros((2, 1, 2)), ".1f") == "[[[0.0, 0.0]], [[0.0, 0.0]]]"
    assert stable_text([0.125, 0.5], ".2f") == "[0.1, 0.50]"     # only the unsure entry loses a digit
    with pytest.raises(RoundingBoundaryError):
        f"{stable([0.3, 0.125]):.2f}"
    assert "stable(" in repr(stable(0.5))
    with pytest.raises(ValueError, match="no precision"):
        f"{stable(0.5)}"          # every digit: the last ones are the computer's


def test_rounded_is_np_round_with_the_check():
    np.testing.assert_array_equal(rounded([0.56462, 0.18419], 4), [0.5646, 0.1842])
    assert rounded(2 / 3, 2) == 0.67 and isinstance(rounded(2 / 3, 2), float)
    assert np.signbit(rounded(-1e-17, 3)) == np.False_
    with pytest.raises(RoundingBoundaryError):
        rounded([0.1, 0.125], 2)


def test_stable_text_never_refuses_and_stays_put_under_noise():
    for x, spec in [(0.125, ".2f"), (1.125e-3, ".2e"), (2.5, ".0f"), (0.12345, ".4f")]:
        texts = {stable_text(_wiggle(x, u), spec) for u in range(-30, 31, 6)}
        assert len(texts) == 1, (x, spec, texts)
    assert stable_text(0.125, ".2f") == "0.1" and stable_text(2.5, ".0f") == "2.5"
    assert stable_text(1 / 3, ".3f") == "0.333"


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: abs(v) > 1e-300),
       st.sampled_from([".2f", ".4f", ".3g", ".2e", ".1%"]))
def test_whatever_stable_prints_survives_a_change_in_the_last_bits(x, spec):
    # (An exact 0 that comes out as 1e-17 elsewhere cannot be told from a real 1e-17:
    # print a bound for such values, as the module's docstring says.)
    try:
        text = format(stable(x), spec)
    except RoundingBoundaryError:
        return
    for u in (-64, 64):
        assert format(stable(_wiggle(x, u)), spec) == text
    assert stable_text(x, spec) == text


@pytest.mark.parametrize("value, match", [("0.5", "number"), (None, "number"),
                                          (np.array([1 + 2j]), "real numbers"),
                                          (np.array(["a"]), "real numbers")])
def test_bad_values_are_named(value, match):
    with pytest.raises(TypeError, match=match):
        stable(value)


@pytest.mark.parametrize("call, match", [(lambda: stable(0.5, margin=-1), "margin"),
                                         (lambda: stable(0.5, margin=0.1), "margin"),
                                         (lambda: rounded(0.5, 2.0), "decimals"),
                                         (lambda: rounded(0.5, -1), "decimals")])
def test_bad_settings_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()

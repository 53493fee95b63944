"""course_utils.checking: verdicts, student errors, comparisons."""

import numpy as np
import pytest

from course_utils.checking import CheckFailed, call, exercise_check, expect_array, expect_true, require_done


@exercise_check("double")
def check_double(double):
    x = np.array([1.0, -2.5, 3.0])
    expect_array(call(double, x.copy()), 2 * x, "double(x)", known_mistakes={"multiply, do not add 2.": x + 2})
    return "right on one array."


def test_result_is_true_only_when_passed_and_prints_once(capsys):
    assert check_double(lambda x: 2 * x)
    assert capsys.readouterr().out.count("\n") == 1
    assert not check_double(lambda x: x + 2)
    assert check_double(lambda x: 2 * x, verbose=False) and capsys.readouterr().out.startswith("\u274c")


def test_student_exception_is_one_paragraph_naming_the_line():
    def broken(x):
        scale = {"two": 2}
        return x * scale["three"]

    result = check_double(broken, verbose=False)
    assert result.status == "error" and "\n" not in result.message
    assert "KeyError: 'three'" in result.message and '`return x * scale["three"]`' in result.message


def test_a_bug_in_the_check_itself_is_not_hidden():
    @exercise_check("buggy")
    def check_buggy(function):
        call(function)
        return undefined_name  # noqa: F821

    with pytest.raises(NameError):
        check_buggy(lambda: 1)


@pytest.mark.parametrize(
    "got, fragment",
    [
        (None, "returned None"),
        ("text", "not an array of numbers"),
        (np.zeros((2, 3)), "returned shape (2, 3), expected shape (3,)"),
        (np.array([1.0, np.nan, 3.0]), "contains NaN in 1 of 3 places"),
        (np.array([1, 2, 3]), "whole numbers (dtype int64)"),
        (np.array([1.0, 2.0, 3.5]), "returned 3.5 at index (2,), expected 3.25"),
    ],
)
def test_expect_array_says_what_differs(got, fragment):
    with pytest.raises(CheckFailed) as failure:
        expect_array(got, np.array([1.0, 2.0, 3.25]), "f(x)")
    assert fragment in str(failure.value)


def test_expect_array_accepts_equal_values_of_another_container():
    expect_array([1, 2, 3], np.array([1.0, 2.0, 3.0]), "f(x)")
    with pytest.raises(CheckFailed, match="two apples"):
        expect_true(False, "two apples")


def test_a_common_error_comes_with_a_hint():
    result = check_double(lambda x: 2 * x if x > 0 else x, verbose=False)
    assert result.status == "error" and "truth value of an array" in result.message
    assert "np.where(condition, a, b)" in result.message


def test_require_done_stops_only_while_a_value_is_missing():
    require_done(1, [2], np.zeros(3))
    with pytest.raises(NotImplementedError, match="finish that exercise first"):
        require_done(1, None)


def test_the_line_named_is_the_students_not_numpys():
    def wrong_axis(x):
        return x / x.max(axis=1)

    result = check_double(wrong_axis, verbose=False)
    assert "AxisError" in result.message and "`return x / x.max(axis=1)`" in result.message

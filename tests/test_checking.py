"""course_utils.checking: verdicts, student errors, comparisons."""

import numpy as np
import pytest

from course_utils import checking
from course_utils.checking import (
    ERROR,
    FAILED,
    NOT_DONE,
    PASSED,
    CheckFailed,
    NotDoneYet,
    call,
    call_returning_self,
    describe,
    exercise_check,
    expect_array,
    expect_true,
    expect_values,
    require_done,
)


@exercise_check("double")
def check_double(double):
    x = np.array([1.0, -2.5, 3.0])
    expect_array(call(double, x.copy()), 2 * x, "double(x)", known_mistakes={"multiply, do not add 2.": x + 2})
    return "right on one array."


def test_result_is_true_only_when_passed_and_prints_once(capsys):
    assert check_double(lambda x: 2 * x)
    assert capsys.readouterr().out.count("\n") == 1
    assert not check_double(lambda x: x + 2)
    assert capsys.readouterr().out.startswith("\u274c")


def test_verbose_false_prints_nothing_whatever_the_verdict(capsys):
    for double in (lambda x: 2 * x, lambda x: x + 2, lambda x: x["no"], None):
        check_double(double, verbose=False)
        assert capsys.readouterr().out == ""


def test_student_exception_is_one_paragraph_naming_the_line():
    def broken(x):
        scale = {"two": 2}
        return x * scale["three"]

    result = check_double(broken, verbose=False)
    assert result.status == ERROR and "\n" not in result.message
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
    assert result.status == ERROR and "truth value of an array" in result.message
    assert "np.where(condition, a, b)" in result.message


def test_require_done_stops_only_while_a_value_is_missing():
    require_done(1, [2], np.zeros(3))
    with pytest.raises(NotImplementedError, match="needs the exercise above: finish or run that first"):
        require_done(1, None)
    with pytest.raises(NotImplementedError, match="needs Exercise 1 and the ladder cell: finish"):
        require_done(None, 2, needs="Exercise 1 and the ladder cell")


def test_the_line_named_is_the_students_not_numpys():
    def wrong_axis(x):
        return x / x.max(axis=1)

    result = check_double(wrong_axis, verbose=False)
    assert "AxisError" in result.message and "`return x / x.max(axis=1)`" in result.message


def halve_in_place(values):
    values /= 2
    return values


@exercise_check("halve")
def check_halve(halve, may_change=False):
    x = np.array([2.0, 4.0])
    expect_array(call(halve, x, may_change=(x,) if may_change else ()), [1.0, 2.0], "halve(x)")
    return "right."


def test_a_changed_input_is_named_by_the_students_parameter_with_the_advice():
    result = check_halve(halve_in_place, verbose=False)
    assert result.status == FAILED
    assert "halve_in_place changed the `values` it was given; compute new arrays" in result.message
    assert check_halve(lambda values: values / 2, verbose=False).status == PASSED


def test_an_input_the_exercise_changes_by_design_is_not_guarded():
    assert check_halve(halve_in_place, may_change=True, verbose=False).status == PASSED


def test_arrays_inside_lists_are_guarded_and_the_advice_is_the_checks():
    def scale_first(arrays, factor):
        arrays[0] *= factor
        return factor

    arrays = [np.ones(2), np.zeros(3)]
    with pytest.raises(CheckFailed, match=r"scale_first changed the `arrays` it was given; keep them"):
        call(scale_first, arrays, 3.0, advice="keep them.")
    with pytest.raises(CheckFailed, match="changed the `argument 1`"):
        call(lambda *args: scale_first(*args), [np.ones(2)], 2.0)


def test_a_stub_or_none_is_not_done_and_a_reason_can_be_given():
    def stub(x):
        raise NotImplementedError()

    for missing in (stub, None):
        with pytest.raises(NotDoneYet):
            call(missing, np.ones(2))

    @exercise_check("plan")
    def check_plan(plan):
        raise NotDoneYet("write the plan first.")

    result = check_plan("draft", verbose=False)
    assert result.status == NOT_DONE and result.message == "plan is not done yet: write the plan first."


def test_expect_values_names_how_many_and_what_came_back():
    assert expect_values((1, 2), "f(x)", "a, b") == (1, 2)
    for wrong, described in (((1, 2, 3), "a tuple of 3 items"), (np.zeros(2), "an array of shape (2,)"), (5, "int 5")):
        with pytest.raises(CheckFailed) as failure:
            expect_values(wrong, "f(x)", "a, b")
        assert str(failure.value).startswith("f(x) should return two values, `return a, b`; it returned " + described)
    assert describe([1]) == "a list of 1 item"
    assert describe(np.float64(0.25)) == "float64 0.25"


def test_a_method_must_return_its_model():
    class Model:
        def fit(self, X):
            return self

        def fit_forgetting(self, X):
            self.fitted = True

    call_returning_self(Model(), "fit", np.ones(2))
    with pytest.raises(CheckFailed, match=r"fit_forgetting must end with `return self`.*Model\(\)\.fit_forgetting"):
        call_returning_self(Model(), "fit_forgetting", np.ones(2))


def test_a_printed_verdict_puts_hint_and_next_step_on_lines_of_their_own(capsys):
    check_double(lambda x: x + 2)
    assert capsys.readouterr().out.splitlines() == [
        "\u274c double is not right yet: double(x) returned -0.5 at index (1,), expected -5.",
        "   Hint: multiply, do not add 2.",
        "   Next: change your code, run its cell again, then run this check again.",
    ]
    check_double(None)
    assert capsys.readouterr().out.splitlines() == [
        "\u23f3 double is not done yet.",
        "   Next: replace `raise NotImplementedError()` (or the `None`) with your code, run that cell, then run "
        "this check again.",
    ]


@pytest.mark.parametrize(
    "double, status, colour",
    [
        (lambda x: 2 * x, "passed", "#2e7d32"),
        (lambda x: x + 2, "not yet right", "#c62828"),
        (None, "not done yet", "#a15c00"),
    ],
)
def test_the_notebook_shows_a_coloured_verdict_with_its_plain_text(monkeypatch, double, status, colour):
    shown = []
    monkeypatch.setattr(checking, "_in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda data, raw: shown.append(data))
    try:
        result = check_double(double)
    except checking.ExerciseNotDone as stop:  # a not-done verdict stops Run All, in one line
        assert status == "not done yet" and stop._render_traceback_() == [
            "Run All stops here: double is not done yet (the cells below may need it)."
        ]
    else:
        assert status != "not done yet" and result.status == status
    ((data),) = shown
    assert data["text/plain"].startswith(checking.SYMBOLS[status])
    page = data["text/html"]
    assert f'data-status="{status}"' in page and f"color: {colour}" in page and status.upper() in page
    assert "word-break: normal" in page and "overflow-wrap: break-word" in page
    assert page.count("<b>Next:</b>") == (status != "passed")


def test_html_verdicts_escape_the_message_and_show_code_as_code():
    result = checking.CheckResult("f", FAILED, "f(x) returned `a < b` & more. Hint: use `np.where`.")
    page = result.html()
    assert "<code>a &lt; b</code> &amp; more." in page and "<div><b>Hint:</b> use <code>np.where</code>.</div>" in page

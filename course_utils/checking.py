"""The machinery behind the exercise checks: verdicts, safe calls, comparisons.

A check is a function decorated with :func:`exercise_check`. Its body calls the student's
code only through :func:`call` (or :func:`call_with_hint`, :func:`call_without_warnings`,
:func:`call_returning_self`, which build on it) and compares results with the ``expect_*``
helpers. :func:`call` also makes sure the student's code leaves its inputs unchanged, so no
check can forget to. The decorator turns what happens into one short verdict:

* passed;
* not yet right: what was expected and what came back (value, shape, dtype, NaN), and a
  hint when the wrong result matches a known mistake;
* not done yet: the student's code still raises ``NotImplementedError`` (or is None);
* an error: the student's code raised; reported as one paragraph with the line at fault.

The verdict is shown (:func:`show`: coloured in a notebook, plain text elsewhere) and
returned as a :class:`CheckResult`, which is true only when the check passed, so graders
can ``assert`` it. In a notebook a not-done verdict stops Run All. A check never raises because of the student's
code; an exception from the check itself is a bug in the course and is not hidden.
Computations and data that several checks compare with live in :mod:`course_utils.reference`.
"""

import functools
import html
import inspect
import re
import sys
import sysconfig
import traceback
import warnings
from pathlib import Path

import numpy as np

PACKAGE_FOLDER = str(Path(__file__).resolve().parent)
# Code that is not the student's: this package, installed libraries and the standard library.
LIBRARY_FOLDERS = (PACKAGE_FOLDER, *{sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib")})

PASSED, FAILED, NOT_DONE, ERROR = "passed", "not yet right", "not done yet", "error"
SYMBOLS = {PASSED: "\u2705", FAILED: "\u274c", NOT_DONE: "\u23f3", ERROR: "\u274c"}
# In the notebook a verdict also has a colour and a word, for screens without an emoji font.
COLOURS = {PASSED: "#2e7d32", FAILED: "#c62828", NOT_DONE: "#a15c00", ERROR: "#c62828"}
NEXT_STEPS = {
    FAILED: "change your code, run its cell again, then run this check again.",
    NOT_DONE: "replace `raise NotImplementedError()` (or the `None`) with your code, run that cell, then run this "
    "check again.",
    ERROR: "fix your code, run its cell again, then run this check again.",
}


class CheckResult:
    """The outcome of one check: true only when it passed.

    Attributes
    ----------
    name : str
        What was checked, e.g. ``"mean_digit"``.
    status : str
        One of ``"passed"``, ``"not yet right"``, ``"not done yet"``, ``"error"``.
    message : str
        The verdict in one paragraph (a hint follows "Hint: ").
    next_step : str or None
        What to do now, shown on a line of its own; None when the message says it.
    """

    def __init__(self, name, status, message, next_step=None):
        self.name, self.status, self.message = name, status, message
        self.next_step = NEXT_STEPS.get(status) if next_step is None else next_step

    @property
    def passed(self):
        return self.status == PASSED

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult({self.name!r}, {self.status!r})"

    def _ipython_display_(self):
        """Show nothing when a check cell ends with the call: the verdict is shown already."""

    def lines(self):
        """The verdict as lines: the symbol and the message, then each hint, then the next step."""
        first, *more = self.message.split("\n")
        headline, *hints = first.split(" Hint: ")
        return [
            f"{SYMBOLS[self.status]} {headline}",
            *(f"   Hint: {hint}" for hint in hints),
            *more,
            *([f"   Next: {self.next_step}"] if self.next_step else []),
        ]

    def text(self):
        """The verdict as plain text, for terminals, nbval and graders."""
        return "\n".join(self.lines())

    def html(self):
        """The verdict for JupyterLab: a coloured box, the status in words, hint and next step on lines of their own."""
        colour = COLOURS[self.status]
        symbol, headline = self.lines()[0].split(" ", 1)
        rows = [f'<b style="color: {colour}">{symbol} {self.status.upper()}</b> &nbsp;{_inline(headline)}']
        for line in self.lines()[1:]:
            label, _, text = line.strip().partition(": ")
            rows.append(f"<b>{label}:</b> {_inline(text)}" if label in ("Hint", "Next") else _inline(line.strip()))
        return (
            f'<div class="course-verdict" data-status="{self.status}" style="border-left: 0.4em solid {colour}; '
            f"background: {colour}14; padding: 0.4em 0.8em; white-space: normal; word-break: normal; "
            f'overflow-wrap: break-word; line-height: 1.5">' + "".join(f"<div>{row}</div>" for row in rows) + "</div>"
        )


def _inline(text):
    """Escape `text` for HTML, showing `code` in backticks as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text, quote=False))


class ExerciseNotDone(NotImplementedError):
    """Raised after a not-done verdict in a notebook, so that Run All stops at the first unfinished exercise."""

    def __init__(self, name):
        super().__init__(f"{name} is not done yet")
        self.name = name

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: one line, since the verdict above says what to do.
        return [f"Run All stops here: {self.name} is not done yet (the cells below may need it)."]


def show(result):
    """Show a verdict: coloured HTML with plain text beside it in a notebook, plain text elsewhere.

    In a notebook a not-done verdict then raises :class:`ExerciseNotDone`, which stops Run All there.
    """
    if not _in_notebook():
        print(result.text())
        return
    from IPython.display import display

    display({"text/plain": result.text(), "text/html": result.html()}, raw=True)
    if result.status == NOT_DONE:
        raise ExerciseNotDone(result.name)


def _in_notebook():
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    return shell is not None and hasattr(shell, "kernel")


class CheckFailed(Exception):
    """Raised inside a check body when the student's result is wrong."""


class NotDoneYet(Exception):
    """Raised when the exercise has not been started.

    :func:`call` raises it without a message when the student's code is still a stub; a check
    body may raise it with a message that says what is missing.
    """


class StudentError(Exception):
    """Raised by :func:`call` when the student's code raised; ``error`` is what it raised.

    A check may catch it to turn a specific, well-understood error into a failure with a
    hint; :func:`exercise_check` reports any other as the student's error.
    """

    def __init__(self, error):
        super().__init__(error)
        self.error = error


UNCHANGED_ADVICE = "compute new arrays instead of changing the ones given (`a = a - b`, not `a -= b`)."


def call(function, *args, may_change=(), advice=UNCHANGED_ADVICE, **kwargs):
    """Call the student's `function`, turning its exceptions into verdicts and guarding its inputs.

    ``NotImplementedError`` (or a `function` that is still None) means the exercise is not
    done yet; any other exception is reported as the student's error. Every array among
    `args` (also inside lists and tuples) must come back unchanged, unless it is one of
    `may_change`: the check can go on using its own arrays, and a student who changes an
    input in place is told so.

    Parameters
    ----------
    function : callable or None
    *args, **kwargs
        Passed to `function` as they are.
    may_change : sequence
        Arguments (the very objects) that the exercise changes in place by design.
    advice : str
        What to do instead, for the verdict when an input was changed.

    Raises
    ------
    NotDoneYet, StudentError, CheckFailed
    """
    if function is None:
        raise NotDoneYet()
    guarded = [
        (index, arg, _copy_arrays(arg))
        for index, arg in enumerate(args)
        if _holds_arrays(arg) and not any(arg is kept for kept in may_change)
    ]
    try:
        result = function(*args, **kwargs)
    except NotImplementedError:
        raise NotDoneYet() from None
    except Exception as error:  # whatever the student's code raises is reported, not raised
        raise StudentError(error) from None
    for index, arg, original in guarded:
        if not _equal_arrays(arg, original):
            raise CheckFailed(
                f"{_name_of(function)} changed the `{_parameter(function, index)}` it was given; {advice}"
            )
    return result


def _holds_arrays(value):
    if isinstance(value, (list, tuple)):
        return any(_holds_arrays(item) for item in value)
    return isinstance(value, np.ndarray)


def _copy_arrays(value):
    if isinstance(value, (list, tuple)):
        return [_copy_arrays(item) for item in value]
    return value.copy() if isinstance(value, np.ndarray) else value


def _equal_arrays(value, original):
    if isinstance(value, (list, tuple)):
        return len(value) == len(original) and all(_equal_arrays(v, o) for v, o in zip(value, original))
    if isinstance(original, np.ndarray):
        return isinstance(value, np.ndarray) and np.array_equal(value, original, equal_nan=True)
    return True


def _name_of(function):
    name = getattr(function, "__name__", "")
    return name if name.isidentifier() else "your code"


def _parameter(function, index):
    """The name of `function`'s positional parameter number `index`, as the student wrote it."""
    try:
        parameters = [
            p
            for p in inspect.signature(function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        parameters = []
    return parameters[index].name if index < len(parameters) else f"argument {index + 1}"


def call_without_warnings(function, args, what, advice, **options):
    """:func:`call` with NumPy's warnings switched on: a numeric warning fails the check.

    Parameters
    ----------
    function : the student's function
    args : tuple
        Its arguments.
    what : str
        How it was called, for the verdict.
    advice : str
        The hint when it warned (of overflow, division by zero or an invalid value).
    **options
        Passed to :func:`call`.

    Returns
    -------
    object
        What the function returned.
    """
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("always")
        result = call(function, *args, **options)
    warned = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    if warned:
        more = f" (and {len(warned) - 1} more)" if len(warned) > 1 else ""
        raise CheckFailed(f"{what} gave the warning “{warned[0]}”{more}. Hint: {advice}")
    return result


def call_with_hint(function, args, clue, what, hint, **options):
    """:func:`call`; an error whose message contains `clue` is reported as a failure with `hint`."""
    try:
        return call(function, *args, **options)
    except StudentError as raised:
        if clue not in str(raised.error):
            raise
        error = f"{type(raised.error).__name__}: {str(raised.error).rstrip('.')}"
        raise CheckFailed(f"{what} raised {error}. Hint: {hint}") from None


def call_returning_self(model, method, *args, **options):
    """:func:`call` the student's ``model.<method>(*args)``, which must end with ``return self``."""
    result = call(getattr(model, method), *args, **options)
    expect_true(
        result is model,
        f"{method} must end with `return self`, so that calls can be chained: "
        f"{type(model).__name__}().{method}(X, y).predict(X).",
    )


def exercise_check(name, allow_none=False):
    """Decorate a check body ``body(*student_things, **named_things) -> str`` into a full check.

    The body returns a short description of what was tested (shown after "passed") or
    raises :class:`CheckFailed` (or :class:`NotDoneYet`). The decorated check accepts
    ``verbose=False`` to print nothing. Unless `allow_none`, a student value that is still
    None means "not done yet" without running the body.
    """

    def decorate(body):
        @functools.wraps(body)
        def check(*student, verbose=True, **named):
            if not allow_none and any(thing is None for thing in (*student, *named.values())):
                result = _not_done(name, NotDoneYet())
            else:
                try:
                    result = CheckResult(name, PASSED, f"{name} passed: {body(*student, **named)}")
                except NotDoneYet as missing:
                    result = _not_done(name, missing)
                except StudentError as raised:
                    result = CheckResult(name, ERROR, f"{name} raised an error: {_describe_error(raised.error)}")
                except CheckFailed as failure:
                    result = CheckResult(name, FAILED, f"{name} is not right yet: {failure}")
            if verbose:
                show(result)
            return result

        return check

    return decorate


def _not_done(name, missing):
    if str(missing):  # the check says what is missing, and so what to do
        return CheckResult(name, NOT_DONE, f"{name} is not done yet: {missing}", next_step="")
    return CheckResult(name, NOT_DONE, f"{name} is not done yet.")


# Error messages beginners meet often, and what usually causes them.
ERROR_HINTS = {
    "truth value of an array": "`if` and `and`/`or` look at one value; to decide element by "
    "element use `np.where(condition, a, b)` or `&`/`|`.",
    "could not be broadcast": "the two arrays' shapes do not fit together; print their `.shape` "
    "and check which axis you meant.",
    "matmul: Input operand": "the inner sizes of a matrix product must agree: (n, m) @ (m, k).",
    "is not iterable": "a single number cannot be looped over; make the function work on numbers as well "
    "as arrays (NumPy functions such as `np.where` handle both).",
}


def _describe_error(error):
    """One paragraph: the exception, the line of the student's code that raised it, a hint."""
    text = f"{type(error).__name__}: {error}".rstrip()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(LIBRARY_FOLDERS)]
    if frames and frames[-1].line:
        text += f", at the line `{frames[-1].line.strip()}`"
    hints = [hint for clue, hint in ERROR_HINTS.items() if clue in str(error)]
    return text + "." + "".join(f" Hint: {hint}" for hint in hints[:1])


def describe(value):
    """A short description of a value for a verdict: shape and dtype for arrays, length for lists and tuples."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, np.generic):  # a NumPy number, shown as a number rather than as np.float64(...)
        return f"{type(value).__name__} {value.item()!r}"
    return f"{type(value).__name__} {value!r}"


NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def expect_values(result, what, names):
    """The values a function returns as ``return a, b, ...``, or :class:`CheckFailed` if it returned something else.

    Parameters
    ----------
    result : object
        What the student's function returned.
    what : str
        How it was called, for the verdict.
    names : str
        The values' names as the exercise writes them, e.g. ``"cost, gradient"``.
    """
    count = names.count(",") + 1
    if not (isinstance(result, (tuple, list)) and len(result) == count):
        raise CheckFailed(
            f"{what} should return {NUMBER_WORDS.get(count, count)} values, `return {names}`; "
            f"it returned {describe(result)}."
        )
    return result


def expect_array(got, expected, what, rtol=1e-6, atol=1e-8, known_mistakes=None, otherwise=None):
    """Check that `got` is an array equal to `expected` (shape, kind of number, values).

    Parameters
    ----------
    got : object
        What the student's code returned.
    expected : array_like
        The right answer.
    what : str
        How the value was obtained, e.g. ``"mean_digit(images, labels, 3)"``.
    rtol, atol : float
        Tolerances of :func:`numpy.allclose`.
    known_mistakes : dict of str -> array_like, optional
        Hint -> the result that mistake produces. If `got` matches one, its hint is given.
    otherwise : str, optional
        The hint to give when the result is wrong and no known mistake matches.

    Raises
    ------
    CheckFailed
        With what was expected, what came back, and a hint when one applies.
    """
    expected = np.asarray(expected)
    if got is None:
        raise CheckFailed(f"{what} returned None. Did you forget the `return` statement?")
    try:
        array = np.asarray(got)
    except Exception:
        raise CheckFailed(f"{what} returned {describe(got)}, which is not an array of numbers.") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise CheckFailed(f"{what} returned {describe(got)}, which is not an array of numbers.")
    known = _known_mistake(array, known_mistakes, rtol, atol)
    hint = f" Hint: {known or otherwise}" if known or otherwise else ""
    if array.shape != expected.shape:
        raise CheckFailed(f"{what} returned shape {array.shape}, expected shape {expected.shape}.{hint}")
    bad = np.isnan(array) & ~np.isnan(expected) if array.dtype.kind == "f" else np.zeros(array.shape, bool)
    if bad.any():
        raise CheckFailed(
            f"{what} contains NaN in {bad.sum()} of {bad.size} places, where numbers were expected.{hint}"
        )
    if np.issubdtype(expected.dtype, np.floating) and not np.issubdtype(array.dtype, np.floating) and not known:
        if not np.allclose(array, expected, rtol=rtol, atol=atol):
            raise CheckFailed(
                f"{what} returned whole numbers (dtype {array.dtype}), expected fractions (floats). "
                f"Integer division `//` or a cast to int loses them.{hint}"
            )
    if not np.allclose(array, expected, rtol=rtol, atol=atol, equal_nan=True):
        # where the tolerance is exceeded most, not merely the largest difference (a tiny value may be the wrong one)
        excess = np.abs(array.astype(float) - expected.astype(float)) - (atol + rtol * np.abs(expected.astype(float)))
        index = np.unravel_index(np.nanargmax(excess), expected.shape) if expected.ndim else ()
        where = f" at index {tuple(int(i) for i in index)}" if expected.ndim else ""
        raise CheckFailed(f"{what} returned {_short(array[index])}{where}, expected {_short(expected[index])}.{hint}")


def _known_mistake(array, known_mistakes, rtol, atol):
    """The hint of the first known mistake whose result `array` matches, or None."""
    for hint, wrong in (known_mistakes or {}).items():
        wrong = np.asarray(wrong)
        if wrong.shape == array.shape and np.allclose(array, wrong, rtol=rtol, atol=atol):
            return hint
    return None


def _short(value):
    value = np.asarray(value)
    return f"{value.item():.6g}" if value.ndim == 0 and value.dtype.kind in "fc" else str(value.tolist())


def fitted_attribute(model, name):
    """``model.<name>``, or :class:`CheckFailed` saying that ``fit`` must set it."""
    if not hasattr(model, name):
        raise CheckFailed(f"after fit, the model has no attribute `{name}`: fit must set `self.{name}`.")
    return getattr(model, name)


def expect_true(condition, message):
    """Raise :class:`CheckFailed` with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


EXTREMES_HINT = (
    "clip the probabilities before the logarithm, e.g. `p = np.clip(p, 1e-12, 1 - 1e-12)`: log(0) is "
    "-inf, and 0 * log(0) is nan."
)


def expect_extreme_losses(loss, all_wrong, all_right, what):
    """A loss of probabilities exactly 0 or 1 must be one finite number, given without a warning.

    Clipped at c, the loss is −log c when every prediction is confidently wrong, and about c
    when every one is right with certainty. Only the reasonable clips, from about 1e-17 to
    3e-7 (1e-12 in the exercises), pass: the loss must then lie between 15 and 40, and below
    1e-6.

    Parameters
    ----------
    loss : the student's loss function
    all_wrong, all_right : tuple
        Its arguments for each case: every true class with probability exactly 0, then 1.
    what : str
        How it is called, e.g. ``"cross_entropy(P, y)"``.
    """
    for args, certainty in ((all_wrong, 0), (all_right, 1)):
        called = f"{what} when every true class has probability exactly {certainty}"
        got = call_without_warnings(loss, args, called, EXTREMES_HINT)
        expect_true(
            got is not None and np.ndim(got) == 0 and np.asarray(got).dtype.kind in "iuf",
            f"{called} returned {describe(got)}; expected one number, the mean over the examples.",
        )
        value = float(got)
        expect_true(np.isfinite(value), f"{called} returned {value}. Hint: {EXTREMES_HINT}")
        if certainty == 0:
            expect_true(
                15 < value < 40,
                f"{called} returned {value:.6g}, as if the probabilities were clipped at {np.exp(-value):.1g}. "
                "Every prediction is confidently wrong, so the loss should be large, but finite: "
                + (
                    "clip to [1e-12, 1 - 1e-12], not to a wider range (above about 3e-7 the loss hides how wrong "
                    "they are)."
                    if value <= 15
                    else "clip to [1e-12, 1 - 1e-12] (a floor far below that lets one confident mistake outweigh "
                    "all the other examples)."
                ),
            )
        else:
            expect_true(
                abs(value) < 1e-6,
                f"{called} returned {value:.6g}; every prediction is right with certainty, so the loss should be "
                "nearly 0 (below 1e-6): clip to [1e-12, 1 - 1e-12], the upper end too.",
            )


def expect_list(value, length, name, content):
    """:class:`CheckFailed` unless `value` is a list (or tuple) of `length` things; `content` says which."""
    count = len(value) if isinstance(value, (list, tuple)) else None
    found = f"it holds {count}" if count is not None else f"it is {describe(value)}"
    expect_true(count == length, f"{name} should be a list of length {length}, {content}; {found}.")


def require_done(*values, needs="the exercise above"):
    """Stop a lecture cell that builds on an exercise's values until the exercise is done.

    Parameters
    ----------
    *values
        The values the cell uses; None means not set yet.
    needs : str
        What the student has to finish or run first, for the message, e.g.
        ``"Exercise 1 and the ladder cell of section 4"``.

    Raises
    ------
    NotImplementedError
        If any value is still None (the exercise cell has not set it yet).
    """
    if any(value is None for value in values):
        raise NotImplementedError(f"this cell needs {needs}: finish or run that first, then run this cell again")

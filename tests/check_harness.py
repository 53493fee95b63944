"""The contract every exercise check is tested against, and the helpers its tests share.

A test module describes each exercise with an :class:`Exercise` (its check, the right code,
the wrong versions and the fragment of the verdict that must name each mistake) and gets
the contract's tests with ``TestContract = contract([Exercise(...), ...])``:

(a) the right code passes, and the check prints its verdict, starting with ✅;
(b) unfinished code (a stub raising ``NotImplementedError``, or None) in any argument's
    place is "not done yet";
(c) code that gives its first answer again on every call, as if typed in, fails;
(d) every wrong version fails with a verdict that names the mistake.
"""

import copy
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from course_utils.checking import ERROR, FAILED, NOT_DONE, PASSED


def stub(*args, **kwargs):
    """An exercise not started yet: the notebook's ``raise NotImplementedError()``."""
    raise NotImplementedError()


def with_method(cls, **methods):
    """A subclass of `cls` whose methods named in `methods` are replaced."""
    return type(f"Wrong{cls.__name__}", (cls,), methods)


def with_stub_methods(cls, *names):
    """Subclasses of `cls` with one of the methods `names` still a stub, each by its name: "<name> is a stub"."""
    return {f"{name} is a stub": with_method(cls, **{name: stub}) for name in names}


def hard_coded(code):
    """`code` that gives its first answer ever again, as if that answer had been typed in.

    A function returns its first result to every call. A class's fit gives every model the
    attributes that fit set or changed on the first model fitted (its learned weights).
    """
    answers = []
    if isinstance(code, type):

        def fit(self, X, y):
            if not answers:
                before = dict(vars(self))
                code.fit(self, X, y)
                # By identity: fit binds what it sets to new objects, and leaves eta and the like alone.
                answers.append({name: value for name, value in vars(self).items() if before.get(name) is not value})
            vars(self).update(copy.deepcopy(answers[0]))
            return self

        return with_method(code, fit=fit)

    def function(*args):
        if not answers:
            answers.append(code(*args))
        return answers[0]

    return function


def assert_rejected(result, fragment, statuses=(FAILED, ERROR)):
    """Assert that a check's `result` has one of `statuses` and a message containing `fragment`."""
    assert not result and result.status in statuses, result.message
    assert fragment in result.message, result.message


@dataclass(frozen=True)
class Exercise:
    """One exercise: its check, the right code and the wrong versions the check must reject.

    Code is given as the check takes it: the argument alone for a check of one argument,
    else the tuple of its arguments.

    Parameters
    ----------
    check : callable
        The exercise's check, e.g. ``check_sigmoid``.
    reference : object
        The right code.
    wrong : dict of str -> (object, str)
        Each realistic mistake -> its code, and a fragment of the verdict that names it.
    unfinished : tuple
        What unfinished code looks like; each is tried in place of every argument in turn.
    not_done : dict of str -> object
        More unfinished versions of the code, e.g. a class whose fit is still a stub.
    hard_code : callable or None
        Turns one argument of the reference into code that gives its first answer again on
        every call; None where that cannot apply (values, or code the check calls once).
    rejections : tuple of str
        The statuses a wrong version may get.
    verdict_lines : int
        How many lines the verdict of the right code takes.
    made_per_test : bool
        The code is not given but made for each test, in a fresh folder, by a function
        ``make(folder) -> arguments``: for arguments such as files.
    """

    check: Callable
    reference: Any
    wrong: dict
    unfinished: tuple = (stub, None)
    not_done: dict = field(default_factory=dict)
    hard_code: Callable | None = hard_coded
    rejections: tuple = (FAILED, ERROR)
    verdict_lines: int = 1
    made_per_test: bool = False

    @property
    def name(self):
        """The exercise's name in test ids, e.g. ``"sigmoid"``."""
        return self.check.__name__.removeprefix("check_")

    @property
    def parameters(self):
        """The names of the check's arguments, e.g. ``("sigmoid", "sigmoid_derivative")``."""
        return tuple(inspect.signature(self.check).parameters)

    def arguments(self, code, folder):
        """The check's arguments for `code` given as the tables give it; `folder` is the test's own."""
        if self.made_per_test:
            return code(folder)
        return code if len(self.parameters) > 1 else (code,)

    def reference_with(self, place, argument, folder):
        """The reference's arguments with the one at `place` replaced by `argument`."""
        arguments = list(self.arguments(self.reference, folder))
        arguments[place] = argument
        return arguments

    def unfinished_versions(self):
        """Every unfinished version of the code: its name -> a function of the test's folder giving the arguments."""
        versions = {}
        for place, parameter in enumerate(self.parameters):
            for placeholder in self.unfinished:
                name = f"{getattr(placeholder, '__name__', placeholder)} as {parameter}"
                versions[name] = functools.partial(self.reference_with, place, placeholder)
        for name, code in self.not_done.items():
            versions[name] = functools.partial(self.arguments, code)
        return versions


def contract(exercises):
    """The contract's tests for `exercises`, as a pytest test class to assign to a ``Test*`` name.

    Parameters
    ----------
    exercises : list of Exercise

    Returns
    -------
    type
        A class whose tests are parametrized over the exercises (and their mistakes).
    """
    hard_coded_places = [
        pytest.param(exercise, place, id=f"{exercise.name}-{parameter}")
        for exercise in exercises
        if exercise.hard_code
        for place, parameter in enumerate(exercise.parameters)
    ]
    unfinished_versions = [
        pytest.param(exercise, make_arguments, id=f"{exercise.name}-{version}")
        for exercise in exercises
        for version, make_arguments in exercise.unfinished_versions().items()
    ]
    mistakes = [
        pytest.param(exercise, mistake, id=f"{exercise.name}-{mistake}")
        for exercise in exercises
        for mistake in exercise.wrong
    ]

    class Contract:
        @pytest.mark.parametrize("exercise", exercises, ids=lambda exercise: exercise.name)
        def test_the_right_code_passes_and_says_what_was_tested(self, exercise, tmp_path, capsys):
            result = exercise.check(*exercise.arguments(exercise.reference, tmp_path))
            printed = capsys.readouterr().out
            assert result and result.status == PASSED, result.message
            assert printed == f"\u2705 {result.message}\n", printed
            assert result.message.startswith(f"{result.name} passed: "), result.message
            lines = result.message.splitlines()
            assert len(lines) == exercise.verdict_lines and all(len(line) < 200 for line in lines), result.message

        @pytest.mark.parametrize("exercise, make_arguments", unfinished_versions)
        def test_unfinished_code_is_not_done_yet(self, exercise, make_arguments, tmp_path, capsys):
            result = exercise.check(*make_arguments(tmp_path))
            assert not result and result.status == NOT_DONE, result.message
            assert "not done yet" in capsys.readouterr().out

        @pytest.mark.parametrize("exercise, place", hard_coded_places)
        def test_a_hard_coded_answer_fails(self, exercise, place, tmp_path):
            right = exercise.arguments(exercise.reference, tmp_path)[place]
            result = exercise.check(*exercise.reference_with(place, exercise.hard_code(right), tmp_path), verbose=False)
            assert not result and result.status in exercise.rejections, result.message

        @pytest.mark.parametrize("exercise, mistake", mistakes)
        def test_a_wrong_version_fails_naming_the_mistake(self, exercise, mistake, tmp_path):
            code, fragment = exercise.wrong[mistake]
            assert_rejected(
                exercise.check(*exercise.arguments(code, tmp_path), verbose=False), fragment, exercise.rejections
            )

        def test_every_exercise_lists_at_least_five_mistakes(self):
            assert all(len(exercise.wrong) >= 5 for exercise in exercises)

    if not hard_coded_places:  # rather than a test skipped for its empty parameter set
        del Contract.test_a_hard_coded_answer_fails
    return Contract

"""nbgrader takes the lectures unchanged: release, autograde, and the scores in its gradebook.

One nbgrader course in a temporary folder holds every lecture as an assignment. For notebooks
00-03 three students hand in: the lecture's own solutions (every automatic point), the blank
released notebook (none) and the solutions with one exercise made wrong (exactly one point
less). Notebooks 04-06 train networks for minutes with their solutions, so there only the blank
notebook is handed in. Each assignment is autograded once, three at a time, in a kernel of this
Python, on the embedded sample; the tests then read the gradebook and the graded notebooks.

nbgrader is not a student requirement. Without it these tests are skipped, unless the environment
variable ``COURSE_INSTALL_NBGRADER`` names a requirement: then it is installed first (CI sets it,
so there the tests always run, and a failed install fails them).
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell

from course_utils import checking
from course_utils.authoring.environment import use_test_environment
from course_utils.authoring.grading import manual_points, nbgrader_metadata
from course_utils.data import SOURCE_VAR
from course_utils.exercise_notebooks import MarkupError, strip_solutions
from course_utils.experiment_log import LOG_FILE_VAR
from course_utils.paths import LECTURES, course_notebooks

INSTALL_VAR = "COURSE_INSTALL_NBGRADER"
INSTALL_ADVICE = ".venv/bin/pip install nbgrader==0.9.6"
# nbgrader's default of 30 s per cell is too short here: cells of the blank notebooks 05 and 06
# train networks for 20 to 50 s (measured on 2 cores, with other runs beside them).
TIMEOUT = 300
SOLUTIONS, BLANK, ONE_WRONG = "solutions", "blank", "one_wrong"


class Mistake(NamedTuple):
    """A realistic wrong answer: `right`, a piece of the lecture's solution in cell `exercise`, becomes `wrong`."""

    exercise: str
    right: str
    wrong: str


# One per notebook that is graded with its solutions, in an exercise whose result no later check
# cell uses, so that it costs exactly one point.
MISTAKES = {
    "00": Mistake("exercise-mean-digit", ".mean(axis=0)", ".sum(axis=0)"),  # a sum, not an average
    # NAND is AND with its signs flipped; not the perceptron rule's sign, which makes a later cell loop for ever.
    "01": Mistake("exercise-xor-network", "neuron(X, -w_and, -b_and)", "neuron(X, w_and, b_and)"),
    "02": Mistake("exercise-l2", "2 * lam * weights[1:]", "lam * weights[1:]"),  # the derivative of w^2 without its 2
    "03": Mistake("exercise-count-parameters", "(n_in + 1) * n_out", "n_in * n_out"),  # the biases forgotten
}


def nbgrader_plan(requirement, importable):
    """What to do about nbgrader before these tests: run them, install it first, or skip them.

    Parameters
    ----------
    requirement : str or None
        The value of ``COURSE_INSTALL_NBGRADER``: a requirement to install (CI sets it).
    importable : bool
        Whether nbgrader can be imported now.

    Returns
    -------
    action : {"run", "install", "skip"}
    detail : str or None
        The requirement to install, or the reason to skip.
    """
    if requirement:
        return "install", requirement
    if importable:
        return "run", None
    return "skip", f"nbgrader is not installed (it is optional); to run these tests: {INSTALL_ADVICE}"


@pytest.fixture(scope="session")
def nbgrader_installed():
    """nbgrader, importable in this Python; installed first when ``COURSE_INSTALL_NBGRADER`` asks for it."""
    action, detail = nbgrader_plan(os.environ.get(INSTALL_VAR), importlib.util.find_spec("nbgrader") is not None)
    if action == "skip":
        pytest.skip(detail)
    if action == "install":
        done = subprocess.run([sys.executable, "-m", "pip", "install", detail], capture_output=True, text=True)
        if done.returncode:
            pytest.fail(f"{INSTALL_VAR}: pip could not install {detail}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        importlib.invalidate_caches()


def grading_environment(folder, variables):
    """The environment nbgrader and its kernels run in, as the tests run notebooks.

    The embedded sample and an empty homework log (:func:`use_test_environment`, with both
    set afresh), then `variables` on top.

    Parameters
    ----------
    folder : pathlib.Path
        The course's folder.
    variables : dict of str -> str

    Returns
    -------
    dict of str -> str
    """
    with mock.patch.dict(os.environ):
        for name in (SOURCE_VAR, LOG_FILE_VAR):
            os.environ.pop(name, None)
        use_test_environment()
        environment = {**os.environ, **variables}
    # nbgrader runs the `alembic` command, installed beside this Python.
    environment["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), environment.get("PATH", "")])
    environment["JUPYTER_CONFIG_DIR"] = str(folder / "jupyter_config")  # not the user's own nbgrader settings
    return environment


def nbgrader(folder, environment, *arguments):
    """Run ``python -m nbgrader ARGUMENTS`` with this Python in the course `folder`; return the seconds taken.

    Raises
    ------
    AssertionError
        nbgrader failed; the message holds the end of its output.
    """
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *arguments], cwd=folder, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, f"nbgrader {' '.join(arguments)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return time.perf_counter() - start


def make_course(folder, lectures, environment, timeout):
    """An nbgrader course in `folder` with each lecture as an assignment of its own name, released.

    Returns
    -------
    dict of str -> pathlib.Path
        Assignment name -> the released (student) notebook.
    """
    (folder / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.course_id = "course"\nc.ExecutePreprocessor.timeout = {timeout}\n'
    )
    for lecture in lectures:
        (folder / "source" / lecture.stem).mkdir(parents=True)
        shutil.copy(lecture, folder / "source" / lecture.stem)
    nbgrader(folder, environment, "generate_assignment", "*")
    return {lecture.stem: folder / "release" / lecture.stem / lecture.name for lecture in lectures}


def hand_in(folder, assignment, student, notebook):
    """Put `notebook` (a path or a NotebookNode) where nbgrader collects `student`'s submission."""
    target = folder / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, Path):
        shutil.copy(notebook, target)
    else:
        nbformat.write(notebook, target)


def graded_notebook(folder, assignment, student):
    """The notebook nbgrader autograded for `student`, with its outputs."""
    return nbformat.read(folder / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)


@dataclass(frozen=True)
class CellGrade:
    """One graded cell of one submission, as the gradebook holds it."""

    auto: float | None
    maximum: float
    by_hand: bool  # a manually graded answer, rather than an autograded test
    needs_manual_grade: bool


def read_gradebook(folder):
    """Every grade in the course's gradebook.

    Returns
    -------
    dict of (str, str) -> dict of str -> CellGrade
        (assignment, student) -> cell id -> its grade.
    """
    from nbgrader.api import Gradebook  # here: nbgrader may be installed only by the fixture

    grades = {}
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    answers = {cell.name for cell in notebook.notebook.solution_cells}
                    grades[assignment.name, submission.student.id] = {
                        grade.cell.name: CellGrade(
                            grade.auto_score, grade.max_score, grade.cell.name in answers, grade.needs_manual_grade
                        )
                        for grade in notebook.grades
                    }
    return grades


def automatic_points(grades):
    """(points scored, points possible) over the autograded test cells of one submission."""
    tests = [grade for grade in grades.values() if not grade.by_hand]
    return sum(grade.auto for grade in tests), sum(grade.maximum for grade in tests)


def hidden_test_cells(notebook):
    """Ids of the cells with hidden tests (the check cells nbgrader grades), in order."""
    return [
        cell.id
        for number, cell in enumerate(notebook.cells, start=1)
        if "hidden tests" in strip_solutions(cell.source, cell.cell_type, f"cell {number}")[1]
    ]


def check_of(notebook, exercise):
    """The id of the first cell with hidden tests after the cell `exercise`: the check that grades it."""
    ids = [cell.id for cell in notebook.cells]
    return next(name for name in hidden_test_cells(notebook) if ids.index(name) > ids.index(exercise))


def with_mistake(lecture, mistake):
    """The lecture's notebook with `mistake` made in its exercise cell."""
    notebook = nbformat.read(lecture, as_version=4)
    (cell,) = [cell for cell in notebook.cells if cell.id == mistake.exercise]
    assert cell.source.count(mistake.right) == 1, f"{lecture.name}: {mistake.right!r} is not once in {cell.id}"
    cell.source = cell.source.replace(mistake.right, mistake.wrong)
    return notebook


def autograde_all(folder, environment, assignments, workers=3):
    """Autograde every submission of each assignment, `workers` assignments at a time.

    Three at a time keep CI's two cores busy while a run starts its kernel or saves its grades
    (measured: 172-187 s for this module, against 190-192 s two at a time).

    Raises
    ------
    AssertionError
        nbgrader failed on an assignment.
    """
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda name: nbgrader(folder, environment, "autograde", name), assignments))


LECTURE_PATHS = {lecture.stem: lecture for lecture in course_notebooks(LECTURES)}
# The slowest first (measured on 2 cores, 06 with its networks in the training cache), so that no long run starts last.
SLOWEST_FIRST = ("05", "00", "03", "02", "01", "06", "04")


@dataclass
class Course:
    """The graded course: its folder, the released notebooks and the gradebook's grades."""

    folder: Path
    released: dict  # assignment -> the released notebook's path
    grades: dict  # as read_gradebook returns them


@pytest.fixture(scope="module")
def course(nbgrader_installed, isolated_keras_session, tmp_path_factory):
    """The course with every submission autograded.

    The kernels keep Keras offline and share the session's training cache.
    """
    folder = tmp_path_factory.mktemp("nbgrader_course")
    environment = grading_environment(folder, isolated_keras_session)
    released = make_course(folder, LECTURE_PATHS.values(), environment, TIMEOUT)
    for assignment, lecture in LECTURE_PATHS.items():
        hand_in(folder, assignment, BLANK, released[assignment])
        mistake = MISTAKES.get(assignment[:2])
        if mistake:
            hand_in(folder, assignment, SOLUTIONS, lecture)
            hand_in(folder, assignment, ONE_WRONG, with_mistake(lecture, mistake))
    order = sorted(LECTURE_PATHS, key=lambda name: (SLOWEST_FIRST + (name[:2],)).index(name[:2]))
    autograde_all(folder, environment, order)
    return Course(folder, released, read_gradebook(folder))


WITH_SOLUTIONS = [name for name in LECTURE_PATHS if name[:2] in MISTAKES]


@pytest.mark.parametrize("assignment", WITH_SOLUTIONS)
def test_the_lectures_own_solutions_get_every_automatic_point(course, assignment):
    scored, possible = automatic_points(course.grades[assignment, SOLUTIONS])
    assert possible > 0 and scored == possible, course.grades[assignment, SOLUTIONS]


@pytest.mark.parametrize("assignment", list(LECTURE_PATHS))
def test_the_blank_notebook_gets_no_point(course, assignment):
    grades = course.grades[assignment, BLANK]
    assert automatic_points(grades)[0] == 0, grades
    # An answer left as it was released scores 0 by itself, so nothing waits for the grader.
    assert all(grade.auto == 0 and not grade.needs_manual_grade for grade in grades.values()), grades


@pytest.mark.parametrize("assignment", list(LECTURE_PATHS))
def test_the_autograded_points_are_the_check_cells_with_hidden_tests(course, assignment):
    lecture = nbformat.read(LECTURE_PATHS[assignment], as_version=4)
    checks = hidden_test_cells(lecture)
    grades = course.grades[assignment, BLANK]
    assert sorted(name for name, grade in grades.items() if not grade.by_hand) == sorted(checks)
    assert automatic_points(grades)[1] == len(checks)


@pytest.mark.parametrize("assignment", WITH_SOLUTIONS)
def test_one_wrong_exercise_costs_exactly_the_point_of_its_check(course, assignment):
    right, wrong = course.grades[assignment, SOLUTIONS], course.grades[assignment, ONE_WRONG]
    assert automatic_points(wrong)[0] == automatic_points(right)[0] - 1
    lecture = nbformat.read(LECTURE_PATHS[assignment], as_version=4)
    its_check = check_of(lecture, MISTAKES[assignment[:2]].exercise)
    assert [name for name in wrong if wrong[name].auto != right[name].auto] == [its_check]


@pytest.mark.parametrize("assignment", WITH_SOLUTIONS)
def test_the_wrong_answer_runs_and_its_check_says_it_is_wrong(course, assignment):
    """A running answer that is wrong, not a crash: the exercise cell raises nothing, its check shows ❌."""
    notebook = graded_notebook(course.folder, assignment, ONE_WRONG)
    cells = {cell.id: cell for cell in notebook.cells}
    exercise = MISTAKES[assignment[:2]].exercise
    assert not [output for output in cells[exercise].outputs if output.output_type == "error"]
    shown = json.dumps(cells[check_of(notebook, exercise)].outputs, ensure_ascii=False)
    assert checking.SYMBOLS[checking.FAILED] in shown and checking.SYMBOLS[checking.PASSED] not in shown


def test_no_cell_ran_out_of_time(course):
    """nbgrader interrupts a cell at its timeout and grades on, so a slow cell would only cost points quietly."""
    timed_out = [
        (assignment, student, cell.id)
        for assignment, student in course.grades
        for cell in graded_notebook(course.folder, assignment, student).cells
        if any(output.get("ename") == "CellTimeoutError" for output in cell.get("outputs", []))
    ]
    assert not timed_out


def test_the_homework_analysis_is_graded_by_hand(course):
    """Notebook 05's written analysis is a manually graded answer worth the points its cell names."""
    assignment = "05_homework_tuning_accuracy"
    lecture = nbformat.read(LECTURE_PATHS[assignment], as_version=4)
    (analysis,) = [cell for cell in lecture.cells if cell.id == "exercise-analysis"]
    points = int(re.search(r"^# Manually graded: (\d+) points$", analysis.source, re.MULTILINE).group(1))
    released = nbformat.read(course.released[assignment], as_version=4)
    (cell,) = [cell for cell in released.cells if cell.id == "exercise-analysis"]
    marks = cell.metadata["nbgrader"]
    assert (marks["solution"], marks["grade"], marks["points"], cell.cell_type) == (True, True, points, "code")
    assert f"# Manually graded: {points} points" in cell.source, "students see what it is worth"
    grade = course.grades[assignment, BLANK]["exercise-analysis"]
    assert grade.by_hand and grade.maximum == points


def test_a_code_answer_says_how_many_points_it_is_graded_by_hand():
    cell = new_code_cell(
        "# Manually graded: 3 points\nanalysis = None\n### BEGIN SOLUTION\nanalysis = 'x'\n### END SOLUTION"
    )
    marks = nbgrader_metadata(cell, {"solution"})
    assert (marks["solution"], marks["grade"], marks["points"], marks["locked"]) == (True, True, 3, False)
    plain = new_code_cell("x = None\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
    assert not nbgrader_metadata(plain, {"solution"})["grade"]
    assert manual_points(new_markdown_cell("# Manually graded: 3 points"), {"solution"}, "x") is None


@pytest.mark.parametrize(
    "source, regions, message",
    [
        ("# manually graded: 3 pts\nx = 1", {"solution"}, "x, line 1: '# manually graded: 3 pts' is not exactly"),
        ("# Manually graded: 3 points\nx = 1", set(), "x: '# Manually graded: N points' belongs once in a cell"),
        ("# Manually graded: 3 points\nassert x", {"hidden tests"}, "belongs once in a cell with a solution"),
        ("# Manually graded: 1 point\n# Manually graded: 2 points", {"solution"}, "belongs once"),
    ],
)
def test_a_misplaced_or_misspelt_manual_grade_line_stops_the_marking(source, regions, message):
    with pytest.raises(MarkupError, match=re.escape(message)):
        manual_points(new_code_cell(source), regions, "x")


@pytest.mark.parametrize(
    "requirement, importable, expected",
    [
        (None, True, ("run", None)),
        ("", True, ("run", None)),
        ("nbgrader==0.9.6", False, ("install", "nbgrader==0.9.6")),
        ("nbgrader==0.9.6", True, ("install", "nbgrader==0.9.6")),
    ],
)
def test_nbgrader_is_used_or_installed_as_asked(requirement, importable, expected):
    assert nbgrader_plan(requirement, importable) == expected


def test_without_nbgrader_the_tests_are_skipped_with_the_install_command():
    action, reason = nbgrader_plan(None, importable=False)
    assert action == "skip" and INSTALL_ADVICE in reason

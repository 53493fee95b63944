"""Where a student stands: the status of every exercise, read from the exercise notebooks as saved.

Run in the course folder::

    .venv/bin/python -m course_utils.progress

or call :func:`show_progress` in a notebook. The notebooks in ``exercises/`` are read as saved
on disk (so save first: File › Save Notebook, or Ctrl+S); nothing is run and nothing is written.
The exercises and the cells that check them are found by the ids of the cells that
:func:`~course_utils.exercise_notebooks.make_exercise` generates from the lecture, as the reset
finds them. A code exercise's status is the verdict its check cell printed when it last ran:

* **passed**, **not yet right**, **not done**: the check cell's saved verdict (✅, ❌, ⏳); an
  error raised in the check cell, before any verdict, counts as not yet right;
* **not done** also while the exercise cell is still as generated, whatever its check shows;
* **not run**: the exercise was changed, but its check cell shows no verdict (not run since the
  notebook was opened, its outputs cleared, or the check cell deleted).

The homework's exercises (notebook 05) share one check at its end, so each that was changed
takes that check's verdict. A written question is **answered** once its answer cell is changed
(the cell after it shows the model answer, nothing grades it). An exercise is **not started**
when its notebook does not exist, and **cell deleted** when its cell is no longer in the
notebook. A file that is not a notebook gets one line saying what is wrong.
"""

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from course_utils import checking
from course_utils.exercise_notebooks import RESET_COMMAND, NotANotebook, make_exercise, read_notebook
from course_utils.paths import EXERCISES, LECTURES, course_notebooks, display_path, venv_command

PASSED, NOT_YET_RIGHT, NOT_RUN, NOT_DONE = "passed", "not yet right", "not run", "not done"
ANSWERED, NOT_STARTED, DELETED, UNREADABLE = "answered", "not started", "cell deleted", "unreadable"
STATUSES = (PASSED, NOT_YET_RIGHT, NOT_RUN, NOT_DONE, ANSWERED, NOT_STARTED, DELETED, UNREADABLE)
# The symbol that starts a verdict line. To the student, a check that ended in an error is "not yet right".
VERDICTS = {
    checking.SYMBOLS[checking.PASSED]: PASSED,
    checking.SYMBOLS[checking.FAILED]: NOT_YET_RIGHT,
    checking.SYMBOLS[checking.ERROR]: NOT_YET_RIGHT,
    checking.SYMBOLS[checking.NOT_DONE]: NOT_DONE,
}
# What the cell that answers an exercise calls: a check (code exercise) or the model answer (written question).
ANSWERING_CALLS = {
    "code": re.compile(r"^(check_\w+)\(", re.MULTILINE),
    "written": re.compile(r"^(compare_answer)\(", re.MULTILINE),
}
STATUS_COLOURS = {PASSED: "#1a7f37", NOT_YET_RIGHT: "#cf222e", UNREADABLE: "#cf222e"}
# JupyterLab aligns table cells right, which suits numbers, not words.
LEFT = "text-align: left"


class Exercise(NamedTuple):
    """One exercise of a notebook as generated.

    Attributes
    ----------
    number : int
        1 for the notebook's first exercise.
    kind : {"code", "written"}
    cell_id : str
        The id of the exercise's cell.
    blank_source : str
        The cell's source as generated, with its stub.
    check_id, check_name : str
        The id of the code cell that answers it, and the function that cell calls
        (e.g. ``"check_threshold"``, or ``"compare_answer"`` for a written question).
    """

    number: int
    kind: str
    cell_id: str
    blank_source: str
    check_id: str
    check_name: str


class Progress(NamedTuple):
    """One line of the progress table.

    Attributes
    ----------
    notebook : str
        The notebook's file name, e.g. ``"01_neuron_and_perceptron.ipynb"``.
    exercise : int or None
        The exercise's number (1 = the first); None on the line of a notebook that cannot be read.
    kind : {"code", "written"} or None
    status : str
        One of :data:`STATUSES`.
    where : str
        The check that gives the status (e.g. ``"check_threshold"``), with a note when its cell is
        deleted or raised an error; for a notebook that cannot be read, what is wrong with it.
    """

    notebook: str
    exercise: int | None
    kind: str | None
    status: str
    where: str


def exercises_of(lecture):
    """The exercises of a lecture, as its exercise notebook is generated.

    Parameters
    ----------
    lecture : pathlib.Path
        A notebook in ``notebooks/``.

    Returns
    -------
    list of Exercise
        In order, exercise 1 first.

    Raises
    ------
    ValueError
        The lecture's markup is broken, or an exercise has no cell after it that checks it.
    """
    blank, exercise_ids = make_exercise(lecture)
    positions = {cell.id: index for index, cell in enumerate(blank.cells)}
    exercises = []
    for number, cell_id in enumerate(exercise_ids, start=1):
        cell = blank.cells[positions[cell_id]]
        kind = "code" if cell.cell_type == "code" else "written"
        following = blank.cells[positions[cell_id] + 1 :]
        calls = ((c.id, ANSWERING_CALLS[kind].search(c.source)) for c in following if c.cell_type == "code")
        check_id, call = next(((i, call) for i, call in calls if call), (None, None))
        if call is None:
            raise ValueError(f"{lecture.name}: no cell after exercise {number} checks it")
        exercises.append(Exercise(number, kind, cell_id, cell.source, check_id, call.group(1)))
    return exercises


def saved_verdict(outputs):
    """The status that a check cell's saved outputs show.

    The verdict is the first line, in printed text or in a displayed result's plain text, that
    starts with a verdict symbol; indented lines (the homework's list of conditions) do not count.

    Parameters
    ----------
    outputs : list of dict
        The cell's outputs, in the notebook's JSON format.

    Returns
    -------
    str or None
        :data:`PASSED`, :data:`NOT_YET_RIGHT` or :data:`NOT_DONE`; None without a verdict.
    """
    for output in outputs:
        if output["output_type"] == "stream":
            text = output["text"]
        elif output["output_type"] in ("display_data", "execute_result"):
            text = output["data"].get("text/plain", "")
        else:
            continue
        for line in text.splitlines():
            for symbol, status in VERDICTS.items():
                if line.startswith(symbol):
                    return status
    return None


def exercise_status(exercise, cells):
    """The status of one exercise in a saved notebook, and where it comes from.

    Parameters
    ----------
    exercise : Exercise
    cells : dict
        The notebook's cells by id, as saved.

    Returns
    -------
    status : str
        One of :data:`STATUSES` other than :data:`NOT_STARTED` and :data:`UNREADABLE`.
    where : str
        The check's name, with a note when its cell is deleted or raised an error.
    """
    cell = cells.get(exercise.cell_id)
    if cell is None:
        return DELETED, exercise.check_name
    # Whitespace around the stub is not work, as for compare_answer.
    if cell.source.strip() == exercise.blank_source.strip():
        return NOT_DONE, exercise.check_name
    if exercise.kind == "written":
        return ANSWERED, exercise.check_name
    check = cells.get(exercise.check_id)
    if check is None:
        return NOT_RUN, f"{exercise.check_name} (its cell was deleted)"
    outputs = check.get("outputs", [])
    status = saved_verdict(outputs)
    if status:
        return status, exercise.check_name
    errors = [output["ename"] for output in outputs if output["output_type"] == "error"]
    if errors:  # e.g. a NameError: the exercise cell was not run in this session
        return NOT_YET_RIGHT, f"{exercise.check_name} (raised {errors[0]})"
    return NOT_RUN, exercise.check_name


def notebook_progress(lecture, path):
    """The progress lines of one exercise notebook.

    Parameters
    ----------
    lecture : pathlib.Path
        The lecture the notebook is generated from.
    path : pathlib.Path
        The student's exercise notebook, which need not exist.

    Returns
    -------
    list of Progress
        One per exercise, or a single line saying what is wrong with the file.
    """
    exercises = exercises_of(lecture)
    if not path.exists():
        return [Progress(path.name, e.number, e.kind, NOT_STARTED, e.check_name) for e in exercises]
    try:
        notebook, _ = read_notebook(path)
    except NotANotebook as problem:
        advice = f"fix it, or start it over with {venv_command(RESET_COMMAND)} {path.name[:2]} (it is backed up first)"
        return [Progress(path.name, None, None, UNREADABLE, f"{problem}; {advice}")]
    cells = {cell.id: cell for cell in notebook.cells if "id" in cell}
    return [Progress(path.name, e.number, e.kind, *exercise_status(e, cells)) for e in exercises]


def exercise_progress(exercise_folder=EXERCISES, lecture_folder=LECTURES):
    """The status of every exercise of every course notebook, from the saved exercise notebooks.

    Parameters
    ----------
    exercise_folder, lecture_folder : path
        Where the exercise notebooks and the lectures are (the course's folders by default).

    Returns
    -------
    list of Progress
        In course order: notebook by notebook, exercise 1 first.

    Raises
    ------
    FileNotFoundError
        A folder does not exist, or the lecture folder holds no course notebooks.
    """
    for folder, role in ((lecture_folder, "lecture"), (exercise_folder, "exercise")):
        if not Path(folder).is_dir():
            raise FileNotFoundError(f"the {role} folder {display_path(folder)} does not exist")
    lectures = course_notebooks(lecture_folder)
    if not lectures:
        raise FileNotFoundError(f"the lecture folder {display_path(lecture_folder)} holds no course notebooks")
    return [row for lecture in lectures for row in notebook_progress(lecture, Path(exercise_folder) / lecture.name)]


def progress_table(rows):
    """The progress as plain text: each notebook's name, then a line per exercise.

    Parameters
    ----------
    rows : list of Progress

    Returns
    -------
    str
    """
    width = max(len(status) for status in STATUSES) + 2
    lines, notebook = [], None
    for row in rows:
        if row.notebook != notebook:
            notebook = row.notebook
            lines.append(notebook)
        if row.exercise is None:
            lines.append(f"  {row.status}: {row.where}")
        else:
            lines.append(f"  exercise {row.exercise:<3}{row.kind:<9}{row.status:<{width}}{row.where}")
    return "\n".join(lines)


def progress_summary(rows):
    """One line: how many exercises passed, and how many have each other status.

    Parameters
    ----------
    rows : list of Progress

    Returns
    -------
    str
        E.g. "7 of 36 exercises passed; 2 not yet right, 25 not done, 2 answered."
    """
    exercises = [row for row in rows if row.exercise is not None]
    counts = Counter(row.status for row in exercises)
    line = f"{counts[PASSED]} of {len(exercises)} exercises passed"
    others = [f"{counts[status]} {status}" for status in STATUSES if status != PASSED and counts[status]]
    if others:
        line += "; " + ", ".join(others)
    unreadable = [row.notebook for row in rows if row.exercise is None]
    if unreadable:
        line += "; could not read " + ", ".join(unreadable)
    return line + "."


def progress_html(rows):
    """The progress as an HTML table, statuses in colour, with the summary below it.

    Parameters
    ----------
    rows : list of Progress

    Returns
    -------
    str
    """
    lines, notebook = [], None
    for row in rows:
        colour = f"; color: {STATUS_COLOURS[row.status]}" if row.status in STATUS_COLOURS else ""
        shown = ["" if row.notebook == notebook else row.notebook, row.exercise or "", row.kind or "", *row[3:]]
        notebook = row.notebook
        cells = "".join(f'<td style="{LEFT}">{html.escape(str(value))}</td>' for value in shown)
        lines.append(f'<tr style="{LEFT}{colour}">{cells}</tr>')
    header = "".join(f'<th style="{LEFT}">{name}</th>' for name in ("notebook", "exercise", "kind", "status", "check"))
    summary = html.escape(progress_summary(rows))
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(lines)}</tbody></table><p>{summary}</p>"


def show_progress(exercise_folder=EXERCISES, lecture_folder=LECTURES):
    """Display the progress in a notebook: the HTML table, and the plain-text one for other front ends.

    Parameters
    ----------
    exercise_folder, lecture_folder : path
        Where the exercise notebooks and the lectures are (the course's folders by default,
        whatever the notebook's working folder).
    """
    from IPython.display import display  # imported here: the command line does without IPython

    try:
        rows = exercise_progress(exercise_folder, lecture_folder)
    except FileNotFoundError as error:  # a notebook opened on its own, as in Colab: no course folder to read
        print(
            f"No progress table here: {error}. It reads the saved notebooks of the whole course folder; "
            "with a notebook opened on its own (in Colab, say), the check cell below each exercise says where you are."
        )
        return
    text = f"{progress_table(rows)}\n\n{progress_summary(rows)}"
    display({"text/html": progress_html(rows), "text/plain": text}, raw=True)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.progress",
        description="Show the status of every exercise, read from the exercise notebooks as saved "
        "(nothing is run or changed).",
    )
    parser.add_argument("--notebooks", type=Path, default=LECTURES, help=argparse.SUPPRESS)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        rows = exercise_progress(args.exercises, args.notebooks)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(progress_table(rows))
    print()
    print(progress_summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start an exercise over: make it blank again, as it was in the exercise notebook at first.

Run in the course folder::

    .venv/bin/python -m course_utils.reset 01 --exercise 3    # exercise 3 of notebook 01
    .venv/bin/python -m course_utils.reset 01                 # all of notebook 01

The blank version is made afresh from the lecture in ``notebooks/``. The current notebook
is copied to ``exercises/backups/`` first, so nothing the student wrote is lost. One
exercise is found by the id of its cell, so the rest of the notebook stays as it is. A
notebook open in Jupyter is not reset: close it first, or Jupyter's next save undoes the reset.
"""

import argparse
import sys
from pathlib import Path

import nbformat

from course_utils.exercise_notebooks import RESET_COMMAND, backup, make_exercise, read_notebook, replace_if_unchanged
from course_utils.open_notebooks import CLOSE_ADVICE, servers_with_open
from course_utils.paths import EXERCISES, LECTURES, course_notebooks, display_path


def reset(number, exercise=None, lecture_folder=LECTURES, exercise_folder=EXERCISES):
    """Put one exercise (or a whole exercise notebook) back to its blank state.

    The current notebook is backed up first. Nothing is changed while the notebook is open in
    a running Jupyter server (its next save would undo the reset), or when the request is wrong.

    Parameters
    ----------
    number : str
        The notebook's two-digit number, e.g. ``"01"``.
    exercise : int, optional
        Which exercise (1 = the first). All of the notebook when None.
    lecture_folder, exercise_folder : path
        Where the lectures and the exercise notebooks are (the course's folders by default).

    Returns
    -------
    str
        What was done, for the student.

    Raises
    ------
    ValueError
        No such notebook or exercise, the exercise's cell was deleted, the notebook is open
        in Jupyter or changed while it was being reset, or (for one exercise) the file is not
        a notebook.
    """
    matches = [p for p in course_notebooks(lecture_folder) if p.name[:2] == str(number).zfill(2)]
    if not matches:
        raise ValueError(f"No lecture notebook numbered {number!r} in {lecture_folder}.")
    lecture = matches[0]
    blank, exercise_ids = make_exercise(lecture)
    if exercise is not None and not 1 <= exercise <= len(exercise_ids):
        raise ValueError(f"{lecture.name} has exercises 1 to {len(exercise_ids)}, not {exercise}.")
    path = Path(exercise_folder) / lecture.name
    if exercise is None or not path.exists():
        raw = path.read_bytes() if path.exists() else None
        reset_notebook, done = blank, f"{display_path(path)} is blank again"
    else:
        reset_notebook, raw = read_notebook(path)
        wanted = exercise_ids[exercise - 1]
        index = next((i for i, cell in enumerate(reset_notebook.cells) if cell.get("id") == wanted), None)
        if index is None:
            raise ValueError(
                f"The cell of exercise {exercise} is no longer in {display_path(path)} (was it deleted?). "
                f"Reset the whole notebook with: {RESET_COMMAND} {number}"
            )
        reset_notebook.cells[index] = next(cell for cell in blank.cells if cell.id == wanted)
        done = f"Exercise {exercise} of {display_path(path)} is blank again"
    servers = servers_with_open(path)
    if servers:
        raise ValueError(f"{display_path(path)} is open in Jupyter ({', '.join(servers)}). {CLOSE_ADVICE}")
    saved = f" (your previous version is in {display_path(backup(path, raw))})" if raw is not None else ""
    if not replace_if_unchanged(path, raw, nbformat.writes(reset_notebook)):
        raise ValueError(
            f"{display_path(path)} changed while it was being reset, so it was left as it is. {CLOSE_ADVICE}"
        )
    return f"{done}{saved}."


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=RESET_COMMAND,
        description="Make an exercise notebook's exercises blank again (the current notebook is backed up first).",
    )
    parser.add_argument("number", metavar="NN", help="the notebook's number, e.g. 01")
    parser.add_argument("--exercise", metavar="K", type=int, help="only exercise K (default: the whole notebook)")
    parser.add_argument("--notebooks", type=Path, default=LECTURES, help=argparse.SUPPRESS)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        print(reset(args.number, args.exercise, args.notebooks, args.exercises))
    except ValueError as error:  # also broken markup in the lecture (a MarkupError)
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

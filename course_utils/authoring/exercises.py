"""Generate the student notebooks in ``exercises/`` from the lectures in ``notebooks/``.

Each exercise notebook is its lecture with the solutions cut out, as
:mod:`course_utils.exercise_notebooks` makes it. Generation is all or nothing (broken
markup anywhere stops it before a file is written) and byte-identical on every run.
An exercise notebook that was edited after it was generated (a student's work) is never
replaced unless told to, and then a backup is kept in ``exercises/backups/``.

Usage (from the repository root)::

    python -m course_utils.authoring.exercises                 # (re)generate every exercise notebook
    python -m course_utils.authoring.exercises --check         # exit 1 if exercises/ is out of date
    python -m course_utils.authoring.exercises --force         # also replace notebooks with edits (backed up)
    python -m course_utils.authoring.exercises --mark-nbgrader  # add nbgrader's metadata to the lectures

Students start an exercise over with :mod:`course_utils.reset`.
"""

import argparse
import os
import sys
from pathlib import Path

import nbformat

from course_utils.authoring.grading import mark_for_nbgrader
from course_utils.exercise_notebooks import (
    NotANotebook,
    backup,
    has_student_edits,
    make_exercise,
    read_notebook,
    recorded_hash,
    replace_if_unchanged,
)
from course_utils.open_notebooks import CLOSE_ADVICE, servers_with_open
from course_utils.paths import EXERCISES, LECTURES, course_notebooks, display_path, venv_command

GENERATE_COMMAND = venv_command("python -m course_utils.authoring.exercises")


def generate_all(lecture_folder=LECTURES):
    """Build every exercise notebook in memory; markup errors stop everything.

    Returns
    -------
    dict of str -> str
        File name -> the exact text to write in ``exercises/``.
    """
    return {path.name: nbformat.writes(make_exercise(path)[0]) for path in course_notebooks(lecture_folder)}


def find_problems(lecture_folder=LECTURES, exercise_folder=EXERCISES, strict=False):
    """Why ``exercises/`` does not match the lectures (empty when it does).

    Parameters
    ----------
    strict : bool
        Also report exercise notebooks that differ from what was generated in any way (edits,
        outputs, metadata). Off by default, so a student's own work in ``exercises/`` is not
        a problem; CI turns it on.

    Returns
    -------
    list of str
        One line per out-of-date, missing, unreadable, edited (with `strict`) or orphaned file.
    """
    exercise_folder = Path(exercise_folder)
    problems = []
    for name, text in generate_all(lecture_folder).items():
        path = exercise_folder / name
        if not path.exists():
            problems.append(f"{display_path(path)}: missing")
            continue
        try:
            notebook, raw = read_notebook(path)
        except NotANotebook as error:
            problems.append(str(error))
            continue
        if raw.decode() == text:
            continue
        if recorded_hash(notebook) != recorded_hash(nbformat.reads(text, as_version=4)):
            problems.append(f"{display_path(path)}: out of date with {Path(lecture_folder).name}/{name}")
        elif strict:
            problems.append(f"{display_path(path)}: edited after it was generated (never edit exercises/ by hand)")
    generated = {p.name for p in course_notebooks(lecture_folder)}
    problems.extend(
        f"{display_path(path)}: has no lecture in {Path(lecture_folder).name}/"
        for path in course_notebooks(exercise_folder)
        if path.name not in generated
    )
    return problems


def write_all(lecture_folder=LECTURES, exercise_folder=EXERCISES, force=False, report=print):
    """Write every exercise notebook whose lecture changed; keep students' work.

    A notebook that was only opened, run or saved in Jupyter counts as unedited (see
    :func:`~course_utils.exercise_notebooks.content_hash`). Each file is replaced in one
    step, never while it is open in a running Jupyter server and never over a save made
    while it was being generated. A file that is not a notebook is reported and skipped.

    Parameters
    ----------
    force : bool
        Replace notebooks that have edits too, after backing them up.
    report : callable
        Receives one line per file.

    Returns
    -------
    list of str
        What is left to do: one line per notebook that was not replaced although its lecture
        changed (it has edits, is open in Jupyter, changed meanwhile or is not a notebook).
    """
    exercise_folder = Path(exercise_folder)
    texts = generate_all(lecture_folder)  # raises before anything is written
    exercise_folder.mkdir(exist_ok=True)
    left = []
    for name, text in texts.items():
        path = exercise_folder / name
        line = _update(path, text, force)
        report(f"{display_path(path)}: {line}")
        if line.startswith("NOT"):
            left.append(f"{display_path(path)}: {line}")
    return left


def _update(path, text, force):
    """Bring one exercise notebook up to date with `text`; return what happened, for the report."""
    raw = None
    if path.exists():
        try:
            notebook, raw = read_notebook(path)
        except NotANotebook as error:
            return f"NOT replaced: {error}. Move it aside (rename it) and run this again for a fresh copy."
        if raw.decode() == text:
            return "up to date"
        if recorded_hash(notebook) == recorded_hash(nbformat.reads(text, as_version=4)) and not force:
            # Generated from this very lecture; it differs by the student's work or what Jupyter added.
            return "up to date (your work in it is kept)" if has_student_edits(notebook) else "up to date"
        if has_student_edits(notebook) and not force:
            return (
                "NOT replaced: the lecture changed, but this notebook has your edits (--force replaces it, backed up)"
            )
    servers = servers_with_open(path)
    if servers:
        return f"NOT replaced: it is open in Jupyter ({', '.join(servers)}). {CLOSE_ADVICE}"
    saved = (
        f"backed up to {display_path(backup(path, raw))}; " if raw is not None and has_student_edits(notebook) else ""
    )
    if not replace_if_unchanged(path, raw, text):
        return "NOT replaced: it changed while it was being generated (saved from Jupyter?); run this again."
    return f"{saved}written"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.authoring.exercises",
        description="Generate exercises/ from the lectures in notebooks/.",
    )
    parser.add_argument("--check", action="store_true", help="only report out-of-date files; exit 1 if any")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="with --check: edited files are problems too (on by default when CI is set)",
    )
    parser.add_argument("--force", action="store_true", help="replace notebooks with edits, keeping backups")
    parser.add_argument(
        "--mark-nbgrader",
        action="store_true",
        help="write nbgrader's cell metadata into the lectures (for grading with nbgrader)",
    )
    parser.add_argument("--notebooks", type=Path, default=LECTURES, help=argparse.SUPPRESS)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.mark_nbgrader:
            mark_for_nbgrader(args.notebooks)
            return 0
        if args.check:
            problems = find_problems(args.notebooks, args.exercises, args.strict or bool(os.environ.get("CI")))
            for line in problems:
                print(line)
            if problems:
                print(f"Regenerate with: {GENERATE_COMMAND}")
            return 1 if problems else 0
        left = write_all(args.notebooks, args.exercises, force=args.force)
        return 1 if left else 0
    except ValueError as error:  # broken markup (a MarkupError), or a notebook that is not JSON
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

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
from course_utils.exercise_notebooks import backup, has_student_edits, make_exercise, recorded_hash
from course_utils.paths import EXERCISES, LECTURES, course_notebooks, display_path

GENERATE_COMMAND = ".venv/bin/python -m course_utils.authoring.exercises"


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
        Also report exercise notebooks with edits made after generation. Off by default,
        so a student's own work in ``exercises/`` is not a problem; CI turns it on.

    Returns
    -------
    list of str
        One line per out-of-date, missing, edited (with `strict`) or orphaned file.
    """
    exercise_folder = Path(exercise_folder)
    problems = []
    for name, text in generate_all(lecture_folder).items():
        path = exercise_folder / name
        if not path.exists():
            problems.append(f"{display_path(path)}: missing")
        elif path.read_text(encoding="utf-8") != text:
            generated_from = recorded_hash(nbformat.reads(text, as_version=4))
            if recorded_hash(nbformat.read(path, as_version=4)) != generated_from:
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
    """Write every exercise notebook that changed; keep students' work.

    Parameters
    ----------
    force : bool
        Replace notebooks that have edits too, after backing them up.
    report : callable
        Receives one line per file.

    Returns
    -------
    list of pathlib.Path
        Notebooks that were left alone because they hold edits (empty with `force`).
    """
    exercise_folder = Path(exercise_folder)
    texts = generate_all(lecture_folder)  # raises before anything is written
    exercise_folder.mkdir(exist_ok=True)
    refused = []
    for name, text in texts.items():
        path = exercise_folder / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            report(f"{display_path(path)}: up to date")
            continue
        if path.exists() and has_student_edits(path):
            if not force:
                refused.append(path)
                report(
                    f"{display_path(path)}: NOT replaced, it has edits (use --force to replace it; a backup is kept)"
                )
                continue
            report(f"{display_path(path)}: backed up to {display_path(backup(path))}")
        path.write_text(text, encoding="utf-8")
        report(f"{display_path(path)}: written")
    return refused


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
        refused = write_all(args.notebooks, args.exercises, force=args.force)
        return 1 if refused else 0
    except ValueError as error:  # broken markup (a MarkupError), or a notebook that is not JSON
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Generate the student notebooks in ``exercises/`` from the lectures in ``notebooks/``.

Lectures mark their solutions with nbgrader's markup, so instructors who grade with
nbgrader can use them unchanged::

    def scale(x):
        ### BEGIN SOLUTION
        return x / 255
        ### END SOLUTION

In a code cell each solution region becomes a stub at the region's indentation
(``# YOUR CODE HERE`` / ``raise NotImplementedError()``); in a markdown cell it becomes
``YOUR ANSWER HERE``. ``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` regions are
removed, and so are nbval's ``# NBVAL_...`` comment lines, outputs and execution counts.
A cell holding a solution region is an *exercise*; exercises are numbered 1, 2, ... in
the order they appear.

Every generated notebook records the SHA-256 of its own content, so the generator can
tell a notebook it wrote from one a student has worked in, and never overwrites the
latter unless told to (and then keeps a backup in ``exercises/backups/``).

Usage (from the repository root)::

    python -m course_utils.exercises                 # (re)generate every exercise notebook
    python -m course_utils.exercises --check         # exit 1 if exercises/ is out of date
    python -m course_utils.exercises --force         # also replace notebooks with edits (backed up)
    python -m course_utils.exercises --reset 01 --exercise 3   # start one exercise over
    python -m course_utils.exercises --mark-nbgrader  # add nbgrader's metadata to the lectures
"""

import argparse
import copy
import hashlib
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
PATTERN = "[0-9][0-9]_*.ipynb"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
REGIONS = {BEGIN_SOLUTION: END_SOLUTION, BEGIN_HIDDEN: END_HIDDEN}
REGION_NAMES = {BEGIN_SOLUTION: "solution", BEGIN_HIDDEN: "hidden tests"}
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
ANSWER_STUB = "YOUR ANSWER HERE"
# A line that mentions a marker without being exactly one is a typo that would leak a solution.
NEAR_MISS = re.compile(r"(BEGIN|END)\s*(SOLUTION|HIDDEN\s*TESTS)", re.IGNORECASE)
NBVAL_COMMENT = re.compile(r"\s*#\s*NBVAL_\w+")
KEPT_CELL_METADATA = ("tags",)
BANNER_ID = "exercise-banner"


def _shown(path):
    """`path` relative to the repository when it is inside it, for shorter messages."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


class MarkupError(ValueError):
    """A lecture's solution markup is broken; the message names notebook, cell and line."""


def strip_solutions(source, cell_type, where):
    """Replace the solution regions of one cell's source and drop its hidden tests.

    Parameters
    ----------
    source : str
        The cell's source.
    cell_type : {"code", "markdown"}
    where : str
        "notebook, cell N", used in error messages.

    Returns
    -------
    text : str
        The student's version of the source.
    regions : set of str
        The regions the cell held: ``"solution"`` (the cell is an exercise) and/or
        ``"hidden tests"``.

    Raises
    ------
    MarkupError
        A region is never closed, closed without being opened, nested in another, or a
        marker is misspelt.
    """
    kept, open_region, opened_at, regions = [], None, 0, set()
    for number, line in enumerate(source.split("\n"), start=1):
        marker = line.strip()
        if marker in REGIONS:
            if open_region:
                raise MarkupError(
                    f"{where}, line {number}: {marker!r} inside the region opened on line "
                    f"{opened_at}; regions cannot be nested"
                )
            open_region, opened_at = marker, number
            regions.add(REGION_NAMES[marker])
            if marker == BEGIN_SOLUTION:
                indent = line[: len(line) - len(line.lstrip())]
                stub = [indent + s for s in CODE_STUB] if cell_type == "code" else [ANSWER_STUB]
                kept.extend(stub)
        elif marker in REGIONS.values():
            if REGIONS.get(open_region) != marker:
                raise MarkupError(f"{where}, line {number}: {marker!r} without a matching BEGIN line")
            open_region = None
        elif NEAR_MISS.search(line):
            raise MarkupError(
                f"{where}, line {number}: {marker!r} looks like a marker but is not exactly one of "
                + ", ".join(repr(m) for m in (*REGIONS, *REGIONS.values()))
            )
        elif open_region is None and not (cell_type == "code" and NBVAL_COMMENT.match(line)):
            kept.append(line)
    if open_region:
        raise MarkupError(f"{where}, line {opened_at}: {open_region!r} is never closed")
    return "\n".join(kept), regions


def make_exercise(lecture):
    """The student version of one lecture notebook.

    Parameters
    ----------
    lecture : pathlib.Path
        A notebook in ``notebooks/``.

    Returns
    -------
    notebook : nbformat.NotebookNode
        Solutions stubbed, hidden tests removed, outputs cleared, with a banner cell first
        and its own SHA-256 in ``metadata["course_utils"]``.
    exercise_ids : list of str
        The ids of the exercise cells, in order (exercise 1 first).
    """
    notebook = nbformat.read(lecture, as_version=4)
    exercise_ids = []
    for number, cell in enumerate(notebook.cells, start=1):
        cell.source, regions = strip_solutions(cell.source, cell.cell_type, f"{lecture.name}, cell {number}")
        if "solution" in regions:
            exercise_ids.append(cell.id)
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEPT_CELL_METADATA}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.cells.insert(0, _banner(lecture))
    notebook.metadata = {
        "kernelspec": notebook.metadata.get("kernelspec", {}),
        "language_info": {"name": "python"},
    }
    notebook.metadata["course_utils"] = {"generated_sha256": content_hash(notebook)}
    return notebook, exercise_ids


def _banner(lecture):
    number = lecture.name[:2]
    cell = nbformat.v4.new_markdown_cell(
        f"> **Exercise version** of [the lecture](../notebooks/{lecture.name}), generated from it: "
        "write your code where a cell says `YOUR CODE HERE` (or your answer where it says "
        "`YOUR ANSWER HERE`), run that cell, then run the check cell below it. To start exercise "
        f"*K* over, run `.venv/bin/python -m course_utils.exercises --reset {number} --exercise K` in the "
        "course folder (your current notebook is backed up first)."
    )
    cell.id = BANNER_ID
    return cell


def nbgrader_metadata(cell, regions):
    """The cell metadata nbgrader needs for a cell with these regions, or None.

    A cell with a solution is a solution cell (graded by hand when it is markdown); a cell
    with hidden tests is an autograder test cell worth one point. ``grade_id`` is the cell id.
    """
    if not regions:
        return None
    graded = "hidden tests" in regions or cell.cell_type == "markdown"
    metadata = {
        "cell_type": cell.cell_type,
        "grade": graded,
        "grade_id": cell.id,
        "locked": "solution" not in regions,
        "schema_version": 3,
        "solution": "solution" in regions,
        "task": False,
    }
    if graded:
        metadata["points"] = 1
    return metadata


def lectures_missing_nbgrader_marks(lecture_folder=LECTURES):
    """Lecture cells whose nbgrader metadata does not match their regions.

    Returns
    -------
    dict of pathlib.Path -> list of (cell, expected metadata or None)
    """
    missing = {}
    for path in lectures(lecture_folder):
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            _, regions = strip_solutions(cell.source, cell.cell_type, f"{path.name}, cell {number}")
            expected = nbgrader_metadata(cell, regions)
            if cell.metadata.get("nbgrader") != expected:
                missing.setdefault(path, []).append((cell, expected))
    return missing


def mark_for_nbgrader(lecture_folder=LECTURES, report=print):
    """Write nbgrader's cell metadata into the lectures, so nbgrader takes them unchanged.

    Only the ``nbgrader`` entry of the cells' metadata changes; sources and outputs stay.
    """
    for path, cells in lectures_missing_nbgrader_marks(lecture_folder).items():
        notebook = nbformat.read(path, as_version=4)
        wrong = {cell.id: expected for cell, expected in cells}
        for cell in notebook.cells:
            if cell.id in wrong:
                if wrong[cell.id] is None:
                    cell.metadata.pop("nbgrader", None)
                else:
                    cell.metadata["nbgrader"] = wrong[cell.id]
        nbformat.write(notebook, path)
        report(f"{_shown(path)}: nbgrader metadata set on {len(cells)} cell(s)")


def content_hash(notebook):
    """SHA-256 of a notebook's content, leaving out the hash it records of itself."""
    bare = copy.deepcopy(notebook)
    bare.metadata.pop("course_utils", None)
    return hashlib.sha256(nbformat.writes(bare).encode()).hexdigest()


def has_student_edits(path):
    """Whether a notebook in ``exercises/`` differs from what the generator wrote there.

    A notebook without a recorded hash (not written by the generator) counts as edited.
    """
    notebook = nbformat.read(path, as_version=4)
    recorded = notebook.metadata.get("course_utils", {}).get("generated_sha256")
    return recorded != content_hash(notebook)


def lectures(folder=LECTURES):
    """The lecture notebooks, in course order."""
    return sorted(Path(folder).glob(PATTERN))


def generate_all(lecture_folder=LECTURES):
    """Build every exercise notebook in memory; markup errors stop everything.

    Returns
    -------
    dict of str -> str
        File name -> the exact text to write in ``exercises/``.
    """
    return {path.name: nbformat.writes(make_exercise(path)[0]) for path in lectures(lecture_folder)}


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
            problems.append(f"{_shown(path)}: missing")
        elif path.read_text(encoding="utf-8") != text:
            generated_from = nbformat.reads(text, as_version=4).metadata["course_utils"]["generated_sha256"]
            recorded = nbformat.read(path, as_version=4).metadata.get("course_utils", {}).get("generated_sha256")
            if recorded != generated_from:
                problems.append(f"{_shown(path)}: out of date with {Path(lecture_folder).name}/{name}")
            elif strict:
                problems.append(f"{_shown(path)}: edited after it was generated (never edit exercises/ by hand)")
    generated = {p.name for p in lectures(lecture_folder)}
    problems.extend(
        f"{_shown(path)}: has no lecture in {Path(lecture_folder).name}/"
        for path in lectures(exercise_folder)
        if path.name not in generated
    )
    return problems


def backup(path):
    """Copy `path` into ``backups/`` beside it, with a time stamp; return the copy's path."""
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}-{stamp}-{counter}{path.suffix}"
    target.write_bytes(path.read_bytes())
    return target


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
            report(f"{_shown(path)}: up to date")
            continue
        if path.exists() and has_student_edits(path):
            if not force:
                refused.append(path)
                report(f"{_shown(path)}: NOT replaced, it has edits (use --force to replace it; a backup is kept)")
                continue
            report(f"{_shown(path)}: backed up to {_shown(backup(path))}")
        path.write_text(text, encoding="utf-8")
        report(f"{_shown(path)}: written")
    return refused


def reset(number, exercise=None, lecture_folder=LECTURES, exercise_folder=EXERCISES):
    """Put one exercise (or a whole exercise notebook) back to its blank state.

    The current notebook is backed up first.

    Parameters
    ----------
    number : str
        The notebook's two-digit number, e.g. ``"01"``.
    exercise : int, optional
        Which exercise (1 = the first). All of the notebook when None.

    Returns
    -------
    str
        What was done, for the student.
    """
    matches = [p for p in lectures(lecture_folder) if p.name[:2] == str(number).zfill(2)]
    if not matches:
        raise ValueError(f"No lecture notebook numbered {number!r} in {lecture_folder}.")
    lecture = matches[0]
    blank, exercise_ids = make_exercise(lecture)
    path = Path(exercise_folder) / lecture.name
    saved = f" (your previous version is in {_shown(backup(path))})" if path.exists() else ""
    if exercise is None or not path.exists():
        nbformat.write(blank, path)
        return f"{_shown(path)} is blank again{saved}."
    if not 1 <= exercise <= len(exercise_ids):
        raise ValueError(f"{lecture.name} has exercises 1 to {len(exercise_ids)}, not {exercise}.")
    current = nbformat.read(path, as_version=4)
    wanted = exercise_ids[exercise - 1]
    fresh = next(cell for cell in blank.cells if cell.id == wanted)
    for index, cell in enumerate(current.cells):
        if cell.get("id") == wanted:
            current.cells[index] = fresh
            nbformat.write(current, path)
            return f"Exercise {exercise} of {_shown(path)} is blank again{saved}."
    raise ValueError(
        f"The cell of exercise {exercise} is no longer in {_shown(path)} (was it deleted?). "
        f"Reset the whole notebook with: python -m course_utils.exercises --reset {number}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.exercises",
        description="Generate exercises/ from the lectures in notebooks/.",
    )
    parser.add_argument("--check", action="store_true", help="only report out-of-date files; exit 1 if any")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="with --check: edited files are problems too (on by default when CI is set)",
    )
    parser.add_argument("--force", action="store_true", help="replace notebooks with edits, keeping backups")
    parser.add_argument("--reset", metavar="NN", help="make notebook NN's exercises blank again")
    parser.add_argument("--exercise", metavar="K", type=int, help="with --reset: only exercise K")
    parser.add_argument(
        "--mark-nbgrader",
        action="store_true",
        help="write nbgrader's cell metadata into the lectures (for grading with nbgrader)",
    )
    parser.add_argument("--notebooks", type=Path, default=LECTURES, help=argparse.SUPPRESS)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.exercise is not None and not args.reset:
        parser.error("--exercise goes with --reset, e.g. --reset 01 --exercise 3")
    try:
        if args.mark_nbgrader:
            mark_for_nbgrader(args.notebooks)
            return 0
        if args.reset:
            print(reset(args.reset, args.exercise, args.notebooks, args.exercises))
            return 0
        if args.check:
            problems = find_problems(args.notebooks, args.exercises, args.strict or bool(os.environ.get("CI")))
            for line in problems:
                print(line)
            if problems:
                print("Regenerate with: .venv/bin/python -m course_utils.exercises")
            return 1 if problems else 0
        refused = write_all(args.notebooks, args.exercises, force=args.force)
        return 1 if refused else 0
    except (MarkupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

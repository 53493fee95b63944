"""An exercise notebook made from its lecture: what the generator writes and the reset restores.

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

Every exercise notebook records the SHA-256 of its cells' sources, so a notebook as it was
generated can be told from one a student has worked in (opening or running it is not
working in it); work is backed up in ``exercises/backups/`` before anything replaces it,
and replacing a notebook is one step that never lands on a save made meanwhile.

Shared by the student's reset command (:mod:`course_utils.reset`) and the instructor's
generator (:mod:`course_utils.authoring.exercises`).
"""

import copy
import hashlib
import json
import os
import re
import shutil
import time
import warnings

import nbformat

from course_utils.paths import display_path, venv_command_everywhere

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
# Where an exercise notebook records the content_hash it was generated with.
HASH_KEY = "generated_content_sha256"
# The student's command that makes exercises blank again; the banner of every exercise notebook names it.
RESET_COMMAND = "python -m course_utils.reset"


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

    Raises
    ------
    MarkupError
        The lecture's markup is broken.
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
    notebook.metadata["course_utils"] = {HASH_KEY: content_hash(notebook)}
    return notebook, exercise_ids


def _banner(lecture):
    number = lecture.name[:2]
    cell = nbformat.v4.new_markdown_cell(
        "> **Exercise version** of the lecture: write your code where a cell says `YOUR CODE HERE` "
        "(or your answer where it says `YOUR ANSWER HERE`), run that cell, then run the check cell below it. "
        f"The [worked solutions](../notebooks/{lecture.name}) are the same lecture with every answer "
        "filled in: look there after you have tried and the check's hint did not help. To start exercise "
        f"*K* over, close this notebook (File ▸ Close and Shut Down Notebook), then run "
        f"{venv_command_everywhere(f'{RESET_COMMAND} {number} --exercise K')} in the course folder "
        "(your current notebook is backed up first)."
    )
    cell.id = BANNER_ID
    return cell


def content_hash(notebook):
    """SHA-256 of what a student writes in a notebook: each cell's type, id, source and tags.

    Outputs, execution counts and metadata are left out: Jupyter adds or changes them by
    itself when a notebook is opened, run or saved, and that is not an edit.
    """
    cells = [[cell.cell_type, cell.get("id"), cell.source, cell.metadata.get("tags", [])] for cell in notebook.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def recorded_hash(notebook):
    """The content hash :func:`make_exercise` recorded in `notebook`, or None if there is none."""
    return notebook.metadata.get("course_utils", {}).get(HASH_KEY)


def has_student_edits(notebook):
    """Whether an exercise notebook's cells differ from the ones generated there.

    A notebook without a recorded hash (not written by the generator) counts as edited, except
    a first-edition one that is byte for byte as it was generated.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    """
    if recorded_hash(notebook) is None:
        return not _first_edition_unchanged(notebook)
    return recorded_hash(notebook) != content_hash(notebook)


def _first_edition_unchanged(notebook):
    # The first edition hashed the whole notebook, so opening it in Jupyter already changed the hash.
    bare = copy.deepcopy(notebook)
    recorded = bare.metadata.pop("course_utils", {}).get("generated_sha256")
    return recorded == hashlib.sha256(nbformat.writes(bare).encode()).hexdigest()


class NotANotebook(ValueError):
    """A file that should be a notebook is not: the message names it and says what to do."""


def read_notebook(path):
    """Read a notebook, with its bytes as they were read. The file is only read.

    Parameters
    ----------
    path : pathlib.Path

    Returns
    -------
    notebook : nbformat.NotebookNode
    raw : bytes
        The file's content, to tell later whether it changed meanwhile.

    Raises
    ------
    NotANotebook
        The file cannot be read, is not text, not JSON, or JSON but not a notebook; the
        message names the file and says which.
    """
    where = display_path(path)
    try:
        raw = path.read_bytes()
        content = json.loads(raw)
    except OSError as error:
        raise NotANotebook(f"{where} cannot be read ({error.strerror or error})") from None
    except json.JSONDecodeError as error:
        raise NotANotebook(
            f"{where} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except UnicodeDecodeError:
        raise NotANotebook(f"{where} is not text (UTF-8)") from None
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        raise NotANotebook(f"{where} is not a notebook (it has no list of cells)")
    try:
        with warnings.catch_warnings():  # cells without an id (older notebooks) are upgraded when read
            warnings.simplefilter("ignore")
            nbformat.validate(content)
    except nbformat.ValidationError as error:
        raise NotANotebook(f"{where} is not a valid notebook ({error.message})") from None
    return nbformat.reads(raw.decode(), as_version=4), raw


def backup(path, raw):
    """Save `raw`, the content of `path`, in ``backups/`` beside it with a time stamp; return the copy's path."""
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.stem}-{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{path.stem}-{stamp}-{counter}{path.suffix}"
    target.write_bytes(raw)
    return target


def replace_if_unchanged(path, raw, text):
    """Write `text` to `path` at once, unless `path` changed since it held `raw`.

    The text goes to a temporary file beside `path`, which then replaces it in one step, so
    a notebook is never left half written. Just before that step the file is read again:
    if a save (from Jupyter, say) changed it meanwhile, it is left as it is.

    Parameters
    ----------
    path : pathlib.Path
    raw : bytes or None
        What `path` held when it was read; None if it did not exist.
    text : str
        The new content.

    Returns
    -------
    bool
        True if `path` now holds `text`; False if it changed meanwhile and was left alone.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden in Jupyter's file browser
    try:
        with open(temporary, "x", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if raw is not None:
            shutil.copymode(path, temporary)
        now = path.read_bytes() if path.exists() else None
        if now != raw:
            return False
        os.replace(temporary, path)
        return True
    finally:
        temporary.unlink(missing_ok=True)

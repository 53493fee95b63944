"""nbgrader's cell metadata in the lectures, so an instructor can grade with nbgrader.

The lectures already use nbgrader's markup (see :mod:`course_utils.exercise_notebooks`);
nbgrader also needs metadata on each cell that holds a region. Exercise cells become
solution cells, check cells with hidden tests become autograded test cells worth one point,
and written answers become manually graded answers: a markdown answer is worth one point, and
a code exercise is graded by hand when a line of its own in the cell says how many points it
is worth, outside the solution region so that students see it too::

    # Manually graded: 4 points
    analysis = None
    ### BEGIN SOLUTION
    ...

A line that mentions "manually graded" in another form, or one on a cell without a solution
region or with hidden tests, is a :class:`~course_utils.exercise_notebooks.MarkupError`.
Written by::

    .venv/bin/python -m course_utils.authoring.exercises --mark-nbgrader
"""

import re

import nbformat

from course_utils.exercise_notebooks import MarkupError, strip_solutions
from course_utils.paths import LECTURES, course_notebooks, display_path

MANUAL_POINTS = re.compile(r"# Manually graded: ([1-9][0-9]*) points?")
MENTIONS_MANUAL = re.compile(r"#.*manually\s*graded", re.IGNORECASE)


def manual_points(cell, regions, where):
    """The points of a code exercise graded by hand, from its ``# Manually graded: N points`` line.

    Parameters
    ----------
    cell : nbformat.NotebookNode
    regions : set of str
        The regions the cell holds.
    where : str
        "notebook, cell N", used in error messages.

    Returns
    -------
    int or None
        None for a markdown cell and a code cell without the line.

    Raises
    ------
    MarkupError
        The line is misspelt, given twice, or on a cell that is not an exercise without hidden tests.
    """
    if cell.cell_type != "code":
        return None
    points = []
    for number, line in enumerate(cell.source.split("\n"), start=1):
        found = MANUAL_POINTS.fullmatch(line.strip())
        if found:
            points.append(int(found.group(1)))
        elif MENTIONS_MANUAL.search(line):
            raise MarkupError(f"{where}, line {number}: {line.strip()!r} is not exactly '# Manually graded: N points'")
    if not points:
        return None
    if len(points) > 1 or regions != {"solution"}:
        raise MarkupError(
            f"{where}: '# Manually graded: N points' belongs once in a cell with a solution region and no hidden tests"
        )
    return points[0]


def nbgrader_metadata(cell, regions, where="cell"):
    """The cell metadata nbgrader needs for a cell with these regions, or None.

    A cell with a solution is a solution cell, graded by hand when it is markdown (one point)
    or says ``# Manually graded: N points``; a cell with hidden tests is an autograder test
    cell worth one point. ``grade_id`` is the cell id.

    Parameters
    ----------
    cell : nbformat.NotebookNode
    regions : set of str
        The regions the cell holds, as :func:`~course_utils.exercise_notebooks.strip_solutions`
        returns them.
    where : str
        "notebook, cell N", used in error messages.

    Returns
    -------
    dict or None

    Raises
    ------
    MarkupError
        See :func:`manual_points`.
    """
    manual = manual_points(cell, regions, where)
    if not regions:
        return None
    graded = "hidden tests" in regions or cell.cell_type == "markdown" or manual is not None
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
        metadata["points"] = manual or 1
    return metadata


def lectures_missing_nbgrader_marks(lecture_folder=LECTURES):
    """Lecture cells whose nbgrader metadata does not match their regions.

    Returns
    -------
    dict of pathlib.Path -> list of (cell, expected metadata or None)
    """
    missing = {}
    for path in course_notebooks(lecture_folder):
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            where = f"{path.name}, cell {number}"
            _, regions = strip_solutions(cell.source, cell.cell_type, where)
            expected = nbgrader_metadata(cell, regions, where)
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
        report(f"{display_path(path)}: nbgrader metadata set on {len(cells)} cell(s)")

"""nbgrader's cell metadata in the lectures, so an instructor can grade with nbgrader.

The lectures already use nbgrader's markup (see :mod:`course_utils.exercise_notebooks`);
nbgrader also needs metadata on each cell that holds a region. Exercise cells become
solution cells, check cells with hidden tests become autograded test cells worth one point,
and written answers become manually graded answers. Written by::

    .venv/bin/python -m course_utils.authoring.exercises --mark-nbgrader
"""

import nbformat

from course_utils.exercise_notebooks import strip_solutions
from course_utils.paths import LECTURES, course_notebooks, display_path


def nbgrader_metadata(cell, regions):
    """The cell metadata nbgrader needs for a cell with these regions, or None.

    A cell with a solution is a solution cell (graded by hand when it is markdown); a cell
    with hidden tests is an autograder test cell worth one point. ``grade_id`` is the cell id.

    Parameters
    ----------
    cell : nbformat.NotebookNode
    regions : set of str
        The regions the cell holds, as :func:`~course_utils.exercise_notebooks.strip_solutions`
        returns them.

    Returns
    -------
    dict or None
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
    for path in course_notebooks(lecture_folder):
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
        report(f"{display_path(path)}: nbgrader metadata set on {len(cells)} cell(s)")

"""Feedback on written answers: the lecture's model answer, shown once the student has written theirs.

A written question in a lecture is a markdown cell whose solution region holds a model answer
followed by the points a good answer covers::

    ### BEGIN SOLUTION
    The model answer...

    **A good answer covers:**
    - one point
    - another point
    ### END SOLUTION

In the exercise notebook the region reads ``YOUR ANSWER HERE``. The code cell after it calls
``compare_answer("<the answer cell's id>")``, which reads the student's notebook as saved on
disk: while the answer cell is still as generated it asks for an answer; once the answer is
saved, it shows the model answer and the points, taken from the lecture in ``notebooks/``, for
the student to compare with their own. Nothing is graded here; an instructor grading with
nbgrader grades these cells by hand, as before.
"""

from pathlib import Path

import nbformat

from course_utils.colab import in_colab, worked_solutions_address
from course_utils.exercise_notebooks import BEGIN_SOLUTION, END_SOLUTION, strip_solutions
from course_utils.paths import LECTURES, display_path

POINTS_HEADING = "**A good answer covers:**"


def compare_answer(cell_id, folder=None, lectures=LECTURES):
    """Show the model answer of written question `cell_id` once the student's answer is saved.

    Parameters
    ----------
    cell_id : str
        The id of the markdown cell holding the answer, e.g. ``"exercise-largest-jump"``.
    folder : path, optional
        Where the student's notebook is saved; default: the working folder (the notebook's own,
        in Jupyter).
    lectures : path
        The folder of the lectures, which hold the model answers.

    Returns
    -------
    Feedback
        Shown as Markdown in a notebook, as plain text elsewhere.
    """
    folder = Path(folder or Path.cwd())
    student = _notebook_holding(cell_id, folder)
    if student is None and in_colab():
        return Feedback(
            "In Colab your notebook is saved in Google Drive, where this cell cannot read your answer. "
            f"Compare it with the model answer in the lecture's worked solutions: {worked_solutions_address()}"
        )
    if student is None:
        return Feedback(
            f"⏳ No saved notebook in {display_path(folder)} holds the answer cell `{cell_id}`. Save this notebook "
            "(File › Save Notebook, or Ctrl+S), then run this cell again."
        )
    path, answer = student
    lecture_path = Path(lectures) / path.name
    lecture = _notebook_holding(cell_id, lecture_path.parent, [lecture_path])
    if lecture is None:
        return Feedback(
            f"The model answer is in the course's worked solutions, {display_path(lecture_path)}, which are not "
            "on this machine: compare your answer with the course's notebooks/ folder online."
        )
    model = lecture[1].source
    blank, _ = strip_solutions(model, "markdown", f"{lecture_path.name}, cell {cell_id}")
    if answer.source.strip() == blank.strip():
        return Feedback(
            "⏳ Write your answer in the cell above first, and save the notebook (File › Save Notebook, or "
            "Ctrl+S); then run this cell again to compare it with the model answer."
        )
    text, points = model_answer(model)
    shown = f"**The model answer**, to compare with yours:\n\n{text}"
    if points:
        shown += f"\n\n{POINTS_HEADING}\n" + "\n".join(f"- {point}" for point in points)
    return Feedback(shown)


def model_answer(source):
    """The model answer and the points a good answer covers, from a lecture's answer cell.

    Parameters
    ----------
    source : str
        The markdown of the lecture's answer cell, with its solution region.

    Returns
    -------
    text : str
        The model answer: the solution region up to the points.
    points : list of str
        The items listed under "**A good answer covers:**" (empty without that heading).
    """
    region = source.split(BEGIN_SOLUTION, 1)[-1].split(END_SOLUTION, 1)[0]
    text, _, listed = region.partition(POINTS_HEADING)
    points = [line.strip()[2:].strip() for line in listed.splitlines() if line.strip().startswith("- ")]
    return text.strip(), points


def _notebook_holding(cell_id, folder, paths=None):
    """The first saved notebook among `paths` (default: those in `folder`) with a cell `cell_id`, and that cell."""
    for path in paths if paths is not None else sorted(folder.glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
        except (OSError, ValueError):  # missing, unreadable or not a notebook: not the one we look for
            continue
        for cell in notebook.cells:
            if cell.get("id") == cell_id:
                return path, cell
    return None


class Feedback:
    """Text to show the student: Markdown in a notebook (so formulas render), the same text elsewhere."""

    def __init__(self, text):
        self.text = text

    def _repr_markdown_(self):
        return self.text

    def __repr__(self):
        return self.text

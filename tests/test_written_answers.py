"""course_utils.written_answers: a written question's model answer appears once the student's answer is saved."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils.exercise_notebooks import strip_solutions
from course_utils.written_answers import compare_answer, model_answer

QUESTION = """**Exercise 1** (a written answer). Why scale the pixels?

### BEGIN SOLUTION
Large inputs push the sigmoid into its flat tails, where $\\sigma'(z) \\approx 0$.

**A good answer covers:**
- the sigmoid saturates for large net inputs
- its slope, and so the gradient, is then near zero
### END SOLUTION"""


def write_pair(tmp_path, answer=None):
    """A lecture with QUESTION in tmp_path/notebooks and its exercise (answered with `answer`) in tmp_path/exercises."""
    lectures, exercises = tmp_path / "notebooks", tmp_path / "exercises"
    lectures.mkdir()
    exercises.mkdir()
    for folder, text in ((lectures, QUESTION), (exercises, answer or strip_solutions(QUESTION, "markdown", "x")[0])):
        cell = new_markdown_cell(text)
        cell.id = "exercise-scaling"
        check = new_code_cell('compare_answer("exercise-scaling")')
        check.id = "compare-scaling"
        nbformat.write(new_notebook(cells=[cell, check]), folder / "01_lesson.ipynb")
    return lectures, exercises


def test_model_answer_splits_the_answer_from_the_points():
    text, points = model_answer(QUESTION)
    assert text == "Large inputs push the sigmoid into its flat tails, where $\\sigma'(z) \\approx 0$."
    assert points == ["the sigmoid saturates for large net inputs", "its slope, and so the gradient, is then near zero"]
    assert model_answer("### BEGIN SOLUTION\nJust an answer.\n### END SOLUTION") == ("Just an answer.", [])


def test_a_blank_answer_is_asked_for_first(tmp_path):
    lectures, exercises = write_pair(tmp_path)
    shown = compare_answer("exercise-scaling", folder=exercises, lectures=lectures)
    assert shown.text.startswith("⏳ Write your answer in the cell above first, and save the notebook")
    assert "sigmoid" not in shown.text


def test_a_saved_answer_brings_the_model_answer_and_its_points(tmp_path):
    lectures, exercises = write_pair(tmp_path, answer="**Exercise 1** ... Because of the sigmoid.")
    shown = compare_answer("exercise-scaling", folder=exercises, lectures=lectures)
    assert shown.text == (
        "**The model answer**, to compare with yours:\n\n"
        "Large inputs push the sigmoid into its flat tails, where $\\sigma'(z) \\approx 0$.\n\n"
        "**A good answer covers:**\n"
        "- the sigmoid saturates for large net inputs\n"
        "- its slope, and so the gradient, is then near zero"
    )
    assert shown._repr_markdown_() == repr(shown) == shown.text


def test_an_unreadable_notebook_beside_it_is_skipped(tmp_path):
    lectures, exercises = write_pair(tmp_path, answer="my answer")
    (exercises / "00_broken.ipynb").write_text("{ not json", encoding="utf-8")
    assert "**The model answer**" in compare_answer("exercise-scaling", folder=exercises, lectures=lectures).text


@pytest.mark.parametrize(
    "cell_id, lectures_exist, message",
    [
        ("exercise-elsewhere", True, "⏳ No saved notebook in"),
        ("exercise-scaling", False, "which are not on this machine"),
    ],
)
def test_a_missing_notebook_or_lecture_says_what_to_do(tmp_path, cell_id, lectures_exist, message):
    lectures, exercises = write_pair(tmp_path, answer="my answer")
    if not lectures_exist:
        (lectures / "01_lesson.ipynb").unlink()
    assert message in compare_answer(cell_id, folder=exercises, lectures=lectures).text


def test_every_written_question_of_the_course_has_points_and_a_compare_cell():
    from course_utils.paths import LECTURES, course_notebooks

    for path in course_notebooks(LECTURES):
        cells = nbformat.read(path, as_version=4).cells
        for cell, after in zip(cells, cells[1:] + [None]):
            if cell.cell_type == "markdown" and "### BEGIN SOLUTION" in cell.source:
                assert model_answer(cell.source)[1], f"{path.name}, {cell.id}: no '**A good answer covers:**' list"
                assert after is not None and f'compare_answer("{cell.id}")' in after.source, (
                    f"{path.name}, {cell.id}: no compare_answer cell after it"
                )

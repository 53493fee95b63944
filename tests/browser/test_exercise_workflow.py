"""The student's workflow in exercises/, in JupyterLab: Run All stops at the first unfinished exercise,
a check answers in colour with its hint on a line of its own, opening and saving is not an edit, and a
reset cannot be undone by JupyterLab's next save."""

import subprocess
import sys

import pytest

from course_utils.exercise_notebooks import has_student_edits, read_notebook
from tests.browser import jupyterlab_ui as lab

EXERCISES_01 = "exercises/01_neuron_and_perceptron.ipynb"
EXERCISE_1 = "def threshold(z):"
CHECK_1 = "check_threshold(threshold)"
RIGHT = "def threshold(z):\n    return np.where(np.asarray(z) >= 0, 1, -1)\n"
WRONG = "def threshold(z):\n    return np.where(np.asarray(z) > 0, 1, -1)\n"  # φ(0) = -1: the boundary mistake
# The verdicts' colours (course_utils.checking.COLOURS) as the browser computes them.
GREEN, RED, AMBER = "rgb(46, 125, 50)", "rgb(198, 40, 40)", "rgb(161, 92, 0)"


def verdict(cell):
    """The check's verdict box in `cell`'s output: its status, its label's colour, its lines and how it wraps."""
    box = cell.locator(".course-verdict")
    box.wait_for(state="visible")
    return box.evaluate(
        """box => ({
            status: box.dataset.status,
            colour: getComputedStyle(box.querySelector('b')).color,
            lines: [...box.children].map(line => line.textContent),
            wordBreak: getComputedStyle(box).wordBreak,
        })"""
    )


def run_course_command(server, *arguments):
    """Run ``python -m <arguments>`` on the served copy of the course, as the student would in a terminal."""
    folders = ["--notebooks", str(server.root / "notebooks"), "--exercises", str(server.root / "exercises")]
    return subprocess.run(
        [sys.executable, "-m", *arguments, *folders], env=server.env, capture_output=True, text=True, timeout=120
    )


def test_run_all_stops_at_the_first_exercise_and_the_check_answers_in_colour(page, pristine_course):
    lab.open_notebook(page, pristine_course, EXERCISES_01)
    lab.run_all(page)
    lab.wait_for_all_cells_run(page)
    check = lab.cell_by_text(page, CHECK_1)
    shown = verdict(check)
    assert shown["status"] == "not done yet" and shown["colour"] == AMBER, shown
    assert lab.outputs_of(check)[-1].strip() == (
        "Run All stops here: threshold is not done yet (the cells below may need it)."
    )
    next_code = lab.cell_by_text(page, "fig, (step, sign) = plt.subplots(1, 2")
    assert next_code.locator(".jp-InputPrompt").text_content().strip() == "[ ]:", "Run All went past the exercise"

    exercise = lab.cell_by_text(page, EXERCISE_1)
    lab.set_cell_source(exercise, WRONG)
    lab.run_cell(exercise)
    lab.run_cell(check)
    shown = verdict(check)
    assert shown["status"] == "not yet right" and shown["colour"] == RED, shown
    assert shown["lines"][0].startswith("❌ NOT YET RIGHT") and "returned -1" in shown["lines"][0]
    assert shown["lines"][1] == "Hint: φ(0) must be 1: compare with z >= 0, not z > 0."
    assert shown["lines"][2].startswith("Next: change your code") and shown["wordBreak"] == "normal"

    lab.set_cell_source(exercise, RIGHT)
    lab.run_cell(exercise)
    lab.run_cell(check)
    shown = verdict(check)
    assert shown["status"] == "passed" and shown["colour"] == GREEN, shown
    assert shown["lines"] == [shown["lines"][0]] and shown["lines"][0].startswith("✅ PASSED")


def test_opening_running_and_saving_an_exercise_notebook_is_not_an_edit(page, pristine_course):
    path = pristine_course.root / EXERCISES_01
    generated = path.read_bytes()
    lab.open_notebook(page, pristine_course, EXERCISES_01)
    lab.run_all(page)
    lab.wait_for_all_cells_run(page)
    lab.save(page)

    notebook, saved = read_notebook(path)
    assert saved != generated and "version" in notebook.metadata["language_info"], "JupyterLab changed nothing?"
    assert not has_student_edits(notebook)
    update = run_course_command(pristine_course, "course_utils.authoring.exercises")
    assert update.returncode == 0, update.stdout + update.stderr
    assert f"{path}: up to date\n" in update.stdout and "NOT" not in update.stdout
    assert path.read_bytes() == saved


def test_a_reset_waits_until_the_notebook_is_closed_so_jupyterlab_cannot_undo_it(page, pristine_course):
    path = pristine_course.root / EXERCISES_01
    backups = path.parent / "backups"
    lab.open_notebook(page, pristine_course, EXERCISES_01)
    lab.set_cell_source(lab.cell_by_text(page, EXERCISE_1), RIGHT)
    lab.save(page)

    refused = run_course_command(pristine_course, "course_utils.reset", "01", "--exercise", "1")
    assert refused.returncode == 2 and "is open in Jupyter" in refused.stderr, refused.stderr
    assert "File ▸ Close and Shut Down Notebook" in refused.stderr
    assert "np.asarray(z) >= 0" in path.read_text() and not backups.exists()

    lab.menu_command(page, "File", "filemenu:close-and-cleanup")  # "Close and Shut Down Notebook"
    page.locator(".jp-Dialog .jp-mod-accept").click()  # "Shut down the notebook?"
    page.locator(lab.NOTEBOOK).wait_for(state="detached")
    reset = run_course_command(pristine_course, "course_utils.reset", "01", "--exercise", "1")
    for _ in range(20):  # JupyterLab saves its workspace (the list of open tabs) a moment after a tab closes
        if reset.returncode == 0:
            break
        page.wait_for_timeout(250)
        reset = run_course_command(pristine_course, "course_utils.reset", "01", "--exercise", "1")
    assert reset.returncode == 0 and "Exercise 1 of" in reset.stdout, reset.stdout + reset.stderr
    (backup,) = backups.glob("*.ipynb")
    assert "np.asarray(z) >= 0" in backup.read_text()

    lab.open_notebook(page, pristine_course, EXERCISES_01, kernel=False)
    assert "raise NotImplementedError()" in lab.cell_by_text(page, EXERCISE_1).text_content()
    lab.save(page)
    assert "np.asarray(z) >= 0" not in path.read_text()


@pytest.fixture(autouse=True)
def no_backups_left(pristine_course):
    """The reset's backups are files the snapshot does not have; remove them for the next test."""
    yield
    for backup in (pristine_course.root / "exercises" / "backups").glob("*"):
        backup.unlink()

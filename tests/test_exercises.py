"""Exercise notebooks: the markup and its stubs, the instructor's generator (determinism,
students' work kept, nbgrader's metadata) and the student's reset command."""

import os
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course_utils import reset as reset_command
from course_utils.authoring import exercises as generator
from course_utils.authoring.exercises import GENERATE_COMMAND, find_problems, write_all
from course_utils.authoring.grading import lectures_missing_nbgrader_marks, mark_for_nbgrader
from course_utils.exercise_notebooks import (
    MarkupError,
    has_student_edits,
    make_exercise,
    replace_if_unchanged,
    strip_solutions,
)
from course_utils.reset import reset

LECTURE_CODE = """import numpy as np

def scale(x):
    \"\"\"Scale pixels.\"\"\"
    ### BEGIN SOLUTION
    y = x / 255
    return y
    ### END SOLUTION"""

CHECK_CODE = """# NBVAL_CHECK_OUTPUT
check_scale(scale)
### BEGIN HIDDEN TESTS
assert check_scale(scale, verbose=False)
### END HIDDEN TESTS"""

ANSWER = """**Question.** Why scale?

### BEGIN SOLUTION
Because large inputs saturate the sigmoid.
### END SOLUTION"""


def test_code_solution_becomes_an_indented_stub_and_the_rest_stays():
    text, regions = strip_solutions(LECTURE_CODE, "code", "x")
    assert regions == {"solution"}
    assert text == (
        'import numpy as np\n\ndef scale(x):\n    """Scale pixels."""\n'
        "    # YOUR CODE HERE\n    raise NotImplementedError()"
    )


def test_hidden_tests_and_nbval_comments_are_removed():
    text, regions = strip_solutions(CHECK_CODE, "code", "x")
    assert text == "check_scale(scale)" and regions == {"hidden tests"}


def test_markdown_answer_becomes_a_placeholder():
    text, regions = strip_solutions(ANSWER, "markdown", "x")
    assert text == "**Question.** Why scale?\n\nYOUR ANSWER HERE" and regions == {"solution"}


def test_a_solution_at_the_top_level_of_a_cell():
    text, _ = strip_solutions("w = None\n### BEGIN SOLUTION\nw = 3\n### END SOLUTION\nprint(w)", "code", "x")
    assert text == "w = None\n# YOUR CODE HERE\nraise NotImplementedError()\nprint(w)"


@pytest.mark.parametrize(
    "source, message",
    [
        ("a\n### BEGIN SOLUTION\nb", "nb.ipynb, cell 4, line 2: '### BEGIN SOLUTION' is never closed"),
        (
            "### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n### END SOLUTION",
            "nb.ipynb, cell 4, line 2: '### BEGIN HIDDEN TESTS' inside the region opened on line 1",
        ),
        ("x = 1\n### END SOLUTION", "nb.ipynb, cell 4, line 2: '### END SOLUTION' without a matching BEGIN"),
        ("### BEGIN SOLUTION\n### END HIDDEN TESTS", "line 2: '### END HIDDEN TESTS' without a matching BEGIN"),
        ("## BEGIN SOLUTION\nanswer = 42\n## END SOLUTION", "line 1: '## BEGIN SOLUTION' looks like a marker"),
        ("### begin solution", "looks like a marker"),
    ],
)
def test_broken_markup_names_notebook_cell_and_line(source, message):
    with pytest.raises(MarkupError) as error:
        strip_solutions(source, "code", "nb.ipynb, cell 4")
    assert message in str(error.value)


def make_lecture(folder, name="01_demo.ipynb", answer=ANSWER, extra=""):
    cells = [
        new_markdown_cell("# 01 · Demo"),
        new_code_cell(
            LECTURE_CODE + extra,
            execution_count=1,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="hi\n")],
            metadata={"tags": ["keep"], "execution": {"iopub.status.busy": "2026-11-23"}},
        ),
        new_code_cell(CHECK_CODE, execution_count=2),
        new_markdown_cell(answer),
    ]
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"
    folder.mkdir(exist_ok=True)
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
    )
    nbformat.write(notebook, folder / name)
    return folder / name


@pytest.fixture
def course(tmp_path):
    lectures = tmp_path / "notebooks"
    make_lecture(lectures)
    return lectures, tmp_path / "exercises"


def test_exercise_notebook_is_clean_and_numbers_its_exercises(course):
    lectures, _ = course
    notebook, exercise_ids = make_exercise(lectures / "01_demo.ipynb")
    banner, title, code, check, answer = notebook.cells
    assert banner.id == "exercise-banner" and "python -m course_utils.reset 01 --exercise K" in banner.source
    assert code.outputs == [] and code.execution_count is None and check.execution_count is None
    assert code.metadata == {"tags": ["keep"]}
    assert exercise_ids == ["cell-1", "cell-3"]
    assert notebook.metadata["language_info"] == {"name": "python"}
    assert "y = x / 255" not in nbformat.writes(notebook) and "saturate" not in nbformat.writes(notebook)


def test_generation_is_byte_identical_on_rerun(course):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    first = (folder / "01_demo.ipynb").read_bytes()
    lines = []
    write_all(lectures, folder, report=lines.append)
    assert (folder / "01_demo.ipynb").read_bytes() == first
    assert lines == [f"{folder / '01_demo.ipynb'}: up to date"]
    assert generator.generate_all(lectures) == generator.generate_all(lectures)


def test_broken_markup_anywhere_writes_nothing(course):
    lectures, folder = course
    make_lecture(lectures, "02_broken.ipynb", answer="### BEGIN SOLUTION\nunclosed")
    with pytest.raises(MarkupError, match="02_broken.ipynb, cell 4, line 1"):
        write_all(lectures, folder)
    assert not folder.exists()
    assert generator.main(["--notebooks", str(lectures), "--exercises", str(folder)]) == 2


def student_edits(path, text="my own answer"):
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[-1].source = text
    nbformat.write(notebook, path)
    return path.read_bytes()


def test_students_work_is_never_overwritten_without_force(course):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    edited = student_edits(path)
    make_lecture(lectures, extra="\n# the lecture changed")  # now the exercise is out of date
    lines = []
    assert write_all(lectures, folder, report=lines.append) == lines
    assert path.read_bytes() == edited
    assert lines[0].startswith(f"{path}: NOT replaced") and "has your edits (--force" in lines[0]

    assert write_all(lectures, folder, force=True, report=lines.append) == []
    (copy,) = (folder / "backups").glob("01_demo-*.ipynb")
    assert copy.read_bytes() == edited
    assert "the lecture changed" in path.read_text()


def test_an_unedited_exercise_is_updated_without_a_backup(course):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    make_lecture(lectures, extra="\n# the lecture changed")
    write_all(lectures, folder, report=lambda line: None)
    assert "the lecture changed" in (folder / "01_demo.ipynb").read_text()
    assert not (folder / "backups").exists()


def test_check_names_each_stale_missing_or_orphaned_file(course, capsys):
    lectures, folder = course
    make_lecture(lectures, "02_more.ipynb")
    write_all(lectures, folder, report=lambda line: None)
    assert find_problems(lectures, folder) == []
    assert generator.main(["--check", "--notebooks", str(lectures), "--exercises", str(folder)]) == 0

    make_lecture(lectures, extra="\n# changed")
    (folder / "02_more.ipynb").rename(folder / "03_old.ipynb")
    problems = find_problems(lectures, folder)
    assert problems == [
        f"{folder / '01_demo.ipynb'}: out of date with notebooks/01_demo.ipynb",
        f"{folder / '02_more.ipynb'}: missing",
        f"{folder / '03_old.ipynb'}: has no lecture in notebooks/",
    ]
    capsys.readouterr()
    assert generator.main(["--check", "--notebooks", str(lectures), "--exercises", str(folder)]) == 1
    printed = capsys.readouterr().out
    assert all(p in printed for p in problems)


def test_student_edits_are_a_problem_only_when_strict(course, monkeypatch):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    student_edits(folder / "01_demo.ipynb")
    assert find_problems(lectures, folder) == []
    assert find_problems(lectures, folder, strict=True) == [
        f"{folder / '01_demo.ipynb'}: edited after it was generated (never edit exercises/ by hand)"
    ]
    args = ["--check", "--notebooks", str(lectures), "--exercises", str(folder)]
    monkeypatch.delenv("CI", raising=False)
    assert generator.main(args) == 0
    monkeypatch.setenv("CI", "true")
    assert generator.main(args) == 1


def test_reset_one_exercise_keeps_the_rest_and_a_backup(course):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[2].source = notebook.cells[2].source.replace("raise NotImplementedError()", "return x / 255")
    notebook.cells[4].source = "my answer"
    nbformat.write(notebook, path)
    before = path.read_bytes()

    message = reset("1", exercise=2, lecture_folder=lectures, exercise_folder=folder)
    assert message.startswith(f"Exercise 2 of {path} is blank again")
    cells = nbformat.read(path, as_version=4).cells
    assert cells[4].source.endswith("YOUR ANSWER HERE")
    assert "return x / 255" in cells[2].source
    (copy,) = (folder / "backups").glob("*.ipynb")
    assert copy.read_bytes() == before

    reset("01", lecture_folder=lectures, exercise_folder=folder)
    assert "return x / 255" not in path.read_text()


@pytest.mark.parametrize(
    "number, exercise, message",
    [("07", None, "No lecture notebook numbered '07'"), ("01", 3, "has exercises 1 to 2, not 3")],
)
def test_reset_explains_bad_requests(course, number, exercise, message):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    before = (folder / "01_demo.ipynb").read_bytes()
    with pytest.raises(ValueError, match=message):
        reset(number, exercise, lectures, folder)
    assert (folder / "01_demo.ipynb").read_bytes() == before
    assert not (folder / "backups").exists()


def test_reset_of_a_deleted_exercise_cell_says_what_to_do(course):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    del notebook.cells[2]
    nbformat.write(notebook, path)
    with pytest.raises(ValueError, match="no longer in .*python -m course_utils.reset 01$"):
        reset("01", 1, lectures, folder)


def test_reset_command_says_what_it_did_or_what_is_wrong(course, capsys):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    folders = ["--notebooks", str(lectures), "--exercises", str(folder)]
    assert reset_command.main(["01", "--exercise", "2", *folders]) == 0
    assert capsys.readouterr().out.startswith(f"Exercise 2 of {folder / '01_demo.ipynb'} is blank again")
    assert reset_command.main(["01", *folders]) == 0
    assert capsys.readouterr().out.startswith(f"{folder / '01_demo.ipynb'} is blank again")
    assert reset_command.main(["01", "--exercise", "3", *folders]) == 2
    assert capsys.readouterr().err == "error: 01_demo.ipynb has exercises 1 to 2, not 3.\n"


def as_jupyter_leaves_it(path):
    """Open, run and save a notebook as Jupyter does: metadata filled in, outputs and counts, no edit."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    notebook.metadata["kernelspec"]["display_name"] = "Python 3 (ipykernel)"
    for count, cell in enumerate(notebook.cells, start=1):
        cell.metadata["scrolled"] = True
        if cell.cell_type == "code":
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nbformat.write(notebook, path)
    return path.read_bytes()


def test_opening_and_running_a_notebook_is_not_an_edit(course, capsys):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    opened = as_jupyter_leaves_it(path)
    assert not has_student_edits(nbformat.read(path, as_version=4))
    assert generator.main(["--notebooks", str(lectures), "--exercises", str(folder)]) == 0
    assert capsys.readouterr().out == f"{path}: up to date\n" and path.read_bytes() == opened

    make_lecture(lectures, extra="\n# the lecture changed")  # an update reaches a notebook that was only run
    assert write_all(lectures, folder, report=lambda line: None) == []
    assert "the lecture changed" in path.read_text() and not (folder / "backups").exists()


def test_a_notebook_worked_in_is_kept_without_a_nag(course, capsys):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    edited = student_edits(folder / "01_demo.ipynb")
    assert generator.main(["--notebooks", str(lectures), "--exercises", str(folder)]) == 0
    printed = capsys.readouterr().out
    assert printed == f"{folder / '01_demo.ipynb'}: up to date (your work in it is kept)\n"
    assert (folder / "01_demo.ipynb").read_bytes() == edited


def test_a_first_edition_notebook_counts_as_edited_only_when_it_was(course):
    lectures, _ = course
    notebook, _ = make_exercise(lectures / "01_demo.ipynb")
    del notebook.metadata["course_utils"]
    whole = __import__("hashlib").sha256(nbformat.writes(notebook).encode()).hexdigest()
    notebook.metadata["course_utils"] = {"generated_sha256": whole}  # what the first edition recorded
    assert not has_student_edits(notebook)
    notebook.cells[-1].source = "my answer"
    assert has_student_edits(notebook)


def test_a_save_landing_while_generating_is_kept(course, monkeypatch):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    make_lecture(lectures, extra="\n# the lecture changed")

    def a_save_lands(notebook_path):  # Jupyter saves after the generator read the file
        saved_now = nbformat.read(notebook_path, as_version=4)
        saved_now.cells[-1].source = "typed a moment ago"
        nbformat.write(saved_now, notebook_path)
        return []

    monkeypatch.setattr(generator, "servers_with_open", a_save_lands)
    lines = []
    assert write_all(lectures, folder, report=lines.append) == lines
    assert "changed while it was being generated" in lines[0]
    assert "typed a moment ago" in path.read_text() and "the lecture changed" not in path.read_text()
    assert [p.name for p in folder.iterdir()] == ["01_demo.ipynb"]  # no temporary file left behind


def test_an_interrupted_write_leaves_the_notebook_whole(tmp_path, monkeypatch):
    path = tmp_path / "01_demo.ipynb"
    path.write_text("the student's notebook")

    def killed(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        replace_if_unchanged(path, path.read_bytes(), "the new version")
    assert path.read_text() == "the student's notebook" and [p.name for p in tmp_path.iterdir()] == [path.name]
    monkeypatch.undo()
    assert not replace_if_unchanged(path, b"what it held before", "the new version")
    assert path.read_text() == "the student's notebook"
    assert replace_if_unchanged(path, path.read_bytes(), "the new version") and path.read_text() == "the new version"


@pytest.mark.parametrize(
    "content, reason",
    [("{ not json", "is not valid JSON (line 1"), ('{"cells": 1}', "is not a notebook (it has no list of cells)")],
)
def test_a_file_that_is_not_a_notebook_is_named_and_the_others_still_done(course, capsys, content, reason):
    lectures, folder = course
    make_lecture(lectures, "02_more.ipynb")
    folder.mkdir()
    (folder / "01_demo.ipynb").write_text(content)
    assert generator.main(["--notebooks", str(lectures), "--exercises", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{folder / '01_demo.ipynb'}: NOT replaced: {folder / '01_demo.ipynb'} is not" in out
    assert reason in out and "Move it aside" in out and "Traceback" not in out + err
    assert f"{folder / '02_more.ipynb'}: written" in out and (folder / "01_demo.ipynb").read_text() == content
    assert any(reason in problem for problem in find_problems(lectures, folder))
    with pytest.raises(ValueError, match=re.escape(reason)):
        reset("01", 1, lectures, folder)
    assert not (folder / "backups").exists()


def test_nothing_replaces_a_notebook_open_in_jupyter(course, monkeypatch):
    lectures, folder = course
    write_all(lectures, folder, report=lambda line: None)
    path = folder / "01_demo.ipynb"
    before = student_edits(path)
    open_there = lambda notebook_path: ["http://localhost:8888/"]  # noqa: E731
    monkeypatch.setattr(reset_command, "servers_with_open", open_there)
    with pytest.raises(ValueError, match=r"is open in Jupyter \(http://localhost:8888/\)\. Save your work and close"):
        reset("01", 1, lectures, folder)
    make_lecture(lectures, extra="\n# the lecture changed")
    monkeypatch.setattr(generator, "servers_with_open", open_there)
    (line,) = write_all(lectures, folder, force=True, report=lambda line: None)
    assert "NOT replaced: it is open in Jupyter" in line and "Close and Shut Down Notebook" in line
    assert path.read_bytes() == before and not (folder / "backups").exists()


def test_exercises_folder_matches_the_lectures():
    """exercises/ can never drift from notebooks/: regenerate after editing a lecture."""
    problems = find_problems(strict=bool(os.environ.get("CI")))
    assert not problems, "\n".join(problems) + f"\nRegenerate with: {GENERATE_COMMAND}"


def test_nbgrader_marks_solution_test_and_answer_cells(course):
    lectures, _ = course
    path = lectures / "01_demo.ipynb"
    before = nbformat.read(path, as_version=4)
    assert list(lectures_missing_nbgrader_marks(lectures)) == [path]
    mark_for_nbgrader(lectures, report=lambda line: None)
    after = nbformat.read(path, as_version=4)
    title, solution, tests, answer = (cell.metadata.get("nbgrader") for cell in after.cells)
    assert title is None
    assert solution["solution"] and not solution["grade"] and not solution["locked"]
    assert tests["grade"] and tests["points"] == 1 and tests["locked"] and not tests["solution"]
    assert answer["solution"] and answer["grade"] and answer["cell_type"] == "markdown"
    assert solution["grade_id"] == "cell-1" and solution["schema_version"] == 3
    assert [c.source for c in after.cells] == [c.source for c in before.cells]
    assert after.cells[1].outputs == before.cells[1].outputs
    assert lectures_missing_nbgrader_marks(lectures) == {}
    notebook, _ = make_exercise(path)
    assert all("nbgrader" not in cell.metadata for cell in notebook.cells)


def test_lectures_carry_nbgrader_metadata():
    """So an instructor can hand the lectures to nbgrader unchanged."""
    missing = lectures_missing_nbgrader_marks()
    assert not missing, f"run: {GENERATE_COMMAND} --mark-nbgrader ({list(missing)})"

"""course_utils.progress: every exercise's status, read from the saved exercise notebooks and never written.

Each test builds a course in tmp_path (lectures 00 and 05, which hold a code exercise, a written
question and the homework's shared check, and their blank exercise notebooks made by
make_exercise), then plays the student: edits an exercise, saves a verdict in its check cell,
deletes a cell, breaks a file.
"""

import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_output

from course_utils import progress
from course_utils.checking import ERROR, FAILED, NOT_DONE, PASSED, SYMBOLS
from course_utils.exercise_notebooks import make_exercise
from course_utils.paths import EXERCISES, LECTURES, course_notebooks

START, HOMEWORK = "00_start_here.ipynb", "05_homework_tuning_accuracy.ipynb"
MEAN_DIGIT, MEAN_DIGIT_CHECK = "exercise-mean-digit", "check-mean-digit"
CONFUSED_DIGITS = "exercise-confused-digits"
HOMEWORK_EXERCISES, HOMEWORK_CHECK = (
    ("exercise-experiments", "exercise-final-model", "exercise-analysis"),
    "check-homework",
)


@pytest.fixture(scope="module")
def blanks():
    """The blank exercise notebooks of lectures 00 and 05, and their exercise ids, made once."""
    return {name: make_exercise(LECTURES / name) for name in (START, HOMEWORK)}


@pytest.fixture
def course(tmp_path, blanks):
    """Lecture and exercise folders in tmp_path, with lectures 00 and 05 and their blank exercise notebooks."""
    lectures, exercises = tmp_path / "notebooks", tmp_path / "exercises"
    lectures.mkdir()
    exercises.mkdir()
    for name, (blank, _) in blanks.items():
        shutil.copy(LECTURES / name, lectures / name)
        nbformat.write(blank, exercises / name)
    return lectures, exercises


def edit(path, changes):
    """Save `path` as the student would after changing some cells.

    `changes` maps a cell id to (new source or None to keep it, new outputs or None to keep them),
    or to None to delete the cell.
    """
    notebook = nbformat.read(path, as_version=4)
    for cell_id, change in changes.items():
        index = next(i for i, cell in enumerate(notebook.cells) if cell.id == cell_id)
        if change is None:
            del notebook.cells[index]
            continue
        source, outputs = change
        if source is not None:
            notebook.cells[index].source = source
        if outputs is not None:
            notebook.cells[index].outputs = outputs
    nbformat.write(notebook, path)


def printed(text):
    return new_output("stream", name="stdout", text=text)


def displayed(text):
    return new_output("display_data", data={"text/plain": text, "text/html": f"<span>{text}</span>"})


def raised(ename):
    return new_output("error", ename=ename, evalue="", traceback=[f"{ename}: ..."])


def row_of(rows, notebook, exercise):
    return next(row for row in rows if row.notebook == notebook and row.exercise == exercise)


def mean_digit_row(course, outputs, source="def mean_digit(images, labels, digit):\n    return 0\n"):
    """The progress of exercise 1 of notebook 00 after the student saved `source` and a check cell with `outputs`."""
    lectures, exercises = course
    edit(exercises / START, {MEAN_DIGIT: (source, None), MEAN_DIGIT_CHECK: (None, outputs)})
    return row_of(progress.exercise_progress(exercises, lectures), START, 1)


def test_blank_exercise_notebooks_are_not_done_everywhere(tmp_path):
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    expected = []
    for lecture in course_notebooks(LECTURES):
        blank, ids = make_exercise(lecture)
        nbformat.write(blank, exercises / lecture.name)
        kinds = {cell.id: "code" if cell.cell_type == "code" else "written" for cell in blank.cells}
        expected += [(lecture.name, number, kinds[i]) for number, i in enumerate(ids, start=1)]
    rows = progress.exercise_progress(exercises, LECTURES)
    assert [(row.notebook, row.exercise, row.kind) for row in rows] == expected
    assert {row.status for row in rows} == {progress.NOT_DONE}
    checks = {row.where for row in rows if row.kind == "code"}
    assert all(name.startswith("check_") for name in checks) and "check_homework" in checks
    assert {row.where for row in rows if row.kind == "written"} == {"compare_answer"}


@pytest.mark.parametrize("output", [printed, displayed], ids=["printed", "displayed"])
@pytest.mark.parametrize(
    ("verdict", "status"),
    [
        (PASSED, progress.PASSED),
        (FAILED, progress.NOT_YET_RIGHT),
        (ERROR, progress.NOT_YET_RIGHT),
        (NOT_DONE, progress.NOT_DONE),
    ],
)
def test_an_edited_exercise_takes_its_checks_saved_verdict(course, output, verdict, status):
    row = mean_digit_row(course, [output(f"{SYMBOLS[verdict]} mean_digit {verdict}: details.\nmore details\n")])
    assert (row.kind, row.status, row.where) == ("code", status, "check_mean_digit")


def test_the_first_verdict_line_counts_not_other_output_or_indented_lines(course):
    outputs = [
        new_output("stream", name="stderr", text="a warning\n"),
        printed(f"computing...\n  {SYMBOLS[PASSED]} a part that holds\n"),
        displayed(f"{SYMBOLS[FAILED]} mean_digit not yet right: expected 1.5\n  {SYMBOLS[PASSED]} shape"),
        printed(f"{SYMBOLS[PASSED]} mean_digit passed\n"),
    ]
    assert mean_digit_row(course, outputs).status == progress.NOT_YET_RIGHT


def test_a_not_done_verdict_with_an_error_after_it_is_not_done(course):
    outputs = [displayed(f"{SYMBOLS[NOT_DONE]} mean_digit not done yet"), raised("NotDoneYet")]
    assert mean_digit_row(course, outputs).status == progress.NOT_DONE


def test_an_unchanged_stub_is_not_done_whatever_its_check_says(course, blanks):
    stub = next(cell.source for cell in blanks[START][0].cells if cell.id == MEAN_DIGIT)
    row = mean_digit_row(course, [printed(f"{SYMBOLS[PASSED]} mean_digit passed\n")], source=stub + "\n\n")
    assert row.status == progress.NOT_DONE


@pytest.mark.parametrize("outputs", [[], [printed("just a print\n")]], ids=["no output", "no verdict"])
def test_an_edited_exercise_whose_check_shows_no_verdict_is_not_run(course, outputs):
    assert mean_digit_row(course, outputs).status == progress.NOT_RUN


def test_a_check_that_raised_before_any_verdict_is_not_yet_right(course):
    row = mean_digit_row(course, [raised("NameError")])
    assert row.status == progress.NOT_YET_RIGHT and "NameError" in row.where


def test_deleted_cells_are_reported(course):
    lectures, exercises = course
    edit(exercises / START, {CONFUSED_DIGITS: None})
    edit(exercises / HOMEWORK, {HOMEWORK_EXERCISES[0]: ("EXPERIMENTS = []", None), HOMEWORK_CHECK: None})
    rows = progress.exercise_progress(exercises, lectures)
    assert row_of(rows, START, 2).status == progress.DELETED
    homework = row_of(rows, HOMEWORK, 1)
    assert homework.status == progress.NOT_RUN and "deleted" in homework.where
    assert row_of(rows, START, 1).status == progress.NOT_DONE


def test_a_written_answer_is_answered_once_changed(course):
    lectures, exercises = course
    assert row_of(progress.exercise_progress(exercises, lectures), START, 2).status == progress.NOT_DONE
    edit(exercises / START, {CONFUSED_DIGITS: ("4 and 9: their average images overlap.", None)})
    row = row_of(progress.exercise_progress(exercises, lectures), START, 2)
    assert (row.kind, row.status, row.where) == ("written", progress.ANSWERED, "compare_answer")


def test_the_homework_exercises_share_its_one_check(course):
    lectures, exercises = course
    verdict = (
        f"{SYMBOLS[FAILED]} homework not yet right:\n  {SYMBOLS[PASSED]} a baseline\n  {SYMBOLS[FAILED]} no model\n"
    )
    first, _, third = HOMEWORK_EXERCISES
    changes = {first: ("EXPERIMENTS = []", None), third: ("analysis = 'short'", None)}
    edit(exercises / HOMEWORK, {**changes, HOMEWORK_CHECK: (None, [printed(verdict)])})
    rows = [row_of(progress.exercise_progress(exercises, lectures), HOMEWORK, k) for k in (1, 2, 3)]
    assert [row.status for row in rows] == [progress.NOT_YET_RIGHT, progress.NOT_DONE, progress.NOT_YET_RIGHT]
    assert {row.where for row in rows} == {"check_homework"}


def test_a_missing_notebook_is_not_started_and_the_others_still_count(course, blanks):
    lectures, exercises = course
    (exercises / HOMEWORK).unlink()
    rows = progress.exercise_progress(exercises, lectures)
    assert [row.status for row in rows if row.notebook == HOMEWORK] == [progress.NOT_STARTED] * len(blanks[HOMEWORK][1])
    assert [row.status for row in rows if row.notebook == START] == [progress.NOT_DONE] * len(blanks[START][1])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"cells": [', "is not valid JSON (line 1"),
        (b"\x80\x81 not UTF-8", "is not text"),
        (b"[1, 2, 3]", "is not a notebook"),
        (
            json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}).encode(),
            "is not a valid notebook",
        ),
    ],
    ids=["truncated", "binary", "a list", "a bad cell"],
)
def test_a_file_that_is_not_a_notebook_gets_one_line_and_the_others_still_count(course, capsys, content, problem):
    lectures, exercises = course
    (exercises / START).write_bytes(content)
    rows = progress.exercise_progress(exercises, lectures)
    bad = [row for row in rows if row.notebook == START]
    assert len(bad) == 1 and bad[0].exercise is None and bad[0].status == progress.UNREADABLE
    assert START in bad[0].where and problem in bad[0].where and "reset 00" in bad[0].where
    assert {row.status for row in rows if row.notebook == HOMEWORK} == {progress.NOT_DONE}
    assert progress.main(["--exercises", str(exercises), "--notebooks", str(lectures)]) == 0
    out, err = capsys.readouterr()
    assert bad[0].where in out and f"could not read {START}" in out
    assert "Traceback" not in out + err


def test_progress_never_changes_a_notebook(course, capsys):
    lectures, exercises = course
    outputs = [printed(f"{SYMBOLS[FAILED]} not yet right\n"), raised("E")]
    edit(
        exercises / START, {MEAN_DIGIT: ("def mean_digit(*args):\n    pass\n", None), MEAN_DIGIT_CHECK: (None, outputs)}
    )
    (exercises / HOMEWORK).write_text('{"cells": [{"id": "exercise-experiments"}, 1]}')
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in exercises.iterdir()}
    progress.exercise_progress(exercises, lectures)
    assert progress.main(["--exercises", str(exercises), "--notebooks", str(lectures)]) == 0
    after = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in exercises.iterdir()}
    assert after == before


def test_the_command_prints_every_exercise_and_a_summary(course, blanks, capsys):
    lectures, exercises = course
    outputs = [displayed(f"{SYMBOLS[PASSED]} mean_digit passed")]
    edit(
        exercises / START,
        {MEAN_DIGIT: ("def mean_digit(*args):\n    return 0\n", None), MEAN_DIGIT_CHECK: (None, outputs)},
    )
    assert progress.main(["--exercises", str(exercises), "--notebooks", str(lectures)]) == 0
    out = capsys.readouterr().out
    total = sum(len(ids) for _, ids in blanks.values())
    assert out.splitlines()[-1] == f"1 of {total} exercises passed; {total - 1} not done."
    for name, (_, ids) in blanks.items():
        assert name in out
        section = out.split(name, 1)[1]
        assert all(f"exercise {number} " in section for number in range(1, len(ids) + 1))
    mean_digit_line = next(line for line in out.splitlines() if "check_mean_digit" in line)
    assert progress.PASSED in mean_digit_line


@pytest.mark.parametrize("missing", ["--exercises", "--notebooks"])
def test_the_command_exits_2_naming_a_missing_folder(course, tmp_path, capsys, missing):
    lectures, exercises = course
    folders = {"--exercises": exercises, "--notebooks": lectures, missing: tmp_path / "nowhere"}
    assert progress.main([part for option, folder in folders.items() for part in (option, str(folder))]) == 2
    out, err = capsys.readouterr()
    assert "nowhere" in err and "does not exist" in err and not out


def test_the_command_exits_2_without_lectures(course, tmp_path, capsys):
    _, exercises = course
    (tmp_path / "empty").mkdir()
    assert progress.main(["--exercises", str(exercises), "--notebooks", str(tmp_path / "empty")]) == 2
    assert "no course notebooks" in capsys.readouterr().err


def test_an_exercise_without_a_check_cell_is_a_lecture_error(tmp_path):
    lecture = nbformat.read(LECTURES / START, as_version=4)
    lecture.cells = [cell for cell in lecture.cells if cell.id != MEAN_DIGIT_CHECK]
    nbformat.write(lecture, tmp_path / START)
    with pytest.raises(ValueError, match="exercise 1"):
        progress.exercises_of(tmp_path / START)


def test_summary_counts_statuses_and_names_unreadable_notebooks():
    rows = [
        progress.Progress("01_a.ipynb", 1, "code", progress.PASSED, "check_a"),
        progress.Progress("01_a.ipynb", 2, "code", progress.NOT_RUN, "check_b"),
        progress.Progress("01_a.ipynb", 3, "written", progress.ANSWERED, "compare_answer"),
        progress.Progress("02_b.ipynb", None, None, progress.UNREADABLE, "02_b.ipynb is not valid JSON"),
    ]
    assert (
        progress.progress_summary(rows) == "1 of 3 exercises passed; 1 not run, 1 answered; could not read 02_b.ipynb."
    )
    table = progress.progress_table(rows).splitlines()
    assert table[0] == "01_a.ipynb" and table[4] == "02_b.ipynb" and table[5].endswith("02_b.ipynb is not valid JSON")
    assert all(row.where in line and row.status in line for row, line in zip(rows[:3], table[1:4]))


def test_the_html_table_escapes_and_colours(course):
    rows = [
        progress.Progress("01_a.ipynb", 1, "code", progress.PASSED, "check_a"),
        progress.Progress("01_a.ipynb", 2, "code", progress.NOT_YET_RIGHT, "check_b (raised <Error>)"),
    ]
    shown = progress.progress_html(rows)
    assert shown.count("<tr") == 3 and shown.count("01_a.ipynb") == 1 and "&lt;Error&gt;" in shown
    assert (
        progress.STATUS_COLOURS[progress.PASSED] in shown and progress.STATUS_COLOURS[progress.NOT_YET_RIGHT] in shown
    )
    assert progress.progress_summary(rows) in shown


@pytest.mark.parametrize("folder", [LECTURES, EXERCISES], ids=["from notebooks", "from exercises"])
def test_show_progress_reads_the_course_folders_from_either_working_folder(monkeypatch, folder):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw: shown.append(bundle))
    monkeypatch.chdir(folder)
    progress.show_progress()
    rows = progress.exercise_progress()
    total = sum(len(make_exercise(lecture)[1]) for lecture in course_notebooks(LECTURES))
    assert len(rows) == total and shown[0]["text/plain"].endswith(progress.progress_summary(rows))
    assert shown[0]["text/plain"].startswith(progress.progress_table(rows))
    assert shown[0]["text/html"] == progress.progress_html(rows)


def test_show_progress_without_the_course_folder_says_why_in_one_line(monkeypatch, tmp_path, capsys):
    """A notebook opened on its own (Colab installs course_utils into site-packages): no folders to read."""
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: pytest.fail("nothing to display"))
    progress.show_progress(tmp_path / "exercises", tmp_path / "notebooks")
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and "does not exist" in printed[0] and "check cell below each exercise" in printed[0]

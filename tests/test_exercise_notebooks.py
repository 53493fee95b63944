"""The blank exercise notebooks run: every exercise says "not done", nothing else breaks.

Each lecture's exercise version is generated afresh (so a student's work in exercises/
does not matter) and executed top to bottom with errors allowed.
"""

import re

import nbformat
import pytest

from course_utils import checking, experiment_log
from course_utils.authoring.refresh import execute_notebook
from course_utils.exercise_notebooks import make_exercise
from course_utils.paths import EXERCISES, LECTURES, course_notebooks

CHECK_CALL = re.compile(r"^check_\w+\(", re.MULTILINE)  # a check cell calls its check as a statement


def outputs_of(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for output in cell.outputs:
                yield cell, output


def verdicts(cell):
    """The lines of a cell's printed or displayed output that start with a verdict's symbol."""
    text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
    return [line for line in text.splitlines() if line[:1] in checking.SYMBOLS.values()]


# Notebooks that must start fast, so never import TensorFlow.
WITHOUT_TENSORFLOW = ("01", "02", "03")
PROBE_ID = "probe-tensorflow"


@pytest.fixture(scope="module", params=course_notebooks(LECTURES), ids=lambda p: p.name)
def blank_run(request, tmp_path_factory, isolated_keras_session):
    """One blank exercise notebook, run offline with Keras folders and an experiment log of its own
    (the kernel inherits the variables while it runs; they are restored afterwards)."""
    notebook, exercise_ids = make_exercise(request.param)
    probe = nbformat.v4.new_code_cell(
        "import os, sys\nprint('tensorflow imported:', 'tensorflow' in sys.modules)\nprint(os.environ['KERAS_HOME'])"
    )
    probe.id = PROBE_ID
    notebook.cells.append(probe)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in isolated_keras_session.items():
            patch.setenv(name, value)
        patch.setenv(experiment_log.LOG_FILE_VAR, str(tmp_path_factory.mktemp("log") / experiment_log.DEFAULT_FILE))
        execute_notebook(notebook, EXERCISES, allow_errors=True)
    return notebook, exercise_ids, request.param


def test_only_not_implemented_errors(blank_run):
    notebook, _, _ = blank_run
    errors = [(cell.id, o.ename, o.evalue) for cell, o in outputs_of(notebook) if o.output_type == "error"]
    assert all(ename in ("NotImplementedError", "ExerciseNotDone") for _, ename, _ in errors), errors


def test_run_all_stops_at_the_first_unfinished_exercise_in_one_line(blank_run):
    """Run All stops at the first error; in a blank notebook that is the first exercise, named in one line."""
    notebook, exercise_ids, _ = blank_run
    cell, error = next((cell, o) for cell, o in outputs_of(notebook) if o.output_type == "error")
    (line,) = error.traceback
    assert line.startswith("Run All stops here: ") and "not done yet" in line, line
    code_exercises = [c for c in notebook.cells if c.id in exercise_ids and c.cell_type == "code"]
    first = notebook.cells.index(code_exercises[0])
    assert first <= notebook.cells.index(cell) <= first + 2, (cell.id, code_exercises[0].id)
    if error.ename == "ExerciseNotDone":
        assert CHECK_CALL.search(cell.source) and error.evalue.split()[0] in cell.source
    assert all(len(o.traceback) == 1 for _, o in outputs_of(notebook) if o.output_type == "error")


def test_every_check_says_not_done_and_none_passes(blank_run):
    notebook, _, _ = blank_run
    check_cells = [c for c in notebook.cells if c.cell_type == "code" and CHECK_CALL.search(c.source)]
    assert check_cells, "a lecture with exercises needs check cells"
    for cell in check_cells:
        said = verdicts(cell)
        assert said and all(line.startswith(checking.SYMBOLS[checking.NOT_DONE]) for line in said), (cell.source, said)
    # A verdict starts a line; an indented line under it (the homework's list of conditions)
    # may tick off a part that a blank notebook already does, such as the baseline run.
    said_anywhere = [line for cell in notebook.cells if cell.cell_type == "code" for line in verdicts(cell)]
    assert not any(line.startswith(checking.SYMBOLS[checking.PASSED]) for line in said_anywhere), said_anywhere


def test_early_notebooks_never_import_tensorflow(blank_run):
    notebook, _, lecture = blank_run
    if lecture.name[:2] not in WITHOUT_TENSORFLOW:
        pytest.skip("this notebook may use TensorFlow")
    assert probe_lines(notebook)[0] == "tensorflow imported: False"


def test_the_kernel_keeps_keras_in_a_temporary_folder(blank_run, isolated_keras_session):
    notebook, _, _ = blank_run
    assert probe_lines(notebook)[1] == isolated_keras_session["KERAS_HOME"]


def probe_lines(notebook):
    """What the probe cell at the end of the run printed, line by line."""
    probe = next(cell for cell in notebook.cells if cell.id == PROBE_ID)
    return probe.outputs[0]["text"].splitlines()

"""Notebook 06 reads digits with the student's own model from notebook 05 when one is saved beside it."""

import nbformat
import pytest

from course_utils.authoring.refresh import execute_notebook
from course_utils.paths import LECTURES

# The cells of notebook 06 that load the data and choose the model, up to its test accuracy.
MODEL_CELLS = ("c-setup", "c-imports", "c-data", "c-build", "c-model", "c-test-accuracy")
SAVE_A_MODEL = """\
from course_utils.keras_tools import keras

layers = [keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]
mine = keras.Sequential(layers)
mine.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
mine.save("best_model.keras")
print(f"my model's accuracy: {mine.evaluate(X_test, y_test, verbose=0)[1]:.3f}")"""


def test_a_model_saved_from_notebook_05_is_used_and_named(tmp_path, isolated_keras_session, monkeypatch):
    for name, value in isolated_keras_session.items():
        monkeypatch.setenv(name, value)
    lecture = nbformat.read(LECTURES / "06_your_handwriting.ipynb", as_version=4)
    cells = {cell.id: cell for cell in lecture.cells}
    saving = nbformat.v4.new_code_cell(SAVE_A_MODEL)
    notebook = nbformat.v4.new_notebook(
        cells=[*(cells[i] for i in MODEL_CELLS[:4]), saving, *(cells[i] for i in MODEL_CELLS[4:])]
    )
    execute_notebook(notebook, tmp_path)
    printed = ["".join(o.get("text", "") for o in cell.outputs) for cell in notebook.cells[-3:]]
    assert f"Reading digits with your model from notebook 05, {tmp_path / 'best_model.keras'}." in printed[1]
    untrained = float(printed[0].split(": ")[1])
    assert printed[2] == f"accuracy on MNIST's test digits: {untrained:.3f}\n", "06 did not read with the saved model"
    assert untrained == pytest.approx(0.1, abs=0.1)  # an untrained model guesses, unlike the small CNN (0.96)

"""The homework's check: it names every missing condition and passes only a complete homework."""

import numpy as np
import pytest

from course_utils.checks_homework import check_homework
from course_utils.data import load_mnist
from course_utils.experiment_log import ExperimentLog

ANALYSIS = " ".join(["word"] * 60)


class LookupModel:
    """Predicts the test labels by looking the images up: right on a given share of them."""

    def __init__(self, share_right=1.0, input_shape=(None, 784)):
        (_, _), (x_test, y_test) = load_mnist("sample", verbose=False)
        self.input_shape = input_shape
        keep = int(share_right * len(y_test))
        self.labels = {
            x.astype(np.float32).tobytes(): (y if i < keep else (y + 1) % 10)
            for i, (x, y) in enumerate(zip(x_test / np.float32(255), y_test))
        }

    def predict(self, X, verbose=0, batch_size=None):
        rows = X.reshape(len(X), 28, 28)
        return np.eye(10)[[self.labels[row.astype(np.float32).tobytes()] for row in rows]]


def filled_log(path, factors=("optimizer", "learning rate", "dropout", "dropout", "width", "convolution"), worse=True):
    log = ExperimentLog(path)
    log.record("baseline", "baseline", "rung 4", 109386, 30, 10.0, 0.99, 0.90, [0.9])
    for i, factor in enumerate(factors):
        val = 0.85 if (worse and i == 0) else 0.95
        log.record(f"run {i}", factor, "something", 1000, 10, 5.0, 0.99, val, [val])
    return log


@pytest.fixture
def log(tmp_path):
    return filled_log(tmp_path / "log.jsonl")


def test_a_complete_homework_passes(log, capsys):
    result = check_homework(LookupModel(), log, ANALYSIS)
    assert result, result.message
    printed = capsys.readouterr().out
    assert "test accuracy 1.0000 on sample MNIST" in printed and printed.count("✅") == 7


def test_a_cnn_shaped_model_is_fed_images(log):
    assert check_homework(LookupModel(input_shape=(None, 28, 28, 1)), log, ANALYSIS, verbose=False)


def test_the_blank_homework_is_not_done_and_lists_every_condition(tmp_path):
    empty = ExperimentLog(tmp_path / "log.jsonl")
    empty.record("baseline", "baseline", "rung 4", 109386, 30, 10.0, 0.99, 0.90, [0.9])
    result = check_homework(None, empty, None, verbose=False)
    assert result.status == "not done yet"
    for fragment in (
        "0 run(s) besides the baseline",
        "0 different factor(s)",
        "an analysis of 0 word(s)",
        "no final model yet",
    ):
        assert f"❌ {fragment}" in result.message


@pytest.mark.parametrize(
    "case, fragment",
    [
        ("too few runs", "❌ 5 run(s) besides the baseline"),
        ("two factors", "❌ 2 different factor(s) varied (at least 3): dropout, optimizer"),
        ("nothing worse", "❌ 0 run(s) worse than the baseline"),
        ("short analysis", "❌ an analysis of 3 word(s)"),
        ("no baseline", "❌ no baseline run in the log"),
        (
            "low accuracy",
            "❌ test accuracy 0.9000 on sample MNIST (at least 0.95); improve the model on the validation set",
        ),
    ],
)
def test_each_missing_condition_is_named(tmp_path, case, fragment):
    factors = {
        "too few runs": ("optimizer", "L2", "dropout", "width", "depth"),
        "two factors": ("optimizer",) * 3 + ("dropout",) * 3,
    }.get(case)
    log = filled_log(tmp_path / "log.jsonl", **({"factors": factors} if factors else {}), worse=case != "nothing worse")
    if case == "no baseline":
        log = ExperimentLog(tmp_path / "other.jsonl")
        for run in filled_log(tmp_path / "third.jsonl").runs[1:]:
            log.record(**run)
    model = LookupModel(0.9 if case == "low accuracy" else 1.0)
    analysis = "too short really" if case == "short analysis" else ANALYSIS
    result = check_homework(model, log, analysis, verbose=False)
    assert result.status == "not yet right" and fragment in result.message, result.message


def test_a_model_with_an_unexpected_input_is_explained(log):
    result = check_homework(LookupModel(input_shape=(None, 32, 32, 3)), log, ANALYSIS, verbose=False)
    assert not result and "inputs of shape (32, 32, 3)" in result.message

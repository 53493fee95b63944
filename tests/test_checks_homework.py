"""The homework's check meets the contract of tests/check_harness.py where it applies.

The check takes a final model, an experiment log and a text. A log is a file, so the tables
hold functions that make the three arguments in the test's own folder (``made_per_test``).
"""

import functools

import numpy as np

from course_utils.checking import FAILED, NOT_DONE
from course_utils.checks_homework import check_homework
from course_utils.data import load_mnist
from course_utils.experiment_log import ExperimentLog
from tests.check_harness import Exercise, contract

ANALYSIS = " ".join(["word"] * 60)
# What a run records besides its name, factor and validation accuracy, which the check does not read.
UNREAD_FIELDS = {"changed": "something", "parameters": 1000, "epochs": 10, "seconds": 5.0, "train_accuracy": 0.99}


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


def filled_log(
    path,
    factors=("optimizer", "learning rate", "dropout", "dropout", "width", "convolution"),
    worse=True,
    baseline=True,
):
    """A log in `path`: the baseline (if `baseline`), then a run per factor, the first one worse if `worse`."""
    log = ExperimentLog(path)
    runs = [("baseline", "baseline", 0.90)] if baseline else []
    runs += [(f"run {i}", factor, 0.85 if (worse and i == 0) else 0.95) for i, factor in enumerate(factors)]
    for name, factor, val_accuracy in runs:
        log.record(name=name, factor=factor, val_accuracy=val_accuracy, val_curve=[val_accuracy], **UNREAD_FIELDS)
    return log


def homework(final_model=LookupModel, log=filled_log, analysis=ANALYSIS):
    """A function of a folder that makes check_homework's arguments.

    They are ``final_model()`` (None if `final_model` is), ``log(path)`` for a file in the
    folder, and `analysis`.
    """
    return lambda folder: (final_model and final_model(), log(folder / "log.jsonl"), analysis)


BLANK_HOMEWORK = homework(final_model=None, log=functools.partial(filled_log, factors=()), analysis=None)

WRONG_HOMEWORK = {
    "too few runs": (
        homework(log=functools.partial(filled_log, factors=("optimizer", "L2", "dropout", "width", "depth"))),
        "❌ 5 run(s) besides the baseline",
    ),
    "two factors": (
        homework(log=functools.partial(filled_log, factors=("optimizer",) * 3 + ("dropout",) * 3)),
        "❌ 2 different factor(s) varied (at least 3): dropout, optimizer",
    ),
    "nothing worse": (homework(log=functools.partial(filled_log, worse=False)), "❌ 0 run(s) worse than the baseline"),
    "short analysis": (homework(analysis="too short really"), "❌ an analysis of 3 word(s)"),
    "no baseline": (homework(log=functools.partial(filled_log, baseline=False)), "❌ no baseline run in the log"),
    "low accuracy": (
        homework(final_model=functools.partial(LookupModel, 0.9)),
        "❌ test accuracy 0.9000 on sample MNIST (at least 0.95); improve the model on the validation set",
    ),
    "no final model": (homework(final_model=None), "❌ no final model yet"),
    "an unexpected input": (
        homework(final_model=functools.partial(LookupModel, input_shape=(None, 32, 32, 3))),
        "inputs of shape (32, 32, 3)",
    ),
}

TestContract = contract(
    [
        Exercise(
            check_homework,
            homework(),
            WRONG_HOMEWORK,
            made_per_test=True,
            # The check takes values, and a None alone is a condition it names (allow_none=True):
            # only the blank homework is not done yet.
            unfinished=(),
            not_done={"blank homework": BLANK_HOMEWORK},
            # A homework is a trained model and a log, not code the check calls again.
            hard_code=None,
            # The check calls no student code through `call`, so nothing it reports is an error.
            rejections=(FAILED,),
            # One line for the verdict, then one for each condition.
            verdict_lines=7,
        )
    ]
)


def test_a_complete_homework_reports_its_test_accuracy(tmp_path, capsys):
    assert check_homework(*homework()(tmp_path))
    assert "test accuracy 1.0000 on sample MNIST" in capsys.readouterr().out


def test_a_cnn_shaped_model_is_fed_images(tmp_path):
    model_for_images = functools.partial(LookupModel, input_shape=(None, 28, 28, 1))
    assert check_homework(*homework(final_model=model_for_images)(tmp_path), verbose=False)


def test_the_blank_homework_lists_every_condition(tmp_path):
    result = check_homework(*BLANK_HOMEWORK(tmp_path), verbose=False)
    assert result.status == NOT_DONE
    for fragment in (
        "0 run(s) besides the baseline",
        "0 different factor(s)",
        "an analysis of 0 word(s)",
        "no final model yet",
    ):
        assert f"❌ {fragment}" in result.message

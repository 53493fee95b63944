"""The homework's check meets the contract of tests/check_harness.py where it applies.

The check takes a final model, an experiment log and a text. A log is a file, so the tables
hold functions that make the three arguments in the test's own folder (``made_per_test``).
"""

import functools
import json

import numpy as np

from course_utils.checking import FAILED, NOT_DONE
from course_utils.checks_homework import check_homework
from course_utils.data import load_mnist
from course_utils.experiment_log import ExperimentLog
from tests.check_harness import Exercise, contract
from tests.test_experiment_log import record

ANALYSIS = " ".join(["word"] * 60)
# A complete homework's configurations besides the baseline (at 0.90): name, factors changed, compared
# with, mean validation accuracy. Five change one factor (four different ones), one is a combination.
CONFIGURATIONS = (
    ("learning rate 0.1", "learning rate", "baseline", 0.93),
    ("Adam", "optimizer", "baseline", 0.95),
    ("Adam, dropout 0.3", "dropout", "Adam", 0.96),
    ("Adam, dropout 0.5", "dropout", "Adam", 0.955),
    ("Adam, wide", "width", "Adam", 0.96),
    ("small CNN", ("convolution", "batch size"), "Adam", 0.98),
)
# What each of the three seeds of a configuration adds to its mean validation accuracy.
SEED_LUCK = (-0.01, 0.0, 0.01)


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


def filled_log(path, configurations=CONFIGURATIONS, worse=True, baseline=True):
    """A log in `path`: the baseline, then `configurations`, each trained with three seeds.

    If `worse`, the first configuration's mean is 0.85, below the baseline's. Without
    `baseline`, the baseline's lines are taken out of the file, as if lost (record cannot
    leave it out: the other configurations are compared with it).
    """
    log = ExperimentLog(path)
    if worse:
        (name, factors, against, _), *others = configurations
        configurations = [(name, factors, against, 0.85), *others]
    for name, factors, against, mean in [("baseline", (), None, 0.90), *configurations]:
        for seed, luck in enumerate(SEED_LUCK):
            record(log, name, mean + luck, seed=seed, factors=factors, against=against)
    if not baseline:
        path.write_text("".join(line for line in path.open() if json.loads(line)["factors"]))
        log = ExperimentLog(path)
    return log


def with_configurations(*configurations, **options):
    """A function of a path that fills a log with `configurations` (see filled_log)."""
    return functools.partial(filled_log, configurations=configurations, **options)


def homework(final_model=LookupModel, log=filled_log, analysis=ANALYSIS):
    """A function of a folder that makes check_homework's arguments.

    They are ``final_model()`` (None if `final_model` is), ``log(path)`` for a file in the
    folder, and `analysis`.
    """
    return lambda folder: (final_model and final_model(), log(folder / "log.jsonl"), analysis)


BLANK_HOMEWORK = homework(final_model=None, log=with_configurations(worse=False), analysis=None)

ONE_AT_A_TIME = [(f"optimizer {i}", "optimizer", "baseline", 0.95) for i in range(2)]
ONE_AT_A_TIME += [(f"dropout {i}", "dropout", "baseline", 0.95) for i in range(2)]
WRONG_HOMEWORK = {
    "too few configurations": (
        homework(log=with_configurations(*CONFIGURATIONS[:5])),
        "❌ 5 configuration(s) besides the baseline in the log (at least 6), with 15 run(s)",
    ),
    "two factors": (
        homework(log=with_configurations(*ONE_AT_A_TIME, *ONE_AT_A_TIME[:2])),
        "❌ 2 different factor(s) varied one at a time (at least 3): dropout, optimizer; compare a configuration "
        "with one that differs from it in a single factor",
    ),
    "more factors only in combinations": (
        homework(
            log=with_configurations(
                *ONE_AT_A_TIME,
                ("small CNN", ("convolution", "batch size"), "baseline", 0.98),
                ("wide, L2", ("width", "L2"), "optimizer 0", 0.96),
            )
        ),
        "❌ 2 different factor(s) varied one at a time (at least 3): dropout, optimizer; combinations, not counted "
        "as factors varied: “small CNN”, “wide, L2”",
    ),
    "nothing worse": (
        homework(log=functools.partial(filled_log, worse=False)),
        "❌ 0 configuration(s) worse than the baseline on average",
    ),
    "worse in one seed only": (
        homework(log=with_configurations(("tanh", "activation", "baseline", 0.905), *CONFIGURATIONS[1:], worse=False)),
        "❌ 0 configuration(s) worse than the baseline on average",
    ),
    "short analysis": (homework(analysis="too short really"), "❌ an analysis of 3 word(s)"),
    "no baseline": (homework(log=functools.partial(filled_log, baseline=False)), "❌ no baseline in the log"),
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


def test_a_complete_homework_reports_its_test_accuracy_and_counts_configurations(tmp_path, capsys):
    assert check_homework(*homework()(tmp_path))
    printed = capsys.readouterr().out
    assert "✅ 6 configuration(s) besides the baseline in the log (at least 6), with 18 run(s)" in printed
    assert "test accuracy 1.0000 on sample MNIST" in printed


def test_a_combination_is_listed_but_not_counted_as_a_factor_varied(tmp_path):
    result = check_homework(*homework()(tmp_path), verbose=False)
    assert (
        "✅ 4 different factor(s) varied one at a time (at least 3): dropout, learning rate, optimizer and 1 more; "
        "combinations, not counted as factors varied: “small CNN”\n" in result.message
    )


def test_a_configuration_is_worse_when_its_mean_is_below_the_baselines(tmp_path):
    # Its seeds reach 0.885, 0.895 and 0.905: one above the baseline's mean of 0.90, the mean below it.
    log = with_configurations(("tanh", "activation", "baseline", 0.895), *CONFIGURATIONS[1:], worse=False)
    result = check_homework(*homework(log=log)(tmp_path), verbose=False)
    assert result, result.message
    assert "✅ 1 configuration(s) worse than the baseline on average (at least 1): “tanh”" in result.message


def test_a_cnn_shaped_model_is_fed_images(tmp_path):
    model_for_images = functools.partial(LookupModel, input_shape=(None, 28, 28, 1))
    assert check_homework(*homework(final_model=model_for_images)(tmp_path), verbose=False)


def test_the_blank_homework_lists_every_condition(tmp_path):
    result = check_homework(*BLANK_HOMEWORK(tmp_path), verbose=False)
    assert result.status == NOT_DONE
    for fragment in (
        "0 configuration(s) besides the baseline in the log (at least 6), with 0 run(s)",
        "0 different factor(s) varied one at a time",
        "✅ a baseline in the log",
        "0 configuration(s) worse than the baseline",
        "an analysis of 0 word(s)",
        "no final model yet",
    ):
        assert fragment in result.message

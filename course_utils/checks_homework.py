"""The autograded check of the homework (notebook 05).

The grader, not the student, touches the test set: the check loads it itself (from the same
MNIST source as the notebook) and measures the final model on it once.
"""

import numpy as np

from course_utils.checking import CheckFailed, NotDoneYet, exercise_check
from course_utils.data import load_mnist

# Test accuracy the final model must reach, by MNIST source.
TARGETS = {"full": 0.98, "sample": 0.95}
MIN_RUNS, MIN_FACTORS, MIN_WORDS = 6, 3, 50


def images_for(model, images):
    """uint8 images (n, 28, 28) scaled to 0-1 and shaped as the model's input: (n, 784) or (n, 28, 28[, 1])."""
    X = images.astype(np.float32) / 255
    shape = tuple(model.input_shape[1:])
    if shape == (784,):
        return X.reshape(len(X), 784)
    if shape == (28, 28, 1):
        return X[..., np.newaxis]
    if shape == (28, 28):
        return X
    raise CheckFailed(
        f"the final model takes inputs of shape {shape}; the grader feeds images scaled to 0-1 as "
        "(784,), (28, 28) or (28, 28, 1)."
    )


def measure_test_accuracy(model):
    """The final model's accuracy on the test images, and the MNIST source they come from."""
    from course_utils.keras_tools import accuracy_of  # imports Keras, which a trained model has loaded anyway

    mnist = load_mnist(verbose=False)
    (_, _), (x_test, y_test) = mnist
    return accuracy_of(model, images_for(model, x_test), y_test), mnist.source


@exercise_check("homework", allow_none=True)
def check_homework(final_model, log, analysis):
    """The homework's conditions, each reported: configurations, factors, a worse one, the analysis, the test accuracy.

    Only a configuration that changes one factor against the one it is compared with counts as
    that factor varied; one that changes several at once is a combination, which says what the
    factors do together but not which of them did it.

    Parameters
    ----------
    final_model : keras.Model or None
        The chosen model, trained; it must take images scaled to 0-1.
    log : course_utils.experiment_log.ExperimentLog
    analysis : str or None
        The written analysis.
    """
    baseline = log.baseline()
    configurations = [configuration for configuration in log.configurations() if configuration.factors]
    runs = sum(len(configuration.runs) for configuration in configurations)
    factors = sorted({c.factors[0] for c in configurations if len(c.factors) == 1})
    # Names in quotes, as they may hold commas ("Adam, dropout 0.3").
    combinations = [f"“{c.name}”" for c in configurations if len(c.factors) > 1]
    worse = [f"“{c.name}”" for c in configurations if baseline and c.mean_val_accuracy < baseline.mean_val_accuracy]
    words = len(analysis.split()) if isinstance(analysis, str) else 0
    conditions = [
        _condition(
            len(configurations) >= MIN_RUNS,
            f"{len(configurations)} configuration(s) besides the baseline in the log (at least {MIN_RUNS}), "
            f"with {runs} run(s)",
        ),
        _condition(
            len(factors) >= MIN_FACTORS,
            f"{len(factors)} different factor(s) varied one at a time (at least {MIN_FACTORS}){_listed(factors)}"
            + (f"; combinations, not counted as factors varied{_listed(combinations)}" if combinations else ""),
            "compare a configuration with one that differs from it in a single factor",
        ),
        _condition(baseline is not None, f"{'a' if baseline else 'no'} baseline in the log", "run the baseline cell"),
        _condition(
            bool(worse),
            f"{len(worse)} configuration(s) worse than the baseline on average (at least 1){_listed(worse)}",
            "a failed idea is a result too",
        ),
        _condition(words >= MIN_WORDS, f"an analysis of {words} word(s) (at least {MIN_WORDS})"),
        _final_model_condition(final_model),
    ]
    report = "\n".join(line for _, line in conditions)
    if all(met for met, _ in conditions):
        return "every condition holds:\n" + report
    if not configurations and final_model is None and not words:
        raise NotDoneYet("these are the conditions:\n" + report)
    raise CheckFailed("these conditions are not met yet (❌):\n" + report)


def _condition(met, found, advice=None):
    """One condition of the homework: whether it is met, and its line of the report (with `advice` if not met)."""
    return met, f"  {'✅' if met else '❌'} {found}" + (f"; {advice}" if advice and not met else "")


def _listed(names, most=3):
    """`names` as ": a, b, c", the first `most` of them and how many more; "" for no names."""
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return f": {', '.join(names[:most])}{more}" if names else ""


def _final_model_condition(final_model):
    """The condition on the final model: its accuracy on the test set, which the grader alone measures."""
    if final_model is None:
        return _condition(False, "no final model yet", "set `final_model` to your trained model")
    accuracy, source = measure_test_accuracy(final_model)
    return _condition(
        accuracy >= TARGETS[source],
        f"test accuracy {accuracy:.4f} on {source} MNIST (at least {TARGETS[source]:.2f})",
        "improve the model on the validation set, not by retrying against this number",
    )

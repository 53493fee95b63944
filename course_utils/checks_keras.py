"""Checks for the exercises of notebook 04 (MNIST with Keras).

The Keras checks import Keras (and TensorFlow) only when they run.
"""

import functools
import inspect

import numpy as np

from course_utils.checking import (
    CheckFailed,
    StudentError,
    call,
    call_with_hint,
    describe,
    exercise_check,
    expect_array,
    expect_true,
    expect_values,
)

# --- exercise 1 ---------------------------------------------------------------------------


@exercise_check("prepare")
def check_prepare(prepare):
    """Exercise 1: ``prepare(images, labels) -> (X, Y)``: pixels scaled to 0-1 and flattened, labels one-hot."""
    rng = np.random.default_rng(401)
    for n, side in ((12, 28), (7, 8), (30, 28)):
        images = rng.integers(0, 256, (n, side, side), dtype=np.uint8)
        images[0, 0, 0], images[-1, -1, -1] = 0, 255
        labels = rng.integers(0, 10, n).astype(np.uint8)
        labels[0] = 3  # never only the high digits: a one-hot with too few columns shows
        what = f"prepare(images, labels) for {n} images of {side} x {side}"
        result = call_with_hint(
            prepare,
            (images, labels),
            "cannot reshape",
            what,
            "the check also tries 8 x 8 images: flatten with images.reshape(len(images), -1), not with a fixed 784.",
            advice="compute new arrays.",
        )
        X, Y = expect_values(result, what, "X, Y")
        flat = images.reshape(n, -1).astype(np.float64)
        expect_array(
            X,
            flat / 255,
            f"X from {what}",
            rtol=1e-6,
            atol=1e-6,
            known_mistakes={
                "divide by 255, the largest pixel value, so that the pixels run from 0 to 1.": flat,
                "use `/ 255`: `// 255` divides in whole numbers and leaves only 0s and 1s.": flat // 255,
                "divide by 255, not 256: the largest pixel value must become exactly 1.": flat / 256,
                "flatten each image into one row: X has shape (n, height * width).": images / 255,
                "flatten each image row after row, images.reshape(len(images), -1) (C order, the default): "
                'order="F" or a transpose reads it column after column, so the pixels land in other columns of '
                "X.": images.transpose(0, 2, 1).reshape(n, -1) / 255,
            },
            otherwise="X = images.reshape(len(images), -1) / 255.",
        )
        expect_true(
            np.asarray(X).dtype == np.float32,
            f"X from {what} has dtype {np.asarray(X).dtype}; convert it "
            "with .astype(np.float32): Keras computes in 32-bit floats, and it halves the memory.",
        )
        expect_array(
            Y,
            np.eye(10)[labels],
            f"Y from {what}",
            known_mistakes={
                "Y is one-hot: one row per image, 10 columns, a 1 in the column of its label.": labels,
            },
            otherwise="Y = np.eye(10)[labels] (or keras.utils.to_categorical(labels, 10)): always 10 columns.",
        )
    return "X and Y are right for 3 random sets of images of two sizes."


# --- exercise 2 ---------------------------------------------------------------------------


def _loss_value(loss, target, prediction):
    """The loss's value for one example, its `target` and `prediction` (lists); None if Keras cannot compute it."""
    import keras

    try:
        function = keras.losses.get(loss)
        return float(np.mean(np.asarray(function(np.array(target), np.array(prediction)))))
    except (ValueError, TypeError):
        return None


def _loss_name(loss):
    """The name of a loss given as a string, a Keras loss object or a function."""
    return getattr(loss, "name", getattr(loss, "__name__", loss))


def _expect_plain_sgd(model):
    """:class:`CheckFailed` unless `model` is compiled with the lecture's optimizer, plain SGD at 0.01."""
    expect_true(
        getattr(model, "optimizer", None) is not None and getattr(model, "loss", None) is not None,
        "compile the model: model.compile(optimizer=..., loss=...).",
    )
    expect_true(
        type(model.optimizer).__name__ == "SGD" and float(np.asarray(model.optimizer.momentum)) == 0.0,
        f"the optimizer is {type(model.optimizer).__name__}; the lecture's recipe is plain SGD, "
        'optimizer="sgd" or keras.optimizers.SGD(learning_rate=0.01).',
    )
    rate = float(np.asarray(model.optimizer.learning_rate))
    expect_true(np.isclose(rate, 0.01), f"the learning rate is {rate:g}; the lecture uses SGD's default, 0.01.")


def _accuracy_name(names, measured):
    """The accuracy among the metrics' `names` ("accuracy", "acc", "sparse_categorical_accuracy"...).

    Raises :class:`CheckFailed` when there is none; `measured` says what measured only `names`.
    """
    name = next((name for name in names if name == "acc" or name.endswith("accuracy")), None)
    expect_true(
        name is not None,
        f'{measured} only {", ".join(names)}; compile with metrics=["accuracy"] so that fit reports the accuracy '
        "(the fraction of examples classified right) next to the loss.",
    )
    return name


@exercise_check("build_rung1")
def check_rung1(build_rung1):
    """Exercise 2: rung 1 of the ladder: 784 inputs -> Dense(10, sigmoid); SGD(0.01) on the MSE, reporting the accuracy.

    What the model computes is compared with sigmoid(x W + b) on random inputs, so an
    equivalent way of writing it (e.g. a separate Activation layer) passes.
    """
    import keras

    model = call(build_rung1)
    expect_true(
        isinstance(model, keras.Model),
        f"build_rung1() should return a Keras model; it returned {describe(model)}. Did you forget the `return model`?",
    )
    try:
        parameters = model.count_params()
    except ValueError:
        raise CheckFailed(
            "the model has no weights yet: start the Sequential model with keras.Input((784,)), "
            "so that Keras knows the input size."
        ) from None
    expect_true(
        tuple(model.input_shape) == (None, 784),
        f"the model takes inputs of shape {model.input_shape}; "
        "it should take the prepared rows of 784 numbers: keras.Input(shape=(784,)).",
    )
    expect_true(
        model.output_shape == (None, 10),
        f"the model's output has shape {model.output_shape}; it should have 10 outputs, one per digit: (None, 10).",
    )
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    expect_true(len(dense) == 1, f"rung 1 has a single Dense layer, the output layer; this model has {len(dense)}.")
    expect_true(
        parameters == 7850,
        f"the model has {parameters:,} parameters; rung 1 has (784 + 1) * 10 = 7,850. "
        + ("Keep the biases (use_bias=True)." if parameters == 7840 else "Give it 784 inputs."),
    )
    kernel, bias = dense[0].get_weights()
    x = np.random.default_rng(402).uniform(0, 1, (5, 784)).astype(np.float32)
    outputs = np.asarray(model(x))
    z = x @ kernel + bias
    expect_array(
        outputs,
        1 / (1 + np.exp(-z)),
        "the model's outputs on 5 random images",
        rtol=1e-4,
        atol=1e-5,
        known_mistakes={
            "rung 1 uses the sigmoid at the output (softmax comes on rung 4).": np.exp(z)
            / np.exp(z).sum(axis=1, keepdims=True)
        },
        otherwise='the output layer applies the sigmoid: Dense(10, activation="sigmoid").',
    )
    _expect_plain_sgd(model)
    value = _loss_value(model.loss, [[1.0, 0.0]], [[0.5, 0.5]])  # MSE gives 0.25
    expect_true(
        value is not None,
        f'Keras does not know the loss {_loss_name(model.loss)!r} (the slide\'s "mean_squared_method" '
        'is a typo): use loss="mean_squared_error".',
    )
    expect_true(
        np.isclose(value, 0.25),
        f'the loss is {_loss_name(model.loss)!r}; rung 1 uses the mean squared error, loss="mean_squared_error".',
    )
    targets = np.eye(10, dtype=np.float32)[:5]
    _accuracy_name(list(call(model.compute_metrics, x, targets, outputs)), "the model, as compiled, measures")
    return (
        "784 inputs, one Dense(10, sigmoid) layer with 7,850 parameters, plain SGD at 0.01 on the MSE, "
        "reporting the accuracy."
    )


# --- exercise 3 ---------------------------------------------------------------------------

SETS = ("training", "validation", "test")
EPOCHS = (1, 2)  # two calls: an epoch count typed in fails one of them
EVALUATE_ONCE = "measure the test set once, after fit: model.evaluate(*test)."


def _three_sets():
    """Small learnable data, 4 features and 3 classes, as (inputs, integer labels) of 90, 32 and 25 examples.

    The sizes differ, so that which set went where shows; and a validation accuracy (k / 32)
    cannot equal a test accuracy (m / 25) by chance, unless both are 0 or 1.
    """
    rng = np.random.default_rng(405)
    labels = rng.integers(0, 3, 90 + 32 + 25)
    X = (rng.normal(0, 1.5, (3, 4))[labels] + rng.normal(0, 1, (len(labels), 4))).astype(np.float32)
    return [(X[part], labels[part]) for part in np.split(np.arange(len(labels)), [90, 122])]


@functools.cache
def _recording_sequential():
    """A subclass of keras.Sequential whose ``recorded`` lists each fit and evaluate the student's code called.

    Each entry is ``(method name, its arguments by name, what it gave)``: for fit the History,
    for evaluate the metrics it measured, by name.
    """
    import keras

    def arguments(method, args, kwargs):
        bound = inspect.signature(method).bind(*args, **kwargs)
        bound.apply_defaults()
        return bound.arguments

    class RecordingSequential(keras.Sequential):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.recorded, self.fitting = [], False

        def compile(self, *args, **kwargs):
            # On data this small, tracing TensorFlow functions would take most of the check's time.
            super().compile(*args, **{**kwargs, "run_eagerly": True})

        def fit(self, *args, **kwargs):
            self.fitting = True
            history = super().fit(*args, **kwargs)
            self.fitting = False
            self.recorded.append(("fit", arguments(super().fit, args, kwargs), history))
            return history

        def evaluate(self, *args, **kwargs):
            result = super().evaluate(*args, **kwargs)
            if not self.fitting:  # fit evaluates the validation data itself after each epoch
                metrics = {name: float(value) for name, value in self.get_metrics_result().items()}
                self.recorded.append(("evaluate", arguments(super().evaluate, args, kwargs), metrics))
            return result

    return RecordingSequential


def _small_classifier():
    """A fresh recording model: 4 inputs, softmax over 3 classes, the same initial weights every time."""
    import keras

    initial = keras.initializers.GlorotUniform(seed=405)
    return _recording_sequential()(
        [keras.Input((4,)), keras.layers.Dense(3, activation="softmax", kernel_initializer=initial)]
    )


def _set_of(data, sets):
    """Which of the `sets` `data` (a pair of inputs and labels) is, e.g. "the test set"; else what `data` is."""
    if not (isinstance(data, (tuple, list)) and len(data) >= 2):
        return describe(data)
    for name, (inputs, labels) in zip(SETS, sets):
        if np.shape(data[0]) == inputs.shape and np.array_equal(data[0], inputs) and np.array_equal(data[1], labels):
            return f"the {name} set"
    return f"other data (inputs of shape {np.shape(data[0])})"


def _the_one_call(model, method, advice):
    """The place among the calls, the arguments and the outcome of the one call of `method` that `model` recorded."""
    places = [place for place, (name, _, _) in enumerate(model.recorded) if name == method]
    expect_true(places, f"train_and_evaluate never called model.{method}; {advice}")
    expect_true(len(places) == 1, f"train_and_evaluate called model.{method} {len(places)} times; {advice}")
    return places[0], *model.recorded[places[0]][1:]


def _expect_loss_for_integer_labels(loss):
    """:class:`CheckFailed` unless `loss` is the cross-entropy of integer labels and predicted probabilities."""
    value = _loss_value(loss, [1], [[0.2, 0.8]])  # label 1 predicted with probability 0.8
    if value is not None and np.isclose(value, -np.log(0.8)):
        return
    one_hot = _loss_value(loss, [[1.0, 0.0]], [[0.5, 0.5]])
    expect_true(
        one_hot is None or not np.isclose(one_hot, np.log(2)),
        f"the loss is {_loss_name(loss)!r}, which expects one-hot labels; the labels here are integers "
        '(0, 1, 2...): use loss="sparse_categorical_crossentropy".',
    )
    raise CheckFailed(
        f"the loss is {_loss_name(loss)!r}; a classifier that outputs probabilities and is given integer labels "
        '(0, 1, 2...) is trained on their cross-entropy: loss="sparse_categorical_crossentropy".'
    )


def _accuracy_of(history):
    """The name of the accuracy that fit measured, by the History it returned (see :func:`_accuracy_name`)."""
    return _accuracy_name([key for key in history.history if not key.startswith("val_")], "fit measured")


def _expect_no_mistake_behind_the_error(model):
    """:class:`CheckFailed` naming the mistake behind the error the student's code raised, if it is a known one.

    A loss for other labels fails inside fit; without an accuracy metric, evaluate returns the
    loss alone, and ``test_loss, test_accuracy = model.evaluate(...)`` fails.
    """
    if model.compiled:
        _expect_loss_for_integer_labels(model.loss)
    for method, _, history in model.recorded:
        if method == "fit":
            _accuracy_of(history)


def _expect_fit(model, sets, epochs):
    """:class:`CheckFailed` unless fit trained once, on the training set for `epochs`, watching the validation set.

    Returns its place among the calls and the History it returned.
    """
    place, fitted, history = _the_one_call(
        model, "fit", "train once: history = model.fit(*train, validation_data=validation, epochs=epochs)."
    )
    trained_on = _set_of((fitted["x"], fitted["y"]), sets)
    expect_true(
        trained_on == "the training set",
        f"fit trained on {trained_on}; train on the training set only: model.fit(*train, ...).",
    )
    if fitted["validation_data"] is None:
        expect_true(
            not fitted["validation_split"],
            "validation_split= sets aside part of the training data; the validation set is given: "
            "model.fit(..., validation_data=validation).",
        )
        raise CheckFailed(
            "fit got no validation data: pass validation_data=validation, so that fit measures, after each epoch, "
            "the accuracy on examples it does not train on."
        )
    watched = _set_of(fitted["validation_data"], sets)
    expect_true(
        watched != "the test set",
        "fit watched the test set (validation_data=test); the test set is kept for the one final evaluate, so that "
        "it measures the model on examples that played no part in choosing it: validation_data=validation.",
    )
    expect_true(
        watched == "the validation set", f"fit watched {watched}; watch the validation set: validation_data=validation."
    )
    count = fitted["epochs"]
    expect_true(
        count == epochs,
        f"fit trained for {count} epoch{'s' * (count != 1)} when train_and_evaluate was given epochs={epochs}: "
        "pass it on, model.fit(..., epochs=epochs).",
    )
    return place, history


def _expect_evaluate(model, sets, fit_place):
    """:class:`CheckFailed` unless evaluate measured the test set once, after fit; returns what it measured, by name."""
    place, evaluated, metrics = _the_one_call(model, "evaluate", EVALUATE_ONCE)
    expect_true(place > fit_place, f"evaluate ran before fit; {EVALUATE_ONCE}")
    evaluated_on = _set_of((evaluated["x"], evaluated["y"]), sets)
    expect_true(
        evaluated_on == "the test set",
        f"evaluate measured {evaluated_on}; the test accuracy is measured on the test set, which the model has "
        "never seen: model.evaluate(*test).",
    )
    return metrics


@exercise_check("train_and_evaluate")
def check_train_and_evaluate(train_and_evaluate):
    """Exercise 3: ``train_and_evaluate(model, train, validation, test, epochs) -> (history, test_accuracy)``.

    The check gives it small fresh classifiers of its own, which record what their fit and
    evaluate were called with and gave, and three sets of different sizes, so that which set
    went where shows.
    """
    sets = _three_sets()
    for epochs in EPOCHS:
        model = _small_classifier()
        what = f"train_and_evaluate(model, train, validation, test, epochs={epochs})"
        try:
            result = call(train_and_evaluate, model, *sets, epochs)
        except StudentError:
            _expect_no_mistake_behind_the_error(model)
            raise
        expect_true(
            model.compiled or model.recorded,
            "train_and_evaluate did not use the model it was given: compile, train and evaluate `model`, "
            "its parameter, not another model.",
        )
        _expect_plain_sgd(model)
        _expect_loss_for_integer_labels(model.loss)
        fit_place, history = _expect_fit(model, sets, epochs)
        accuracy = _accuracy_of(history)
        metrics = _expect_evaluate(model, sets, fit_place)
        returned_history, test_accuracy = expect_values(result, what, "history, test_accuracy")
        expect_true(
            returned_history is history,
            f"the first value that {what} returned is not the History that its model.fit returned; "
            "keep that one, history = model.fit(...), and return it as it is.",
        )
        expect_array(
            test_accuracy,
            metrics[accuracy],
            f"test_accuracy from {what}",
            known_mistakes={
                "evaluate returns [loss, accuracy]: return the accuracy, not the loss.": metrics["loss"],
                "return only the accuracy, not the whole [loss, accuracy] that evaluate returns.": [
                    metrics["loss"],
                    metrics[accuracy],
                ],
                "return the accuracy that evaluate measured on the test set, not the last validation accuracy "
                "of the history.": history.history[f"val_{accuracy}"][-1],
                "return the accuracy that evaluate measured on the test set, not the last training accuracy "
                "of the history.": history.history[accuracy][-1],
            },
            otherwise="return the accuracy that model.evaluate(*test) measured.",
        )
    return (
        f"plain SGD at 0.01 on the sparse cross-entropy with an accuracy; fit on the training set ({EPOCHS[0]} "
        f"and {EPOCHS[1]} epochs) watching the validation set; one evaluate, on the test set."
    )


# --- exercise 4 ---------------------------------------------------------------------------


@exercise_check("accuracy")
def check_accuracy(accuracy):
    """Exercise 4: ``accuracy(probabilities, labels)``, the fraction of rows whose largest entry is the label."""
    rng = np.random.default_rng(403)
    for n, k in ((20, 10), (57, 10), (9, 3)):
        probabilities = rng.dirichlet(np.ones(k), n)
        labels = rng.integers(0, k, n)
        labels[: n // 2] = probabilities[: n // 2].argmax(axis=1)  # about half right
        hits = probabilities.argmax(axis=1) == labels
        what = f"accuracy(probabilities, labels) for {n} examples and {k} classes"
        expect_array(
            call(accuracy, probabilities, labels),
            hits.mean(),
            what,
            known_mistakes={
                "return the fraction of correct predictions (between 0 and 1), not their number.": hits.sum(),
                "return a fraction between 0 and 1, not a percentage.": 100 * hits.mean(),
                "take the argmax of each row, np.argmax(probabilities, axis=1); without an axis it is one number "
                "for the whole array.": np.mean(np.argmax(probabilities) == labels),
                "return one number, the mean of the hits.": hits,
            },
            otherwise="accuracy = np.mean(np.argmax(probabilities, axis=1) == labels).",
        )
    return "right on 3 random sets of predictions, about half of them correct."


# --- exercise 5 ---------------------------------------------------------------------------


@exercise_check("dense_parameters")
def check_dense_parameters(dense_parameters):
    """Exercise 5: ``dense_parameters(input_size, units)``: the parameters of each Dense layer of a stack."""
    rng = np.random.default_rng(404)
    cases = [(784, [10]), (784, [128, 64, 10])] + [
        (int(rng.integers(1, 900)), [int(u) for u in rng.integers(1, 300, int(rng.integers(1, 5)))]) for _ in range(3)
    ]
    for input_size, units in cases:
        sizes = [input_size, *units]
        right = [(n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], units)]
        what = f"dense_parameters({input_size}, {units})"
        expect_array(
            call(dense_parameters, input_size, list(units)),
            right,
            what,
            known_mistakes={
                "every neuron has a bias too: (inputs + 1) * neurons.": [
                    n_in * n_out for n_in, n_out in zip(sizes, units)
                ],
                "one bias per neuron (the outputs), not per input: (inputs + 1) * neurons.": [
                    n_in * (n_out + 1) for n_in, n_out in zip(sizes, units)
                ],
                "each layer's inputs are the previous layer's neurons, not the network's inputs.": [
                    (input_size + 1) * n_out for n_out in units
                ],
                "return the count of each layer, not the running total.": np.cumsum(right),
            },
            otherwise="layer i has (inputs + 1) * units[i] parameters, its inputs being the previous layer's units.",
        )
    return "right for the lecture's two networks and 3 random stacks of Dense layers."

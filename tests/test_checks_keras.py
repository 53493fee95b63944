"""The checks of notebook 04 pass the lecture's code, report stubs, and reject realistic mistakes."""

import numpy as np
import pytest

from course_utils import checks_keras as checks
from tests.test_checks_adaline import assert_rejected, stub


def prepare(images, labels):
    X = images.reshape(len(images), -1).astype(np.float32) / 255
    return X, np.eye(10, dtype=np.float32)[labels]


WRONG_PREPARE = {
    "no scaling": (lambda i, l: (i.reshape(len(i), -1).astype(np.float32), prepare(i, l)[1]), "divide by 255"),
    "integer division": (
        lambda i, l: ((i.reshape(len(i), -1) // 255).astype(np.float32), prepare(i, l)[1]),
        "`// 255`",
    ),
    "divides by 256": (lambda i, l: ((i.reshape(len(i), -1) / 256).astype(np.float32), prepare(i, l)[1]), "not 256"),
    "not flattened": (lambda i, l: ((i / 255).astype(np.float32), prepare(i, l)[1]), "flatten each image"),
    "28 x 28 hard-coded": (
        lambda i, l: ((i.reshape(-1, 784) / 255).astype(np.float32), prepare(i, l)[1]),
        "not with a fixed 784",
    ),
    "float64": (lambda i, l: (i.reshape(len(i), -1) / 255, prepare(i, l)[1]), "astype(np.float32)"),
    "labels not one-hot": (lambda i, l: (prepare(i, l)[0], l), "Y is one-hot"),
    "too few columns": (lambda i, l: (prepare(i, l)[0], np.eye(l.max() + 1)[l]), "always 10 columns"),
    "a list instead of a pair": (lambda i, l: [prepare(i, l)[0]], "should return two arrays"),
}


def test_prepare_reference_and_stub():
    assert checks.check_prepare(prepare, verbose=False)
    assert checks.check_prepare(stub, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_PREPARE)
def test_prepare_rejects(mistake):
    function, fragment = WRONG_PREPARE[mistake]
    assert_rejected(checks.check_prepare(function, verbose=False), fragment)


def accuracy(probabilities, labels):
    return float(np.mean(np.argmax(probabilities, axis=1) == labels))


WRONG_ACCURACY = {
    "count": (lambda p, l: int(np.sum(np.argmax(p, axis=1) == l)), "not their number"),
    "percentage": (lambda p, l: 100 * accuracy(p, l), "not a percentage"),
    "no axis": (lambda p, l: float(np.mean(np.argmax(p) == l)), "without an axis"),
    "wrong axis": (lambda p, l: float(np.mean(np.argmax(p, axis=0) == l)), "raised an error"),
    "hits not averaged": (lambda p, l: np.argmax(p, axis=1) == l, "return one number"),
    "a threshold of 0.5": (
        lambda p, l: float(np.mean((p.max(axis=1) > 0.5) & (np.argmax(p, axis=1) == l))),
        "np.argmax(probabilities, axis=1)",
    ),
}


def test_accuracy_reference_and_stub():
    assert checks.check_accuracy(accuracy, verbose=False)
    assert checks.check_accuracy(stub, verbose=False).status == "not done yet"
    assert not checks.check_accuracy(lambda p, l: 0.5, verbose=False)


@pytest.mark.parametrize("mistake", WRONG_ACCURACY)
def test_accuracy_rejects(mistake):
    function, fragment = WRONG_ACCURACY[mistake]
    assert_rejected(checks.check_accuracy(function, verbose=False), fragment)


def dense_parameters(input_size, units):
    sizes = [input_size, *units]
    return [(n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], units)]


WRONG_DENSE = {
    "no biases": (lambda i, u: [a * b for a, b in zip([i, *u], u)], "every neuron has a bias"),
    "bias per input": (lambda i, u: [a * (b + 1) for a, b in zip([i, *u], u)], "not per input"),
    "always the network's inputs": (lambda i, u: [(i + 1) * b for b in u], "previous layer's neurons"),
    "running total": (lambda i, u: list(np.cumsum(dense_parameters(i, u))), "not the running total"),
    "the total only": (lambda i, u: sum(dense_parameters(i, u)), "returned shape ()"),
    "neurons counted": (lambda i, u: list(u), "layer i has (inputs + 1) * units[i]"),
}


def test_dense_parameters_reference_and_stub():
    assert checks.check_dense_parameters(dense_parameters, verbose=False)
    assert checks.check_dense_parameters(stub, verbose=False).status == "not done yet"
    assert not checks.check_dense_parameters(lambda i, u: [7850], verbose=False)


@pytest.mark.parametrize("mistake", WRONG_DENSE)
def test_dense_parameters_rejects(mistake):
    function, fragment = WRONG_DENSE[mistake]
    assert_rejected(checks.check_dense_parameters(function, verbose=False), fragment)


# --- exercise 2 needs Keras ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def keras():
    from course_utils.notebook_setup import import_tensorflow

    import_tensorflow()
    import keras

    return keras


def rung1(
    keras,
    activation="sigmoid",
    optimizer="sgd",
    loss="mean_squared_error",
    hidden=(),
    use_bias=True,
    with_input=True,
    compiled=True,
):
    layers = [keras.Input((784,))] if with_input else []
    layers += [keras.layers.Dense(n, activation="relu") for n in hidden]
    layers.append(keras.layers.Dense(10, activation=activation, use_bias=use_bias))
    model = keras.Sequential(layers)
    if compiled:
        model.compile(optimizer=optimizer, loss=loss)
    return model


WRONG_RUNG1 = {
    "softmax output": ({"activation": "softmax"}, "uses the sigmoid"),
    "Adam": ({"optimizer": "adam"}, "plain SGD"),
    "momentum": ({"optimizer": "momentum"}, "plain SGD"),
    "learning rate 0.1": ({"optimizer": "sgd0.1"}, "the learning rate is 0.1"),
    "cross-entropy": ({"loss": "categorical_crossentropy"}, "mean squared error"),
    "a hidden layer": ({"hidden": (32,)}, "single Dense layer"),
    "no biases": ({"use_bias": False}, "Keep the biases"),
    "no Input": ({"with_input": False}, "keras.Input((784,))"),
    "not compiled": ({"compiled": False}, "compile the model"),
}


def test_rung1_reference_and_stub(keras):
    assert checks.check_rung1(lambda: rung1(keras), verbose=False)
    assert checks.check_rung1(
        lambda: rung1(keras, optimizer=keras.optimizers.SGD(learning_rate=0.01), loss=keras.losses.MeanSquaredError()),
        verbose=False,
    )
    assert checks.check_rung1(stub, verbose=False).status == "not done yet"
    assert_rejected(checks.check_rung1(lambda: None, verbose=False), "forget the `return model`")


@pytest.mark.parametrize("mistake", WRONG_RUNG1)
def test_rung1_rejects(keras, mistake):
    change, fragment = WRONG_RUNG1[mistake]
    optimizers = {
        "momentum": lambda: keras.optimizers.SGD(0.01, momentum=0.9),
        "sgd0.1": lambda: keras.optimizers.SGD(0.1),
    }
    if change.get("optimizer") in optimizers:
        change = {**change, "optimizer": optimizers[change["optimizer"]]()}
    assert_rejected(checks.check_rung1(lambda: rung1(keras, **change), verbose=False), fragment)


def test_rung1_judges_what_the_model_computes(keras):
    def separate_activation():
        model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10), keras.layers.Activation("sigmoid")])
        model.compile(optimizer="sgd", loss="mse")
        return model

    def softmax_after_sigmoid():
        model = keras.Sequential(
            [keras.Input((784,)), keras.layers.Dense(10, activation="sigmoid"), keras.layers.Activation("softmax")]
        )
        model.compile(optimizer="sgd", loss="mse")
        return model

    def images_with_flatten():
        model = keras.Sequential(
            [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, activation="sigmoid")]
        )
        model.compile(optimizer="sgd", loss="mse")
        return model

    assert checks.check_rung1(separate_activation, verbose=False)
    assert_rejected(checks.check_rung1(softmax_after_sigmoid, verbose=False), "the model's outputs")
    assert_rejected(checks.check_rung1(images_with_flatten, verbose=False), "rows of 784 numbers")
    assert_rejected(checks.check_rung1(lambda: rung1(keras, loss="mean_squared_method"), verbose=False), "is a typo")


def test_prepare_accepts_a_list_and_explains_a_fixed_784():
    assert checks.check_prepare(lambda i, l: list(prepare(i, l)), verbose=False)
    result = checks.check_prepare(
        lambda i, l: ((i.reshape(-1, 784) / 255).astype(np.float32), prepare(i, l)[1]), verbose=False
    )
    assert_rejected(result, "not with a fixed 784")

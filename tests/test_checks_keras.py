"""The checks of notebook 04 meet the contract of tests/check_harness.py.

Each table maps a mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import numpy as np

from course_utils import checks_keras as checks
from tests.check_harness import Exercise, contract
from tests.solutions import accuracy, build_rung1, dense_parameters, import_keras, prepare

# --- exercise 1: prepare -----------------------------------------------------------------------

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
    "a list instead of a pair": (lambda i, l: [prepare(i, l)[0]], "should return two values, `return X, Y`"),
}


def test_prepare_accepts_a_list():
    assert checks.check_prepare(lambda i, l: list(prepare(i, l)), verbose=False)


# --- exercise 2: rung 1, built with Keras --------------------------------------------------------


def rung1_with(
    activation="sigmoid",
    optimizer="sgd",
    loss="mean_squared_error",
    hidden=(),
    use_bias=True,
    with_input=True,
    compiled=True,
):
    """build_rung1 with one part replaced; the optimizer and the loss are names or functions of the keras module."""

    def build_rung1():
        keras = import_keras()
        layers = [keras.Input((784,))] if with_input else []
        layers += [keras.layers.Dense(n, activation="relu") for n in hidden]
        layers.append(keras.layers.Dense(10, activation=activation, use_bias=use_bias))
        model = keras.Sequential(layers)
        if compiled:
            model.compile(
                optimizer=optimizer(keras) if callable(optimizer) else optimizer,
                loss=loss(keras) if callable(loss) else loss,
            )
        return model

    return build_rung1


def sequential(*layers):
    """build_rung1 for a model of the given layers, each a function of the keras module, compiled as the lecture's."""

    def build_rung1():
        keras = import_keras()
        model = keras.Sequential([layer(keras) for layer in layers])
        model.compile(optimizer="sgd", loss="mse")
        return model

    return build_rung1


WRONG_RUNG1 = {
    "softmax output": (rung1_with(activation="softmax"), "uses the sigmoid"),
    "Adam": (rung1_with(optimizer="adam"), "plain SGD"),
    "momentum": (rung1_with(optimizer=lambda keras: keras.optimizers.SGD(0.01, momentum=0.9)), "plain SGD"),
    "learning rate 0.1": (rung1_with(optimizer=lambda keras: keras.optimizers.SGD(0.1)), "the learning rate is 0.1"),
    "cross-entropy": (rung1_with(loss="categorical_crossentropy"), "mean squared error"),
    "a hidden layer": (rung1_with(hidden=(32,)), "single Dense layer"),
    "no biases": (rung1_with(use_bias=False), "Keep the biases"),
    "no Input": (rung1_with(with_input=False), "keras.Input((784,))"),
    "not compiled": (rung1_with(compiled=False), "compile the model"),
    "no return": (lambda: None, "forget the `return model`"),
    "the slide's typo in the loss": (rung1_with(loss="mean_squared_method"), "is a typo"),
    "softmax after the sigmoid": (
        sequential(
            lambda keras: keras.Input((784,)),
            lambda keras: keras.layers.Dense(10, activation="sigmoid"),
            lambda keras: keras.layers.Activation("softmax"),
        ),
        "the model's outputs",
    ),
    "images flattened by the model": (
        sequential(
            lambda keras: keras.Input((28, 28)),
            lambda keras: keras.layers.Flatten(),
            lambda keras: keras.layers.Dense(10, activation="sigmoid"),
        ),
        "rows of 784 numbers",
    ),
}


def test_rung1_accepts_optimizer_and_loss_objects():
    build = rung1_with(
        optimizer=lambda keras: keras.optimizers.SGD(learning_rate=0.01),
        loss=lambda keras: keras.losses.MeanSquaredError(),
    )
    assert checks.check_rung1(build, verbose=False)


def test_rung1_accepts_a_separate_activation_layer():
    separate_activation = sequential(
        lambda keras: keras.Input((784,)),
        lambda keras: keras.layers.Dense(10),
        lambda keras: keras.layers.Activation("sigmoid"),
    )
    assert checks.check_rung1(separate_activation, verbose=False)


# --- exercises 3 and 4: accuracy, parameters of Dense layers ----------------------------------------

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

WRONG_DENSE = {
    "no biases": (lambda i, u: [a * b for a, b in zip([i, *u], u)], "every neuron has a bias"),
    "bias per input": (lambda i, u: [a * (b + 1) for a, b in zip([i, *u], u)], "not per input"),
    "always the network's inputs": (lambda i, u: [(i + 1) * b for b in u], "previous layer's neurons"),
    "running total": (lambda i, u: list(np.cumsum(dense_parameters(i, u))), "not the running total"),
    "the total only": (lambda i, u: sum(dense_parameters(i, u)), "returned shape ()"),
    "neurons counted": (lambda i, u: list(u), "layer i has (inputs + 1) * units[i]"),
}

# --- all checks --------------------------------------------------------------------------------

TestContract = contract(
    [
        Exercise(checks.check_prepare, prepare, WRONG_PREPARE),
        # The check calls build_rung1 once: a builder that returns its first model again is right.
        Exercise(checks.check_rung1, build_rung1, WRONG_RUNG1, hard_code=None),
        Exercise(checks.check_accuracy, accuracy, WRONG_ACCURACY),
        Exercise(checks.check_dense_parameters, dense_parameters, WRONG_DENSE),
    ]
)

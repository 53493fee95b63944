"""The checks of notebook 04 meet the contract of tests/check_harness.py.

Each table maps a mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import numpy as np

from course_utils import checks_keras as checks
from tests.check_harness import Exercise, contract
from tests.solutions import accuracy, build_rung1, dense_parameters, import_keras, prepare, train_and_evaluate

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
    "flattened in Fortran order": (
        lambda i, l: (i.reshape(len(i), -1, order="F").astype(np.float32) / 255, prepare(i, l)[1]),
        'order="F" or a transpose',
    ),
    "flattened after a transpose": (
        lambda i, l: (i.T.reshape(-1, len(i)).T.astype(np.float32) / 255, prepare(i, l)[1]),
        "reads it column after column",
    ),
}


def test_prepare_accepts_a_list():
    assert checks.check_prepare(lambda i, l: list(prepare(i, l)), verbose=False)


# --- exercise 2: rung 1, built with Keras --------------------------------------------------------


def made(value, keras):
    """A compile option given as a value, or as a function of the keras module (for Keras objects)."""
    return value(keras) if callable(value) else value


def rung1_with(
    activation="sigmoid",
    optimizer="sgd",
    loss="mean_squared_error",
    metrics=("accuracy",),
    hidden=(),
    use_bias=True,
    with_input=True,
    compiled=True,
):
    """build_rung1 with one part replaced; the compile options are values or functions of the keras module."""

    def build_rung1():
        keras = import_keras()
        layers = [keras.Input((784,))] if with_input else []
        layers += [keras.layers.Dense(n, activation="relu") for n in hidden]
        layers.append(keras.layers.Dense(10, activation=activation, use_bias=use_bias))
        model = keras.Sequential(layers)
        if compiled:
            model.compile(optimizer=made(optimizer, keras), loss=made(loss, keras), metrics=made(metrics, keras))
        return model

    return build_rung1


def sequential(*layers):
    """build_rung1 for a model of the given layers, each a function of the keras module, compiled as the lecture's."""

    def build_rung1():
        keras = import_keras()
        model = keras.Sequential([layer(keras) for layer in layers])
        model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
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
    "no metric": (rung1_with(metrics=None), 'compile with metrics=["accuracy"]'),
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


def test_rung1_accepts_optimizer_loss_and_metric_objects():
    build = rung1_with(
        optimizer=lambda keras: keras.optimizers.SGD(learning_rate=0.01),
        loss=lambda keras: keras.losses.MeanSquaredError(),
        metrics=lambda keras: [keras.metrics.CategoricalAccuracy()],
    )
    assert checks.check_rung1(build, verbose=False)


def test_rung1_accepts_a_separate_activation_layer():
    separate_activation = sequential(
        lambda keras: keras.Input((784,)),
        lambda keras: keras.layers.Dense(10),
        lambda keras: keras.layers.Activation("sigmoid"),
    )
    assert checks.check_rung1(separate_activation, verbose=False)


# --- exercise 3: train_and_evaluate, with Keras ----------------------------------------------------


def train_and_evaluate_with(
    fit_on="train",
    watching="validation",
    typed_epochs=None,
    evaluated_on=("test",),
    answer=lambda history, results: results[-1][1],
    **compile_changes,
):
    """train_and_evaluate with one part replaced.

    fit_on, watching and evaluated_on name the sets that fit trains on, that it watches and that
    evaluate measures (also "train+validation", the two together); watching may instead be fit's
    options, e.g. {} for no validation data. typed_epochs replaces the epochs given.
    answer(history, results) picks the accuracy returned from the History and evaluate's results.
    compile_changes replace compile's options, given as values or functions of the keras module.
    """

    def train_and_evaluate(model, train, validation, test, epochs):
        keras = import_keras()
        sets = {"train": train, "validation": validation, "test": test}
        sets["train+validation"] = tuple(np.concatenate(parts) for parts in zip(train, validation))
        options = {"optimizer": "sgd", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
        model.compile(**{name: made(value, keras) for name, value in (options | compile_changes).items()})
        watch = watching if isinstance(watching, dict) else {"validation_data": sets[watching]}
        history = model.fit(*sets[fit_on], **watch, epochs=typed_epochs or epochs, verbose=0)
        results = [model.evaluate(*sets[name], verbose=0) for name in evaluated_on]
        return history, answer(history, results)

    return train_and_evaluate


def evaluating_first(model, train, validation, test, epochs):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    test_loss, test_accuracy = model.evaluate(*test, verbose=0)
    history = model.fit(*train, validation_data=validation, epochs=epochs, verbose=0)
    return history, test_accuracy


def scaling_in_place(model, train, validation, test, epochs):
    for X, _ in (train, validation, test):
        X /= X.max()
    return train_and_evaluate(model, train, validation, test, epochs)


def training_another_model(model, train, validation, test, epochs):
    keras = import_keras()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    return train_and_evaluate(model, train, validation, test, epochs)


def returning_history_dict(model, train, validation, test, epochs):
    history, test_accuracy = train_and_evaluate(model, train, validation, test, epochs)
    return history.history, test_accuracy


def returning_the_first_history():
    """train_and_evaluate that returns the History of its first training ever, as a stale global would."""
    histories = []

    def train_and_evaluate_again(model, train, validation, test, epochs):
        history, test_accuracy = train_and_evaluate(model, train, validation, test, epochs)
        histories.append(history)
        return histories[0], test_accuracy

    return train_and_evaluate_again


def last_validation_accuracy(history, results):
    return history.history["val_accuracy"][-1]


WRONG_TRAIN_AND_EVALUATE = {
    "loss for one-hot labels": (train_and_evaluate_with(loss="categorical_crossentropy"), "expects one-hot labels"),
    "mean squared error": (train_and_evaluate_with(loss="mean_squared_error"), "trained on their cross-entropy"),
    "no metric": (train_and_evaluate_with(metrics=None), 'compile with metrics=["accuracy"]'),
    "Adam": (train_and_evaluate_with(optimizer="adam"), "plain SGD"),
    "learning rate 0.1": (
        train_and_evaluate_with(optimizer=lambda keras: keras.optimizers.SGD(0.1)),
        "the learning rate is 0.1",
    ),
    "validating on the test set": (train_and_evaluate_with(watching="test"), "the test set is kept for the one final"),
    "validating on the training set": (train_and_evaluate_with(watching="train"), "fit watched the training set"),
    "no validation data": (train_and_evaluate_with(watching={}), "fit got no validation data"),
    "validation_split": (train_and_evaluate_with(watching={"validation_split": 0.25}), "validation_split= sets"),
    "trained on the training and validation sets": (
        train_and_evaluate_with(fit_on="train+validation"),
        "train on the training set only",
    ),
    "trained on the test set": (train_and_evaluate_with(fit_on="test"), "fit trained on the test set"),
    "epochs typed in": (train_and_evaluate_with(typed_epochs=3), "fit trained for 3 epochs"),
    "one epoch typed in (Keras's default)": (train_and_evaluate_with(typed_epochs=1), "model.fit(..., epochs=epochs)"),
    "evaluated on the training set": (
        train_and_evaluate_with(evaluated_on=("train",)),
        "evaluate measured the training set",
    ),
    "evaluated on the validation set": (
        train_and_evaluate_with(evaluated_on=("validation",)),
        "evaluate measured the validation set",
    ),
    "not evaluated": (
        train_and_evaluate_with(evaluated_on=(), answer=last_validation_accuracy),
        "never called model.evaluate",
    ),
    "evaluated twice": (
        train_and_evaluate_with(evaluated_on=("validation", "test")),
        "called model.evaluate 2 times",
    ),
    "evaluated before training": (evaluating_first, "evaluate ran before fit"),
    "the test loss returned": (
        train_and_evaluate_with(answer=lambda history, results: results[-1][0]),
        "not the loss",
    ),
    "evaluate's list returned": (
        train_and_evaluate_with(answer=lambda history, results: results[-1]),
        "not the whole [loss, accuracy]",
    ),
    "the last validation accuracy returned": (
        train_and_evaluate_with(answer=last_validation_accuracy),
        "not the last validation accuracy",
    ),
    "inputs scaled in place": (scaling_in_place, "changed the `train` it was given"),
    "another model trained": (training_another_model, "did not use the model it was given"),
    "history.history returned": (returning_history_dict, "is not the History that its model.fit returned"),
    "an earlier History returned": (returning_the_first_history(), "is not the History that its model.fit returned"),
}


def train_and_evaluate_spelled_out(model, train, validation, test, epochs):
    keras = import_keras()
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    model.summary()
    history = model.fit(
        train[0], train[1], validation_data=(validation[0], validation[1]), epochs=epochs, batch_size=16, verbose=2
    )
    results = model.evaluate(test[0], test[1], return_dict=True, verbose=0)
    return history, results["sparse_categorical_accuracy"]


def train_and_evaluate_in_short(model, train, validation, test, epochs):
    X_train, y_train = train
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["acc"])
    history = model.fit(X_train, y_train, epochs=epochs, validation_data=validation)
    return history, model.evaluate(*test)[1]


def test_train_and_evaluate_accepts_other_styles(capsys):
    for style in (train_and_evaluate_spelled_out, train_and_evaluate_in_short):
        result = checks.check_train_and_evaluate(style, verbose=False)
        assert result, f"{style.__name__}: {result.message}"
    assert "Total params: 15" in capsys.readouterr().out  # the recording model still summarizes itself


# --- exercises 4 and 5: accuracy, parameters of Dense layers ----------------------------------------

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
        Exercise(checks.check_train_and_evaluate, train_and_evaluate, WRONG_TRAIN_AND_EVALUATE),
        Exercise(checks.check_accuracy, accuracy, WRONG_ACCURACY),
        Exercise(checks.check_dense_parameters, dense_parameters, WRONG_DENSE),
    ]
)

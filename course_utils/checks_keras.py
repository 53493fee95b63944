"""Checks for the exercises of notebook 04 (MNIST with Keras).

The Keras check imports Keras (and TensorFlow) only when it runs.
"""

import numpy as np

from course_utils.checking import (
    CheckFailed,
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


def _loss_value(loss):
    """The loss's value for a target (1, 0) and a prediction (0.5, 0.5): MSE gives 0.25; None if unknown."""
    import keras

    try:
        function = keras.losses.get(loss)
        return float(np.mean(np.asarray(function(np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]])))))
    except (ValueError, TypeError):
        return None


@exercise_check("build_rung1")
def check_rung1(build_rung1):
    """Exercise 2: rung 1 of the ladder: 784 inputs -> Dense(10, sigmoid); SGD(0.01) on the MSE.

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
    value = _loss_value(model.loss)
    expect_true(
        value is not None,
        f'Keras does not know the loss {model.loss!r} (the slide\'s "mean_squared_method" '
        'is a typo): use loss="mean_squared_error".',
    )
    expect_true(
        np.isclose(value, 0.25),
        f'the loss is {model.loss!r}; rung 1 uses the mean squared error, loss="mean_squared_error".',
    )
    return "784 inputs, one Dense(10, sigmoid) layer with 7,850 parameters, plain SGD at 0.01 on the MSE."


# --- exercise 3 ---------------------------------------------------------------------------


@exercise_check("accuracy")
def check_accuracy(accuracy):
    """Exercise 3: ``accuracy(probabilities, labels)``, the fraction of rows whose largest entry is the label."""
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


# --- exercise 4 ---------------------------------------------------------------------------


@exercise_check("dense_parameters")
def check_dense_parameters(dense_parameters):
    """Exercise 4: ``dense_parameters(input_size, units)``: the parameters of each Dense layer of a stack."""
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

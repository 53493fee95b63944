"""Checks for the exercises of notebook 03 (backpropagation and a NumPy multilayer perceptron).

A network with layer sizes [n_0, n_1, ..., n_L] is kept in two lists: ``weights[l]`` of
shape (n_l, n_{l+1}) and ``biases[l]`` of shape (n_{l+1},), for l = 0, ..., L-1. Each
example is a row of X, of shape (n, n_0). The hidden layers use ReLU and the output layer
softmax; the labels y are the class numbers 0, ..., k-1 (k = n_L), and the loss is the mean
cross-entropy over the examples.

Every check runs the student's code on random networks and data from a fixed seed, of
depths 1, 2 and 3 and several shapes, and compares the result with the computation written
out here. A wrong result is compared with what each common mistake gives, so that the
verdict can name the mistake.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from course_utils.checking import (
    call,
    call_with_hint,
    call_without_warnings,
    exercise_check,
    expect_array,
    expect_extreme_losses,
    expect_list,
    expect_true,
    expect_values,
)
from course_utils.reference import expect_mean_loss, identity, softmax, softmax_axis_mistakes

CLIP = 1e-12  # the smallest probability the loss takes the logarithm of, and relative_error's least denominator


def _relu(Z):
    return np.maximum(Z, 0.0)


def _relu_derivative(Z):
    return (Z > 0).astype(float)


def _softmax_over_columns(Z):
    exponentials = np.exp(Z - Z.max(axis=0))
    return exponentials / exponentials.sum(axis=0)


def _names(letter, L, first=None):
    """What a list of the layers' arrays holds, e.g. ``"[X, A_1, A_2]"`` for ("A", 2, "X")."""
    return "[" + ", ".join(([first] if first else []) + [f"{letter}_{l}" for l in range(1, L + 1)]) + "]"


def random_network(rng, sizes):
    """Random weights and biases for layer sizes `sizes`, scaled so that no layer saturates.

    Returns
    -------
    weights : list of L arrays, ``weights[l]`` of shape (sizes[l], sizes[l + 1])
    biases : list of L arrays, ``biases[l]`` of shape (sizes[l + 1],)
    """
    weights = [rng.normal(0, 1 / np.sqrt(n_in), (n_in, n_out)) for n_in, n_out in zip(sizes, sizes[1:])]
    return weights, [rng.normal(0, 0.5, n_out) for n_out in sizes[1:]]


def _random_examples(rng, sizes, n):
    """X of shape (n, sizes[0]) and n labels among the sizes[-1] classes."""
    return rng.normal(0, 1, (n, sizes[0])), rng.integers(0, sizes[-1], n)


def reference_forward(X, weights, biases, hidden=_relu, output=softmax):
    """The forward pass: ReLU in the hidden layers, softmax in the output layer.

    Parameters
    ----------
    X : array of shape (n, n_0)
    weights, biases : lists of L arrays, as in the module's docstring
    hidden, output : function
        The activation of the hidden layers and of the output layer.

    Returns
    -------
    activations : list of L + 1 arrays, [X, A_1, ..., A_L], A_l of shape (n, n_l)
    pre_activations : list of L arrays, [Z_1, ..., Z_L], Z_l of shape (n, n_l)
    """
    activations, pre_activations = [X], []
    for layer, (W, b) in enumerate(zip(weights, biases)):
        Z = activations[-1] @ W + b  # (n, n_l) @ (n_l, n_{l+1})
        pre_activations.append(Z)
        activations.append(output(Z) if layer == len(weights) - 1 else hidden(Z))
    return activations, pre_activations


def _cross_entropy(P, y):
    """The mean of −log P[i, y[i]], each probability clipped below at CLIP."""
    return float(-np.mean(np.log(np.maximum(P[np.arange(len(y)), y], CLIP))))


def _layer_gradients(dZ, A_prev, W):
    """dW (n_in, n_out), db (n_out,) and dA_prev (n, n_in) of one layer Z = A_prev @ W + b, from dZ (n, n_out)."""
    return A_prev.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def reference_backward(activations, pre_activations, weights, y, slope=_relu_derivative, targets=None):
    """The gradients of the mean cross-entropy, from the output layer down.

    Parameters
    ----------
    activations, pre_activations : lists, as :func:`reference_forward` returns them
    weights : list of L arrays
    y : array of int, shape (n,)
    slope : function
        The derivative of the hidden layers' activation (``lambda Z: 1.0`` leaves it out).
    targets : array, optional
        What dZ_L subtracts from A_L; by default the one-hot rows of y, shape (n, k).

    Returns
    -------
    weight_grads, bias_grads : lists of L arrays, in layer order, shaped as weights and biases
    """
    n, k = activations[-1].shape
    dZ = (activations[-1] - (np.eye(k)[y] if targets is None else targets)) / n
    weight_grads, bias_grads = [], []
    for layer in reversed(range(len(weights))):
        dW, db, dA = _layer_gradients(dZ, activations[layer], weights[layer])
        weight_grads.insert(0, dW)
        bias_grads.insert(0, db)
        if layer:
            dZ = dA * slope(pre_activations[layer - 1])
    return weight_grads, bias_grads


def _shuffled_batches(X, y, batch_size, seed, cut=None):
    """The lecture's batches: X and y in the order ``np.random.default_rng(seed).permutation(n)``, cut in turn.

    `cut(order, batch_size)`, if given, replaces :func:`_runs`, to replay a known mistake.
    """
    order = np.random.default_rng(seed).permutation(len(y))
    for idx in (cut or _runs)(order, batch_size):
        yield X[idx], y[idx]


def _runs(order, batch_size):
    """`order` cut into runs of `batch_size`, the last one shorter if need be."""
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def _descend(weights, biases, weight_grads, bias_grads, learning_rate):
    """One step of SGD, in place: every weight and bias moves by −learning_rate times its gradient."""
    for W, b, dW, db in zip(weights, biases, weight_grads, bias_grads):
        W -= learning_rate * dW
        b -= learning_rate * db


def reference_sgd_epoch(
    weights, biases, X, y, batch_size, learning_rate, seed, batches=_shuffled_batches, step=_descend
):
    """One epoch of minibatch SGD from copies of `weights` and `biases`.

    Parameters
    ----------
    weights, biases : lists of L arrays; left unchanged
    X : array of shape (n, n_0)
    y : array of int, shape (n,)
    batch_size : int
    learning_rate : float
    seed : int
        The seed of the ``np.random.default_rng`` that draws the order of the examples.
    batches, step : function, optional
        Replace :func:`_shuffled_batches` or :func:`_descend`, to replay a known mistake.

    Returns
    -------
    weights, biases : lists of L arrays, after the epoch
    losses : list of float, the loss of each batch before its step
    """
    weights, biases = [W.copy() for W in weights], [b.copy() for b in biases]
    losses = []
    for X_batch, y_batch in batches(X, y, batch_size, seed):
        activations, pre_activations = reference_forward(X_batch, weights, biases)
        losses.append(_cross_entropy(activations[-1], y_batch))
        weight_grads, bias_grads = reference_backward(activations, pre_activations, weights, y_batch)
        step(weights, biases, weight_grads, bias_grads, learning_rate)
    return weights, biases, losses


# Known mistakes of sgd_epoch, as replacements of its batches or its step.


def _batches_in_order(X, y, batch_size, seed):
    for start in range(0, len(y), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def _batches_shuffling_X_only(X, y, batch_size, seed):
    for (X_batch, _), (_, y_batch) in zip(
        _shuffled_batches(X, y, batch_size, seed), _batches_in_order(X, y, batch_size, seed)
    ):
        yield X_batch, y_batch


def _batches_shuffling_apart(X, y, batch_size, seed):
    rng = np.random.default_rng(seed)
    X, y = X[rng.permutation(len(y))], y[rng.permutation(len(y))]
    yield from _batches_in_order(X, y, batch_size, seed)


def _batches_in_equal_parts(parts):
    """Batches cut by ``np.array_split(order, parts(n, batch_size))``: that many, of nearly equal sizes."""

    def batches(X, y, batch_size, seed):
        yield from _shuffled_batches(
            X, y, batch_size, seed, cut=lambda order, size: np.array_split(order, parts(len(order), size))
        )

    return batches


def _batches_dropping_the_last(X, y, batch_size, seed):
    for X_batch, y_batch in _shuffled_batches(X, y, batch_size, seed):
        if len(y_batch) == batch_size:
            yield X_batch, y_batch


def _ascend(weights, biases, weight_grads, bias_grads, learning_rate):
    _descend(weights, biases, weight_grads, bias_grads, -learning_rate)


def _descend_leaving_the_biases(weights, biases, weight_grads, bias_grads, learning_rate):
    _descend(weights, [b.copy() for b in biases], weight_grads, bias_grads, learning_rate)


# --- exercise 1: the forward pass ---------------------------------------------------------


TRANSPOSE_HINT = (
    "weights[l] has shape (n_l, n_{l+1}) and each example is a row, so Z = A @ weights[l] + "
    "biases[l], with no transpose."
)

FORWARD_MISTAKES = {
    "ReLU is for the hidden layers only; the output layer turns its Z into probabilities with softmax.": {
        "output": _relu
    },
    "the output layer applies softmax to its Z, so that each row holds probabilities that add up to 1.": {
        "output": identity
    },
    "softmax normalises each row (one example): sum over axis=1 with keepdims=True, not over the columns.": {
        "output": _softmax_over_columns
    },
    "each hidden layer applies ReLU to its Z, A = relu(Z); without it the whole network is linear.": {
        "hidden": identity
    },
    "softmax is for the output layer only; the hidden layers use ReLU.": {"hidden": softmax},
}

IN_PLACE_RELU_HINT = (
    "pre_activations must keep each Z as it was before ReLU: `np.maximum(Z, 0, out=Z)` or "
    "`Z[Z < 0] = 0` changes Z itself; compute a new array, A = relu(Z)."
)


@exercise_check("forward")
def check_forward(forward):
    """Exercise 1: ``forward(X, weights, biases) -> (activations, pre_activations)``.

    activations is [X, A_1, ..., A_L] and pre_activations [Z_1, ..., Z_L], with
    Z_{l+1} = A_l @ weights[l] + biases[l], ReLU in the hidden layers and softmax over each
    row in the output layer. Tried on networks of depth 2 (square layers, where a
    transposed weight matrix gives numbers instead of an error), 1 and 3.
    """
    rng = np.random.default_rng(301)
    for n, sizes in ((9, [4, 4, 4]), (7, [5, 3]), (12, [3, 6, 5, 4])):
        weights, biases = random_network(rng, sizes)
        X = rng.normal(0, 1, (n, sizes[0]))
        what = f"forward(X, weights, biases) for layer sizes {sizes} and X of shape {X.shape}"
        result = call_with_hint(forward, (X, weights, biases), "matmul", what, TRANSPOSE_HINT)
        activations, pre_activations = expect_values(result, what, "activations, pre_activations")
        L = len(weights)
        expect_list(
            activations, L + 1, "activations", f"{_names('A', L, 'X')}: X itself first, then the output of each layer"
        )
        expect_list(pre_activations, L, "pre_activations", f"{_names('Z', L)}, one Z per layer")
        mistakes = {hint: reference_forward(X, weights, biases, **switch) for hint, switch in FORWARD_MISTAKES.items()}
        mistakes["every layer adds its bias: Z = A @ weights[l] + biases[l]."] = reference_forward(
            X, weights, [np.zeros_like(b) for b in biases]
        )
        if sizes == [sizes[0]] * len(sizes):
            mistakes[TRANSPOSE_HINT] = reference_forward(X, [W.T for W in weights], biases)
        expected_A, expected_Z = reference_forward(X, weights, biases)
        expect_array(activations[0], X, f"activations[0] from {what}", otherwise="activations[0] is X itself.")
        for layer in range(L):
            in_place = {IN_PLACE_RELU_HINT: _relu(expected_Z[layer])} if layer < L - 1 else {}
            expect_array(
                pre_activations[layer],
                expected_Z[layer],
                f"pre_activations[{layer}] from {what}",
                known_mistakes={**{hint: Z[layer] for hint, (_, Z) in mistakes.items()}, **in_place},
            )
            output = softmax_axis_mistakes(expected_Z[layer]) if layer == L - 1 else {}
            expect_array(
                activations[layer + 1],
                expected_A[layer + 1],
                f"activations[{layer + 1}] from {what}",
                known_mistakes={**{hint: A[layer + 1] for hint, (A, _) in mistakes.items()}, **output},
            )
    return "activations and pre_activations are right for random networks of depth 1, 2 and 3."


# --- exercise 2: the cross-entropy loss -----------------------------------------------------


@exercise_check("cross_entropy")
def check_cross_entropy_loss(cross_entropy):
    """Exercise 2: ``cross_entropy(P, y)``, the mean over the rows of −log P[i, y[i]].

    On random probabilities the result must equal the formula; where a true class has
    probability exactly 0 the loss must be large but finite, with no warning, and exactly
    the formula's with that probability clipped to 1e-12.
    """
    rng = np.random.default_rng(302)
    for n, k in ((8, 3), (20, 10), (5, 4)):
        P, y = softmax(rng.normal(0, 2, (n, k))), rng.integers(0, k, n)
        expect_mean_loss(
            cross_entropy,
            (P, y),
            -np.log(P[np.arange(n), y]),
            f"cross_entropy(P, y) for {n} random rows of {k} probabilities",
            "−log p",
            {
                "take each row's probability of its own label, P[np.arange(n), y]; P[:, y] is an "
                "(n, n) array that pairs every row with every label.": -np.log(P[:, y]).mean(),
                "the loss looks only at the probability of each example's true class, "
                "P[np.arange(n), y], not at every entry of P.": -np.log(P).mean(),
            },
        )
    Y = np.eye(3)[[0, 2, 1, 1]]
    expect_extreme_losses(
        cross_entropy, (np.roll(Y, 1, axis=1), Y.argmax(axis=1)), (Y, Y.argmax(axis=1)), "cross_entropy(P, y)"
    )
    P, y = softmax(rng.normal(0, 2, (6, 4))), rng.integers(0, 4, 6)
    P[[1, 4], y[[1, 4]]] = 0.0
    expect_array(
        call(cross_entropy, P, y),
        _cross_entropy(P, y),
        "cross_entropy(P, y) for random P with probability exactly 0 for two of the 6 true classes",
        otherwise="clip each probability below at 1e-12, `np.maximum(p, 1e-12)`, and leave the others as they are.",
    )
    return "right on random probabilities of 4 sizes, and finite without warnings for p = 0 or 1."


# --- exercise 3: one layer backwards --------------------------------------------------------


SHAPES_HINT = (
    "check each product's shapes: dW = A_prev.T @ dZ has the shape of W, (n_in, n_out), and "
    "dA_prev = dZ @ W.T the shape of A_prev, (n, n_in)."
)


@exercise_check("layer_backward")
def check_layer_backward(layer_backward):
    """Exercise 3: ``layer_backward(dZ, A_prev, W) -> (dW, db, dA_prev)`` of one layer Z = A_prev @ W + b.

    dZ (n, n_out) is already divided by the batch size, so dW = A_prev.T @ dZ, db the sum
    of dZ over the examples and dA_prev = dZ @ W.T. Tried on a square layer first, where
    a missing transpose gives numbers instead of an error, then on two others.
    """
    rng = np.random.default_rng(303)
    for n, n_in, n_out in ((5, 4, 4), (6, 4, 3), (9, 2, 5)):
        dZ, A_prev = rng.normal(0, 1, (n, n_out)) / n, _relu(rng.normal(0, 1, (n, n_in)))
        W = rng.normal(0, 1, (n_in, n_out))
        what = f"layer_backward(dZ, A_prev, W) for dZ of shape {dZ.shape} and W of shape {W.shape}"
        result = call_with_hint(layer_backward, (dZ, A_prev, W), "matmul", what, SHAPES_HINT)
        expect_values(result, what, "dW, db, dA_prev")
        dW, db, dA_prev = _layer_gradients(dZ, A_prev, W)
        expect_array(
            result[0],
            dW,
            f"dW from {what}",
            known_mistakes={
                "dW = A_prev.T @ dZ has the shape of W, (n_in, n_out); dZ.T @ A_prev is its transpose.": dW.T,
                "dZ is already divided by the batch size: do not divide dW by n again.": dW / n,
            },
            otherwise=SHAPES_HINT,
        )
        expect_array(
            result[1],
            db,
            f"db from {what}",
            known_mistakes={
                "db is the sum of dZ over the examples: dZ is already divided by n, so the mean divides twice.": db / n,
                "sum over the examples, the rows (axis=0): db has one entry per neuron of the layer.": dZ.sum(axis=1),
                "db has the shape of the bias, (n_out,): sum without keepdims.": db[np.newaxis],
                "sum over the examples only (axis=0), not over the neurons too.": dZ.sum(),
            },
        )
        untransposed = {}
        if n_in == n_out:  # only then does dZ @ W run
            untransposed["dA_prev = dZ @ W.T: the gradient goes back through the transposed weights."] = dZ @ W
        untransposed[
            "layer_backward returns dA_prev as it is; the ReLU derivative of the layer below is applied in backward."
        ] = dA_prev * (A_prev > 0)
        expect_array(result[2], dA_prev, f"dA_prev from {what}", known_mistakes=untransposed, otherwise=SHAPES_HINT)
    return "dW, db and dA_prev are right for 3 random layers of different shapes."


# --- exercise 4: backpropagation through the whole network ------------------------------------


ONE_HOT_HINT = (
    "y holds the class numbers; dZ_L = (A_L − one_hot(y, k)) / n subtracts their one-hot rows, an "
    "array of shape (n, k)."
)


def _backward_mistakes(activations, pre_activations, weights, y):
    """Hint -> (weight_grads, bias_grads) that the mistake gives."""
    right_w, right_b = reference_backward(activations, pre_activations, weights, y)
    n = len(y)
    return {
        "the loss is the MEAN cross-entropy: divide dZ_L = A_L − one_hot(y, k) by the number of examples n.": (
            [n * g for g in right_w],
            [n * g for g in right_b],
        ),
        "each hidden layer multiplies by the ReLU derivative: dZ_l = dA * relu_derivative(Z_l).": reference_backward(
            activations, pre_activations, weights, y, slope=lambda Z: 1.0
        ),
        "return the gradients in layer order, weight_grads[0] for weights[0]: going down the layers, insert "
        "each at the front, or reverse the lists at the end.": (right_w[::-1], right_b[::-1]),
        "the sign is reversed: dZ_L = A_L − one_hot(y, k), the predictions minus the targets.": (
            [-g for g in right_w],
            [-g for g in right_b],
        ),
        ONE_HOT_HINT: reference_backward(activations, pre_activations, weights, y, targets=y[:, np.newaxis]),
        "relu'(0) is 0, as relu_derivative gives it: (Z > 0), not (Z >= 0).": reference_backward(
            activations, pre_activations, weights, y, slope=lambda Z: (Z >= 0).astype(float)
        ),
        "each db is the sum of dZ over the examples: dZ is already divided by n, so the mean divides twice.": (
            right_w,
            [g / n for g in right_b],
        ),
    }


@exercise_check("backward")
def check_backward(backward):
    """Exercise 4: ``backward(activations, pre_activations, weights, y) -> (weight_grads, bias_grads)``.

    The gradients of the mean cross-entropy, in layer order, on random networks of depth 1,
    2 and 3 whose activations come from this module's forward pass; one hidden Z is exactly
    0, where relu'(0) = 0. Taking the ReLU derivative of A instead of Z is accepted:
    relu'(A) = relu'(Z).
    """
    rng = np.random.default_rng(304)
    for n, sizes in ((7, [4, 3]), (9, [5, 6, 4]), (11, [3, 7, 5, 4])):
        weights, biases = random_network(rng, sizes)
        X, y = _random_examples(rng, sizes, n)
        X[0], biases[0][0] = 0.0, 0.0  # Z_1[0, 0] = 0 exactly, where relu'(0) = 0
        activations, pre_activations = reference_forward(X, weights, biases)
        what = f"backward(activations, pre_activations, weights, y) for layer sizes {sizes} and {n} examples" + (
            ", one hidden Z exactly 0" if len(sizes) > 2 else ""
        )
        result = call_with_hint(
            backward,
            (activations, pre_activations, weights, y),
            f"shapes ({n},{sizes[-1]}) ({n},)",
            what,
            ONE_HOT_HINT,
            advice="compute new arrays instead of changing them in place: `dZ = activations[-1]` is the same array, "
            "so `dZ -= ...` changes activations[-1]; write `dZ = activations[-1] - one_hot(y, k)`.",
        )
        weight_grads, bias_grads = expect_values(result, what, "weight_grads, bias_grads")
        L = len(weights)
        expect_list(weight_grads, L, "weight_grads", "one per layer in layer order, shaped like weights[l]")
        expect_list(bias_grads, L, "bias_grads", "one per layer in layer order, shaped like biases[l]")
        right_w, right_b = reference_backward(activations, pre_activations, weights, y)
        mistakes = _backward_mistakes(activations, pre_activations, weights, y)
        for layer in range(L):
            expect_array(
                weight_grads[layer],
                right_w[layer],
                f"weight_grads[{layer}] from {what}",
                known_mistakes={hint: w[layer] for hint, (w, _) in mistakes.items()},
            )
            expect_array(
                bias_grads[layer],
                right_b[layer],
                f"bias_grads[{layer}] from {what}",
                known_mistakes={hint: b[layer] for hint, (_, b) in mistakes.items()},
            )
    return "the gradients of all the weights and biases are right for random networks of depth 1, 2 and 3."


# --- exercise 5: the numerical gradient -----------------------------------------------------


class GradientProblem(NamedTuple):
    """A smooth function f() of an array x that it reads when called, with its right numerical gradient.

    Attributes
    ----------
    x : array, the point; f reads this very array, so numerical_gradient is given x itself
    f : function of no arguments
    eps : tuple, () for numerical_gradient's default step 1e-5, or (eps,)
    expected : array shaped like x, the central difference with that step (exact up to rounding)
    mistakes : dict, hint -> what a mistake that this function reveals gives
    """

    x: np.ndarray
    f: Callable[[], float]
    eps: tuple
    expected: np.ndarray
    mistakes: dict


def _quadratic_problem(rng):
    """A quadratic of a vector, whose central difference is exact whatever the step: a one-sided one shows."""
    x = rng.normal(0, 1, 3)
    c, d = rng.uniform(0.5, 2, 3), rng.normal(0, 1, 3)
    gradient = 2 * c * x + d
    one_sided = (
        "use the central difference (f_plus − f_minus) / (2 * eps), from x[i] + eps and x[i] − eps: the "
        "one-sided {} is off by about eps × f'' / 2."
    )
    mistakes = {
        one_sided.format("(f(x + eps) − f(x)) / eps"): gradient + c * 1e-5,
        one_sided.format("(f(x) − f(x − eps)) / eps"): gradient - c * 1e-5,
    }
    return GradientProblem(x, lambda: float(np.sum(c * x**2 + d * x)), (), gradient, mistakes)


def _cubic_problem(rng):
    """A cubic of a 2 x 4 array, whose central difference shows the step used."""
    x = rng.normal(0, 1, (2, 4))
    c = rng.uniform(0.5, 2, x.shape)

    def difference(eps):  # ((x + eps)³ − (x − eps)³) / (2 eps) = 3 x² + eps²
        return c * (3 * x**2 + eps**2) + 2 * np.sum(x)

    hard_coded = "use the eps you are given (its default is 1e-5), not a step of your own such as 1e-2."
    return GradientProblem(
        x, lambda: float(np.sum(c * x**3) + np.sum(x) ** 2), (), difference(1e-5), {hard_coded: difference(1e-2)}
    )


def _wave_problem(rng):
    """A smooth function of a 2 x 3 x 2 array, with eps=1e-2 given."""
    x = rng.normal(0, 1, (2, 3, 2))
    v = rng.normal(0, 1, x.shape)

    def difference(eps):  # (sin(x + eps) − sin(x − eps)) / (2 eps) = cos(x) sin(eps) / eps
        return np.cos(x) * np.sin(eps) / eps + 2 * np.sum(v * x) * v

    ignored = "use the eps you are given: the check passes eps=1e-2 and expects the difference with that step."
    return GradientProblem(
        x, lambda: float(np.sum(np.sin(x)) + np.sum(v * x) ** 2), (1e-2,), difference(1e-2), {ignored: difference(1e-5)}
    )


def _looping_mistakes(expected):
    """Hint -> the result of a mistake in the loop over the entries, for the right result `expected`."""
    first = np.zeros_like(expected)
    first.flat[0] = expected.flat[0]
    blocks = expected.sum(axis=tuple(range(1, expected.ndim)), keepdims=True)
    return {
        "divide by 2 * eps, the distance between x[i] − eps and x[i] + eps.": 2 * expected,
        "f reads x itself, so change the entries of x in place: an array made by x.flatten() or x + eps is a "
        "copy that f never sees.": np.zeros_like(expected),
        "only the first entry was computed: is the `return` inside the loop?": first,
        "for an array of 2 or more dimensions, x[i] is a whole row, not one entry: loop over every index with "
        "np.ndindex(x.shape) (or np.nditer with multi_index).": np.broadcast_to(blocks, expected.shape),
        "return an array shaped like x, e.g. grad = np.zeros_like(x), one entry per entry of x.": expected.ravel(),
    }


NUMERICAL_OTHERWISE = (
    "for each entry: old = x[i]; x[i] = old + eps; f_plus = f(); x[i] = old - eps; "
    "f_minus = f(); x[i] = old; grad[i] = (f_plus − f_minus) / (2 * eps)."
)


@exercise_check("numerical_gradient")
def check_numerical_gradient(numerical_gradient):
    """Exercise 5: ``numerical_gradient(f, x, eps=1e-5)``, the central difference for each entry of x.

    f takes no arguments and reads x, which numerical_gradient changes in place and must
    restore exactly. Tried on a quadratic of a vector (whose central difference is exact,
    so a one-sided difference shows), a cubic of a 2 x 4 array and a smooth function of a
    2 x 3 x 2 array with eps=1e-2 given.
    """
    rng = np.random.default_rng(305)
    for x, f, eps, expected, mistakes in (_quadratic_problem(rng), _cubic_problem(rng), _wave_problem(rng)):
        what = f"numerical_gradient(f, x{''.join(f', {e}' for e in eps)}) for x of shape {x.shape}"
        original = x.copy()
        got = call_with_hint(
            numerical_gradient,
            (f, x, *eps),
            "positional argument",
            what,
            "f takes no arguments: it reads the current values of x, so change x[i] in place, then call f().",
            may_change=(x,),
        )
        drift = float(np.max(np.abs(x - original)))
        expect_true(
            drift == 0.0,
            f"{what} left x changed (by up to {drift:.2g}). "
            + (
                "Adding eps and taking it away again does not always give back the same number: save the entry "
                "first, `old = x[i]`, and put it back with `x[i] = old`."
                if drift < 1e-12
                else "After computing f_plus and f_minus, put the entry back, `x[i] = old`: f reads x, so a changed x "
                "spoils the next entries, and the caller's array."
            ),
        )
        expect_array(
            got,
            expected,
            what,
            rtol=1e-8,
            atol=1e-7,
            known_mistakes={**mistakes, **_looping_mistakes(expected)},
            otherwise=NUMERICAL_OTHERWISE,
        )
    return "right to 1e-7 on smooth functions of arrays of 1, 2 and 3 dimensions; x is left exactly as it was."


# --- exercise 6: the relative error ---------------------------------------------------------


GUARD_HINT = (
    "where both entries are 0 the denominator is 0 too: divide by np.maximum(np.abs(a) + np.abs(n), "
    "1e-12), so that 0 / 0 never happens."
)


TINY_HINT = (
    "Here both gradients are tiny (about 1e-6) where they disagree most: the floor 1e-12 only prevents 0 / 0, and a "
    "larger one (or a larger number added to the denominator) hides that disagreement."
)


def _gradient_pair(rng, shape):
    """An analytic gradient and a numeric one that agrees with it to about 1e-4, entry by entry."""
    analytic = rng.uniform(0.5, 2, shape) * rng.choice([-1, 1], shape)
    return analytic, analytic * (1 + rng.normal(0, 1e-4, shape))


@exercise_check("relative_error")
def check_relative_error(relative_error):
    """Exercise 6: ``relative_error(analytic, numeric)``, the largest |a − n| / max(|a| + |n|, 1e-12).

    Tried on gradients of three shapes that nearly agree, with one entry planted in each:
    a numeric value larger than the analytic one, then one of the opposite sign, then
    entries where both are exactly 0 (which count as 0, with no warning) next to a tiny pair
    (1.5e-6 and 0.5e-6) that only a floor of about 2e-6 or less leaves its ratio, 0.5.
    """
    rng = np.random.default_rng(306)
    for shape, plant in (((6,), (1.0, 1.3)), ((3, 4), (0.8, -0.4)), ((2, 3, 2), (0.0, 0.0))):
        analytic, numeric = _gradient_pair(rng, shape)
        analytic.flat[[0, 5]], numeric.flat[[0, 5]] = plant[0], plant[1]
        tiny = not any(plant)
        if tiny:  # both nearly 0 where they disagree most, ratio 0.5: a floor above 2e-6 would shrink it
            analytic.flat[3], numeric.flat[3] = 1.5e-6, 0.5e-6
        difference, total = np.abs(analytic - numeric), np.abs(analytic) + np.abs(numeric)
        ratios = difference / np.maximum(total, CLIP)
        what = f"relative_error(analytic, numeric) for arrays of shape {shape}"
        got = call_without_warnings(relative_error, (analytic, numeric), what, GUARD_HINT)
        expect_array(
            got,
            ratios.max(),
            what,
            rtol=1e-5,  # lets a number up to about 2e-11 be added to the denominator instead of the floor
            known_mistakes={
                "the denominator is |a| + |n|, np.abs(a) + np.abs(n), not |a + n|: the two may have opposite "
                "signs.": np.max(difference / np.maximum(np.abs(analytic + numeric), CLIP)),
                "take the largest ratio, np.max, not the mean: one bad entry is what a gradient check must "
                "catch.": ratios.mean(),
                "the denominator is |a| + |n|, both gradients, not |a| alone.": np.max(
                    difference / np.maximum(np.abs(analytic), CLIP)
                ),
                "the numerator is the distance |a − n|, with np.abs.": np.max(
                    (analytic - numeric) / np.maximum(total, CLIP)
                ),
                "divide entry by entry, then take the largest ratio; not the largest difference by the largest "
                "sum.": difference.max() / total.max(),
                "return one number, the largest ratio, np.max(...).": ratios,
                "the denominator is |a| + |n| (their sum), not max(|a|, |n|).": np.max(
                    difference / np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), CLIP)
                ),
            },
            otherwise="the relative error is the largest of |a − n| / max(|a| + |n|, 1e-12), entry by entry."
            + (f" {TINY_HINT}" if tiny else ""),
        )
    return "right on nearly equal gradients of 3 shapes, with opposite signs and exact zeros, without warnings."


# --- exercise 7: one epoch of minibatch SGD -------------------------------------------------


SGD_OTHERWISE = (
    "sgd_epoch uses your forward, cross_entropy and backward: make their checks pass first. Then, for "
    "each batch of the order `rng.permutation(len(y))`, run forward, record the loss, run backward and "
    "step every weight and bias by −learning_rate × its gradient."
)


CUT_HINT = "cut the order into runs, order[start:start + batch_size] for start in range(0, len(y), batch_size)."


def _sgd_mistakes(batch_size, n):
    """Hint -> the arguments of :func:`reference_sgd_epoch` that replay the mistake."""
    return {
        "shuffle first, `order = rng.permutation(len(y))`, and take the batches in that order.": {
            "batches": _batches_in_order
        },
        "shuffle X and y together: take both with the same indices, X[idx] and y[idx].": {
            "batches": _batches_shuffling_X_only
        },
        "the rows of X and y were shuffled apart, each by its own permutation, so the examples lost their labels: "
        "use one permutation for both, `order = rng.permutation(len(y))`, then X[idx] and y[idx].": {
            "batches": _batches_shuffling_apart
        },
        f"np.array_split(order, k) cuts k batches of nearly equal size (here k = {-(-n // batch_size)}), not batches "
        f"of batch_size: {CUT_HINT}": {"batches": _batches_in_equal_parts(lambda n, size: -(-n // size))},
        f"np.array_split(order, len(y) // batch_size) cuts that many batches of nearly equal size (here "
        f"{n // batch_size}), not batches of batch_size: {CUT_HINT}": {
            "batches": _batches_in_equal_parts(lambda n, size: max(n // size, 1))
        },
        "step downhill, against the gradient: weights[l] -= learning_rate * weight_grads[l].": {"step": _ascend},
        "multiply each step by the learning rate.": {"learning_rate": 1.0},
        "the biases learn too: biases[l] -= learning_rate * bias_grads[l].": {"step": _descend_leaving_the_biases},
        "the caller's lists still hold the old weights: `W = W - learning_rate * dW` in a loop only gives the "
        "name W a new array. Change the arrays in place (`W -= ...`) or store the new ones (`weights[l] = ...`).": {
            "learning_rate": 0.0
        },
        "the last, smaller batch counts too: range(0, len(y), batch_size) reaches it, and "
        "order[start:start + batch_size] stops at the end of the data.": {"batches": _batches_dropping_the_last},
        "step after each batch of batch_size examples, not once on the whole data set.": {"batch_size": n},
    }


@exercise_check("sgd_epoch")
def check_sgd_epoch(sgd_epoch):
    """Exercise 7: ``sgd_epoch(weights, biases, X, y, batch_size, learning_rate, rng)``, one epoch in place.

    The student's function is given its own ``np.random.default_rng(seed)``; the epoch is
    replayed here from the same seed, on a 2-layer network and a 3-layer one with batch
    sizes that do not divide the number of examples (and give other batches than cutting
    the data into equal parts), then on a 2-layer one with a batch larger than the data.
    """
    rng = np.random.default_rng(307)
    for sizes, n, batch_size, learning_rate, seed in (
        ([4, 6, 3], 20, 8, 0.5, 11),  # batches of 8, 8, 4; three equal parts would be 7, 7, 6
        ([5, 7, 4, 3], 23, 5, 0.3, 12),  # 5, 5, 5, 5, 3; five equal parts would be 5, 5, 5, 4, 4
        ([4, 6, 3], 7, 10, 0.5, 13),  # one batch of all 7
    ):
        weights, biases = random_network(rng, sizes)
        X, y = _random_examples(rng, sizes, n)
        weights_given, biases_given = [W.copy() for W in weights], [b.copy() for b in biases]
        setting = (
            f"sgd_epoch(weights, biases, X, y, batch_size={batch_size}, learning_rate={learning_rate}, rng) "
            f"for layer sizes {sizes} and {n} examples"
        )
        loss = call(
            sgd_epoch,
            weights_given,
            biases_given,
            X,
            y,
            batch_size,
            learning_rate,
            np.random.default_rng(seed),
            may_change=(weights_given, biases_given),
            advice="take each batch as new arrays, X[idx] and y[idx], instead of shuffling the data in place.",
        )
        replay = {
            "weights": weights,
            "biases": biases,
            "X": X,
            "y": y,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "seed": seed,
        }
        right_w, right_b, losses = reference_sgd_epoch(**replay)
        mistakes = {
            hint: reference_sgd_epoch(**{**replay, **switch}) for hint, switch in _sgd_mistakes(batch_size, n).items()
        }
        for name, given, right, part in (("weights", weights_given, right_w, 0), ("biases", biases_given, right_b, 1)):
            expect_list(given, len(right), f"{name} after sgd_epoch", "the same list, holding the new arrays")
            for layer, expected in enumerate(right):
                expect_array(
                    given[layer],
                    expected,
                    f"{name}[{layer}] after {setting}",
                    known_mistakes={hint: wrong[part][layer] for hint, wrong in mistakes.items()},
                    otherwise=SGD_OTHERWISE,
                )
        expect_array(
            loss,
            np.mean(losses),
            f"the loss from {setting}",
            known_mistakes={
                "return the mean of the batch losses, not the loss of the last batch.": losses[-1],
                "return one number, the mean of the batch losses.": losses,
                "average the batch losses: divide their sum by the number of batches.": np.sum(losses),
                "average the losses of the batches, each counting once, even the smaller last one.": np.average(
                    losses, weights=[min(batch_size, n - start) for start in range(0, n, batch_size)]
                ),
            },
        )
    return "the weights, biases and loss after one epoch are right for a 2-layer and a 3-layer network."


# --- exercise 8: counting parameters --------------------------------------------------------


@exercise_check("count_parameters")
def check_count_parameters(count_parameters):
    """Exercise 8: ``count_parameters(layer_sizes)``, the sum over the layers of (n_in + 1) × n_out.

    Tried on the lecture's MNIST network [784, 128, 64, 10] (109,386 parameters), then on
    random lists of 2 to 5 layer sizes from 1 to 800.
    """
    rng = np.random.default_rng(308)
    for sizes in ([784, 128, 64, 10], *(rng.integers(1, 801, length).tolist() for length in (3, 5, 2, 4))):
        pairs = list(zip(sizes, sizes[1:]))
        expect_array(
            call(count_parameters, list(sizes)),
            sum((n_in + 1) * n_out for n_in, n_out in pairs),
            f"count_parameters({sizes})",
            known_mistakes={
                "each neuron has a bias too: a layer has (n_in + 1) × n_out parameters.": sum(
                    n_in * n_out for n_in, n_out in pairs
                ),
                "a layer has one bias per neuron, its outputs: (n_in + 1) × n_out, not n_in × (n_out + 1).": sum(
                    n_in * (n_out + 1) for n_in, n_out in pairs
                ),
                "every neuron has its own bias, n_out of them per layer, not one per layer.": sum(
                    n_in * n_out + 1 for n_in, n_out in pairs
                ),
                "count the parameters (the weights and biases), not the neurons.": sum(sizes),
                "count the parameters, (n_in + 1) × n_out per layer, not the neurons that have them.": sum(sizes[1:]),
                "add up every layer, not only the first.": (sizes[0] + 1) * sizes[1],
                "each pair of neighbouring sizes is one layer: zip(layer_sizes, layer_sizes[1:]) gives them all.": sum(
                    (n_in + 1) * n_out for n_in, n_out in pairs[:-1]
                ),
                "each pair of neighbouring sizes is one layer, the first one too: zip(layer_sizes, "
                "layer_sizes[1:]).": sum((n_in + 1) * n_out for n_in, n_out in pairs[1:]),
            },
        )
    return "right for the lecture's network [784, 128, 64, 10] and for 4 random ones of 1 to 4 layers."

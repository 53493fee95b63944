"""The checks of notebook 03 meet the contract of tests/check_harness.py.

Each table maps a mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import itertools

import numpy as np
import pytest

from course_utils import checks_backprop as checks
from tests.check_harness import Exercise, contract
from tests.solutions import (
    backward,
    backward_with,
    batches_of,
    count_parameters,
    cross_entropy,
    cross_entropy_with,
    forward,
    forward_with,
    layer_backward,
    numerical_gradient,
    numerical_with,
    one_hot,
    relative_error,
    relative_error_with,
    relu,
    relu_derivative,
    sgd_epoch,
    sgd_with,
    softmax,
    step_in_place,
)

# --- exercise 1: forward ----------------------------------------------------------------------

WRONG_FORWARD = {
    "bias missing": (forward_with(bias=0.0), "every layer adds its bias"),
    "ReLU on the output layer": (forward_with(output=relu), "ReLU is for the hidden layers only"),
    "softmax missing": (forward_with(output=lambda Z: Z), "the output layer applies softmax"),
    "softmax over the columns": (
        forward_with(output=lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0)),
        "not over the columns",
    ),
    "linear hidden layers": (forward_with(hidden=lambda Z: Z), "the whole network is linear"),
    "softmax in the hidden layers": (forward_with(hidden=softmax), "softmax is for the output layer only"),
    "weights transposed": (forward_with(product=lambda A, W: A @ W.T), "with no transpose"),
    "product in the wrong order": (forward_with(product=lambda A, W: W @ A), "with no transpose"),
    "X left out of activations": (forward_with(keep_X=False), "X itself first"),
    "ReLU in place on Z": (forward_with(hidden=lambda Z: np.maximum(Z, 0, out=Z)), "keep each Z as it was before"),
    "softmax shifted by each column's maximum": (
        forward_with(output=lambda Z: softmax(Z - Z.max(axis=0))),
        "subtract each row's own maximum",
    ),
    "softmax summed over the columns": (
        forward_with(
            output=lambda Z: (
                np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=0)
            )
        ),
        "the sum runs over the wrong axis",
    ),
    "activations only": (
        lambda X, weights, biases: forward(X, weights, biases)[0],
        "should return two values, `return activations, pre_activations`",
    ),
}


# --- exercise 2: cross-entropy -----------------------------------------------------------------

WRONG_CROSS_ENTROPY = {
    "sum instead of mean": (cross_entropy_with(reduce=np.sum), "do not sum them"),
    "minus sign missing": (cross_entropy_with(sign=1.0), "with a minus sign"),
    "P[:, y]": (cross_entropy_with(pick=lambda P, y: P[:, y]), "P[:, y] is an (n, n) array"),
    "log10": (cross_entropy_with(log=np.log10), "not np.log10"),
    "no clipping": (cross_entropy_with(clip=lambda p: p), "clip the probabilities"),
    "clipped too widely": (cross_entropy_with(clip=lambda p: np.clip(p, 1e-3, None)), "not to a wider range"),
    "clipped at 1e-7": (cross_entropy_with(clip=lambda p: np.clip(p, 1e-7, None)), "below at 1e-12"),
    "-log of every entry": (cross_entropy_with(pick=lambda P, y: P), "not at every entry of P"),
    "losses per example": (cross_entropy_with(reduce=lambda losses: losses), "return one number"),
}


def test_cross_entropy_accepts_one_hot_rows_and_a_small_number_inside_the_logarithm():
    def with_one_hot(P, y):
        return -np.mean(np.sum(one_hot(y, P.shape[1]) * np.log(P + 1e-12), axis=1))

    assert checks.check_cross_entropy_loss(with_one_hot, verbose=False)


# --- exercise 3: one layer backwards -----------------------------------------------------------


def changed(part, change):
    """layer_backward with its result number `part` (0: dW, 1: db, 2: dA_prev) replaced by `change(dZ, A_prev, W)`."""

    def wrong(dZ, A_prev, W):
        result = list(layer_backward(dZ, A_prev, W))
        result[part] = change(dZ, A_prev, W)
        return tuple(result)

    return wrong


def layer_backward_with_relu(dZ, A_prev, W):
    return A_prev.T @ dZ, dZ.sum(axis=0), (dZ @ W.T) * (A_prev > 0)


WRONG_LAYER_BACKWARD = {
    "db as a mean": (changed(1, lambda dZ, A, W: dZ.mean(axis=0)), "the mean divides twice"),
    "db over the wrong axis": (changed(1, lambda dZ, A, W: dZ.sum(axis=1)), "one entry per neuron"),
    "db with keepdims": (changed(1, lambda dZ, A, W: dZ.sum(axis=0, keepdims=True)), "sum without keepdims"),
    "db summed over everything": (changed(1, lambda dZ, A, W: dZ.sum()), "not over the neurons too"),
    "dW transposed": (changed(0, lambda dZ, A, W: dZ.T @ A), "is its transpose"),
    "dW divided by n again": (changed(0, lambda dZ, A, W: A.T @ dZ / len(dZ)), "do not divide dW by n again"),
    "dA_prev without the transpose": (changed(2, lambda dZ, A, W: dZ @ W), "through the transposed weights"),
    "dA_prev in the wrong order": (changed(2, lambda dZ, A, W: W @ dZ.T), "check each product's shapes"),
    "dW and db only": (
        lambda dZ, A, W: layer_backward(dZ, A, W)[:2],
        "should return three values, `return dW, db, dA_prev`",
    ),
    "ReLU derivative applied inside": (layer_backward_with_relu, "applied in backward"),
}


# --- exercise 4: backward ----------------------------------------------------------------------


def backward_changing_the_output(activations, pre_activations, weights, y):
    dZ = activations[-1]
    dZ -= one_hot(y, dZ.shape[1])
    return backward_with(targets=lambda y, k: 0.0)(activations, pre_activations, weights, y)


WRONG_BACKWARD = {
    "not divided by n": (backward_with(divide=False), "divide dZ_L = A_L − one_hot(y, k) by the number"),
    "ReLU derivative missing": (backward_with(slope=lambda Z, A: 1.0), "multiplies by the ReLU derivative"),
    "output layer first": (backward_with(layer_order=False), "return the gradients in layer order"),
    "sign reversed": (backward_with(sign=-1.0), "the sign is reversed"),
    "A - y": (backward_with(targets=lambda y, k: y), "subtracts their one-hot rows"),
    "A - y as a column": (backward_with(targets=lambda y, k: y[:, np.newaxis]), "subtracts their one-hot rows"),
    "db as a mean": (backward_with(layer=changed(1, lambda dZ, A, W: dZ.mean(axis=0))), "the mean divides twice"),
    "changes activations[-1]": (backward_changing_the_output, "changed the `activations` it was given"),
    "gradients in one list": (lambda *args: sum(backward(*args), []), "weight_grads should be a list"),
    "relu'(0) taken as 1": (backward_with(slope=lambda Z, A: (Z >= 0).astype(float)), "not (Z >= 0)"),
    "relu'(0) by np.heaviside": (backward_with(slope=lambda Z, A: np.heaviside(Z, 1.0)), "not (Z >= 0)"),
}


def test_backward_accepts_the_relu_derivative_taken_of_the_activation():
    # relu'(A) = relu'(Z), because A = relu(Z) is positive exactly where Z is
    assert checks.check_backward(backward_with(slope=lambda Z, A: relu_derivative(A)), verbose=False)


# --- exercise 5: numerical gradient ------------------------------------------------------------


def rows(shape):
    return range(shape[0])


def numerical_stepping_on(flat_of):
    """Steps each entry of `flat_of(x)` up by eps, down by 2 eps, and up by eps again to restore it."""

    def numerical_gradient(f, x, eps=1e-5):
        flat, grad = flat_of(x), np.zeros(x.size)
        for i in range(x.size):
            flat[i] += eps
            f_plus = f()
            flat[i] -= 2 * eps
            f_minus = f()
            flat[i] += eps
            grad[i] = (f_plus - f_minus) / (2 * eps)
        return grad.reshape(x.shape)

    return numerical_gradient


def numerical_passing_x(f, x, eps=1e-5):
    return numerical_with()(lambda: f(x), x, eps)


WRONG_NUMERICAL = {
    "forward difference": (numerical_with(low=0.0, width=1.0), "(f(x + eps) − f(x)) / eps"),
    "backward difference": (numerical_with(high=0.0, width=1.0), "(f(x) − f(x − eps)) / eps"),
    "divided by eps": (numerical_with(width=1.0), "divide by 2 * eps"),
    "x not restored": (numerical_with(restore=False), "put the entry back"),
    "restored by adding eps back": (numerical_stepping_on(lambda x: x.reshape(-1)), "`old = x[i]`"),
    "loops over rows": (numerical_with(entries=rows), "x[i] is a whole row"),
    "works on a flat copy": (numerical_stepping_on(np.ndarray.flatten), "a copy that f never sees"),
    "hard-coded step": (numerical_with(step=lambda eps: 1e-2), "not a step of your own"),
    "eps ignored": (numerical_with(step=lambda eps: 1e-5), "the check passes eps=1e-2"),
    "return inside the loop": (
        numerical_with(entries=lambda shape: itertools.islice(np.ndindex(shape), 1)),
        "is the `return` inside the loop?",
    ),
    "flat result": (lambda f, x, eps=1e-5: numerical_gradient(f, x, eps).ravel(), "return an array shaped like x"),
    "f called with x": (numerical_passing_x, "f takes no arguments"),
}


def test_numerical_gradient_accepts_writing_through_nditer():
    def with_nditer(f, x, eps=1e-5):
        grad = np.zeros(x.size)
        for i, entry in enumerate(np.nditer(x, op_flags=["readwrite"])):
            old = entry.copy()
            entry[...] = old + eps
            f_plus = f()
            entry[...] = old - eps
            grad[i] = (f_plus - f()) / (2 * eps)
            entry[...] = old
        return grad.reshape(x.shape)

    assert checks.check_numerical_gradient(with_nditer, verbose=False)


# --- exercise 6: relative error ----------------------------------------------------------------


def unguarded_and_silenced(a, n):
    with np.errstate(invalid="ignore"):
        return relative_error_with(guard=lambda d: d)(a, n)


def relative_error_cs231n(a, n):
    return float(np.max(np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-12)))


WRONG_RELATIVE_ERROR = {
    "|a + n| below": (relative_error_with(denominator=lambda a, n: np.abs(a + n)), "not |a + n|"),
    "mean instead of max": (relative_error_with(reduce=np.mean), "not the mean"),
    "|a| alone below": (relative_error_with(denominator=lambda a, n: np.abs(a)), "not |a| alone"),
    "no guard": (relative_error_with(guard=lambda d: d), "so that 0 / 0 never happens"),
    "no guard, warnings off": (unguarded_and_silenced, "contains NaN"),
    "ratio per entry": (relative_error_with(reduce=lambda ratios: ratios), "return one number"),
    "signed numerator": (relative_error_with(numerator=lambda a, n: a - n), "with np.abs"),
    "largest difference by the largest sum": (
        lambda a, n: np.max(np.abs(a - n)) / np.max(np.abs(a) + np.abs(n)),
        "divide entry by entry",
    ),
    "max(|a|, |n|) below": (relative_error_cs231n, "not max(|a|, |n|)"),
    "floor of 1e-5": (relative_error_with(guard=lambda d: np.maximum(d, 1e-5)), "the floor 1e-12 only prevents 0 / 0"),
    "1e-8 added below": (relative_error_with(guard=lambda d: d + 1e-8), "a larger number added to the denominator"),
}


def test_relative_error_accepts_a_small_number_added_below():
    assert checks.check_relative_error(relative_error_with(guard=lambda d: d + 1e-12), verbose=False)


@pytest.mark.parametrize("floor", [1e-15, 1e-10, 1e-8])
def test_relative_error_accepts_a_reasonable_floor(floor):
    assert checks.check_relative_error(relative_error_with(guard=lambda d: np.maximum(d, floor)), verbose=False)


# --- exercise 7: one epoch of SGD --------------------------------------------------------------


def step_rebinding(weights, biases, weight_grads, bias_grads, learning_rate):
    for W, b, dW, db in zip(weights, biases, weight_grads, bias_grads):
        W = W - learning_rate * dW
        b = b - learning_rate * db


def step_replacing_items(weights, biases, weight_grads, bias_grads, learning_rate):
    for l in range(len(weights)):
        weights[l] = weights[l] - learning_rate * weight_grads[l]
        biases[l] = biases[l] - learning_rate * bias_grads[l]


def step_with(scale=1.0, biases_learn=True):
    def step(weights, biases, weight_grads, bias_grads, learning_rate):
        step_in_place(weights, biases, weight_grads, [db * biases_learn for db in bias_grads], scale * learning_rate)

    return step


def sgd_shuffling_X_only(weights, biases, X, y, batch_size, learning_rate, rng):
    X_shuffled = X[rng.permutation(len(y))]
    return sgd_with(shuffle=lambda rng, n: np.arange(n))(weights, biases, X_shuffled, y, batch_size, learning_rate, rng)


def sgd_shuffling_the_callers_data(weights, biases, X, y, batch_size, learning_rate, rng):
    order = rng.permutation(len(y))
    X[:], y[:] = X[order], y[order]
    return sgd_with(shuffle=lambda rng, n: np.arange(n))(weights, biases, X, y, batch_size, learning_rate, rng)


def sgd_shuffling_apart(weights, biases, X, y, batch_size, learning_rate, rng):
    X, y = X[rng.permutation(len(y))], y[rng.permutation(len(y))]
    return sgd_with(shuffle=lambda rng, n: np.arange(n))(weights, biases, X, y, batch_size, learning_rate, rng)


def sgd_weighting_the_loss_by_batch_size(weights, biases, X, y, batch_size, learning_rate, rng):
    order, losses, sizes = rng.permutation(len(y)), [], []
    for idx in batches_of(order, batch_size):
        activations, pre_activations = forward(X[idx], weights, biases)
        losses.append(cross_entropy(activations[-1], y[idx]))
        sizes.append(len(idx))
        step_in_place(weights, biases, *backward(activations, pre_activations, weights, y[idx]), learning_rate)
    return float(np.average(losses, weights=sizes))


WRONG_SGD = {
    "no shuffling": (sgd_with(shuffle=lambda rng, n: np.arange(n)), "shuffle first"),
    "a generator of its own": (
        sgd_with(shuffle=lambda rng, n: np.random.default_rng(0).permutation(n)),
        "sgd_epoch uses your forward, cross_entropy and backward",
    ),
    "labels not shuffled": (sgd_shuffling_X_only, "shuffle X and y together"),
    "gradient ascent": (sgd_with(step=step_with(scale=-1.0)), "step downhill"),
    "learning rate forgotten": (
        sgd_with(step=lambda w, b, dw, db, lr: step_in_place(w, b, dw, db, 1.0)),
        "multiply each step by the learning rate",
    ),
    "biases not updated": (sgd_with(step=step_with(biases_learn=False)), "the biases learn too"),
    "loop variable rebound": (sgd_with(step=step_rebinding), "only gives the name W a new array"),
    "last batch's loss": (sgd_with(reduce=lambda losses: losses[-1]), "not the loss of the last batch"),
    "all batch losses": (sgd_with(reduce=np.array), "return one number"),
    "summed losses": (sgd_with(reduce=np.sum), "divide their sum by the number of batches"),
    "one full batch": (sgd_with(batches=lambda order, size: [order]), "not once on the whole data set"),
    "last batch dropped": (
        sgd_with(batches=lambda order, size: batches_of(order[: len(order) // size * size], size)),
        "the last, smaller batch counts too",
    ),
    "a wrong backward": (sgd_with(gradients=backward_with(divide=False)), "make their checks pass first"),
    "shuffles the caller's data": (
        sgd_shuffling_the_callers_data,
        "changed the `X` it was given; take each batch as new arrays",
    ),
    "loss weighted by batch size": (sgd_weighting_the_loss_by_batch_size, "each counting once"),
    "X and y shuffled apart": (sgd_shuffling_apart, "the rows of X and y were shuffled apart"),
    "batches by np.array_split into ceil(n / batch_size) parts": (
        sgd_with(batches=lambda order, size: np.array_split(order, -(-len(order) // size))),
        "cuts k batches of nearly equal size (here k = 3)",
    ),
    "batches by np.array_split into n // batch_size parts": (
        sgd_with(batches=lambda order, size: np.array_split(order, len(order) // size)),
        "np.array_split(order, len(y) // batch_size)",
    ),
}


def test_sgd_epoch_accepts_new_arrays_stored_in_the_lists():
    assert checks.check_sgd_epoch(sgd_with(step=step_replacing_items), verbose=False)


# --- exercise 8: counting parameters -----------------------------------------------------------


def count_with(per_layer=lambda n_in, n_out: (n_in + 1) * n_out, layers=lambda sizes: zip(sizes, sizes[1:])):
    return lambda layer_sizes: sum(per_layer(n_in, n_out) for n_in, n_out in layers(layer_sizes))


WRONG_COUNT = {
    "biases forgotten": (count_with(per_layer=lambda n_in, n_out: n_in * n_out), "each neuron has a bias too"),
    "one bias per input": (count_with(per_layer=lambda n_in, n_out: n_in * (n_out + 1)), "not n_in × (n_out + 1)"),
    "one bias per layer": (count_with(per_layer=lambda n_in, n_out: n_in * n_out + 1), "not one per layer"),
    "neurons counted": (sum, "not the neurons"),
    "neurons after the input counted": (lambda sizes: sum(sizes[1:]), "not the neurons that have them"),
    "first layer only": (lambda sizes: (sizes[0] + 1) * sizes[1], "not only the first"),
    "last layer left out": (count_with(layers=lambda sizes: zip(sizes[:-2], sizes[1:-1])), "gives them all"),
    "first layer left out": (count_with(layers=lambda sizes: zip(sizes[1:], sizes[2:])), "the first one too"),
}


def test_count_parameters_knows_the_lectures_network():
    assert count_parameters([784, 128, 64, 10]) == 109386


# --- all checks --------------------------------------------------------------------------------

TestContract = contract(
    [
        Exercise(checks.check_forward, forward, WRONG_FORWARD),
        Exercise(checks.check_cross_entropy_loss, cross_entropy, WRONG_CROSS_ENTROPY),
        Exercise(checks.check_layer_backward, layer_backward, WRONG_LAYER_BACKWARD),
        Exercise(checks.check_backward, backward, WRONG_BACKWARD),
        Exercise(checks.check_numerical_gradient, numerical_gradient, WRONG_NUMERICAL),
        Exercise(checks.check_relative_error, relative_error, WRONG_RELATIVE_ERROR),
        Exercise(checks.check_sgd_epoch, sgd_epoch, WRONG_SGD),
        Exercise(checks.check_count_parameters, count_parameters, WRONG_COUNT),
    ]
)

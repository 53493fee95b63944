"""The decks' computations, test data and expectations that several exercise checks share.

Weights follow the lectures' convention: ``weights[0]`` is the bias and ``weights[1:]`` the
weights of the inputs; labels of the perceptron and ADALINE are 1 and -1.
"""

import numpy as np

from course_utils.checking import call, expect_array


def phi(z):
    """The threshold activation φ: 1 where z ≥ 0, else -1, element by element (same shape as `z`)."""
    return np.where(np.asarray(z) >= 0, 1, -1)


def identity(z):
    """ADALINE's activation: z itself."""
    return z


def net_input(weights, X):
    """z = X w[1:] + w[0] for X of shape (n, m) (or one example of shape (m,)); weights of shape (1 + m,)."""
    return X @ weights[1:] + weights[0]


def softmax(z):
    """Softmax over the last axis (each row of a 2-D array), safe from overflow; same shape as `z`."""
    exponentials = np.exp(z - z.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def initial_weights(rgen, m):
    """The lectures' first weights, ``rgen.normal(0, 0.01, 1 + m)``, drawn as their classes draw them.

    Parameters
    ----------
    rgen : numpy.random.RandomState
        The model's generator, ``np.random.RandomState(random_state)``; SGD goes on drawing
        its shuffles from it.
    m : int
        The number of inputs.

    Returns
    -------
    array of shape (1 + m,)
    """
    return rgen.normal(loc=0.0, scale=0.01, size=1 + m)


def separable_data(rng, n=40, m=3, margin=0.3):
    """Random points labelled by a random hyperplane, none closer to it than `margin`.

    Returns
    -------
    X : array of shape (n, m)
    y : array of int, shape (n,), values -1 and 1
    """
    normal = rng.normal(size=m)
    normal /= np.linalg.norm(normal)
    offset = rng.normal(0, 0.5)
    X = []
    while len(X) < n:
        x = rng.normal(0, 2, m)
        if abs(x @ normal + offset) >= margin:
            X.append(x)
    X = np.array(X)
    return X, np.where(X @ normal + offset >= 0, 1, -1)


def expect_mean_loss(loss, args, losses, what, formula, more_mistakes=None):
    """The student's `loss` must give the mean of the per-example `losses`; a verdict names common mistakes.

    Parameters
    ----------
    loss : the student's loss function
    args : tuple
        Its arguments.
    losses : array of shape (n,)
        The right loss of each example.
    what : str
        How it was called, for the verdict.
    formula : str
        The loss of one example as the exercise writes it, e.g. ``"−log p"``.
    more_mistakes : dict of str -> float, optional
        Hint -> result, for the mistakes of this loss in particular.
    """
    right = losses.mean()
    mistakes = {
        f"the loss is {formula}, with a minus sign: it is positive.": -right,
        "average the losses over the examples (np.mean), do not sum them.": losses.sum(),
        "use the natural logarithm, np.log, not np.log10.": right / np.log(10),
        "return one number, the mean over the examples.": losses,
        **(more_mistakes or {}),
    }
    expect_array(call(loss, *args), right, what, known_mistakes=mistakes)


# At z = 0 the threshold gives 1: the start of the hint of every check that tries that boundary.
ZERO_HINT = "at z = 0 the neuron predicts 1, as φ(0) = 1:"


def expect_predict_on_the_line(model, m):
    """A fitted `model` with `m` inputs, given weights_ = [-1, 1, ..., 1], must predict 1 where z = 0 exactly.

    The points are the unit vectors, on the line, and half of each, below it; weights_ is
    left set to these weights.
    """
    model.weights_ = np.r_[-1.0, np.ones(m)]
    points = np.vstack([np.eye(m), np.eye(m) / 2])  # z = 0 on the first m rows, z = -0.5 on the others
    z = net_input(model.weights_, points)
    expect_array(
        call(model.predict, points),
        phi(z),
        f"predict with weights_ = {model.weights_.tolist()} on {2 * m} points, {m} of them exactly on the line z = 0",
        known_mistakes={
            f"{ZERO_HINT} predict with z >= 0, not z > 0.": np.where(z > 0, 1, -1),
            f"{ZERO_HINT} np.sign(0) is 0; predict with np.where(z >= 0, 1, -1).": np.sign(z),
        },
    )


def softmax_axis_mistakes(Z):
    """Hint -> what softmax gives for the 2-D `Z` (one example per row) when one of its steps takes the wrong axis."""
    by_column_maximum = np.exp(Z - Z.max(axis=0))
    by_row_maximum = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return {
        "subtract each row's own maximum, `z.max(axis=-1, keepdims=True)`: the maximum of each column (axis=0) "
        "shifts the scores of one example by different amounts.": by_column_maximum
        / by_column_maximum.sum(axis=-1, keepdims=True),
        "the sum runs over the wrong axis: axis=0 adds up each column, but each row (one example) must add up "
        "to 1: sum with axis=-1 and keepdims=True.": by_row_maximum / by_row_maximum.sum(axis=0),
    }

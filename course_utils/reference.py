"""The decks' computations and test data that several exercise checks compare with.

Weights follow the lectures' convention: ``weights[0]`` is the bias and ``weights[1:]`` the
weights of the inputs; labels of the perceptron and ADALINE are 1 and -1.
"""

import numpy as np


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

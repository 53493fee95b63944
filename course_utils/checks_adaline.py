"""Checks for the exercises of notebook 02 (ADALINE, cost functions, gradient descent).

Weights are kept as in notebook 01: ``weights[0]`` is the bias, ``weights[1:]`` the weights
of the inputs. ADALINE's labels are 1 and -1, its activation is the identity, and its cost
is half the sum of squared errors, J(w) = ½ Σ (y − z)² with z = X w[1:] + w[0], whose
gradient is −[Σ (y − z), Xᵀ (y − z)].

Every check tries the student's code on random data from a fixed seed, in several shapes,
and compares it with the lecture's computation written out here. A wrong result is compared
with what each common mistake would have given, so that the verdict can name the mistake.
"""

import numpy as np

from course_utils import reference
from course_utils.checking import (
    call,
    call_returning_self,
    call_with_hint,
    call_without_warnings,
    describe,
    exercise_check,
    expect_array,
    expect_extreme_losses,
    expect_true,
    expect_values,
    fitted_attribute,
)
from course_utils.reference import (
    expect_mean_loss,
    expect_predict_on_the_line,
    identity,
    initial_weights,
    net_input,
    phi,
    separable_data,
    softmax_axis_mistakes,
)


def _cost_gradient(weights, X, y, activation=identity):
    """ADALINE's cost ½ Σ errors² and its gradient, with errors = y − activation(z).

    Returns
    -------
    cost : float
    gradient : array of shape (1 + m,), the bias's component first
    """
    errors = y - activation(net_input(weights, X))
    return 0.5 * float(errors @ errors), -np.r_[errors.sum(), X.T @ errors]


def _random_problem(rng, n, m):
    """Weights, inputs and ±1 labels for one call of an exercise on the cost.

    Returns
    -------
    weights : array of shape (1 + m,)
    X : array of shape (n, m)
    y : array of int, shape (n,)
    """
    return rng.normal(0, 0.5, 1 + m), rng.normal(0, 1.5, (n, m)), rng.choice([-1, 1], n)


THRESHOLD_HINT = (
    "ADALINE learns from the net input z itself (its activation is the identity), not from "
    "the thresholded prediction φ(z): that is the perceptron."
)


# --- exercise 1 ---------------------------------------------------------------------------


@exercise_check("adaline_cost_gradient")
def check_adaline_cost_gradient(adaline_cost_gradient):
    """Exercise 1: ``adaline_cost_gradient(weights, X, y) -> (cost, gradient)``.

    The cost is ½ Σ (y − z)², a float; the gradient has shape (1 + m,), the bias's
    component −Σ (y − z) first, then −Xᵀ (y − z).
    """
    rng = np.random.default_rng(201)
    for n, m in ((12, 2), (30, 3), (7, 5)):
        weights, X, y = _random_problem(rng, n, m)
        what = f"adaline_cost_gradient(weights, X, y) for X of shape {X.shape}"
        result = call(adaline_cost_gradient, weights, X, y, advice="compute with them, but leave the array unchanged.")
        cost, gradient = expect_values(result, what, "cost, gradient")
        expect_true(
            not (np.ndim(cost) == 1 and np.ndim(gradient) == 0),
            f"{what} returned the gradient first; return them in the order `return cost, gradient`.",
        )
        right_cost, right_gradient = _cost_gradient(weights, X, y)
        thresholded_cost, thresholded_gradient = _cost_gradient(weights, X, y, phi)
        expect_array(
            cost,
            right_cost,
            f"the cost from {what}",
            known_mistakes={
                "you left out the ½: J = ½ Σ (y − z)² (the ½ cancels the 2 of the square in the gradient).": 2
                * right_cost,
                "sum the squared errors over the examples instead of averaging them.": right_cost / n,
                "that is the mean squared error; the cost is ½ Σ (y − z)², a sum, halved.": 2 * right_cost / n,
                THRESHOLD_HINT: thresholded_cost,
            },
        )
        expect_array(
            gradient,
            right_gradient,
            f"the gradient from {what}",
            known_mistakes={
                "the sign is reversed: the gradient is −Σ (y − z) x, minus the errors times the "
                "inputs.": -right_gradient,
                "the gradient needs one component per weight, the bias's first: −Σ (y − z), as if its input "
                "were always 1.": right_gradient[1:],
                "the bias's component gradient[0] is −Σ (y − z), the errors summed, not 0.": np.r_[
                    0.0, right_gradient[1:]
                ],
                "sum over the examples instead of averaging.": right_gradient / n,
                "the ½ of the cost cancels the 2 of the square: the gradient is −Σ (y − z) x, without a factor 2.": 2
                * right_gradient,
                THRESHOLD_HINT: thresholded_gradient,
            },
            otherwise="the gradient is [−Σ (y − z), −Xᵀ (y − z)]: the bias's component, then one per weight.",
        )
    return "cost and gradient are right on 3 random data sets of different shapes."


# --- exercise 2 ---------------------------------------------------------------------------


@exercise_check("gradient_descent_step")
def check_gradient_descent_step(gradient_descent_step):
    """Exercise 2: ``gradient_descent_step(weights, X, y, eta)``, the new weights w − η ∇J(w)."""
    rng = np.random.default_rng(202)
    for (n, m), eta in zip(((15, 2), (40, 3), (9, 4)), (0.01, 0.001, 0.05)):
        weights, X, y = _random_problem(rng, n, m)
        step = eta * _cost_gradient(weights, X, y)[1]
        got = call(
            gradient_descent_step,
            weights,
            X,
            y,
            eta,
            advice="return a new array, `weights - eta * gradient`, instead of `weights -= ...`.",
        )
        expect_array(
            got,
            weights - step,
            f"gradient_descent_step(weights, X, y, eta={eta}) for X of shape {X.shape}",
            known_mistakes={
                "step against the gradient, downhill: w − η ∇J, not w + η ∇J.": weights + step,
                "multiply the gradient by the learning rate η (eta).": weights - step / eta,
                "the bias w[0] takes its step too: w[0] − η ∇J[0].": np.r_[weights[0], weights[1:] - step[1:]],
                "return all the weights, the bias w[0] first.": weights[1:] - step[1:],
                "that is the step η ∇J; return the new weights w − η ∇J.": step,
                "the gradient is a sum over the examples; do not divide it by their number.": weights - step / n,
            },
        )
    return "right on 3 random data sets of different shapes, each with its own η; the weights given stay unchanged."


# --- exercise 3 ---------------------------------------------------------------------------


def _sgd_step(weights, xi, error, eta):
    """ADALINE's stochastic rule for one example, in place: w ← w + η (y − z) [1, xi]."""
    weights[1:] += eta * xi * error
    weights[0] += eta * error


def _sgd_pass(weights, X, y, eta, step=_sgd_step):
    """Update `weights` in place on each example in turn, as ADALINE's stochastic rule does.

    Parameters
    ----------
    weights : array of shape (1 + m,), changed in place
    X : array of shape (n, m)
    y : array of shape (n,), labels 1 and -1
    eta : float
    step : function, optional
        Replaces :func:`_sgd_step`, to replay a known mistake.

    Returns
    -------
    losses : list of float, ½ error² of each example before its update
    """
    losses = []
    for xi, target in zip(X, y):
        error = target - net_input(weights, xi)
        step(weights, xi, error, eta)
        losses.append(0.5 * error**2)
    return losses


def _batch_epoch(weights, X, y, eta):
    """One epoch of the lecture's AdalineGD, in place: one step down the gradient; returns the cost before it."""
    cost, gradient = _cost_gradient(weights, X, y)
    weights -= eta * gradient
    return cost


def reference_adaline_gd(X, y, eta, n_iter, random_state, epoch=_batch_epoch):
    """The lecture's AdalineGD training.

    Parameters
    ----------
    X : array of shape (n, m)
    y : array of shape (n,), labels 1 and -1
    eta : float
    n_iter, random_state : int
    epoch : function, optional
        Replaces :func:`_batch_epoch`, to replay a known mistake.

    Returns
    -------
    weights : array of shape (1 + m,)
    costs : list of float, one per epoch
    """
    weights = _first_weights(random_state, X.shape[1])
    costs = [epoch(weights, X, y, eta) for _ in range(n_iter)]
    return weights, costs


# Known mistakes of AdalineGD, as replacements of _batch_epoch.


def _epoch_uphill(weights, X, y, eta):
    cost, gradient = _cost_gradient(weights, X, y)
    weights += eta * gradient
    return cost


def _epoch_leaving_the_bias(weights, X, y, eta):
    cost, gradient = _cost_gradient(weights, X, y)
    weights[1:] -= eta * gradient[1:]
    return cost


def _epoch_per_example(weights, X, y, eta):
    cost = _cost_gradient(weights, X, y)[0]
    _sgd_pass(weights, X, y, eta)
    return cost


def _epoch_without_bias_in_net_input(weights, X, y, eta):
    cost, gradient = _cost_gradient(np.r_[0.0, weights[1:]], X, y)
    weights -= eta * gradient
    return cost


def _epoch_on_thresholded_output(weights, X, y, eta):
    cost, gradient = _cost_gradient(weights, X, y, phi)
    weights -= eta * gradient
    return cost


def _epoch_costing_after_the_step(weights, X, y, eta):
    _batch_epoch(weights, X, y, eta)
    return _cost_gradient(weights, X, y)[0]


def standardized_data(rng, n, m):
    """`n` points labelled 1 or -1 by a random hyperplane, each of the `m` features with mean 0 and std 1.

    Returns
    -------
    X : array of shape (n, m)
    y : array of int, shape (n,)
    """
    X, y = separable_data(rng, n, m)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


FIT_ADVICE = (
    "training must leave the data as it is (in AdalineSGD, `X, y = self._shuffle(X, y)` makes new, shuffled arrays)."
)


def _expect_costs(model, expected, what, known_mistakes):
    costs = fitted_attribute(model, "cost_")
    count = len(costs) if isinstance(costs, (list, tuple)) else np.size(costs)
    expect_true(
        count == len(expected),
        f"cost_ should hold one cost per epoch ({len(expected)} numbers); it holds "
        f"{count}. Append once per epoch, after the pass over the examples.",
    )
    first = costs[0]
    expect_true(
        not isinstance(first, (list, tuple, np.ndarray)) or np.ndim(first) == 0,
        f"cost_[0] is {describe(first)}; each entry of cost_ is one number, the cost of a whole epoch.",
    )
    expect_array(costs, expected, what, known_mistakes=known_mistakes)


@exercise_check("AdalineGD")
def check_adaline_gd(AdalineGD):
    """Exercise 3: the AdalineGD class, one batch update per epoch; fit must replay the lecture's exactly."""
    rng = np.random.default_rng(203)
    for n, m, eta, n_iter, random_state, shift in ((40, 2, 0.01, 15, 1, 0.0), (25, 3, 0.005, 10, 7, 1.5)):
        X, y = standardized_data(rng, n, m)
        X = X + shift  # off-centre data couples the bias to the weights, as real data does
        model = call(AdalineGD, eta=eta, n_iter=n_iter, random_state=random_state)
        call_returning_self(model, "fit", X, y, advice=FIT_ADVICE)
        data = f"on {n} random examples with {m} features (eta={eta}, n_iter={n_iter})"
        weights, costs = reference_adaline_gd(X, y, eta, n_iter, random_state)
        mistakes = {
            "the update has the wrong sign: w ← w + η Xᵀ (y − z), a step against the gradient.": _epoch_uphill,
            "the bias w[0] must learn too: w[0] ← w[0] + η Σ (y − z).": _epoch_leaving_the_bias,
            "update once per epoch, with the errors of all the examples together (batch gradient descent); "
            "updating after each example is the stochastic version, AdalineSGD.": _epoch_per_example,
            "net_input must add the bias: z = X w[1:] + w[0].": _epoch_without_bias_in_net_input,
            THRESHOLD_HINT: _epoch_on_thresholded_output,
        }
        known = {
            hint: reference_adaline_gd(X, y, eta, n_iter, random_state, epoch)[0] for hint, epoch in mistakes.items()
        }
        known["the update uses the sum over the examples, Xᵀ (y − z), not their mean."] = reference_adaline_gd(
            X, y, eta / n, n_iter, random_state
        )[0]
        with np.errstate(over="ignore", invalid="ignore"):  # without η the weights blow up
            known["multiply the update by the learning rate η (self.eta)."] = reference_adaline_gd(
                X, y, 1.0, n_iter, random_state
            )[0]
        expect_array(
            fitted_attribute(model, "weights_"),
            weights,
            f"weights_ after fit {data}",
            known_mistakes=known,
            otherwise="fit must start from the given random weights, then in each epoch compute the errors "
            "y − activation(net_input(X)) of all the examples and update the weights once.",
        )
        _expect_costs(
            model,
            costs,
            f"cost_ after fit {data}",
            known_mistakes={
                "compute the cost from the same errors as the update, before updating the weights.": (
                    reference_adaline_gd(X, y, eta, n_iter, random_state, _epoch_costing_after_the_step)[1]
                ),
                "you left out the ½: the cost is (errors**2).sum() / 2.0.": 2 * np.array(costs),
                "the cost is the sum of the squared errors (halved), not their mean.": np.array(costs) / n,
            },
        )
        points = rng.normal(size=(20, m))
        z = net_input(weights, points)
        expect_array(
            call(model.predict, points),
            phi(z),
            f"predict on 20 new points with {m} features",
            known_mistakes={
                "predict gives the labels 1 and -1, not 1 and 0.": (z >= 0).astype(int),
                "predict gives labels, 1 where z ≥ 0 and -1 elsewhere, not the net input z.": z,
            },
        )
        expect_predict_on_the_line(model, m)
    return "fit reproduces the lecture's training on 2 random data sets (weights_ and cost_), predict is right."


# --- exercise 4 ---------------------------------------------------------------------------


@exercise_check("standardize")
def check_standardize(standardize):
    """Exercise 4: ``standardize(X)``, each column shifted to mean 0 and scaled to std 1."""
    rng = np.random.default_rng(204)
    for n, m in ((20, 3), (7, 5), (50, 2)):
        scales, offsets = 10.0 ** rng.uniform(-2, 3, m), rng.uniform(-100, 100, m)
        X = rng.normal(size=(n, m)) * scales + offsets
        mean, std = X.mean(axis=0), X.std(axis=0)
        expect_array(
            call(
                standardize,
                X,
                advice="return a new array, `(X - mean) / std`, instead of `X -= ...`, so that the raw data stays "
                "available.",
            ),
            (X - mean) / std,
            f"standardize(X) for X of shape {X.shape} whose columns have very different scales",
            known_mistakes={
                "standardise each column (a feature), over the rows: use axis=0, not axis=1.": (
                    X - X.mean(axis=1, keepdims=True)
                )
                / X.std(axis=1, keepdims=True),
                "each column gets its own mean and standard deviation: pass axis=0 to mean and std.": (X - X.mean())
                / X.std(),
                "after subtracting the mean, divide by the standard deviation.": X - mean,
                "subtract the mean before dividing by the standard deviation.": X / std,
                "divide by the standard deviation, np.std, not by the variance.": (X - mean) / std**2,
                "use NumPy's default std (ddof=0, divide by n), not ddof=1.": (X - mean) / X.std(axis=0, ddof=1),
            },
            otherwise="each column must end with mean 0 and standard deviation 1: subtract the column's mean, "
            "then divide by its standard deviation.",
        )
    return "right on 3 random data sets of different shapes, with columns on very different scales."


# --- exercise 5 ---------------------------------------------------------------------------


def _shuffle_together(rgen, X, y):
    """The lecture's shuffle: X and y in the same new order."""
    order = rgen.permutation(len(y))
    return X[order], y[order]


def reference_adaline_sgd(X, y, eta, n_iter, random_state, shuffle=_shuffle_together, step=_sgd_step):
    """The lecture's AdalineSGD.fit with shuffling.

    Parameters
    ----------
    X, y, eta, n_iter, random_state
        As in :func:`reference_adaline_gd`.
    shuffle, step : function, optional
        Replace :func:`_shuffle_together` or :func:`_sgd_step`, to replay a known mistake.

    Returns
    -------
    weights : array of shape (1 + m,)
    costs : list of float, the average loss of each epoch
    """
    rgen = np.random.RandomState(random_state)
    weights = initial_weights(rgen, X.shape[1])
    costs = []
    for _ in range(n_iter):
        X, y = shuffle(rgen, X, y)
        costs.append(float(np.mean(_sgd_pass(weights, X, y, eta, step))))
    return weights, costs


# Known mistakes of AdalineSGD, as replacements of its shuffle or its step.


def _not_shuffling(rgen, X, y):
    return X, y


def _shuffling_X_only(rgen, X, y):
    return X[rgen.permutation(len(y))], y


def _shuffling_apart(rgen, X, y):
    return X[rgen.permutation(len(y))], y[rgen.permutation(len(y))]


def _step_leaving_the_bias(weights, xi, error, eta):
    weights[1:] += eta * xi * error


def _step_uphill(weights, xi, error, eta):
    _sgd_step(weights, xi, -error, eta)


def _step_without_eta(weights, xi, error, eta):
    _sgd_step(weights, xi, error, 1.0)


STEP_MISTAKES = {
    "the bias w[0] must learn too: w[0] ← w[0] + η (y − z).": _step_leaving_the_bias,
    "the update has the wrong sign: w ← w + η (y − z) x.": _step_uphill,
    "multiply each update by the learning rate η (self.eta).": _step_without_eta,
}


def _after_updates(weights, X, y, eta, step=_sgd_step):
    """The weights after one in-order pass of :func:`_sgd_pass`, from a copy of `weights`."""
    weights = weights.copy()
    _sgd_pass(weights, X, y, eta, step)
    return weights


# fit's settings: n, m, eta, n_iter, random_state, shuffle.
FITS = ((30, 2, 0.01, 12, 1, True), (20, 3, 0.02, 6, 4, True), (15, 2, 0.01, 5, 2, False))

SHUFFLE_MISTAKES = {
    "shuffle the examples at the start of every epoch: `if self.shuffle: X, y = self._shuffle(X, y)`.": _not_shuffling,
    "shuffle X and y together, `X, y = self._shuffle(X, y)`: shuffling X alone separates the examples "
    "from their labels.": _shuffling_X_only,
    "the rows of X and y were shuffled apart, each by its own permutation, so the examples lost their labels: "
    "use one permutation for both, `X, y = self._shuffle(X, y)`.": _shuffling_apart,
}
NOT_SHUFFLING_MISTAKES = {
    "with shuffle=False, fit keeps the order given: shuffle only `if self.shuffle:`.": _shuffle_together,
}


@exercise_check("AdalineSGD")
def check_adaline_sgd(AdalineSGD):
    """Exercise 5: AdalineSGD's fit, partial_fit and _update_weights, replayed on random data.

    fit is run with shuffling on two data sets, then without on a third; partial_fit then
    continues from the last fitted weights, on a batch and on a single example, and starts
    a new model.
    """
    rng = np.random.default_rng(205)
    for n, m, eta, n_iter, random_state, shuffle in FITS:
        X, y = standardized_data(rng, n, m)
        model = call(AdalineSGD, eta=eta, n_iter=n_iter, shuffle=shuffle, random_state=random_state)
        call_returning_self(model, "fit", X, y, advice=FIT_ADVICE)
        data = f"on {n} random standardised examples with {m} features (eta={eta}, n_iter={n_iter}, shuffle={shuffle})"
        order = _shuffle_together if shuffle else _not_shuffling
        weights, costs = reference_adaline_sgd(X, y, eta, n_iter, random_state, order)
        with np.errstate(over="ignore", invalid="ignore"):  # forgetting η may blow up the weights
            mistakes = {
                **{
                    hint: reference_adaline_sgd(X, y, eta, n_iter, random_state, wrong)[0]
                    for hint, wrong in (SHUFFLE_MISTAKES if shuffle else NOT_SHUFFLING_MISTAKES).items()
                },
                **{
                    hint: reference_adaline_sgd(X, y, eta, n_iter, random_state, order, step)[0]
                    for hint, step in STEP_MISTAKES.items()
                },
            }
        expect_array(
            fitted_attribute(model, "weights_"),
            weights,
            f"weights_ after fit {data}",
            known_mistakes=mistakes,
            otherwise="fit must call self._initialize_weights, then in each epoch shuffle with "
            "self._shuffle and update once on each example in that order with self._update_weights.",
        )
        _expect_costs(
            model,
            costs,
            f"cost_ after fit {data}",
            known_mistakes={
                "cost_ holds the average loss of each epoch: divide the sum of the losses by len(y).": np.array(costs)
                * n,
                "you left out the ½: _update_weights returns 0.5 * error**2.": 2 * np.array(costs),
            },
        )
    _check_partial_fit(AdalineSGD, model, weights, eta, random_state, rng)  # the last model fitted
    return (
        "fit reproduces the lecture's shuffled training on 2 random data sets; partial_fit continues from "
        "the learnt weights on a batch and on one example, and starts a new model."
    )


def _first_weights(random_state, m):
    return initial_weights(np.random.RandomState(random_state), m)


LOOP_HINT = (
    "partial_fit is also given one example, xi of shape (m,) with a single label, which `zip(X, y)` cannot loop "
    "over: loop only when y holds several labels (`if np.size(y) > 1`), else update once, "
    "`self._update_weights(X, np.ravel(y)[0])` (or loop over np.atleast_2d(X) and np.atleast_1d(y))."
)
RAVEL_HINT = (
    "with y of shape (1,) the error is an array too, which weights_[0] cannot take: update with the label itself, "
    "`np.ravel(y)[0]`."
)


def _check_partial_fit(AdalineSGD, model, weights, eta, random_state, rng):
    """partial_fit on `model`, whose fit gave `weights`: on a batch, then on one example twice (its label a
    NumPy number, then an array of shape (1,)); last, on a new model, which it must initialise."""
    m = len(weights) - 1
    X, y = standardized_data(rng, 10, m)
    call_returning_self(model, "partial_fit", X, y)
    restarted = (
        "partial_fit must keep learning from the weights it has; initialise them only when the model has "
        "none yet (`if not self.w_initialized`)."
    )
    expected = _after_updates(weights, X, y, eta)
    expect_array(
        fitted_attribute(model, "weights_"),
        expected,
        "weights_ after fit, then partial_fit on 10 more examples",
        known_mistakes={restarted: _after_updates(_first_weights(random_state, m), X, y, eta)},
        otherwise="partial_fit updates once on each example, in the order given (no shuffling, one pass).",
    )

    for form, label, clue, hint in (
        ("a NumPy number", y[0], "is not iterable", LOOP_HINT),
        ("an array of shape (1,)", y[1:2].copy(), "setting an array element with a sequence", RAVEL_HINT),
    ):
        xi, target = rng.normal(size=m), np.ravel(label)[0]
        what = f"partial_fit(xi, y) on one example, xi of shape {xi.shape} and y {form}"
        call_with_hint(model.partial_fit, (xi, label), clue, what, hint)
        with np.errstate(over="ignore"):
            mistakes = {
                hint: _after_updates(expected, [xi], [target], eta, step) for hint, step in STEP_MISTAKES.items()
            }
        mistakes[restarted] = _after_updates(_first_weights(random_state, m), [xi], [target], eta)
        expected = _after_updates(expected, [xi], [target], eta)
        expect_array(
            fitted_attribute(model, "weights_"),
            expected,
            f"weights_ after {what}",
            known_mistakes=mistakes,
            otherwise="for one example, partial_fit calls self._update_weights once, with xi and its label.",
        )

    fresh = call(AdalineSGD, eta=eta, random_state=random_state + 1)
    call(fresh.partial_fit, X, y)
    expect_array(
        fitted_attribute(fresh, "weights_"),
        _after_updates(_first_weights(random_state + 1, m), X, y, eta),
        "weights_ of a new model after partial_fit on 10 examples",
        otherwise="on a new model, partial_fit first calls self._initialize_weights(X.shape[1]).",
    )


# --- exercise 6 ---------------------------------------------------------------------------


MATH_HINT = "math.exp (like every function of `math`) takes one number; np.exp works element by element on arrays."


CLIP_HINT = (
    "np.exp(-z) overflows when z is a large negative number: clip z first, e.g. `z = np.clip(z, -500, 500)` "
    "(also with np.where, which computes both of its branches for every element)."
)


def _expect_elementwise(function, name, right, z, matrix, mistakes, otherwise, overflow_advice, far_out):
    """Exercise 6's four tries of `function` (σ or σ'): the lecture's number 1.3, a vector, a 3 x 4 array, ±1000.

    Far out (|z| from 100 to 1000) the values must be right to within 1e-30, so that a clip of z
    narrower than about ±70 shows.

    Parameters
    ----------
    function : the student's function
    name : str
        Its name, for the verdicts.
    right : function
        The right values, element by element.
    z : array of shape (k,), with z[0] = 1.3
    matrix : array of shape (3, 4)
    mistakes : dict of str -> array of shape (k,)
        Hint -> what a known mistake gives for `z`.
    otherwise, overflow_advice, far_out : str or None
        The hint for a wrong vector that matches no mistake; for a warning with z up to ±1000;
        for wrong values there.
    """
    expect_array(
        call(function, 1.3), right(1.3), f"{name}(1.3)", known_mistakes={hint: v[0] for hint, v in mistakes.items()}
    )
    what = f"{name}(z) for a random vector z"
    expect_array(
        call_with_hint(function, (z,), "Python scalars", what, MATH_HINT),
        right(z),
        what,
        known_mistakes=mistakes,
        otherwise=otherwise,
    )
    expect_array(call(function, matrix), right(matrix), f"{name}(Z) for a 3 x 4 array Z")
    large = np.array([-1000.0, -710.0, -100.0, 0.0, 100.0, 710.0, 1000.0])
    what = f"{name}(z) for z between -1000 and 1000"
    got = call_without_warnings(function, (large,), what, overflow_advice)
    expect_array(got, right(large), what, atol=1e-30, otherwise=far_out)


FAR_OUT_HINT = (
    "far out σ must stay right to within 1e-30 (σ(−1000) is about 0): if you clip z, clip it to [-500, 500]; "
    "a clip narrower than about ±70, such as ±30, changes σ there."
)


@exercise_check("sigmoid")
def check_sigmoid(sigmoid, sigmoid_derivative):
    """Exercise 6: σ(z) = 1 / (1 + e^(−z)) and σ'(z) = σ(z) (1 − σ(z)), element by element.

    Compared with scipy.special.expit on a number (the lecture's σ(1.3) ≈ 0.785), a random
    vector, a 3 x 4 array, and z up to ±1000, which must give no overflow warning.
    """
    from scipy.special import expit  # imported here: scipy is slow to import and only this check needs it

    rng = np.random.default_rng(206)
    z = np.r_[1.3, 0.0, -25.0, 25.0, rng.normal(0, 4, 16)]
    matrix = rng.normal(0, 3, (3, 4))
    s = expit(z)
    _expect_elementwise(
        sigmoid,
        "sigmoid",
        expit,
        z,
        matrix,
        mistakes={"the exponent is −z: σ(z) = 1 / (1 + np.exp(-z)).": expit(-z)},
        otherwise="σ(z) = 1 / (1 + np.exp(-z)); if you clip z, clip it to [-500, 500], wide enough not to change σ.",
        overflow_advice=CLIP_HINT,
        far_out=FAR_OUT_HINT,
    )
    _expect_elementwise(
        sigmoid_derivative,
        "sigmoid_derivative",
        lambda z: expit(z) * expit(-z),
        z,
        matrix,
        mistakes={
            "σ'(z) = σ(z) (1 − σ(z)) uses σ(z), not z itself.": z * (1 - z),
            "it is σ(z) (1 − σ(z)), with a minus sign.": s * (1 + s),
            "that is σ(z) itself; its derivative is σ(z) (1 − σ(z)).": s,
            "the derivative of the sigmoid is positive everywhere: σ(z) (1 − σ(z)).": -s * (1 - s),
        },
        otherwise=None,
        overflow_advice="compute it from your sigmoid, `s = sigmoid(z)`, then `s * (1 - s)`.",
        far_out=f"compute it from your sigmoid, `s = sigmoid(z)`, then `s * (1 - s)`; {FAR_OUT_HINT}",
    )
    return "sigmoid and its derivative are right on numbers and arrays, with no overflow for |z| up to 1000."


# --- exercise 7 ---------------------------------------------------------------------------


def _softmax_mistakes(z):
    """Hint -> what a known mistake gives for `z`, a vector or a 2-D array whose rows are examples."""
    exponentials = np.exp(z)
    if z.ndim == 1:
        return {
            "divide by the sum of the exponentials, so that the outputs add up to 1.": exponentials,
            "after subtracting the maximum, still divide the exponentials by their sum.": np.exp(z - z.max()),
            "the exponent is z, not −z.": reference.softmax(-z),
        }
    return {
        "normalise each row (one example), not each column: sum with axis=-1 and keepdims=True.": (
            exponentials / exponentials.sum(axis=0, keepdims=True)
        ),
        "normalise each row on its own: sum with axis=-1 and keepdims=True, not over the whole array.": (
            exponentials / exponentials.sum()
        ),
        **softmax_axis_mistakes(z),
    }


@exercise_check("softmax")
def check_softmax(softmax):
    """Exercise 7: ``softmax(z)`` of a vector, or of each row of a 2-D array, without overflow.

    Subtracting the maximum of the whole array instead of each row's is accepted: it gives
    the same probabilities and is just as safe from overflow; it fails (0 / 0) only when one
    row lies more than about 700 below the largest value, which these tests avoid.
    """
    rng = np.random.default_rng(207)
    for z in (rng.normal(0, 2, 4), rng.normal(0, 3, 10), rng.normal(0, 2, (5, 3)), rng.normal(0, 2, (4, 7))):
        what = (
            f"softmax(z) for a random vector of {z.size} numbers"
            if z.ndim == 1
            else f"softmax(Z) for a 2-D array Z of shape {z.shape}"
        )
        expect_array(call(softmax, z), reference.softmax(z), what, known_mistakes=_softmax_mistakes(z))
    max_hint = "subtract each row's maximum before np.exp: `z - z.max(axis=-1, keepdims=True)`."
    for z in (
        np.array([1000.0, 1000.0]),
        np.array([1000.0, 0.0, -1000.0]),
        np.array([-1000.0, -1001.0]),
        np.array([[1000.0, 1000.0, 999.0], [1000.0, 0.0, -1000.0]]),
    ):
        what = f"softmax({z.tolist()})"
        got = call_without_warnings(
            softmax, (z,), what, f"np.exp overflows for large z (and 0 / 0 follows): {max_hint}"
        )
        expect_array(got, reference.softmax(z), what, otherwise=max_hint)
    return "right on random vectors and on each row of 2-D arrays, with no overflow for values of ±1000."


# --- exercise 8 ---------------------------------------------------------------------------


def _binary_cross_entropy(y, p):
    """−[y log p + (1 − y) log(1 − p)] of each example (no mean, no clipping)."""
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


@exercise_check("cross_entropy")
def check_cross_entropy(binary_cross_entropy, categorical_cross_entropy):
    """Exercise 8: the mean binary and categorical cross-entropy, natural log, clipped probabilities.

    On random data the results must equal the formula; for probabilities exactly 0 or 1
    (as clipping leaves them) they must be finite: above 10 when every prediction is
    confidently wrong, near 0 when every one is right, and there must be no warning.
    """
    rng = np.random.default_rng(208)
    _expect_binary_cross_entropy(binary_cross_entropy, rng)
    _expect_categorical_cross_entropy(categorical_cross_entropy, rng)
    return "both losses are right on random data of 3 sizes each, and finite without warnings for p = 0 or 1."


def _expect_binary_cross_entropy(binary_cross_entropy, rng):
    """The mean binary cross-entropy on random data of 3 sizes, and for probabilities exactly 0 or 1."""
    for n in (15, 40, 7):
        y, p = rng.integers(0, 2, n), rng.uniform(0.02, 0.98, n)
        expect_mean_loss(
            binary_cross_entropy,
            (y, p),
            _binary_cross_entropy(y, p),
            f"binary_cross_entropy(y, p) for {n} random labels and probabilities",
            "−[y log p + (1 − y) log(1 − p)]",
            {
                "add the term (1 − y) log(1 − p), the loss of the examples labelled 0.": -np.mean(y * np.log(p)),
                "add the term y log p, the loss of the examples labelled 1.": -np.mean((1 - y) * np.log(1 - p)),
                "y goes with log p and 1 − y with log(1 − p).": _binary_cross_entropy(1 - y, p).mean(),
            },
        )
    y = np.array([1, 0, 1, 0])
    expect_extreme_losses(binary_cross_entropy, (y, 1.0 - y), (y, 1.0 * y), "binary_cross_entropy(y, p)")


def _expect_categorical_cross_entropy(categorical_cross_entropy, rng):
    """The mean categorical cross-entropy on random one-hot data of 3 sizes, and for probabilities exactly 0 or 1."""
    for n, k in ((10, 3), (25, 4), (6, 10)):
        Y = np.eye(k)[rng.integers(0, k, n)]
        P = reference.softmax(rng.normal(0, 2, (n, k)))
        losses = -(Y * np.log(P)).sum(axis=1)
        right = losses.mean()
        expect_mean_loss(
            categorical_cross_entropy,
            (Y, P),
            losses,
            f"categorical_cross_entropy(Y, P) for {n} random one-hot rows of {k} classes",
            "−Σ_k y_k log p_k",
            {
                "use the natural logarithm, np.log, not np.log2.": right / np.log(2),
                "sum over the classes of each row (axis=1), then average over the rows: the mean over all "
                "entries divides by the number of classes too.": right / k,
                "sum over the classes, axis=1 (each row is an example), then average over the rows.": right * n / k,
            },
        )
    Y = np.eye(3)[[0, 1, 2, 0]]
    expect_extreme_losses(
        categorical_cross_entropy, (Y, np.roll(Y, 1, axis=1)), (Y, Y), "categorical_cross_entropy(Y, P)"
    )


# --- exercise 9 ---------------------------------------------------------------------------


@exercise_check("l2_penalty")
def check_l2_penalty(l2_penalty):
    """Exercise 9: ``l2_penalty(weights, lam) -> (penalty, gradient)``, λ Σ w_j² over w[1:] (not the bias)."""
    rng = np.random.default_rng(209)
    for m, lam in ((3, 0.1), (8, 0.01), (1, 2.5)):
        weights = rng.normal(0, 1, 1 + m)
        w = weights[1:]
        what = f"l2_penalty(weights, lam={lam}) for {1 + m} weights"
        result = call(
            l2_penalty,
            weights,
            lam,
            advice="(was the bias set to 0 in place?) work on `weights[1:]` or a copy instead.",
        )
        penalty, gradient = expect_values(result, what, "penalty, gradient")
        norm = np.sqrt(w @ w)
        expect_array(
            penalty,
            lam * w @ w,
            f"the penalty from {what}",
            known_mistakes={
                "the bias w[0] is not penalised: sum the squares of weights[1:] only.": lam * weights @ weights,
                "the penalty is λ times the SQUARED norm, λ Σ w², with no square root.": lam * norm,
                "multiply by λ (lam), the strength of the penalty.": w @ w,
                "this course's penalty is λ Σ w², without a factor ½.": lam * w @ w / 2,
            },
        )
        expect_array(
            gradient,
            np.r_[0.0, 2 * lam * w],
            f"the gradient from {what}",
            known_mistakes={
                "the bias is not penalised, so the gradient's first component is 0.": 2 * lam * weights,
                "the derivative of λ w² is 2 λ w: the factor 2 is missing.": np.r_[0.0, lam * w],
                "the penalty is λ times the SQUARED norm, so its gradient is 2 λ w.": np.r_[0.0, lam * w / norm],
                "multiply by λ (lam): the gradient is 2 λ w.": np.r_[0.0, 2 * w],
                "the gradient has one component per weight: put 0 first, for the bias.": 2 * lam * w,
            },
        )
    return "penalty and gradient are right for 3 random weight vectors and strengths λ."

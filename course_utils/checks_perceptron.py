"""Checks for the exercises of notebook 01 (the neuron and the perceptron).

The perceptron keeps its weights as in the lecture: ``w[0]`` is the bias, ``w[1:]`` the
weights of the inputs, and the threshold activation gives 1 where ``z >= 0``, else -1.
"""

import numpy as np

from course_utils.checking import (
    CheckFailed,
    call,
    call_returning_self,
    exercise_check,
    expect_array,
    expect_true,
    fitted_attribute,
)
from course_utils.data import truth_table
from course_utils.reference import (
    ZERO_HINT,
    expect_predict_on_the_line,
    initial_weights,
    net_input,
    phi,
    separable_data,
)

# --- exercise 1 ---------------------------------------------------------------------------


@exercise_check("threshold")
def check_threshold(threshold):
    """Exercise 1: the threshold activation φ(z), element by element."""
    rng = np.random.default_rng(1)
    z = np.round(rng.normal(0, 2, 40), 1)
    z[[3, 17]] = 0.0  # φ(0) = 1 is the detail most often missed
    expect_array(
        call(threshold, z),
        phi(z),
        "threshold(z) for a vector z",
        known_mistakes={
            "φ(0) must be 1 (z ≥ 0 counts as firing); np.sign gives 0 at z = 0.": np.sign(z),
            "φ(0) must be 1: compare with z >= 0, not z > 0.": np.where(z > 0, 1, -1),
            "the outputs are 1 and -1, not 1 and 0.": (z >= 0).astype(int),
            "1 where z ≥ 0 and -1 elsewhere, not the other way round.": -phi(z),
        },
    )
    for value in (2.5, 0.0, -0.1):
        expect_array(call(threshold, value), phi(value), f"threshold({value})")
    matrix = rng.normal(size=(3, 4))
    expect_array(call(threshold, matrix), phi(matrix), "threshold(Z) for a 3 x 4 array Z")
    return "right on numbers, a vector with exact zeros, and a 3 x 4 array."


# --- exercise 2 ---------------------------------------------------------------------------


def _as_weights(w, n_inputs, name):
    try:
        w = np.asarray(w, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise CheckFailed(f"{name} should be numbers, got {w!r}.") from None
    expect_true(w.shape == (n_inputs,), f"{name} should hold {n_inputs} weight(s), one per input; it holds {w.size}.")
    return w


def _gate_problem(gate, w, b):
    """None if the neuron (w, b) computes `gate`, else what goes wrong on which row."""
    X, y = truth_table(gate)
    z = X @ w + b
    for row, net, target in zip(X, z, np.where(y == 1, 1, -1)):
        if phi(net) != target:
            says = "1 (true)" if target == 1 else "-1 (false)"
            problem = (
                f"{gate}: for x = {tuple(int(v) for v in row)} the neuron gives {int(phi(net))} "
                f"(z = {net:g}), the truth table says {says}."
            )
            if b == 0 and len(w) == 2 and not row.any():
                problem += " With b = 0 the line passes through (0, 0), where z = 0 counts as 1; the bias b shifts it."
            elif net == 0:
                problem += " z = 0 counts as 1 (φ(0) = 1): move the line off that point by changing b a little."
            return problem
    return None


@exercise_check("logic gates")
def check_logic_gates(w_not, b_not, w_and, b_and, w_or, b_or):
    """Exercise 2: weights and bias of one neuron each for NOT, AND and OR."""
    for gate, w, b, n_inputs in (("NOT", w_not, b_not, 1), ("AND", w_and, b_and, 2), ("OR", w_or, b_or, 2)):
        w = _as_weights(w, n_inputs, f"w_{gate.lower()}")
        try:
            b = float(b)
        except (TypeError, ValueError):
            raise CheckFailed(f"b_{gate.lower()} should be one number, got {b!r}.") from None
        problem = _gate_problem(gate, w, b)
        if problem:
            raise CheckFailed(problem)
    return "NOT, AND and OR are right on their whole truth tables."


# --- exercise 3 ---------------------------------------------------------------------------


@exercise_check("xor_network")
def check_xor_network(xor_network):
    """Exercise 3: XOR from a two-layer network of gate neurons; outputs 1 (true) / -1."""
    X, y = truth_table("XOR")
    as_pm1 = {gate: np.where(truth_table(gate)[1] == 1, 1, -1) for gate in ("AND", "OR", "NAND")}
    signs = (
        "Check the signs: NAND is AND with every sign flipped, bias too (w = [-1, -1], b = 1.5), and the last "
        "neuron is AND (w = [1, 1], b = -1.5) of the hidden neurons' outputs."
    )
    expect_array(
        call(xor_network, X),
        np.where(y == 1, 1, -1),
        "xor_network(X) on the XOR truth table",
        known_mistakes={
            "that is OR: XOR must also be false when both inputs are 1. Is your NAND neuron false "
            "only for (1, 1)? (Flipping the signs of AND fails if a corner lies exactly on AND's line.)": as_pm1["OR"],
            "that is AND, the last layer alone; feed it the outputs of OR and NAND.": as_pm1["AND"],
            "that is NAND: combine it with OR in a second layer.": as_pm1["NAND"],
            "that is XNOR, the opposite of XOR: true when the inputs differ, not when they agree.": -np.where(
                y == 1, 1, -1
            ),
            "the outputs are 1 and -1, not 1 and 0.": y,
            f"the network says 1 (true) for every input: one of its neurons always fires. {signs}": np.ones(4),
            f"the network says -1 (false) for every input: one of its neurons never fires. {signs}": -np.ones(4),
            f"that is NOR, true only for (0, 0): a sign is flipped. {signs}": -as_pm1["OR"],
            **{
                f"the network answers {wrong.tolist()}, {wrong[1]} for (0, 1) but {wrong[2]} for (1, 0); XOR "
                "treats its two inputs alike: a weight has the wrong sign (each neuron weighs both inputs the "
                "same).": wrong
                for wrong in _asymmetric_outputs()
            },
        },
    )
    rows = np.random.default_rng(2).integers(0, 2, (25, 2))
    expected = np.where(rows[:, 0] != rows[:, 1], 1, -1)
    expect_array(call(xor_network, rows), expected, "xor_network on 25 random rows")
    return "right on the truth table and on 25 rows in random order."


def _asymmetric_outputs():
    """Every answer of 1 or -1 for the rows (0, 0), (0, 1), (1, 0), (1, 1) that tells (0, 1) from (1, 0)."""
    answers = np.array(np.meshgrid(*[[-1, 1]] * 4, indexing="ij")).reshape(4, -1).T
    return [answer for answer in answers if answer[1] != answer[2]]


# --- exercise 4 ---------------------------------------------------------------------------


@exercise_check("perceptron_update")
def check_perceptron_update(perceptron_update):
    """Exercise 4: one step of Rosenblatt's rule, w ← w + η (y − ŷ) [1, x]."""
    rng = np.random.default_rng(4)
    samples = []
    for _ in range(8):
        m = int(rng.integers(2, 5))
        samples.append((rng.normal(0, 1, 1 + m), rng.normal(0, 1, m), float(rng.choice([0.1, 0.01, 0.5]))))
    on_the_line = (np.array([-0.5, 0.25, 1.0]), np.array([2.0, 0.0]), 0.1)  # z = -0.5 + 0.5 + 0 = 0 exactly
    for trial, (w, xi, eta) in enumerate([*samples, on_the_line, on_the_line]):
        z = net_input(w, xi)
        prediction = int(phi(z))
        target = prediction if trial % 2 == 0 else -prediction  # right first, then wrong
        error = target - prediction
        augmented = np.r_[1.0, xi]
        what = (
            f"perceptron_update(w, xi, target={target}, eta={eta}) for a sample the neuron "
            f"{'gets wrong' if error else 'already gets right'} (it predicts {prediction}"
            f"{', as z = 0 exactly' if z == 0 else ''})"
        )
        on_the_line_mistakes = {
            f"{ZERO_HINT} compare with z >= 0, not z > 0.": w + eta * (target + 1) * augmented,
            f"{ZERO_HINT} np.sign(0) is 0: compare with z >= 0, as threshold does.": w + eta * target * augmented,
        }
        new_weights = call(
            perceptron_update,
            w,
            xi,
            target,
            eta,
            advice="return a new array (e.g. `weights + ...`) and leave the argument unchanged.",
        )
        expect_array(
            new_weights,
            w + eta * error * augmented,
            what,
            known_mistakes={
                **(on_the_line_mistakes if z == 0 else {}),
                "the bias w[0] must change too: treat it as the weight of an input that is always 1.": w
                + eta * error * np.r_[0.0, xi],
                "the sign is reversed: the rule adds η (y − ŷ) x, target minus prediction.": w
                - eta * error * augmented,
                "multiply the change by the learning rate η (eta).": w + error * augmented,
                "use the prediction ŷ = φ(z), not the net input z (that would be ADALINE, next lecture).": w
                + eta * (target - z) * augmented,
                "the rule uses (y − ŷ), which is ±2 on a mistake, not y alone.": w + eta * (error / 2) * augmented,
                "change the weights only when the prediction is wrong: (y − ŷ) is 0 when it is right.": w
                + eta * target * augmented,
            },
        )
    return "right on 8 random samples, misclassified and correctly classified, with several η."


# --- exercise 5 ---------------------------------------------------------------------------


def reference_fit(X, y, eta, n_iter, random_state, step=None, count=None, predict=None):
    """The lecture's perceptron training: Rosenblatt's rule on each example in turn, every epoch.

    Parameters
    ----------
    X : array of shape (n, m)
    y : array of int, shape (n,), labels 1 and -1
    eta : float
    n_iter, random_state : int
    step, count, predict : function, optional
        Replace the step taken (:func:`_step`), what is counted per epoch
        (:func:`_mistakes_during`) or the prediction (:func:`_predict`), to replay a known mistake.

    Returns
    -------
    weights : array of shape (1 + m,)
    errors : list of int, one per epoch
    """
    step, count, predict = step or _step, count or _mistakes_during, predict or _predict
    weights = initial_weights(np.random.RandomState(random_state), X.shape[1])
    errors = []
    for _ in range(n_iter):
        updates = []
        for xi, target in zip(X, y):
            update = eta * (target - predict(weights, xi))
            step(weights, update, xi)
            updates.append(update)
        errors.append(count(updates, weights, X, y))
    return weights, errors


def _predict(weights, xi):
    """The lecture's prediction for one example, φ(z)."""
    return phi(net_input(weights, xi))


def _step(weights, update, xi):
    """The lecture's step, in place: the bias moves by `update`, each weight by `update` times its input."""
    weights[1:] += update * xi
    weights[0] += update


def _mistakes_during(updates, weights, X, y):
    """The lecture's errors_ entry: how many examples of the epoch changed the weights."""
    return sum(update != 0.0 for update in updates)


# Known mistakes, as replacements of one part of reference_fit.


def _predict_without_the_bias(weights, xi):
    return phi(xi @ weights[1:])


def _step_leaving_the_bias(weights, update, xi):
    weights[1:] += update * xi


def _step_uphill(weights, update, xi):
    _step(weights, -update, xi)


def _sum_of_updates(updates, weights, X, y):
    return sum(updates)


def _mistakes_after(updates, weights, X, y):
    return int(np.sum(phi(net_input(weights, X)) != y))


@exercise_check("Perceptron")
def check_perceptron(Perceptron):
    """Exercise 5: the Perceptron class; fit must follow the lecture's loop exactly.

    Two models are fitted on two random separable data sets (3 and 2 features, their own η
    and seed), so only a fit that really trains can pass.
    """
    rng = np.random.default_rng(5)
    for n, m, eta, random_state in ((40, 3, 0.1, 1), (30, 2, 0.05, 3)):
        _expect_fit_and_predict(Perceptron, separable_data(rng, n, m), eta, N_ITER, random_state, rng)
    return f"fit reproduces the lecture's training exactly ({N_ITER} epochs, errors down to 0), predict is right."


N_ITER = 25


def _expect_fit_and_predict(Perceptron, data, eta, n_iter, random_state, rng):
    """One model fitted on `data` = (X, y) must end with the lecture's weights_ and errors_, and predict right."""
    X, y = data
    model = call(Perceptron, eta=eta, n_iter=n_iter, random_state=random_state)
    call_returning_self(model, "fit", X, y)
    labels = np.asarray(call(model.predict, X))
    expect_true(
        labels.shape == y.shape and set(np.unique(labels)) <= {-1, 1},
        f"predict(X) should give one label, 1 or -1, per row of X: {len(y)} labels; it gave "
        f"shape {labels.shape} with values {np.unique(labels)[:5].tolist()}.",
    )
    weights, errors = reference_fit(X, y, eta, n_iter, random_state)
    mistakes = {
        "the bias w[0] is not updated: it learns like a weight whose input is always 1.": {
            "step": _step_leaving_the_bias
        },
        "the update has the wrong sign: add η (y − ŷ) x.": {"step": _step_uphill},
        "net_input must add the bias: z = X w[1:] + w[0] (fit predicts with it).": {
            "predict": _predict_without_the_bias
        },
        "multiply each update by the learning rate η (self.eta).": {"eta": 1.0},
    }
    replay = {"X": X, "y": y, "eta": eta, "n_iter": n_iter, "random_state": random_state}
    expect_array(
        fitted_attribute(model, "weights_"),
        weights,
        f"weights_ after fit on {len(y)} fresh separable examples with {X.shape[1]} features (eta={eta})",
        known_mistakes={hint: reference_fit(**{**replay, **switch})[0] for hint, switch in mistakes.items()},
        otherwise="fit must start from the given random weights and, in every epoch, apply the rule to "
        "each example in turn, in the order given (no shuffling, no batches).",
    )
    got_errors = fitted_attribute(model, "errors_")
    expect_true(
        np.ndim(got_errors) == 1 and len(got_errors) == n_iter,
        f"errors_ should hold one count per epoch ({n_iter} numbers); it holds {np.size(got_errors)}. "
        "Append once per epoch, after the loop over the examples.",
    )
    expect_array(
        got_errors,
        errors,
        "errors_ (updates, i.e. mistakes, during each epoch)",
        known_mistakes={
            "count the examples whose update is not zero, not the sizes of the updates.": reference_fit(
                X, y, eta, n_iter, random_state, count=_sum_of_updates
            )[1],
            "count the mistakes made during the epoch (updates that are not zero), not those of the weights "
            "at its end.": reference_fit(X, y, eta, n_iter, random_state, count=_mistakes_after)[1],
            "count each epoch's mistakes afresh, from 0: errors_ holds one count per epoch, not a running "
            "total.": np.cumsum(errors),
        },
    )
    tests = rng.normal(0, 2, (30, X.shape[1]))
    expect_array(call(model.predict, tests), phi(net_input(weights, tests)), "predict on 30 new points")
    expect_predict_on_the_line(model, X.shape[1])

"""The checks of notebook 02 meet the contract of tests/check_harness.py.

Each table maps a mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import math

import numpy as np
import pytest

from course_utils import checks_adaline as checks
from tests.check_harness import Exercise, assert_rejected, contract, with_method, with_stub_methods
from tests.solutions import (
    EPS,
    AdalineGD,
    AdalineSGD,
    adaline_cost_gradient,
    binary_cross_entropy,
    categorical_cross_entropy,
    errors_of,
    gradient_descent_step,
    l2_penalty,
    sigmoid,
    sigmoid_derivative,
    softmax,
    standardize,
)

# --- exercise 1: cost and gradient ------------------------------------------------------------


def thresholded_cost_gradient(weights, X, y):
    errors = y - np.where(X @ weights[1:] + weights[0] >= 0, 1, -1)
    return 0.5 * np.sum(errors**2), np.r_[-errors.sum(), -X.T @ errors]


def changed_gradient(change):
    return lambda w, X, y: (adaline_cost_gradient(w, X, y)[0], change(adaline_cost_gradient(w, X, y)[1], len(y)))


def averaged(weights, X, y):
    errors = errors_of(weights, X, y)
    return 0.5 * np.mean(errors**2), np.r_[-errors.mean(), -X.T @ errors / len(y)]


WRONG_COST_GRADIENT = {
    "no 1/2 in the cost": (
        lambda w, X, y: (np.sum(errors_of(w, X, y) ** 2), adaline_cost_gradient(w, X, y)[1]),
        "you left out the ½",
    ),
    "mean instead of sum": (averaged, "sum the squared errors over the examples instead of averaging"),
    "mean squared error": (
        lambda w, X, y: (np.mean(errors_of(w, X, y) ** 2), adaline_cost_gradient(w, X, y)[1]),
        "that is the mean squared error",
    ),
    "gradient reversed, without bias": (
        lambda w, X, y: (adaline_cost_gradient(w, X, y)[0], X.T @ errors_of(w, X, y)),
        "returned shape (2,), expected shape (3,). Hint: the gradient is [−Σ",
    ),
    "gradient uphill": (changed_gradient(lambda g, n: -g), "the sign is reversed"),
    "bias component missing": (
        lambda w, X, y: (adaline_cost_gradient(w, X, y)[0], -X.T @ errors_of(w, X, y)),
        "the bias's first",
    ),
    "bias component zero": (changed_gradient(lambda g, n: np.r_[0.0, g[1:]]), "gradient[0] is −Σ (y − z)"),
    "gradient averaged": (changed_gradient(lambda g, n: g / n), "instead of averaging"),
    "gradient of the cost without 1/2": (changed_gradient(lambda g, n: 2 * g), "without a factor 2"),
    "thresholded output": (thresholded_cost_gradient, "not from the thresholded prediction"),
    "returns the cost only": (lambda w, X, y: adaline_cost_gradient(w, X, y)[0], "should return two values"),
    "gradient as a list of two parts": (
        lambda w, X, y: (adaline_cost_gradient(w, X, y)[0], [-errors_of(w, X, y).sum(), X.T @ errors_of(w, X, y)]),
        "not an array of numbers",
    ),
}


# --- exercise 2: one step of gradient descent ---------------------------------------------------


def step_in_place(weights, X, y, eta):
    weights -= eta * adaline_cost_gradient(weights, X, y)[1]
    return weights


def step_without_return(weights, X, y, eta):
    weights -= eta * adaline_cost_gradient(weights, X, y)[1]


def step_without_bias(weights, X, y, eta):
    new = gradient_descent_step(weights, X, y, eta)
    new[0] = weights[0]
    return new


WRONG_STEP = {
    "uphill": (lambda w, X, y, eta: w + eta * adaline_cost_gradient(w, X, y)[1], "not w + η ∇J"),
    "learning rate forgotten": (lambda w, X, y, eta: w - adaline_cost_gradient(w, X, y)[1], "learning rate η"),
    "bias not updated": (step_without_bias, "the bias w[0] takes its step too"),
    "modifies the weights in place": (step_in_place, "changed the `weights` it was given"),
    "returns the feature weights only": (
        lambda w, X, y, eta: gradient_descent_step(w, X, y, eta)[1:],
        "the bias w[0] first",
    ),
    "returns the step": (lambda w, X, y, eta: eta * adaline_cost_gradient(w, X, y)[1], "return the new weights"),
    "no return": (step_without_return, "changed the `weights` it was given; return a new array"),
}


# --- exercise 3: AdalineGD ---------------------------------------------------------------------


def gd_fit(update, cost=lambda errors, model, X, y: (errors**2).sum() / 2.0):
    """AdalineGD.fit with its update (and cost) replaced: `update(model, X, y, errors)` changes weights_."""

    def fit(self, X, y):
        self.weights_ = np.random.RandomState(self.random_state).normal(0.0, 0.01, 1 + X.shape[1])
        self.cost_ = []
        for _ in range(self.n_iter):
            errors = y - self.activation(self.net_input(X))
            update(self, X, y, errors)
            self.cost_.append(cost(errors, self, X, y))
        return self

    return with_method(AdalineGD, fit=fit)


def gd_update(sign=1.0, bias=True, scale=lambda n: 1.0):
    def update(model, X, y, errors):
        model.weights_[1:] += sign * model.eta * scale(len(y)) * X.T @ errors
        model.weights_[0] += sign * model.eta * scale(len(y)) * errors.sum() if bias else 0.0

    return update


def bias_from_new_errors(model, X, y, errors):
    """Updates the weights, then the bias from errors recomputed with the new weights."""
    model.weights_[1:] += model.eta * X.T @ errors
    model.weights_[0] += model.eta * (y - model.net_input(X)).sum()


def per_sample_update(model, X, y, errors):
    for xi, target in zip(X, y):
        error = target - model.net_input(xi)
        model.weights_[1:] += model.eta * xi * error
        model.weights_[0] += model.eta * error


def fit_appending_per_sample(self, X, y):
    AdalineGD.fit(self, X, y)
    self.cost_ = [cost / len(y) for cost in self.cost_ for _ in y]
    return self


def fit_ignoring_eta(self, X, y):
    eta, self.eta = self.eta, 1.0
    AdalineGD.fit(self, X, y)
    self.eta = eta
    return self


def cost_after_update(errors, model, X, y):
    return ((y - model.net_input(X)) ** 2).sum() / 2.0


WRONG_ADALINE_GD = {
    "cost computed after the update": (gd_fit(gd_update(), cost_after_update), "before updating the weights"),
    "cost without 1/2": (gd_fit(gd_update(), lambda errors, *_: (errors**2).sum()), "you left out the ½"),
    "mean squared error as cost": (
        gd_fit(gd_update(), lambda errors, *_: (errors**2).mean() / 2),
        "the cost is the sum of the squared errors",
    ),
    "sign error": (gd_fit(gd_update(sign=-1.0)), "the update has the wrong sign"),
    "bias not updated": (gd_fit(gd_update(bias=False)), "the bias w[0] must learn too"),
    "per-sample updates": (gd_fit(per_sample_update), "updating after each example is the stochastic version"),
    "mean gradient": (gd_fit(gd_update(scale=lambda n: 1 / n)), "the update uses the sum over the examples"),
    "threshold as activation": (
        with_method(AdalineGD, activation=lambda self, z: np.where(z >= 0, 1, -1)),
        "not from the thresholded prediction",
    ),
    "predict gives 0/1": (
        with_method(AdalineGD, predict=lambda self, X: (self.net_input(X) >= 0).astype(int)),
        "not 1 and 0",
    ),
    "predict gives the net input": (
        with_method(AdalineGD, predict=lambda self, X: self.net_input(X)),
        "not the net input z",
    ),
    "fit without return self": (
        with_method(AdalineGD, fit=lambda self, X, y: AdalineGD.fit(self, X, y) and None),
        "return self",
    ),
    "bias updated from recomputed errors": (gd_fit(bias_from_new_errors), "weights_ after fit"),
    "net input without bias": (
        with_method(AdalineGD, net_input=lambda self, X: X @ self.weights_[1:]),
        "net_input must add the bias",
    ),
    "cost per sample": (gd_fit(gd_update(), lambda errors, *_: list(errors**2 / 2)), "each entry of cost_ is one"),
    "an array of costs per epoch": (
        gd_fit(gd_update(), lambda errors, *_: errors**2 / 2),
        "each entry of cost_ is one",
    ),
    "costs appended per sample": (
        with_method(AdalineGD, fit=fit_appending_per_sample),
        "one cost per epoch (15 numbers); it holds 600",
    ),
    "no cost_": (
        with_method(AdalineGD, fit=lambda self, X, y: (AdalineGD.fit(self, X, y), delattr(self, "cost_"))[0]),
        "no attribute `cost_`",
    ),
    "learning rate ignored": (with_method(AdalineGD, fit=fit_ignoring_eta), "multiply the update by the learning rate"),
    "predict gives -1 at z = 0": (
        with_method(AdalineGD, predict=lambda self, X: np.where(self.net_input(X) > 0, 1, -1)),
        "predict with z >= 0, not z > 0",
    ),
}


def test_the_gd_reference_converges_on_the_checks_data():
    X, y = checks.standardized_data(np.random.default_rng(203), 40, 2)
    _, costs = checks.reference_adaline_gd(X, y, 0.01, 15, 1)
    assert np.all(np.diff(costs) < 0) and costs[-1] < costs[0] / 2


# --- exercise 4: standardize -------------------------------------------------------------------


def standardize_rows(X):
    return (X - X.mean(axis=1)) / X.std(axis=1)


def standardize_in_place(X):
    X -= X.mean(axis=0)
    X /= X.std(axis=0)
    return X


WRONG_STANDARDIZE = {
    "rows (axis=1, keepdims)": (
        lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True),
        "use axis=0, not axis=1",
    ),
    "rows (axis=1)": (standardize_rows, "could not be broadcast"),
    "one mean and std for everything": (lambda X: (X - X.mean()) / X.std(), "pass axis=0 to mean and std"),
    "centring only": (lambda X: X - X.mean(axis=0), "divide by the standard deviation"),
    "scaling only": (lambda X: X / X.std(axis=0), "subtract the mean"),
    "sample std (ddof=1)": (lambda X: (X - X.mean(axis=0)) / X.std(axis=0, ddof=1), "not ddof=1"),
    "divides by the variance": (lambda X: (X - X.mean(axis=0)) / X.var(axis=0), "not by the variance"),
    "changes X in place": (standardize_in_place, "changed the `X` it was given"),
    "min-max scaling": (
        lambda X: (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0)),
        "mean 0 and standard deviation 1",
    ),
}


def test_standardize_accepts_scikit_learns_scaler():
    from sklearn.preprocessing import StandardScaler

    assert checks.check_standardize(lambda X: StandardScaler().fit_transform(X), verbose=False)


# --- exercise 5: AdalineSGD --------------------------------------------------------------------


def sgd_fit(shuffle, always=False):
    """AdalineSGD.fit with `shuffle(model, X, y) -> X, y` in place of the lecture's shuffling (even if not
    self.shuffle, when `always`)."""

    def fit(self, X, y):
        self._initialize_weights(X.shape[1])
        self.cost_ = []
        for _ in range(self.n_iter):
            if self.shuffle or always:
                X, y = shuffle(self, X, y)
            self.cost_.append(sum(self._update_weights(xi, target) for xi, target in zip(X, y)) / len(y))
        return self

    return with_method(AdalineSGD, fit=fit)


def sgd_update(eta=lambda model: model.eta, sign=1.0, bias=True, halved=True):
    def update(self, xi, target):
        error = target - self.net_input(xi)
        self.weights_[1:] += sign * eta(self) * xi * error
        self.weights_[0] += sign * eta(self) * error if bias else 0.0
        return (0.5 if halved else 1.0) * error**2

    return with_method(AdalineSGD, _update_weights=update)


def cost_summed(self, X, y):
    AdalineSGD.fit(self, X, y)
    self.cost_ = [cost * len(y) for cost in self.cost_]
    return self


def partial_fit_restarting(self, X, y):
    self._initialize_weights(X.shape[1])
    for xi, target in zip(np.atleast_2d(X), np.atleast_1d(y)):
        self._update_weights(xi, target)
    return self


def partial_fit_with_len(self, X, y):
    if not self.w_initialized:
        self._initialize_weights(X.shape[1])
    for xi, target in zip(X, y) if len(y) > 1 else [(X, y)]:
        self._update_weights(xi, target)
    return self


def partial_fit_as_in_the_book(self, X, y):
    """Raschka's version, which passes a label of shape (1,) on to _update_weights as it is."""
    if not self.w_initialized:
        self._initialize_weights(X.shape[1])
    if y.ravel().shape[0] > 1:
        for xi, target in zip(X, y):
            self._update_weights(xi, target)
    else:
        self._update_weights(X, y)
    return self


def shuffle_in_place(self, X, y):
    X[:], y[:] = self._shuffle(X, y)
    return X, y


def partial_fit_looping(self, X, y, rows=lambda X, y: zip(X, y)):
    if not self.w_initialized:
        self._initialize_weights(X.shape[1])
    for xi, target in rows(X, y):
        self._update_weights(xi, target)
    return self


def partial_fit_never_initialising(self, X, y):
    self.w_initialized = True
    return AdalineSGD.partial_fit(self, X, y)


WRONG_ADALINE_SGD = {
    "no shuffling": (sgd_fit(lambda self, X, y: (X, y)), "shuffle the examples at the start of every epoch"),
    "shuffles X but not y": (sgd_fit(lambda self, X, y: (self._shuffle(X, y)[0], y)), "shuffling X alone"),
    "shuffles with np.random": (sgd_fit(lambda self, X, y: (X[np.random.permutation(len(y))], y)), "self._shuffle"),
    "shuffles the caller's arrays": (sgd_fit(shuffle_in_place), "fit changed the `X` it was given"),
    "cost summed, not averaged": (with_method(AdalineSGD, fit=cost_summed), "divide the sum of the losses by len(y)"),
    "loss not halved": (sgd_update(halved=False), "you left out the ½"),
    "learning rate forgotten": (sgd_update(eta=lambda model: 1.0), "multiply each update by the learning rate"),
    "bias not updated": (sgd_update(bias=False), "the bias w[0] must learn too"),
    "sign error": (sgd_update(sign=-1.0), "the update has the wrong sign"),
    "fit without return self": (
        with_method(AdalineSGD, fit=lambda self, X, y: AdalineSGD.fit(self, X, y) and None),
        "fit must end with `return self`",
    ),
    "partial_fit re-initialises": (
        with_method(AdalineSGD, partial_fit=partial_fit_restarting),
        "partial_fit must keep learning from the weights it has",
    ),
    "partial_fit calls fit": (
        with_method(AdalineSGD, partial_fit=lambda self, X, y: self.fit(X, y)),
        "in the order given (no shuffling, one pass)",
    ),
    "partial_fit without return self": (
        with_method(AdalineSGD, partial_fit=lambda self, X, y: AdalineSGD.partial_fit(self, X, y) and None),
        "partial_fit must end with `return self`",
    ),
    "partial_fit breaks on one example": (with_method(AdalineSGD, partial_fit=partial_fit_with_len), "has no len()"),
    "partial_fit as in the book": (
        with_method(AdalineSGD, partial_fit=partial_fit_as_in_the_book),
        "update with the label itself, `np.ravel(y)[0]`",
    ),
    "shuffles X and y apart": (
        sgd_fit(lambda self, X, y: (X[self.rgen.permutation(len(y))], y[self.rgen.permutation(len(y))])),
        "the rows of X and y were shuffled apart",
    ),
    "shuffles even with shuffle=False": (
        sgd_fit(lambda self, X, y: self._shuffle(X, y), always=True),
        "with shuffle=False, fit keeps the order given",
    ),
    "partial_fit as a plain loop": (
        with_method(AdalineSGD, partial_fit=partial_fit_looping),
        "which `zip(X, y)` cannot loop over",
    ),
    "partial_fit never initialises": (
        with_method(AdalineSGD, partial_fit=partial_fit_never_initialising),
        "no attribute 'weights_'",
    ),
}


def test_adaline_sgd_accepts_partial_fit_as_one_loop_over_the_rows():
    def rows(X, y):
        return zip(np.atleast_2d(X), np.atleast_1d(y))

    model = with_method(AdalineSGD, partial_fit=lambda self, X, y: partial_fit_looping(self, X, y, rows))
    assert checks.check_adaline_sgd(model, verbose=False)


def test_the_sgd_reference_converges_on_the_checks_data():
    # That each known mistake gives other weights is shown by the contract: each is named in its verdict.
    X, y = checks.standardized_data(np.random.default_rng(205), 30, 2)
    _, costs = checks.reference_adaline_sgd(X, y, 0.01, 12, 1)
    assert costs[-1] < costs[0] / 2


# --- exercise 6: sigmoid -----------------------------------------------------------------------


def derivative_by_exp(z):
    return np.exp(-z) / (1 + np.exp(-z)) ** 2


WRONG_SIGMOID = {
    "exp(z) instead of exp(-z)": (
        (lambda z: 1 / (1 + np.exp(np.clip(z, -500, 500))), sigmoid_derivative),
        "the exponent is −z",
    ),
    "overflow for large |z|": ((lambda z: 1 / (1 + np.exp(-z)), sigmoid_derivative), "clip z first"),
    "math.exp": ((lambda z: 1 / (1 + math.exp(-z)), sigmoid_derivative), "math.exp"),
    "clipped too narrowly": ((lambda z: sigmoid(np.clip(z, -5, 5)), sigmoid_derivative), "wide enough not to change σ"),
    "derivative z(1 - z)": ((sigmoid, lambda z: z * (1 - z)), "uses σ(z), not z itself"),
    "derivative s(1 + s)": ((sigmoid, lambda z: sigmoid(z) * (1 + sigmoid(z))), "with a minus sign"),
    "derivative forgotten": ((sigmoid, sigmoid), "that is σ(z) itself"),
    "derivative with exp overflows": ((sigmoid, derivative_by_exp), "compute it from your sigmoid"),
    "derivative not element-wise": ((sigmoid, lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2), "math.exp"),
    "clipped at ±30": ((lambda z: sigmoid(np.clip(z, -30, 30)), sigmoid_derivative), "narrower than about ±70"),
}


def test_sigmoid_accepts_scipys_expit_and_the_tanh_form():
    from scipy.special import expit

    assert checks.check_sigmoid(expit, lambda z: expit(z) * expit(-z), verbose=False)
    assert checks.check_sigmoid(lambda z: 0.5 * (1 + np.tanh(z / 2)), sigmoid_derivative, verbose=False)


@pytest.mark.parametrize("bound", [100, 250, 709])
def test_sigmoid_accepts_a_clip_wide_enough(bound):
    assert checks.check_sigmoid(lambda z: sigmoid(np.clip(z, -bound, bound)), sigmoid_derivative, verbose=False)


def test_sigmoid_cannot_be_the_lectures_number():
    assert not checks.check_sigmoid(lambda z: 0.785, sigmoid_derivative, verbose=False)


def test_sigmoid_overflow_is_caught_even_where_numpy_warnings_are_off():
    with np.errstate(all="ignore"):
        result = checks.check_sigmoid(lambda z: 1 / (1 + np.exp(-z)), sigmoid_derivative, verbose=False)
    assert_rejected(result, "overflow encountered in exp")


# --- exercise 7: softmax -----------------------------------------------------------------------


def unstable_softmax(z):
    exponentials = np.exp(z)
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def softmax_sum_without_keepdims(z):
    exponentials = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1)


def softmax_max_without_keepdims(z):
    return unstable_softmax(z - np.max(z, axis=-1))


def softmax_shifted_by_column_maxima(z):
    return unstable_softmax(z - np.max(z, axis=0))


def softmax_summed_over_columns(z):
    exponentials = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=0)


def softmax_over_columns(z):
    exponentials = np.exp(z - np.max(z))
    return exponentials / exponentials.sum(axis=0)


WRONG_SOFTMAX = {
    "normalised over columns": (softmax_over_columns, "not each column"),
    "no max subtraction": (unstable_softmax, "overflow encountered in exp"),
    "not normalised": (lambda z: np.exp(z - np.max(z, axis=-1, keepdims=True)), "still divide the exponentials"),
    "exponentials only": (np.exp, "divide by the sum of the exponentials"),
    "sum over the whole array": (lambda z: np.exp(z) / np.exp(z).sum(), "not over the whole array"),
    "sum without keepdims": (softmax_sum_without_keepdims, "could not be broadcast"),
    "max without keepdims": (softmax_max_without_keepdims, "could not be broadcast"),
    "axis=1 only": (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "axis 1 is out of bounds"),
    "maximum of each column subtracted": (softmax_shifted_by_column_maxima, "subtract each row's own maximum"),
    "summed over the columns": (softmax_summed_over_columns, "the sum runs over the wrong axis"),
}


def test_softmax_accepts_scipys_and_the_maximum_of_the_whole_array():
    from scipy.special import softmax as scipy_softmax

    assert checks.check_softmax(lambda z: scipy_softmax(z, axis=-1), verbose=False)
    assert checks.check_softmax(lambda z: unstable_softmax(z - np.max(z)), verbose=False)


# --- exercise 8: cross-entropy -----------------------------------------------------------------


def binary_with(log=np.log, clip=lambda p: np.clip(p, EPS, 1 - EPS), ones=1.0, zeros=1.0, reduce=np.mean):
    def loss(y, p):
        p = clip(p)
        return reduce(-(ones * y * log(p) + zeros * (1 - y) * log(1 - p)))

    return loss


def categorical_with(log=np.log, clip=lambda P: np.clip(P, EPS, 1 - EPS), reduce=lambda t: np.mean(-t.sum(axis=1))):
    return lambda Y, P: reduce(Y * log(clip(P)))


WRONG_BINARY = {
    "missing minus sign": (binary_with(reduce=lambda losses: -np.mean(losses)), "with a minus sign"),
    "sum instead of mean": (binary_with(reduce=np.sum), "do not sum them"),
    "log10": (binary_with(log=np.log10), "not np.log10"),
    "label-0 term missing": (binary_with(zeros=0.0), "add the term (1 − y) log(1 − p)"),
    "label-1 term missing": (binary_with(ones=0.0), "add the term y log p"),
    "no clipping": (binary_with(clip=lambda p: p), "clip the probabilities"),
    "clipped at 0 only": (binary_with(clip=lambda p: np.maximum(p, EPS)), "clip the probabilities"),
    "clipped too widely": (binary_with(clip=lambda p: np.clip(p, 1e-3, 1 - 1e-3)), "not to a wider range"),
    "clipped at 1e-5": (binary_with(clip=lambda p: np.clip(p, 1e-5, 1 - 1e-5)), "clipped at 1e-05"),
    "upper clip too wide": (binary_with(clip=lambda p: np.clip(p, EPS, 1 - 1e-3)), "the upper end too"),
    "no clipping, nan silenced": (binary_with(clip=lambda p: p, reduce=np.nanmean), "clip the probabilities"),
    "losses per example": (binary_with(reduce=lambda losses: losses), "return one number"),
}
WRONG_CATEGORICAL = {
    "missing minus sign": (categorical_with(reduce=lambda t: np.mean(t.sum(axis=1))), "with a minus sign"),
    "sum instead of mean": (categorical_with(reduce=lambda t: -t.sum()), "do not sum"),
    "log10": (categorical_with(log=np.log10), "not np.log10"),
    "mean over all entries": (categorical_with(reduce=lambda t: -t.mean()), "divides by the number of classes"),
    "sum over the wrong axis": (categorical_with(reduce=lambda t: np.mean(-t.sum(axis=0))), "each row is an example"),
    "no clipping": (categorical_with(clip=lambda P: P), "clip the probabilities"),
    "clipped at 1e-5": (categorical_with(clip=lambda P: np.clip(P, 1e-5, 1)), "not to a wider range"),
    "clipped at 1e-300": (categorical_with(clip=lambda P: np.clip(P, 1e-300, 1)), "a floor far below that"),
    "losses per example": (categorical_with(reduce=lambda t: -t.sum(axis=1)), "return one number"),
}

WRONG_CROSS_ENTROPY = {
    **{
        f"binary: {name}": ((function, categorical_cross_entropy), fragment)
        for name, (function, fragment) in WRONG_BINARY.items()
    },
    **{
        f"categorical: {name}": ((binary_cross_entropy, function), fragment)
        for name, (function, fragment) in WRONG_CATEGORICAL.items()
    },
}


def test_cross_entropy_accepts_a_small_number_added_inside_the_logarithm():
    def binary(y, p):
        return -np.mean(y * np.log(p + EPS) + (1 - y) * np.log(1 - p + EPS))

    def categorical(Y, P):
        return -np.mean(np.sum(Y * np.log(P + EPS), axis=1))

    assert checks.check_cross_entropy(binary, categorical, verbose=False)


@pytest.mark.parametrize("eps", [1e-7, 1e-10, 1e-15])
def test_cross_entropy_accepts_a_reasonable_clip(eps):
    binary = binary_with(clip=lambda p: np.clip(p, eps, 1 - eps))
    categorical = categorical_with(clip=lambda P: np.clip(P, eps, 1))
    assert checks.check_cross_entropy(binary, categorical, verbose=False)


# --- exercise 9: L2 penalty --------------------------------------------------------------------


def l2_zeroing_the_bias_in_place(weights, lam):
    weights[0] = 0.0
    return lam * np.sum(weights**2), 2 * lam * weights


WRONG_L2 = {
    "bias penalised": (lambda w, lam: (lam * np.sum(w**2), 2 * lam * w), "the bias w[0] is not penalised"),
    "bias in the gradient": (lambda w, lam: (l2_penalty(w, lam)[0], 2 * lam * w), "first component is 0"),
    "factor 2 missing": (lambda w, lam: (l2_penalty(w, lam)[0], np.r_[0.0, lam * w[1:]]), "the factor 2 is missing"),
    "norm not squared": (lambda w, lam: (lam * np.linalg.norm(w[1:]), l2_penalty(w, lam)[1]), "no square root"),
    "lam forgotten": (lambda w, lam: (np.sum(w[1:] ** 2), np.r_[0.0, 2 * w[1:]]), "multiply by λ"),
    "halved penalty": (lambda w, lam: (lam / 2 * np.sum(w[1:] ** 2), np.r_[0.0, lam * w[1:]]), "without a factor ½"),
    "bias set to 0 in place": (l2_zeroing_the_bias_in_place, "changed the `weights` it was given"),
    "gradient without the bias entry": (lambda w, lam: (l2_penalty(w, lam)[0], 2 * lam * w[1:]), "put 0 first"),
    "penalty only": (lambda w, lam: l2_penalty(w, lam)[0], "should return two values"),
}


# --- all checks -------------------------------------------------------------------------------

TestContract = contract(
    [
        Exercise(checks.check_adaline_cost_gradient, adaline_cost_gradient, WRONG_COST_GRADIENT),
        Exercise(checks.check_gradient_descent_step, gradient_descent_step, WRONG_STEP),
        Exercise(checks.check_adaline_gd, AdalineGD, WRONG_ADALINE_GD, not_done=with_stub_methods(AdalineGD, "fit")),
        Exercise(checks.check_standardize, standardize, WRONG_STANDARDIZE),
        Exercise(
            checks.check_adaline_sgd,
            AdalineSGD,
            WRONG_ADALINE_SGD,
            not_done=with_stub_methods(AdalineSGD, "fit", "partial_fit"),
        ),
        Exercise(checks.check_sigmoid, (sigmoid, sigmoid_derivative), WRONG_SIGMOID),
        Exercise(checks.check_softmax, softmax, WRONG_SOFTMAX),
        Exercise(checks.check_cross_entropy, (binary_cross_entropy, categorical_cross_entropy), WRONG_CROSS_ENTROPY),
        Exercise(checks.check_l2_penalty, l2_penalty, WRONG_L2),
    ]
)

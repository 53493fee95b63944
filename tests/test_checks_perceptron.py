"""The checks of notebook 01 meet the contract of tests/check_harness.py.

Each table maps a mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import inspect

import numpy as np

from course_utils import checks_perceptron as checks
from course_utils.reference import separable_data
from tests import solutions
from tests.check_harness import Exercise, contract, with_method, with_stub_methods
from tests.solutions import Perceptron, neuron, perceptron_update, to01, xor_network

# --- exercise 1: threshold --------------------------------------------------------------------

WRONG_THRESHOLD = {
    "np.sign": (np.sign, "np.sign gives 0 at z = 0"),
    "strict comparison": (lambda z: np.where(z > 0, 1, -1), "not z > 0"),
    "0/1 outputs": (lambda z: (np.asarray(z) >= 0).astype(int), "not 1 and 0"),
    "swapped outputs": (lambda z: np.where(z >= 0, -1, 1), "not the other way round"),
    "not vectorised": (lambda z: 1 if z >= 0 else -1, "np.where(condition, a, b)"),
    "booleans": (lambda z: np.asarray(z) >= 0, "not 1 and 0"),
    "flattens": (lambda z: np.where(np.ravel(z) >= 0, 1, -1), "returned shape (1,), expected shape ()"),
}

# --- exercise 2: logic gates --------------------------------------------------------------------


def gates(**change):
    """The solution's weights and biases of NOT, AND and OR in the order the check takes them, with `change` made."""
    given = {name: getattr(solutions, name) for name in inspect.signature(checks.check_logic_gates).parameters}
    return tuple({**given, **change}.values())


WRONG_GATES = {
    "AND line through a corner": (
        gates(b_and=-1.0),
        "gives 1 (z = 0), the truth table says -1 (false). z = 0 counts as 1",
    ),
    "OR without bias": (gates(b_or=0.0), "OR: for x = (0, 0) the neuron gives 1 (z = 0)"),
    "NOT with a positive weight": (gates(w_not=[1.0]), "NOT: for x = (1,) the neuron gives 1"),
    "AND weights used for OR": (gates(b_or=-1.5), "OR: for x = (0, 1) the neuron gives -1"),
    "AND with one weight": (gates(w_and=[1.0]), "w_and should hold 2 weight(s)"),
    "a word for a bias": (gates(b_and="minus one"), "b_and should be one number"),
    "no bias and weights that never fire": (gates(w_or=[-1, -1], b_or=0.0), "With b = 0"),
    "NOT with a positive weight and no bias": (
        gates(w_not=[1.0], b_not=0.0),
        "NOT: for x = (1,) the neuron gives 1 (z = 1)",
    ),
}

# --- exercise 3: XOR network ------------------------------------------------------------------


def xor_with(w_or=(1, 1), b_or=-0.5, w_nand=(-1, -1), b_nand=1.5, w_out=(1, 1), b_out=-1.5):
    """The solution's network, OR and NAND feeding AND, with some of its weights and biases replaced."""

    def xor_network(X):
        hidden = np.column_stack([neuron(X, w_or, b_or), neuron(X, w_nand, b_nand)])
        return neuron(to01(hidden), w_out, b_out)

    return xor_network


WRONG_XOR = {
    "one layer (OR)": (lambda X: neuron(X, [1, 1], -0.5), "that is OR"),
    "last layer only (AND)": (lambda X: neuron(X, [1, 1], -1.5), "that is AND"),
    "XNOR": (lambda X: -xor_network(X), "that is XNOR"),
    "0/1 outputs": (lambda X: to01(xor_network(X)), "not 1 and 0"),
    "only the first row": (lambda X: xor_network(X[:1]), "expected shape (4,)"),
    "python loop returning a list of bools": (lambda X: [bool(a) != bool(b) for a, b in X], "not 1 and 0"),
    "NAND with the weights flipped but not the bias": (xor_with(b_nand=-1.5), "one of its neurons never fires"),
    "OR as the last neuron": (xor_with(b_out=-0.5), "one of its neurons always fires"),
    "one layer, OR's signs flipped": (lambda X: neuron(X, [-1, -1], 0.5), "that is NOR"),
    "one weight flipped": (xor_with(w_or=(1, -1)), "XOR treats its two inputs alike"),
}

# --- exercise 4: one update --------------------------------------------------------------------


def no_bias(w, xi, target, eta):
    new = perceptron_update(w, xi, target, eta)
    new[0] = w[0]
    return new


def predicting_with(sign):
    """perceptron_update predicting with `sign(z)` in place of the threshold."""

    def update(w, xi, target, eta):
        return w + eta * (target - sign(w[0] + xi @ w[1:])) * np.r_[1.0, xi]

    return update


def in_place(weights, xi, target, eta):
    weights[:] = perceptron_update(weights, xi, target, eta)
    return weights


WRONG_UPDATE = {
    "bias not updated": (no_bias, "the bias w[0] must change too"),
    "sign error": (lambda w, xi, t, eta: 2 * w - perceptron_update(w, xi, t, eta), "the sign is reversed"),
    "learning rate forgotten": (lambda w, xi, t, eta: perceptron_update(w, xi, t, 1.0), "learning rate"),
    "ADALINE's rule": (
        lambda w, xi, t, eta: w + eta * (t - (w[0] + xi @ w[1:])) * np.r_[1.0, xi],
        "not the net input z",
    ),
    "no return after in-place change": (
        lambda w, xi, t, eta: w.__setitem__(slice(None), perceptron_update(w, xi, t, eta)),
        "returned None",
    ),
    "weights only, bias dropped": (lambda w, xi, t, eta: perceptron_update(w, xi, t, eta)[1:], "returned shape"),
    "half step, y instead of y - y_hat": (lambda w, xi, t, eta: perceptron_update(w, xi, t, eta / 2), "not y alone"),
    "updates on every example": (
        lambda w, xi, t, eta: w + eta * t * np.r_[1.0, xi],
        "only when the prediction is wrong",
    ),
    "changes the weights in place": (in_place, "changed the `weights` it was given"),
    "predicts -1 at z = 0": (predicting_with(lambda z: 1 if z > 0 else -1), "compare with z >= 0, not z > 0"),
    "predicts with np.sign": (predicting_with(np.sign), "np.sign(0) is 0"),
}

# --- exercise 5: the Perceptron class ------------------------------------------------------------


def perceptron_fit(
    order=lambda rgen, n: range(n),
    bias=True,
    count=lambda model, X, y, changes: sum(change != 0.0 for change in changes),
):
    """Perceptron.fit with one part replaced.

    `order(rgen, n)` gives the order of the examples in each epoch, and `count(model, X, y,
    changes)` the epoch's entry of errors_ from the updates it made.
    """

    def fit(self, X, y):
        rgen = np.random.RandomState(self.random_state)
        self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
        self.errors_ = []
        for _ in range(self.n_iter):
            changes = []
            for i in order(rgen, len(y)):
                changes.append(self.eta * (y[i] - self.predict(X[i])))
                self.weights_[1:] += changes[-1] * X[i]
                self.weights_[0] += changes[-1] if bias else 0.0
            self.errors_.append(count(self, X, y, changes))
        return self

    return with_method(Perceptron, fit=fit)


def fit_errors_per_sample(self, X, y):
    Perceptron.fit(self, X, y)
    self.errors_ = [0] * (self.n_iter * len(X))
    return self


def fit_counting_a_running_total(self, X, y):
    Perceptron.fit(self, X, y)
    self.errors_ = list(np.cumsum(self.errors_))
    return self


def fit_ignoring_eta(self, X, y):
    eta, self.eta = self.eta, 1.0
    Perceptron.fit(self, X, y)
    self.eta = eta
    return self


def fit_zero_start(self, X, y):
    self.random_state = None
    Perceptron.fit(self, X, y)
    return self


WRONG_PERCEPTRON = {
    "fit forgets return self": (
        with_method(Perceptron, fit=lambda self, X, y: Perceptron.fit(self, X, y) and None),
        "return self",
    ),
    "bias never learns": (perceptron_fit(bias=False), "the bias w[0] is not updated"),
    "sign error in fit": (
        with_method(Perceptron, predict=lambda self, X: -Perceptron.predict(self, X)),
        "weights_ after fit",
    ),
    "predict gives 0/1": (
        with_method(Perceptron, predict=lambda self, X: (Perceptron.net_input(self, X) >= 0).astype(int)),
        "should give one label, 1 or -1",
    ),
    "errors counted after each epoch": (
        perceptron_fit(count=lambda model, X, y, changes: int(np.sum(model.predict(X) != y))),
        "not those of the weights at its end",
    ),
    "shuffles each epoch": (
        perceptron_fit(order=lambda rgen, n: rgen.permutation(n)),
        "in the order given (no shuffling",
    ),
    "errors_ per sample": (with_method(Perceptron, fit=fit_errors_per_sample), "one count per epoch"),
    "errors_ sums updates": (
        perceptron_fit(count=lambda model, X, y, changes: sum(changes)),
        "not the sizes of the updates",
    ),
    "net input ignores the bias": (
        with_method(Perceptron, net_input=lambda self, X: np.dot(X, self.weights_[1:])),
        "net_input must add the bias",
    ),
    "learning rate ignored": (
        with_method(Perceptron, fit=fit_ignoring_eta),
        "multiply each update by the learning rate",
    ),
    "errors_ as a running total": (with_method(Perceptron, fit=fit_counting_a_running_total), "not a running total"),
    "predict gives -1 at z = 0": (
        with_method(Perceptron, predict=lambda self, X: np.where(self.net_input(X) > 0, 1, -1)),
        "predict with z >= 0, not z > 0",
    ),
    "predict with np.sign": (
        with_method(Perceptron, predict=lambda self, X: np.sign(self.net_input(X))),
        "np.sign(0) is 0",
    ),
    "weights not seeded": (with_method(Perceptron, fit=fit_zero_start), "weights_ after fit"),
    "no errors_ at all": (
        with_method(Perceptron, fit=lambda self, X, y: (Perceptron.fit(self, X, y), delattr(self, "errors_"))[0]),
        "no attribute `errors_`",
    ),
}

# --- all checks --------------------------------------------------------------------------------

# A class whose fit or net_input is still a stub is not done.
UNFINISHED_PERCEPTRON = with_stub_methods(Perceptron, "fit", "net_input")

TestContract = contract(
    [
        Exercise(checks.check_threshold, solutions.threshold, WRONG_THRESHOLD),
        # The gates are numbers: unfinished, they are still None; there is no code to hard-code.
        Exercise(checks.check_logic_gates, gates(), WRONG_GATES, unfinished=(None,), hard_code=None),
        Exercise(checks.check_xor_network, xor_network, WRONG_XOR),
        Exercise(checks.check_perceptron_update, perceptron_update, WRONG_UPDATE),
        Exercise(checks.check_perceptron, Perceptron, WRONG_PERCEPTRON, not_done=UNFINISHED_PERCEPTRON),
    ]
)


def test_the_checks_data_is_separable_and_the_reference_converges():
    X, y = separable_data(np.random.default_rng(5))
    _, errors = checks.reference_fit(X, y, 0.1, 25, 1)
    assert errors[-1] == 0 and errors[0] > 0

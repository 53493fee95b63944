"""The checks of notebook 01 pass the lecture's code, report stubs, and reject realistic mistakes."""

import numpy as np
import pytest

from course_utils import checks_perceptron as checks


def stub(*args, **kwargs):
    raise NotImplementedError()


def assert_rejected(result, fragment):
    assert not result and result.status in ("not yet right", "error"), result.message
    assert fragment in result.message, result.message


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


def test_threshold_reference_and_stub():
    assert checks.check_threshold(lambda z: np.where(z >= 0, 1, -1), verbose=False)
    assert checks.check_threshold(stub, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_THRESHOLD)
def test_threshold_rejects(mistake):
    function, fragment = WRONG_THRESHOLD[mistake]
    assert_rejected(checks.check_threshold(function, verbose=False), fragment)


# --- exercise 2: logic gates --------------------------------------------------------------------

RIGHT_GATES = dict(w_not=[-1.0], b_not=0.5, w_and=[1.0, 1.0], b_and=-1.5, w_or=[1.0, 1.0], b_or=-0.5)
WRONG_GATES = {
    "AND line through a corner": (
        {"b_and": -1.0},
        "gives 1 (z = 0), the truth table says -1 (false). z = 0 counts as 1",
    ),
    "OR without bias": ({"b_or": 0.0}, "OR: for x = (0, 0) the neuron gives 1 (z = 0)"),
    "NOT with a positive weight": ({"w_not": [1.0]}, "NOT: for x = (1,) the neuron gives 1"),
    "AND weights used for OR": ({"b_or": -1.5}, "OR: for x = (0, 1) the neuron gives -1"),
    "AND with one weight": ({"w_and": [1.0]}, "w_and should hold 2 weight(s)"),
    "a word for a bias": ({"b_and": "minus one"}, "b_and should be one number"),
    "no bias and weights that never fire": ({"w_or": [-1, -1], "b_or": 0.0}, "With b = 0"),
    "NOT with a positive weight and no bias": (
        {"w_not": [1.0], "b_not": 0.0},
        "NOT: for x = (1,) the neuron gives 1 (z = 1)",
    ),
}


def test_gates_reference_and_not_done():
    assert checks.check_logic_gates(**RIGHT_GATES, verbose=False)
    assert checks.check_logic_gates(**{**RIGHT_GATES, "w_or": None}, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_GATES)
def test_gates_reject(mistake):
    change, fragment = WRONG_GATES[mistake]
    assert_rejected(checks.check_logic_gates(**{**RIGHT_GATES, **change}, verbose=False), fragment)


# --- exercise 3: XOR network ------------------------------------------------------------------


def neuron(X, w, b):
    return np.where(X @ np.asarray(w) + b >= 0, 1, -1)


def to01(outputs):
    return (outputs + 1) // 2


def xor_network(X):
    hidden = np.column_stack([neuron(X, [1, 1], -0.5), neuron(X, [-1, -1], 1.5)])  # OR, NAND
    return neuron(to01(hidden), [1, 1], -1.5)  # AND


WRONG_XOR = {
    "one layer (OR)": (lambda X: neuron(X, [1, 1], -0.5), "that is OR"),
    "last layer only (AND)": (lambda X: neuron(X, [1, 1], -1.5), "that is AND"),
    "XNOR": (lambda X: -xor_network(X), "that is XNOR"),
    "0/1 outputs": (lambda X: to01(xor_network(X)), "not 1 and 0"),
    "only the first row": (lambda X: xor_network(X[:1]), "expected shape (4,)"),
    "python loop returning a list of bools": (lambda X: [bool(a) != bool(b) for a, b in X], "not 1 and 0"),
}


def test_xor_reference_and_stub():
    assert checks.check_xor_network(xor_network, verbose=False)
    assert checks.check_xor_network(stub, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_XOR)
def test_xor_rejects(mistake):
    function, fragment = WRONG_XOR[mistake]
    assert_rejected(checks.check_xor_network(function, verbose=False), fragment)


def test_xor_cannot_be_hard_coded_for_the_truth_table():
    assert not checks.check_xor_network(lambda X: np.array([-1, 1, 1, -1]), verbose=False)


# --- exercise 4: one update --------------------------------------------------------------------


def update(w, xi, target, eta):
    prediction = 1 if w[0] + xi @ w[1:] >= 0 else -1
    return w + eta * (target - prediction) * np.r_[1.0, xi]


def no_bias(w, xi, target, eta):
    new = update(w, xi, target, eta)
    new[0] = w[0]
    return new


def in_place(w, xi, target, eta):
    w[:] = update(w, xi, target, eta)
    return w


WRONG_UPDATE = {
    "bias not updated": (no_bias, "the bias w[0] must change too"),
    "sign error": (lambda w, xi, t, eta: 2 * w - update(w, xi, t, eta), "the sign is reversed"),
    "learning rate forgotten": (lambda w, xi, t, eta: update(w, xi, t, 1.0), "learning rate"),
    "ADALINE's rule": (
        lambda w, xi, t, eta: w + eta * (t - (w[0] + xi @ w[1:])) * np.r_[1.0, xi],
        "not the net input z",
    ),
    "no return after in-place change": (
        lambda w, xi, t, eta: w.__setitem__(slice(None), update(w, xi, t, eta)),
        "returned None",
    ),
    "weights only, bias dropped": (lambda w, xi, t, eta: update(w, xi, t, eta)[1:], "returned shape"),
    "half step, y instead of y - y_hat": (lambda w, xi, t, eta: update(w, xi, t, eta / 2), "not y alone"),
    "updates on every example": (
        lambda w, xi, t, eta: w + eta * t * np.r_[1.0, xi],
        "only when the prediction is wrong",
    ),
    "changes the weights in place": (in_place, "changed the `weights` it was given"),
}


def test_update_reference_and_stub():
    assert checks.check_perceptron_update(update, verbose=False)
    assert checks.check_perceptron_update(stub, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_UPDATE)
def test_update_rejects(mistake):
    function, fragment = WRONG_UPDATE[mistake]
    assert_rejected(checks.check_perceptron_update(function, verbose=False), fragment)


# --- exercise 5: the Perceptron class ------------------------------------------------------------


class Perceptron:
    """The lecture's perceptron, written as students are asked to."""

    def __init__(self, eta=0.1, n_iter=10, random_state=1):
        self.eta, self.n_iter, self.random_state = eta, n_iter, random_state

    def fit(self, X, y):
        rgen = np.random.RandomState(self.random_state)
        self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
        self.errors_ = []
        for _ in range(self.n_iter):
            errors = 0
            for xi, target in zip(X, y):
                change = self.eta * (target - self.predict(xi))
                self.weights_[1:] += change * xi
                self.weights_[0] += change
                errors += int(change != 0.0)
            self.errors_.append(errors)
        return self

    def net_input(self, X):
        return np.dot(X, self.weights_[1:]) + self.weights_[0]

    def predict(self, X):
        return np.where(self.net_input(X) >= 0.0, 1, -1)


def variant(**methods):
    return type("Wrong", (Perceptron,), methods)


def fit_without_bias(self, X, y):
    Perceptron.fit(self, X, y)  # recompute the trajectory with the bias frozen
    rgen = np.random.RandomState(self.random_state)
    self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
    for _ in range(self.n_iter):
        for xi, target in zip(X, y):
            self.weights_[1:] += self.eta * (target - self.predict(xi)) * xi
    return self


def fit_errors_per_sample(self, X, y):
    Perceptron.fit(self, X, y)
    self.errors_ = [0] * (self.n_iter * len(X))
    return self


def fit_sums_updates(self, X, y):
    rgen = np.random.RandomState(self.random_state)
    self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
    self.errors_ = []
    for _ in range(self.n_iter):
        total = 0.0
        for xi, target in zip(X, y):
            change = self.eta * (target - self.predict(xi))
            self.weights_[1:] += change * xi
            self.weights_[0] += change
            total += change
        self.errors_.append(total)
    return self


def fit_errors_after_epoch(self, X, y):
    rgen = np.random.RandomState(self.random_state)
    self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
    self.errors_ = []
    for _ in range(self.n_iter):
        for xi, target in zip(X, y):
            change = self.eta * (target - self.predict(xi))
            self.weights_[1:] += change * xi
            self.weights_[0] += change
        self.errors_.append(int(np.sum(self.predict(X) != y)))
    return self


def fit_shuffled(self, X, y):
    rgen = np.random.RandomState(self.random_state)
    self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
    self.errors_ = []
    for _ in range(self.n_iter):
        errors = 0
        for i in rgen.permutation(len(y)):
            change = self.eta * (y[i] - self.predict(X[i]))
            self.weights_[1:] += change * X[i]
            self.weights_[0] += change
            errors += int(change != 0.0)
        self.errors_.append(errors)
    return self


def fit_zero_start(self, X, y):
    self.random_state = None
    Perceptron.fit(self, X, y)
    return self


WRONG_PERCEPTRON = {
    "fit forgets return self": (variant(fit=lambda self, X, y: Perceptron.fit(self, X, y) and None), "return self"),
    "bias never learns": (variant(fit=fit_without_bias), "the bias w[0] is not updated"),
    "sign error in fit": (variant(predict=lambda self, X: -Perceptron.predict(self, X)), "weights_ after fit"),
    "predict gives 0/1": (
        variant(predict=lambda self, X: (Perceptron.net_input(self, X) >= 0).astype(int)),
        "should give one label, 1 or -1",
    ),
    "errors counted after each epoch": (variant(fit=fit_errors_after_epoch), "not those of the weights at its end"),
    "shuffles each epoch": (variant(fit=fit_shuffled), "in the order given (no shuffling"),
    "errors_ per sample": (variant(fit=fit_errors_per_sample), "one count per epoch"),
    "errors_ sums updates": (variant(fit=fit_sums_updates), "not the sizes of the updates"),
    "net input ignores the bias": (
        variant(net_input=lambda self, X: np.dot(X, self.weights_[1:])),
        "weights_ after fit",
    ),
    "weights not seeded": (variant(fit=fit_zero_start), "weights_ after fit"),
    "no errors_ at all": (
        variant(fit=lambda self, X, y: (Perceptron.fit(self, X, y), delattr(self, "errors_"))[0]),
        "no attribute `errors_`",
    ),
}


def test_perceptron_reference_and_stub():
    assert checks.check_perceptron(Perceptron, verbose=False)
    assert checks.check_perceptron(variant(fit=stub), verbose=False).status == "not done yet"
    assert checks.check_perceptron(variant(net_input=stub), verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_PERCEPTRON)
def test_perceptron_rejects(mistake):
    cls, fragment = WRONG_PERCEPTRON[mistake]
    assert_rejected(checks.check_perceptron(cls, verbose=False), fragment)


def test_the_checks_data_is_separable_and_the_reference_converges():
    X, y = checks.separable_data(np.random.default_rng(5))
    _, errors = checks.reference_fit(X, y, 0.1, 25, 1)
    assert errors[-1] == 0 and errors[0] > 0

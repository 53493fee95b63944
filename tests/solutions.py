"""The course's exercises solved as a student would, independently of the checks' own references.

Each solution has the name the exercise gives it, which is also the name of the check's
parameter (``check_sigmoid(sigmoid, sigmoid_derivative)``), so a script can find the
solutions of any check. The tests of the checks use them as the right code, and make
wrong versions by subclassing or wrapping them; the benchmark times the checks on them.

Notebook 03's solutions are made from replaceable parts (``forward_with`` and the like):
with the defaults they are the right code, and with one part replaced, a realistic mistake.
"""

import numpy as np

# --- notebook 00: start here ------------------------------------------------------------------


def mean_digit(images, labels, digit):
    return images[labels == digit].mean(axis=0)


# --- notebook 01: the neuron and the perceptron -----------------------------------------------


def threshold(z):
    return np.where(z >= 0, 1, -1)


# One neuron each for NOT, AND and OR: its weights and its bias.
w_not, b_not = [-1.0], 0.5
w_and, b_and = [1.0, 1.0], -1.5
w_or, b_or = [1.0, 1.0], -0.5


def neuron(X, w, b):
    return np.where(X @ np.asarray(w) + b >= 0, 1, -1)


def to01(outputs):
    return (outputs + 1) // 2


def xor_network(X):
    hidden = np.column_stack([neuron(X, [1, 1], -0.5), neuron(X, [-1, -1], 1.5)])  # OR, NAND
    return neuron(to01(hidden), [1, 1], -1.5)  # AND


def perceptron_update(w, xi, target, eta):
    prediction = 1 if w[0] + xi @ w[1:] >= 0 else -1
    return w + eta * (target - prediction) * np.r_[1.0, xi]


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


# --- notebook 02: ADALINE and friends ----------------------------------------------------------


def errors_of(weights, X, y):
    return y - (X @ weights[1:] + weights[0])


def adaline_cost_gradient(weights, X, y):
    errors = errors_of(weights, X, y)
    return 0.5 * np.sum(errors**2), np.r_[-errors.sum(), -X.T @ errors]


def gradient_descent_step(weights, X, y, eta):
    return weights - eta * adaline_cost_gradient(weights, X, y)[1]


class AdalineGD(Perceptron):
    """The lecture's ADALINE trained by batch gradient descent; net_input and predict are the perceptron's."""

    def __init__(self, eta=0.01, n_iter=50, random_state=1):
        super().__init__(eta, n_iter, random_state)

    def fit(self, X, y):
        rgen = np.random.RandomState(self.random_state)
        self.weights_ = rgen.normal(loc=0.0, scale=0.01, size=1 + X.shape[1])
        self.cost_ = []
        for _ in range(self.n_iter):
            errors = y - self.activation(self.net_input(X))
            self.weights_[1:] += self.eta * X.T @ errors
            self.weights_[0] += self.eta * errors.sum()
            self.cost_.append((errors**2).sum() / 2.0)
        return self

    def activation(self, z):
        return z


def standardize(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


class AdalineSGD(AdalineGD):
    """The lecture's ADALINE trained by stochastic gradient descent: the given parts and the student's.

    net_input, activation and predict are AdalineGD's.
    """

    def __init__(self, eta=0.01, n_iter=10, shuffle=True, random_state=None):
        super().__init__(eta, n_iter, random_state)
        self.shuffle, self.w_initialized = shuffle, False

    def fit(self, X, y):
        self._initialize_weights(X.shape[1])
        self.cost_ = []
        for _ in range(self.n_iter):
            if self.shuffle:
                X, y = self._shuffle(X, y)
            losses = [self._update_weights(xi, target) for xi, target in zip(X, y)]
            self.cost_.append(sum(losses) / len(y))
        return self

    def partial_fit(self, X, y):
        if not getattr(self, "w_initialized", False):
            self._initialize_weights(X.shape[1])
        if np.size(y) > 1:
            for xi, target in zip(X, y):
                self._update_weights(xi, target)
        else:
            self._update_weights(X, np.ravel(y)[0])
        return self

    def _shuffle(self, X, y):
        r = self.rgen.permutation(len(y))
        return X[r], y[r]

    def _initialize_weights(self, m):
        self.rgen = np.random.RandomState(self.random_state)
        self.weights_ = self.rgen.normal(loc=0.0, scale=0.01, size=1 + m)
        self.w_initialized = True

    def _update_weights(self, xi, target):
        error = target - self.activation(self.net_input(xi))
        self.weights_[1:] += self.eta * xi * error
        self.weights_[0] += self.eta * error
        return 0.5 * error**2


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def softmax(z):
    exponentials = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return exponentials / np.sum(exponentials, axis=-1, keepdims=True)


EPS = 1e-12  # the smallest probability whose logarithm the cross-entropies take


def binary_cross_entropy(y, p):
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def categorical_cross_entropy(Y, P):
    return np.mean(-np.sum(Y * np.log(np.clip(P, EPS, 1 - EPS)), axis=1))


def l2_penalty(weights, lam):
    return lam * np.sum(weights[1:] ** 2), np.r_[0.0, 2 * lam * weights[1:]]


# --- notebook 03: backpropagation --------------------------------------------------------------


def relu(Z):
    return np.maximum(Z, 0)


def relu_derivative(Z):
    return (Z > 0).astype(float)


def one_hot(y, k):
    return np.eye(k)[y]


def forward_with(hidden=relu, output=softmax, product=np.matmul, bias=1.0, keep_X=True):
    """The forward pass with one part replaced: `product(A, W)` computes A @ W, `bias` scales the biases."""

    def forward(X, weights, biases):
        activations, pre_activations = [X], []
        for W, b in zip(weights[:-1], biases[:-1]):
            pre_activations.append(product(activations[-1], W) + bias * b)
            activations.append(hidden(pre_activations[-1]))
        pre_activations.append(product(activations[-1], weights[-1]) + bias * biases[-1])
        activations.append(output(pre_activations[-1]))
        return (activations if keep_X else activations[1:]), pre_activations

    return forward


forward = forward_with()


def cross_entropy_with(
    log=np.log,
    clip=lambda p: np.clip(p, EPS, None),
    pick=lambda P, y: P[np.arange(len(y)), y],
    reduce=np.mean,
    sign=-1.0,
):
    """The mean cross-entropy of the probabilities `P` of the labels `y`, with one part replaced."""
    return lambda P, y: reduce(sign * log(clip(pick(P, y))))


cross_entropy = cross_entropy_with()


def layer_backward(dZ, A_prev, W):
    dW = A_prev.T @ dZ  # (n_in, n) @ (n, n_out)
    db = np.sum(dZ, axis=0)
    dA_prev = dZ @ W.T  # (n, n_out) @ (n_out, n_in)
    return dW, db, dA_prev


def backward_with(
    targets=one_hot,
    slope=lambda Z, A: relu_derivative(Z),
    divide=True,
    sign=1.0,
    layer=layer_backward,
    layer_order=True,
):
    """Backpropagation with one part replaced; `slope(Z_l, A_l)` is the hidden layers' derivative."""

    def backward(activations, pre_activations, weights, y):
        n, k = activations[-1].shape
        dZ = sign * (activations[-1] - targets(y, k)) / (n if divide else 1)
        weight_grads, bias_grads = [], []
        for l in range(len(weights) - 1, -1, -1):
            dW, db, dA = layer(dZ, activations[l], weights[l])
            weight_grads.append(dW)
            bias_grads.append(db)
            if l > 0:
                dZ = dA * slope(pre_activations[l - 1], activations[l])
        return (weight_grads[::-1], bias_grads[::-1]) if layer_order else (weight_grads, bias_grads)

    return backward


backward = backward_with()


def numerical_with(high=1.0, low=-1.0, width=2.0, step=lambda eps: eps, restore=True, entries=np.ndindex):
    """The central difference with one part replaced: f is evaluated at x[i] + high·h and x[i] + low·h."""

    def numerical_gradient(f, x, eps=1e-5):
        h = step(eps)
        grad = np.zeros_like(x)
        for i in entries(x.shape):
            old = np.copy(x[i])
            x[i] = old + high * h
            f_high = f()
            x[i] = old + low * h
            f_low = f()
            if restore:
                x[i] = old
            grad[i] = (f_high - f_low) / (width * h)
        return grad

    return numerical_gradient


numerical_gradient = numerical_with()


def relative_error_with(
    numerator=lambda a, n: np.abs(a - n),
    denominator=lambda a, n: np.abs(a) + np.abs(n),
    guard=lambda d: np.maximum(d, EPS),
    reduce=np.max,
):
    """The largest relative error between two gradients, with one part replaced."""
    return lambda a, n: reduce(numerator(a, n) / guard(denominator(a, n)))


relative_error = relative_error_with()


def step_in_place(weights, biases, weight_grads, bias_grads, learning_rate):
    for W, b, dW, db in zip(weights, biases, weight_grads, bias_grads):
        W -= learning_rate * dW
        b -= learning_rate * db


def batches_of(order, batch_size):
    return np.array_split(order, range(batch_size, len(order), batch_size))


def sgd_with(
    shuffle=lambda rng, n: rng.permutation(n),
    batches=batches_of,
    step=step_in_place,
    reduce=np.mean,
    gradients=backward,
):
    """sgd_epoch with one part replaced; each batch is a run of the shuffled indices."""

    def sgd_epoch(weights, biases, X, y, batch_size, learning_rate, rng):
        order = shuffle(rng, len(y))
        losses = []
        for idx in batches(order, batch_size):
            activations, pre_activations = forward(X[idx], weights, biases)
            losses.append(cross_entropy(activations[-1], y[idx]))
            step(weights, biases, *gradients(activations, pre_activations, weights, y[idx]), learning_rate)
        return reduce(losses)

    return sgd_epoch


sgd_epoch = sgd_with()


def count_parameters(layer_sizes):
    total = 0
    for i in range(len(layer_sizes) - 1):
        total += layer_sizes[i] * layer_sizes[i + 1] + layer_sizes[i + 1]  # weights, then one bias per neuron
    return total


# --- notebook 04: MNIST with Keras -------------------------------------------------------------


def import_keras():
    """The ``keras`` module, imported (with TensorFlow, quietly) only when a test or a check needs it."""
    from course_utils.notebook_setup import import_tensorflow

    import_tensorflow()
    import keras

    return keras


def prepare(images, labels):
    X = images.reshape(len(images), -1).astype(np.float32) / 255
    return X, np.eye(10, dtype=np.float32)[labels]


def build_rung1():
    keras = import_keras()
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="mean_squared_error", metrics=["accuracy"])
    return model


def train_and_evaluate(model, train, validation, test, epochs):
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(*train, validation_data=validation, epochs=epochs, batch_size=32, verbose=0)
    test_loss, test_accuracy = model.evaluate(*test, verbose=0)
    return history, test_accuracy


def accuracy(probabilities, labels):
    return float(np.mean(np.argmax(probabilities, axis=1) == labels))


def dense_parameters(input_size, units):
    sizes = [input_size, *units]
    return [(n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], units)]

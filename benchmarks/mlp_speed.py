"""One epoch of the same network three ways: notebook 03's NumPy code, Keras, and one example at a time.

The network is 784-128-64-10 (ReLU, softmax, cross-entropy), trained with plain SGD
(learning rate 0.1) on 60,000 MNIST-shaped examples (random pixels and labels: the
arithmetic, not the accuracy, is measured):

  (a) the vectorised NumPy code of notebooks/03_backpropagation.ipynb, minibatches of 32
      (in float64, as the notebook computes; Keras uses float32);
  (b) the same network in Keras, minibatches of 32 (after a short warm-up, so that building
      the graph is not counted);
  (c) the notebook's code with minibatches of 1, the textbook one-example-at-a-time loop.

Each is warmed up on a few batches first; then the three run interleaved, round after round,
and the medians are compared. Goals: (a) takes at most half of (b)'s time, and (c) is at
least 10 times slower than (a).

Run: .venv/bin/python benchmarks/mlp_speed.py [--samples 60000] [--rounds 3]
"""

import argparse
import os
import statistics
import time

import nbformat
import numpy as np

from course_utils.paths import LECTURES

NOTEBOOK = LECTURES / "03_backpropagation.ipynb"
LAYERS = [784, 128, 64, 10]
LEARNING_RATE = 0.1


def notebook_code():
    """The cells of notebook 03 tagged mlp-code, run in a fresh namespace: its functions."""
    namespace = {"np": np}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if "mlp-code" in cell.metadata.get("tags", []):
            exec(cell.source, namespace)
    return namespace


def numpy_epoch(code, X, y, batch_size):
    weights, biases = code["init_network"](LAYERS, np.random.default_rng(0))
    code["sgd_epoch"](weights, biases, X[:320], y[:320], batch_size, LEARNING_RATE, np.random.default_rng(1))  # warm-up
    start = time.perf_counter()
    code["sgd_epoch"](weights, biases, X, y, batch_size, LEARNING_RATE, np.random.default_rng(1))
    return time.perf_counter() - start


def keras_epoch(X, y):
    import keras

    model = keras.Sequential(
        [keras.Input((LAYERS[0],))]
        + [keras.layers.Dense(n, activation="relu") for n in LAYERS[1:-1]]
        + [keras.layers.Dense(LAYERS[-1], activation="softmax")]
    )
    model.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), loss="sparse_categorical_crossentropy")
    model.fit(X[:320], y[:320], batch_size=32, epochs=1, verbose=0)  # warm-up: build and trace
    start = time.perf_counter()
    model.fit(X, y, batch_size=32, epochs=1, verbose=0)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from course_utils.notebook_setup import import_tensorflow

    import_tensorflow()  # quietly, and before timing anything
    rng = np.random.default_rng(42)
    X = rng.integers(0, 256, (args.samples, LAYERS[0])).astype(np.float32) / 255
    y = rng.integers(0, LAYERS[-1], args.samples)
    code = notebook_code()
    times = {"(a) NumPy, batch 32": [], "(b) Keras, batch 32": [], "(c) NumPy, batch 1": []}
    for round_number in range(1, args.rounds + 1):
        for name, run in (
            ("(a) NumPy, batch 32", lambda: numpy_epoch(code, X.astype(float), y, 32)),
            ("(b) Keras, batch 32", lambda: keras_epoch(X, y)),
            ("(c) NumPy, batch 1", lambda: numpy_epoch(code, X.astype(float), y, 1)),
        ):
            times[name].append(run())
            print(f"round {round_number}: {name}: {times[name][-1]:.1f} s", flush=True)
    a, b, c = (statistics.median(t) for t in times.values())
    from threadpoolctl import threadpool_info

    threads = ", ".join(f"{pool['internal_api']} {pool['num_threads']}" for pool in threadpool_info())
    print(
        f"\none epoch of {args.samples:,} examples on {os.cpu_count()} CPU cores, NumPy's threads: {threads} "
        f"(median of {args.rounds} round(s)):"
    )
    for name, seconds in zip(times, (a, b, c)):
        print(f"  {name}: {seconds:6.1f} s")
    print(f"(a) / (b) = {a / b:.2f}   goal: at most 0.5  -> {'met' if a / b <= 0.5 else 'NOT met'}")
    print(f"(c) / (a) = {c / a:.1f}   goal: at least 10  -> {'met' if c / a >= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()

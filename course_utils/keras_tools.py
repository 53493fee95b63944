"""Keras helpers for notebooks 04 and 05: compact progress lines and learning curves.

Importing this module imports Keras, and so TensorFlow (quietly): only the Keras notebooks
use it.
"""

import time

import numpy as np

from course_utils.notebook_setup import SEED, import_tensorflow

import_tensorflow()

import keras  # noqa: E402  (after TensorFlow's quiet import)


class ProgressLog(keras.callbacks.Callback):
    """Measure test (or validation) accuracy every few epochs; print a few short lines.

    Keras's own progress output is one line per epoch at best, far too much for hundreds of
    short epochs. This callback prints `lines` lines over the whole training, and keeps
    the measurements for learning curves. Each measurement is also handed to the callbacks
    after this one as ``logs["val_accuracy"]``, so that e.g.
    ``keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max")`` can use it.

    Parameters
    ----------
    X_val : array of shape (n, ...)
        Held-out inputs.
    y_val : array of int, shape (n,)
        Their labels.
    every : int
        Measure after every `every` epochs (and after the last one).
    lines : int
        How many progress lines to print in all.
    name : str
        Printed at the start of each line.
    held_out : str
        What the printed accuracy is called: "test" or "validation".

    Attributes
    ----------
    steps : list of int
        SGD steps done at each measurement.
    val_accuracy : list of float
        Accuracy on (X_val, y_val) at each measurement.
    seconds : float
        Training time, measurements included.
    """

    def __init__(self, X_val, y_val, every=1, lines=5, name="training", held_out="test"):
        super().__init__()
        self.X_val, self.y_val = X_val, np.asarray(y_val)
        self.every, self.lines, self.name, self.held_out = every, lines, name, held_out

    def on_train_begin(self, logs=None):
        self.steps, self.val_accuracy, self.seconds = [], [], 0.0
        self._start = time.perf_counter()
        epochs = self.params["epochs"]
        self._print_at = {round(epochs * (k + 1) / self.lines) for k in range(self.lines)}

    def on_epoch_end(self, epoch, logs=None):
        done = epoch + 1
        epochs = self.params["epochs"]
        if done % self.every and done != epochs and done not in self._print_at:
            return
        self.steps.append(done * self.params["steps"])
        self.val_accuracy.append(accuracy_of(self.model, self.X_val, self.y_val))
        if logs is not None:
            logs["val_accuracy"] = self.val_accuracy[-1]
        self.seconds = time.perf_counter() - self._start
        if done in self._print_at:
            loss = (logs or {}).get("loss", float("nan"))
            print(
                f"{self.name}: epoch {done}/{epochs}, {self.steps[-1]:,} steps, loss {loss:.4f}, "
                f"{self.held_out} accuracy {self.val_accuracy[-1]:.3f} ({self.seconds:.0f} s)",
                flush=True,
            )


def accuracy_of(model, X, y):
    """Fraction of the examples X whose most probable class is their label y."""
    return float(np.mean(np.argmax(model.predict(X, verbose=0, batch_size=1024), axis=1) == np.asarray(y)))


def train_and_log(log, name, factor, changed, build, data, epochs, batch_size=32, callbacks=()):
    """Build a model from the course's seed, train it, measure it, and record the run in `log`.

    Parameters
    ----------
    log : course_utils.experiment_log.ExperimentLog
    name, factor, changed : str
        The run's name, the factor it varies and what changed (see ExperimentLog.record).
    build : callable
        Returns a compiled Keras model that takes the inputs of `data` and integer labels.
    data : tuple
        ``(X_train, y_train, X_val, y_val)``.
    epochs, batch_size : int
    callbacks : sequence of keras.callbacks.Callback
        Extra callbacks, e.g. early stopping.

    Returns
    -------
    model : keras.Model
        The trained model.
    record : course_utils.experiment_log.Run
        What was written to the log.
    """
    X_train, y_train, X_val, y_val = data
    keras.utils.set_random_seed(SEED)
    model = build()
    progress = ProgressLog(X_val, y_val, every=1, lines=1, name=name, held_out="validation")
    model.fit(X_train, y_train, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[progress, *callbacks])
    record = log.record(
        name=name,
        factor=factor,
        changed=changed,
        parameters=model.count_params(),
        epochs=len(progress.val_accuracy),
        seconds=progress.seconds,
        train_accuracy=accuracy_of(model, X_train, y_train),
        val_accuracy=accuracy_of(model, X_val, y_val),
        val_curve=progress.val_accuracy,
    )
    return model, record

"""Keras helpers for notebooks 04 and 05: a few progress lines instead of one per epoch, and accuracy.

Importing this module imports Keras, and so TensorFlow (quietly): only the Keras notebooks
use it.
"""

import time

import numpy as np

from course_utils.notebook_setup import import_tensorflow

import_tensorflow()

import keras  # noqa: E402  (after TensorFlow's quiet import)


class EpochLines(keras.callbacks.Callback):
    """Print Keras's own epoch logs a few times over a training, instead of once per epoch.

    ``fit(..., verbose=0, callbacks=[EpochLines("rung 1", lines=3)])`` prints three lines,
    spread over the epochs, each with what Keras measured at the end of that epoch (loss,
    metrics and, on epochs where it validated, their ``val_`` twins), the SGD steps done and
    the time since training began. Nothing is measured here: the numbers are the ones
    ``fit`` returns in its ``History``.

    Parameters
    ----------
    name : str
        Printed at the start of each line.
    lines : int
        How many lines to print in all (the last one after the last epoch).
    """

    def __init__(self, name, lines=3):
        super().__init__()
        self.name, self.lines = name, lines

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        epochs = self.params["epochs"]
        self._print_at = {round(epochs * (k + 1) / self.lines) for k in range(self.lines)}

    def on_epoch_end(self, epoch, logs=None):
        done, epochs = epoch + 1, self.params["epochs"]
        if done not in self._print_at:
            return
        measured = ", ".join(f"{metric} {value:.4f}" for metric, value in (logs or {}).items())
        steps = done * self.params["steps"]
        seconds = time.perf_counter() - self._start
        print(f"{self.name}: epoch {done}/{epochs}, {steps:,} steps, {measured} ({seconds:.0f} s)", flush=True)


def accuracy_of(model, X, y):
    """Fraction of the examples X whose most probable class is their label y."""
    return float(np.mean(np.argmax(model.predict(X, verbose=0, batch_size=1024), axis=1) == np.asarray(y)))

"""Trained Keras models kept on disk, so that running a lecture again takes seconds, not minutes.

``cached_fit(model, x, y, name="rung 1", epochs=30, ...)`` is ``model.fit(x, y, epochs=30, ...)``
with a memory. The first time, it trains and keeps the weights and the ``History`` on disk;
the next time the same training is asked for, it loads them and says so in one line. An entry
is found by a SHA-256 of everything that decides the training: the model's architecture, its
compile settings and its initial weights, the data byte for byte (validation data too), the
options of ``fit`` and its callbacks, the seed and the Keras version. Change any of them and
the model is trained again. An entry that cannot be read is trained again, with a notice.

Before training, Keras is seeded with `seed`, so a training gives the same result whether or
not the trainings before it were loaded from the cache.

The cache lives in ``.course_cache/`` at the repository's root (git-ignored), or in the folder
that the environment variable ``COURSE_CACHE`` names; the tests point it at a temporary folder.
Importing this module imports Keras, and so TensorFlow (quietly).
"""

import hashlib
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np

from course_utils.notebook_setup import SEED, import_tensorflow
from course_utils.paths import CACHE, CACHE_VAR, display_path

import_tensorflow()
import keras  # noqa: E402  (after TensorFlow's quiet import)

# fit's options kept out of the key as they are: verbose changes only what is printed, and
# callbacks and validation data enter it in another form (their settings, their bytes).
NOT_IN_KEY = ("verbose", "callbacks", "validation_data")


def cache_folder():
    """Where trained models are kept: ``$COURSE_CACHE``, else ``.course_cache/`` in the repository."""
    return Path(os.environ.get(CACHE_VAR) or CACHE)


def cached_fit(model, x, y, *, name, retrain=False, seed=SEED, **fit_options):
    """``model.fit(x, y, **fit_options)``, or its result loaded from the cache if it ran before.

    Parameters
    ----------
    model : keras.Model
        Built and compiled, not trained yet: its initial weights are part of the key.
    x, y : arrays
        The training data, as for ``fit``.
    name : str
        What is trained, e.g. ``"rung 2"``, for the one line printed and the entry's folder.
    retrain : bool
        Train even if the cache holds this training (and replace the entry).
    seed : int
        Keras is seeded with it just before training.
    **fit_options
        Passed to ``model.fit`` (``epochs``, ``batch_size``, ``validation_split``, ...).

    Returns
    -------
    keras.callbacks.History
        As ``fit`` returns it; when loaded, with the saved ``history``, ``params`` and ``epoch``.
    """
    key = training_key(model, x, y, fit_options, seed)
    entry = cache_folder() / f"{_slug(name)}-{key[:16]}"
    if not retrain and (entry / "history.json").exists():
        try:
            history, saved = _load(model, entry, key)
        except Exception as error:  # whatever is wrong with the entry, training again repairs it
            print(f"{name}: the cache entry {display_path(entry)} could not be read ({error}); training again.")
        else:
            print(
                f"{name}: loaded from the cache of {saved['date']} (training took {saved['seconds']:.0f} s); "
                "`retrain=True` trains again."
            )
            return history
    keras.utils.set_random_seed(seed)
    start = time.perf_counter()
    history = model.fit(x, y, **fit_options)
    seconds = time.perf_counter() - start
    _save(model, history, entry, key, seconds)
    print(f"{name}: trained in {seconds:.0f} s, kept in {display_path(entry)}.")
    return history


def training_key(model, x, y, fit_options, seed):
    """The SHA-256 (hex) of everything that decides what ``model.fit(x, y, **fit_options)`` learns."""
    settings = {
        "architecture": _without_names(json.loads(model.to_json())),
        "compile": _without_names(model.get_compile_config()),
        "fit": {option: value for option, value in fit_options.items() if option not in NOT_IN_KEY},
        "callbacks": [_settings_of(callback) for callback in fit_options.get("callbacks") or ()],
        "seed": seed,
        "keras": keras.__version__,
    }
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=repr).encode())
    validation = fit_options.get("validation_data") or ()
    for array in (x, y, *validation, *model.get_weights()):
        array = np.ascontiguousarray(array)
        digest.update(f"{array.dtype}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _without_names(config):
    """A Keras config without its "name" entries: Keras numbers them (dense_1, dense_2, ...) as models are built."""
    if isinstance(config, dict):
        return {key: _without_names(value) for key, value in config.items() if key != "name"}
    if isinstance(config, list):
        return [_without_names(value) for value in config]
    return config


def _settings_of(callback):
    """A callback's class and its plain settings (e.g. EarlyStopping's patience), which change training."""
    plain = {k: v for k, v in vars(callback).items() if not k.startswith("_") and isinstance(v, (int, float, str))}
    return [type(callback).__name__, plain]


def _slug(name):
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "model"


def _save(model, history, entry, key, seconds):
    """Write the weights, then the record that marks the entry complete; each replaces its file at once."""
    entry.mkdir(parents=True, exist_ok=True)
    weights = entry / "model.weights.h5"
    partial = entry / "partial.weights.h5"
    with warnings.catch_warnings():  # Keras 3.15 saving with NumPy 2.4 warns about its own __array__
        warnings.simplefilter("ignore", DeprecationWarning)
        model.save_weights(partial)
    os.replace(partial, weights)
    record = {
        "key": key,
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "seconds": round(seconds, 1),
        "history": {metric: [float(v) for v in values] for metric, values in history.history.items()},
        "params": {k: v for k, v in history.params.items() if isinstance(v, (int, float, str, type(None)))},
        "epoch": list(history.epoch),
    }
    partial = entry / "history.json.partial"
    partial.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(partial, entry / "history.json")


def _load(model, entry, key):
    """The saved History of `entry`, with its weights loaded into `model`; raises if anything is off."""
    saved = json.loads((entry / "history.json").read_text(encoding="utf-8"))
    if saved["key"] != key:
        raise ValueError("it was saved for another training")
    model.load_weights(entry / "model.weights.h5")
    history = keras.callbacks.History()
    history.set_model(model)
    history.history, history.params, history.epoch = saved["history"], saved["params"], saved["epoch"]
    return history, saved

"""cached_fit trains once, loads the same training again, and retrains whatever changed or broke."""

import numpy as np
import pytest

from course_utils.paths import CACHE_VAR
from course_utils.training_cache import cache_folder, cached_fit, keras


def small_model(learning_rate=0.1, seed=0):
    """A compiled 4 -> 8 -> 3 network whose initial weights depend on `seed` only."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype(int) + (x[:, 1] > 0)


OPTIONS = {"epochs": 3, "batch_size": 16, "verbose": 0}


def fit(model, data, capsys, **options):
    """cached_fit on `data` with OPTIONS (or `options`); return its History and the one line it printed."""
    history = cached_fit(model, *data, name="small net", **{**OPTIONS, **options})
    return history, capsys.readouterr().out.strip()


def test_the_second_run_loads_the_same_weights_and_history(data, capsys):
    trained, said = fit(small_model(), data, capsys, validation_split=0.25)
    assert said.startswith("small net: trained in") and "small-net-" in said
    model = small_model()
    loaded, said = fit(model, data, capsys, validation_split=0.25)
    assert said.startswith("small net: loaded from the cache of") and "`retrain=True` trains again" in said
    assert loaded.history == trained.history and loaded.epoch == [0, 1, 2]
    assert set(loaded.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for got, expected in zip(model.get_weights(), trained.model.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert loaded.model is model and loaded.params["epochs"] == 3


@pytest.mark.parametrize(
    "change",
    [
        {"model": {"learning_rate": 0.05}},
        {"model": {"seed": 1}},
        {"fit": {"epochs": 4}},
        {"fit": {"seed": 7}},
        {"data": 1e-3},
        {"fit": {"callbacks": [keras.callbacks.EarlyStopping(monitor="loss", patience=1)]}},
    ],
    ids=["learning rate", "initial weights", "epochs", "seed", "data", "a callback"],
)
def test_anything_that_changes_the_training_trains_again(data, capsys, change):
    fit(small_model(), data, capsys)
    x, y = data
    _, said = fit(
        small_model(**change.get("model", {})), (x + change.get("data", 0.0), y), capsys, **change.get("fit", {})
    )
    assert said.startswith("small net: trained in")


def test_a_training_gives_the_same_result_whatever_ran_before(data, capsys, tmp_path, monkeypatch):
    first, _ = fit(small_model(), data, capsys)
    monkeypatch.setenv(CACHE_VAR, str(tmp_path / "other_cache"))
    model, other = small_model(), small_model(seed=5)
    other.fit(*data, epochs=1, verbose=0)  # another training moves the random state on
    again, said = fit(model, data, capsys)
    assert said.startswith("small net: trained in")
    assert again.history == first.history


@pytest.mark.parametrize("damage", ["weights", "record", "key"])
def test_a_damaged_entry_is_trained_again_with_a_notice(data, capsys, damage):
    trained, _ = fit(small_model(), data, capsys)
    (entry,) = cache_folder().iterdir()
    if damage == "weights":
        (entry / "model.weights.h5").write_bytes(b"not HDF5")
    elif damage == "record":
        (entry / "history.json").write_text("{", encoding="utf-8")
    else:
        record = (entry / "history.json").read_text(encoding="utf-8")
        (entry / "history.json").write_text(record.replace('"key": "', '"key": "0'), encoding="utf-8")
    history, said = fit(small_model(), data, capsys)
    assert said.startswith("small net: the cache entry") and "could not be read" in said
    assert said.endswith("kept in " + said.split("kept in ")[-1]) and "trained in" in said
    assert history.history == trained.history
    assert fit(small_model(), data, capsys)[1].startswith("small net: loaded"), "the entry is repaired"


def test_retrain_trains_again_and_replaces_the_entry(data, capsys):
    fit(small_model(), data, capsys)
    _, said = fit(small_model(), data, capsys, retrain=True)
    assert said.startswith("small net: trained in")
    assert len(list(cache_folder().iterdir())) == 1


def test_the_default_cache_is_git_ignored_and_not_in_exercises(monkeypatch):
    import subprocess

    from course_utils.paths import CACHE, EXERCISES, ROOT

    monkeypatch.delenv(CACHE_VAR)
    assert cache_folder() == CACHE and EXERCISES not in CACHE.parents
    ignored = subprocess.run(["git", "check-ignore", "-q", str(CACHE / "x")], cwd=ROOT)
    assert ignored.returncode == 0, ".course_cache/ must be in .gitignore"

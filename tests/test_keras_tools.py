"""course_utils.keras_tools: the compact progress lines of the Keras notebooks."""

import numpy as np


def tiny_fit(callback, epochs=7, validation_freq=1):
    """Fit a one-layer model on 64 random examples (4 steps per epoch) with `callback`; return its History."""
    from course_utils.keras_tools import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 5)).astype("float32"), rng.integers(0, 3, 64)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model.fit(
        X,
        y,
        batch_size=16,
        epochs=epochs,
        verbose=0,
        validation_data=(X[:20], y[:20]),
        validation_freq=validation_freq,
        callbacks=[callback],
    )


def test_epoch_lines_prints_a_few_lines_of_what_fit_measured(capsys):
    from course_utils.keras_tools import EpochLines

    history = tiny_fit(EpochLines("tiny", lines=3))
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in printed] == ["tiny: epoch 2/7", "tiny: epoch 5/7", "tiny: epoch 7/7"]
    assert "28 steps" in printed[-1]  # 7 epochs of 4 steps
    for metric in ("loss", "accuracy", "val_loss", "val_accuracy"):  # the History's own last values
        assert f" {metric} {history.history[metric][-1]:.4f}" in printed[-1]


def test_epoch_lines_shows_validation_only_where_fit_validated(capsys):
    from course_utils.keras_tools import EpochLines

    history = tiny_fit(EpochLines("tiny", lines=2), epochs=6, validation_freq=3)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 and len(history.history["val_accuracy"]) == 2  # after epochs 3 and 6
    assert all("val_accuracy" in line for line in printed)
    history = tiny_fit(EpochLines("tiny", lines=1), epochs=5, validation_freq=3)
    assert "val_accuracy" not in capsys.readouterr().out  # epoch 5 was not validated


def test_accuracy_of_counts_the_most_probable_class():
    from course_utils.keras_tools import accuracy_of

    class Fixed:
        def predict(self, X, verbose=0, batch_size=None):
            return np.array([[0.1, 0.9], [0.8, 0.2], [0.4, 0.6]])

    assert accuracy_of(Fixed(), np.zeros((3, 1)), [1, 1, 1]) == 2 / 3

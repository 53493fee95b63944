"""course_utils.keras_tools: the compact progress log of the Keras notebooks."""

import numpy as np


def test_progress_log_measures_and_prints_sparingly(capsys):
    from course_utils.keras_tools import ProgressLog, keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 5)).astype("float32"), rng.integers(0, 3, 64)
    X_val, y_val = rng.normal(size=(20, 5)).astype("float32"), rng.integers(0, 3, 20)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    log = ProgressLog(X_val, y_val, every=2, lines=3, name="tiny")
    model.fit(X, y, batch_size=16, epochs=7, verbose=0, callbacks=[log])

    assert log.steps == [8, 16, 20, 24, 28]  # epochs 2, 4, 5 (printed), 6 and 7 (the last): 4 steps each
    final = np.mean(np.argmax(model.predict(X_val, verbose=0), axis=1) == y_val)
    assert log.val_accuracy[-1] == final and all(0 <= a <= 1 for a in log.val_accuracy)
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in printed] == ["tiny: epoch 2/7", "tiny: epoch 5/7", "tiny: epoch 7/7"]
    assert "28 steps" in printed[-1] and f"test accuracy {final:.3f}" in printed[-1]


def test_train_and_log_records_a_reproducible_run(tmp_path):
    from course_utils.experiment_log import ExperimentLog
    from course_utils.keras_tools import keras, train_and_log

    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(48, 4)).astype("float32"), rng.integers(0, 2, 48)

    def build():
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        return model

    log = ExperimentLog(tmp_path / "log.jsonl")
    data = (X[:32], y[:32], X[32:], y[32:])
    model, record = train_and_log(log, "tiny", "baseline", "a tiny model", build, data, epochs=3, batch_size=8)
    _, again = train_and_log(log, "tiny", "baseline", "a tiny model", build, data, epochs=3, batch_size=8)
    assert record.parameters == 10 and record.epochs == 3 and len(record.val_curve) == 3
    assert record.val_accuracy == np.mean(np.argmax(model.predict(X[32:], verbose=0), axis=1) == y[32:])
    assert again.val_curve == record.val_curve  # the same seed: the same run
    assert len(ExperimentLog(log.path)) == 1 and len(log.path.read_text().splitlines()) == 2


def test_early_stopping_on_validation_accuracy_ends_the_run_and_logs_its_epochs(tmp_path):
    from course_utils.experiment_log import ExperimentLog
    from course_utils.keras_tools import keras, train_and_log

    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(40, 4)).astype("float32"), rng.integers(0, 2, 40)  # noise: nothing to learn

    def build():
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-6), loss="sparse_categorical_crossentropy")
        return model

    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", mode="max", patience=2)
    log = ExperimentLog(tmp_path / "log.jsonl")
    _, record = train_and_log(
        log,
        "stopped",
        "early stopping",
        "patience 2",
        build,
        (X[:24], y[:24], X[24:], y[24:]),
        epochs=50,
        batch_size=8,
        callbacks=[stop],
    )
    assert record.epochs == stop.stopped_epoch + 1 == 3  # a tiny learning rate: no improvement after epoch 1
    assert len(record.val_curve) == 3

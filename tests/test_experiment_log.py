"""course_utils.experiment_log: runs are on disk at once, survive a restart and a crash, and are compared honestly."""

import itertools
import json
import math
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from course_utils.experiment_log import Configuration, ExperimentLog, Run
from course_utils.notebook_setup import SEED

# Runs as an older version of the course wrote them (one factor, no seed): the file format.
OLD_BASELINE = (
    '{"name": "baseline", "factor": "baseline", "changed": "rung 4", "parameters": 109386, "epochs": 30, '
    '"seconds": 61.42, "train_accuracy": 0.99, "val_accuracy": 0.9, "val_curve": [0.85, 0.9]}'
)
OLD_DROPOUT = OLD_BASELINE.replace('"name": "baseline", "factor": "baseline"', '"name": "drop", "factor": "dropout"')
# A run as this version writes it.
LINE = (
    '{"name": "Adam", "seed": 1, "factors": ["optimizer"], "against": "baseline", "changed": "SGD -> Adam", '
    '"parameters": 1000, "epochs": 2, "seconds": 1.5, "train_accuracy": 0.99, "val_accuracy": 0.9, '
    '"val_curve": [0.85, 0.9]}'
)


def history(val_curve, train_accuracy=0.95, parameters=1000, metric="accuracy"):
    """A stand-in for the keras.callbacks.History that fit returns: what record reads of it."""
    epochs = len(val_curve)
    return SimpleNamespace(
        history={
            "loss": [1.0] * epochs,
            metric: [0.5] * (epochs - 1) + [train_accuracy],
            "val_loss": [1.0] * epochs,
            f"val_{metric}": list(val_curve),
        },
        epoch=list(range(epochs)),
        model=SimpleNamespace(count_params=lambda: parameters),
    )


def record(log, name, val=0.9, *, seed=0, factors=(), against="baseline", seconds=1.5, curve=(0.5, 0.8), **fit):
    """Record in `log` a run of `name` whose validation accuracy goes through `curve` to `val`."""
    return log.record(
        name,
        history([*curve, val], **fit),
        seed=seed,
        factors=factors,
        against=against,
        changed=f"{name} changed",
        seconds=seconds,
    )


@pytest.fixture
def log(tmp_path):
    """A log holding the baseline (seeds 0 to 2, at 0.90, 0.91, 0.92) and Adam (seeds 0 and 1, at 0.93, 0.95)."""
    log = ExperimentLog(tmp_path / "log.jsonl")
    for seed, val in enumerate((0.90, 0.91, 0.92)):
        record(log, "baseline", val, seed=seed)
    for seed, val in enumerate((0.93, 0.95)):
        record(log, "Adam", val, seed=seed, factors="optimizer")
    return log


def test_a_run_is_on_disk_as_soon_as_it_is_recorded(tmp_path):
    path = tmp_path / "log.jsonl"
    log = ExperimentLog(path)
    run = record(log, "baseline", 0.9)
    assert path.read_text().splitlines() == [run.to_json()]
    assert ExperimentLog(path).runs == [run]


def test_record_reads_the_run_from_the_history(log):
    run = log.record(
        "Adam, dropout 0.3",
        history([0.5, 0.7, 0.8, 0.75], train_accuracy=0.97, parameters=4321),
        seed=7,
        factors="dropout",
        against="Adam",
        changed="dropout 0.3 after each hidden layer",
        seconds=12.345,
    )
    assert run == Run(
        name="Adam, dropout 0.3",
        seed=7,
        factors=("dropout",),
        against="Adam",
        changed="dropout 0.3 after each hidden layer",
        parameters=4321,
        epochs=4,
        seconds=12.35,
        train_accuracy=0.97,
        val_accuracy=0.75,
        val_curve=(0.5, 0.7, 0.8, 0.75),
    )


def test_an_accuracy_metric_of_another_name_is_read_too(tmp_path):
    run = record(ExperimentLog(tmp_path / "log.jsonl"), "baseline", 0.8, metric="sparse_categorical_accuracy")
    assert run.val_curve == (0.5, 0.8, 0.8) and run.train_accuracy == 0.95


def test_numpy_numbers_are_written_as_plain_json_numbers(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    numpy_history = history(np.array([0.5, 0.875], dtype=np.float32), parameters=np.int64(1000))
    run = log.record("baseline", numpy_history, seed=np.int64(3), seconds=np.float64(1.23456))
    written = json.loads(log.path.read_text())
    assert written["parameters"] == 1000 and written["seconds"] == 1.23 and written["seed"] == 3
    assert written["val_accuracy"] == written["val_curve"][-1] == 0.875
    assert type(run.parameters) is int and type(run.seed) is int and type(run.val_accuracy) is float
    assert run.val_curve == (0.5, 0.875) and all(type(v) is float for v in run.val_curve)


def test_the_history_of_a_real_keras_fit_is_recorded(tmp_path):
    from course_utils.notebook_setup import import_tensorflow

    import_tensorflow()
    import keras

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(48, 4)).astype("float32"), rng.integers(0, 3, 48)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fitted = model.fit(X[:32], y[:32], epochs=3, batch_size=16, verbose=0, validation_data=(X[32:], y[32:]))
    run = ExperimentLog(tmp_path / "log.jsonl").record("baseline", fitted, seed=0, seconds=0.5)
    assert run.val_curve == tuple(fitted.history["val_accuracy"]) and len(run.val_curve) == run.epochs == 3
    assert run.train_accuracy == fitted.history["accuracy"][-1] and run.parameters == 15


def test_a_log_written_by_an_older_version_still_loads(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(f"{OLD_BASELINE}\n{OLD_DROPOUT}\n")
    log = ExperimentLog(path)
    baseline, dropout = log.runs
    assert baseline == Run(
        name="baseline",
        seed=SEED,
        factors=(),
        against=None,
        changed="rung 4",
        parameters=109386,
        epochs=30,
        seconds=61.42,
        train_accuracy=0.99,
        val_accuracy=0.9,
        val_curve=(0.85, 0.9),
    )
    assert dropout.name == "drop" and dropout.factors == ("dropout",) and dropout.against == "baseline"
    assert Run.from_json(dropout.to_json()) == dropout  # rewritten in today's format
    # The student's runs stay, and new seeds join their configurations.
    record(log, "drop", 0.8, seed=SEED + 1, factors="dropout")
    assert [c.seeds for c in ExperimentLog(path).configurations()] == [[SEED], [SEED, SEED + 1]]


@pytest.mark.parametrize(
    "line",
    [
        LINE.replace('"seed": 1, ', ""),
        LINE.replace(', "val_curve": [0.85, 0.9]', ""),
        LINE.replace('"epochs": 2, ', '"epochs": 2, "colour": "pink", '),
        OLD_BASELINE.replace('"epochs": 30, ', ""),
        "[1, 2, 3]",
        '"factor"',
    ],
    ids=["a field missing", "no curve", "an unknown field", "an old line with a field missing", "a list", "a string"],
)
def test_a_line_that_is_not_a_run_is_skipped_and_reported(tmp_path, line):
    path = tmp_path / "log.jsonl"
    path.write_text(f"{LINE}\n{line}\n")
    log = ExperimentLog(path)
    assert [r.name for r in log.runs] == ["Adam"] and log.skipped == [2]
    assert "line(s) 2 could not be read" in log.describe()


def test_the_seed_and_what_follows_it_are_keywords(tmp_path):
    with pytest.raises(TypeError):
        ExperimentLog(tmp_path / "log.jsonl").record("baseline", history([0.5]), 0, (), None, "", 1.0)


def test_a_new_log_on_the_same_file_reloads_every_run(log):
    again = ExperimentLog(log.path)
    assert again.runs == log.runs and len(again) == 5
    assert again.describe() == f"Experiment log {log.path}: 5 run(s) of 2 configuration(s)."


def test_recording_a_name_and_seed_again_replaces_that_run_and_another_seed_adds_one(log):
    record(log, "baseline", 0.95, seed=1)
    record(log, "baseline", 0.97, seed=3)
    expected = [("baseline", 0, 0.90), ("baseline", 2, 0.92), ("Adam", 0, 0.93), ("Adam", 1, 0.95)]
    expected += [("baseline", 1, 0.95), ("baseline", 3, 0.97)]
    for reread in (log, ExperimentLog(log.path)):
        assert [(r.name, r.seed, r.val_accuracy) for r in reread.runs] == expected
        assert [c.name for c in reread.configurations()] == ["baseline", "Adam"]  # in order of first appearance
    assert len(log.path.read_text().splitlines()) == 7


def test_a_line_cut_short_by_a_crash_is_skipped_and_reported(tmp_path):
    path = tmp_path / "log.jsonl"
    log = ExperimentLog(path)
    record(log, "baseline")
    with open(path, "a") as f:
        f.write('{"name": "half a line", "fact')
    reopened = ExperimentLog(path)
    assert len(reopened) == 1 and reopened.skipped == [2]
    assert "line(s) 2 could not be read" in reopened.describe()
    record(reopened, "after the crash", factors="L2")  # appending still works after a damaged line
    assert [r.name for r in ExperimentLog(path).runs] == ["baseline", "after the crash"]


def test_the_default_file_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_EXPERIMENT_LOG", str(tmp_path / "elsewhere.jsonl"))
    assert ExperimentLog().path == tmp_path / "elsewhere.jsonl"
    monkeypatch.delenv("COURSE_EXPERIMENT_LOG")
    monkeypatch.chdir(tmp_path)
    assert ExperimentLog().path.name == "homework_experiments.jsonl"


def test_one_factor_may_be_given_as_a_string_and_the_baseline_may_have_another_name(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    assert record(log, "rung 4", against=None).against is None
    assert record(log, "Adam", factors="optimizer", against="rung 4").factors == ("optimizer",)
    assert log.baseline().name == "rung 4" and log.compare("Adam").against == "rung 4"


NO_VALIDATION = {"loss": [1.0], "accuracy": [0.5]}
NO_METRIC = {"loss": [1.0], "val_loss": [1.0]}
MISTAKES = {
    "no validation data": (
        lambda log: log.record("x", SimpleNamespace(history=NO_VALIDATION), seed=0, factors="L2", seconds=1),
        r"holds loss, accuracy, not the .* validation accuracy: .* fit with validation_data=\(X_val, y_val\)",
    ),
    "no accuracy metric": (
        lambda log: log.record("x", SimpleNamespace(history=NO_METRIC), seed=0, factors="L2", seconds=1),
        r"compile the model with metrics=\['accuracy'\]",
    ),
    "an unknown factor": (
        lambda log: record(log, "pink", factors="colour"),
        "Unknown factor 'colour': use one or more of depth, .*, dropout, .*, augmentation",
    ),
    "baseline as a factor": (lambda log: record(log, "more", factors="baseline"), "Unknown factor 'baseline'"),
    "a factor twice": (lambda log: record(log, "more", factors=("L2", "L2")), "Name each factor once"),
    "a baseline compared with a configuration": (
        lambda log: record(log, "baseline", against="Adam"),
        "The baseline is compared with nothing, not with 'Adam': leave out `against`",
    ),
    "a baseline with factors": (
        lambda log: record(log, "baseline", factors="L2"),
        "The baseline changes no factor, yet factors=\\('L2',\\): record it with factors=\\(\\)",
    ),
    "a second baseline": (
        lambda log: record(log, "rung 4", against=None),
        "The log's baseline is 'baseline' already",
    ),
    "no factors": (
        lambda log: record(log, "Adam 2"),
        r"'Adam 2' is compared with 'baseline' but changes no factor: name the factors it changes",
    ),
    "factors but no comparison": (
        lambda log: record(log, "L2", factors="L2", against=None),
        "'L2' changes L2: compare it with a configuration, e.g. against='baseline'",
    ),
    "compared with itself": (
        lambda log: record(log, "Adam", seed=5, factors="optimizer", against="Adam"),
        "'Adam' cannot be compared with itself",
    ),
    "compared with a configuration not recorded yet": (
        lambda log: record(log, "Adam, dropout", factors="dropout", against="Adam, wide"),
        "which is not in the log yet: record 'Adam, wide' first \\(the log holds 'baseline', 'Adam'\\)",
    ),
    "a seed with other factors": (
        lambda log: record(log, "Adam", seed=2, factors=("optimizer", "L2")),
        "'Adam' was recorded with seed\\(s\\) 0, 1 changing optimizer against 'baseline', not optimizer \\+ L2 "
        "against 'baseline': the seeds of a configuration must train the same configuration",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_run_that_does_not_fit_is_refused_saying_what_to_do_and_nothing_is_written(log, mistake):
    recording, message = MISTAKES[mistake]
    written = log.path.read_text()
    with pytest.raises(ValueError, match=message):
        recording(log)
    assert log.path.read_text() == written and len(ExperimentLog(log.path)) == len(log) == 5


def test_a_seed_compared_with_another_configuration_than_its_earlier_seeds_is_refused(log):
    record(log, "Adam, dropout", factors="dropout", against="Adam")
    with pytest.raises(ValueError, match="changing dropout against 'Adam', not dropout against 'baseline'"):
        record(log, "Adam, dropout", seed=1, factors="dropout")


def test_a_seed_may_correct_its_own_run_when_it_is_the_only_one(log):
    record(log, "wide", factors="width")
    assert record(log, "wide", factors=("width", "depth")).factors == ("width", "depth")


def test_a_model_instead_of_its_history_is_refused(log):
    with pytest.raises(TypeError, match="the History that fit returns .* not SimpleNamespace"):
        log.record("Adam", SimpleNamespace(history=SimpleNamespace()), seed=3, factors="optimizer", seconds=1)


def test_the_seeds_of_a_name_make_a_configuration_with_their_means_and_spread(log):
    record(log, "Adam", 0.94, seed=2, factors="optimizer", seconds=4.5, train_accuracy=0.98)
    baseline, adam = log.configurations()
    assert isinstance(adam, Configuration) and log.baseline() == baseline
    assert (adam.name, adam.factors, adam.against, adam.changed) == ("Adam", ("optimizer",), "baseline", "Adam changed")
    assert adam.seeds == [0, 1, 2] and [run.seed for run in adam.runs] == [0, 1, 2] and adam.parameters == 1000
    assert adam.mean_val_accuracy == pytest.approx(np.mean([0.93, 0.95, 0.94]))
    assert adam.std_val_accuracy == pytest.approx(np.std([0.93, 0.95, 0.94], ddof=1))
    assert adam.mean_train_accuracy == pytest.approx(np.mean([0.95, 0.95, 0.98]))
    assert adam.mean_seconds == pytest.approx(np.mean([1.5, 1.5, 4.5]))
    np.testing.assert_allclose(adam.mean_val_curve, [0.5, 0.8, np.mean([0.93, 0.95, 0.94])])
    assert (baseline.factors, baseline.against) == ((), None)


def test_a_single_seed_has_no_spread_and_curves_stopped_early_are_averaged_where_they_exist(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    alone = record(log, "baseline", 0.7, curve=(0.5, 0.6))
    assert log.baseline().std_val_accuracy is None and alone.val_accuracy == log.baseline().mean_val_accuracy
    record(log, "baseline", 0.8, seed=1, curve=(0.4,))
    np.testing.assert_allclose(log.baseline().mean_val_curve, [0.45, 0.7, 0.7])


def test_compare_gives_the_difference_of_the_means_and_twice_its_standard_error(log):
    comparison = log.compare("Adam")
    # Adam: 0.93 and 0.95, mean 0.94, variance 0.0002; baseline: 0.90 to 0.92, mean 0.91, variance 0.0001.
    assert comparison.difference == pytest.approx(0.03)
    assert comparison.noise == pytest.approx(2 * math.sqrt(0.0002 / 2 + 0.0001 / 3))
    assert comparison.beyond_noise is True and comparison.verdict == "beyond noise"
    assert str(comparison) == "Adam against baseline: +3.0 ± 2.3 points (beyond noise)"
    record(log, "Adam", 0.89, seed=1, factors="optimizer")  # now 0.93 and 0.89: mean 0.91, variance 0.0008
    comparison = log.compare("Adam")
    assert comparison.difference == pytest.approx(0.0)
    assert comparison.noise == pytest.approx(2 * math.sqrt(0.0008 / 2 + 0.0001 / 3))
    assert comparison.beyond_noise is False and comparison.verdict == "within noise"


def test_with_a_single_seed_the_noise_is_unknown(log):
    record(log, "SGD 0.1", 0.97, factors="learning rate")
    comparison = log.compare("SGD 0.1")
    assert comparison.difference == pytest.approx(0.06) and comparison.noise is None
    assert comparison.beyond_noise is None and comparison.verdict == "1 seed"
    assert str(comparison) == "SGD 0.1 against baseline: +6.0 points (1 seed)"


@pytest.mark.parametrize(
    "name, message", [("baseline", "'baseline' is the baseline"), ("RMSprop", "No configuration 'RMSprop'")]
)
def test_compare_refuses_the_baseline_and_unknown_names(log, name, message):
    with pytest.raises(ValueError, match=message):
        log.compare(name)


def test_table_has_a_row_per_configuration_with_its_change_and_verdict(log):
    record(log, "Adam, dropout 0.3 after every hidden layer", 0.95, factors=("dropout", "L2"), against="Adam")
    header, *rows, footer = log.table().splitlines()
    assert header.split()[:4] == ["configuration", "factors", "against", "seeds"]
    assert rows == [
        "baseline              —                              3     1k    2s 0.950 0.910 ± 0.010",
        "Adam                  optimizer       baseline       2     1k    2s 0.950 0.940 ± 0.014  +3.0 ± 2.3 "
        "beyond noise",
        "Adam, dropout 0.3 af… dropout + L2    Adam           1     1k    2s 0.950         0.950        +1.0 1 seed",
    ]
    assert max(len(line) for line in (header, *rows, footer)) <= 112
    assert "log.compare" in footer


def test_table_of_an_old_log_without_a_baseline_leaves_the_change_empty(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(OLD_DROPOUT + "\n")
    _, row, _ = ExperimentLog(path).table().splitlines()
    assert row.split() == ["drop", "dropout", "baseline", "1", "109k", "61s", "0.990", "0.900"]


def overlap(a, b):
    """Whether two display boxes share more than their edges."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_plot_shows_every_seed_by_configuration_and_the_mean_curves(log):
    record(log, "Adam, dropout 0.3", 0.96, factors="dropout", against="Adam", curve=(0.6,))
    fig = log.plot()
    seeds, curves = fig.axes
    names = ["baseline", "Adam", "Adam, dropout 0.3"]
    assert [label.get_text() for label in seeds.get_yticklabels()] == names
    dots = [collection.get_offsets() for collection in seeds.collections]
    assert [list(d[:, 0]) for d in dots] == [[0.90, 0.91, 0.92], [0.93, 0.95], [0.96]]
    assert [np.round(d[:, 1]).tolist() for d in dots] == [[0, 0, 0], [1, 1], [2]]  # on each configuration's row
    bars, dashed = seeds.get_lines()[:-1], seeds.get_lines()[-1]
    assert [bar.get_xdata()[0] for bar in bars] == pytest.approx([0.91, 0.94, 0.96])
    assert dashed.get_linestyle() == "--" and dashed.get_xdata()[0] == pytest.approx(0.91)
    assert [line.get_label() for line in curves.get_lines()] == names
    for line, configuration in zip(curves.get_lines(), log.configurations()):
        np.testing.assert_allclose(line.get_ydata(), configuration.mean_val_curve)
    colours = [tuple(c.get_facecolor()[0][:3]) for c in seeds.collections]
    assert colours == [to_rgb(line.get_color()) for line in curves.get_lines()]
    assert len(set(colours)) == 3
    plt.close(fig)


def test_plot_labels_and_legend_overlap_nothing(log):
    for name in ("wide", "deep", "tanh", "L2 1e-4", "dropout 0.5", "a very long name of a run"):
        record(log, name, 0.9, factors="L2")
    fig = log.plot()
    assert tuple(fig.get_size_inches()) == (11, 4.5)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    seeds, curves = fig.axes
    labels = [label.get_window_extent(renderer) for label in seeds.get_yticklabels()]
    assert len(labels) == 8 and not any(overlap(a, b) for a, b in itertools.combinations(labels, 2))
    legend = curves.get_legend().get_window_extent(renderer)
    assert not overlap(legend, curves.get_window_extent(renderer))
    assert fig.bbox.x1 >= legend.x1 and fig.bbox.y0 <= legend.y0  # and inside the figure
    assert not any(overlap(label, curves.get_window_extent(renderer)) for label in labels)
    assert seeds.get_yticklabels()[-1].get_text() == "a very long name of a r…"
    plt.close(fig)


def test_an_empty_log_has_a_table_and_a_plot(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    assert len(log.table().splitlines()) == 2 and log.baseline() is None and log.configurations() == []
    plt.close(log.plot())


def test_summary_gives_a_configurations_mean_spread_seeds_and_comparison(log):
    assert log.summary("baseline") == "baseline: validation accuracy 0.910 ± 0.010 over 3 seeds"
    assert log.summary("Adam") == (
        "Adam: validation accuracy 0.940 ± 0.014 over 2 seeds; +3.0 ± 2.3 points against baseline (beyond noise)"
    )
    record(log, "SGD 0.1", 0.97, factors="learning rate")
    assert log.summary("SGD 0.1").endswith("over 1 seed; +6.0 points against baseline (1 seed)")
    with pytest.raises(ValueError, match="No configuration 'Adamax'"):
        log.summary("Adamax")

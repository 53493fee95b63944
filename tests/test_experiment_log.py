"""course_utils.experiment_log: runs are on disk at once, survive a restart and a crash."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest

from course_utils.experiment_log import ExperimentLog, Run

# A run as an older version of the course wrote it (when runs were dicts): the file format.
OLD_LINE = (
    '{"name": "baseline", "factor": "baseline", "changed": "rung 4", "parameters": 109386, "epochs": 30, '
    '"seconds": 61.42, "train_accuracy": 0.99, "val_accuracy": 0.9, "val_curve": [0.85, 0.9]}'
)


def run(log, name, factor="dropout", val=0.9, **extra):
    fields = dict(
        changed=f"{name} changed",
        parameters=1000,
        epochs=3,
        seconds=1.5,
        train_accuracy=0.95,
        val_accuracy=val,
        val_curve=[0.5, 0.8, val],
    )
    return log.record(name=name, factor=factor, **{**fields, **extra})


def test_a_run_is_on_disk_as_soon_as_it_is_recorded(tmp_path):
    path = tmp_path / "log.jsonl"
    log = ExperimentLog(path)
    record = run(log, "baseline", "baseline", 0.9)
    assert path.read_text().splitlines() == [record.to_json()]
    assert ExperimentLog(path).runs == [record]


def test_numpy_numbers_are_written_as_plain_json_numbers(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    record = run(
        log,
        "adam",
        "optimizer",
        val=np.float32(0.875),
        parameters=np.int64(1000),
        seconds=np.float64(1.23456),
        val_curve=np.array([0.5, 0.875], dtype=np.float32),
    )
    written = json.loads(log.path.read_text())
    assert written["parameters"] == 1000 and written["seconds"] == 1.23
    assert written["val_accuracy"] == written["val_curve"][-1] == 0.875
    assert type(record.parameters) is int and type(record.val_accuracy) is float
    assert record.val_curve == (0.5, 0.875) and all(type(v) is float for v in record.val_curve)


def test_a_log_written_by_an_older_version_still_loads(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(OLD_LINE + "\n")
    (baseline,) = ExperimentLog(path).runs
    assert baseline == Run(
        name="baseline",
        factor="baseline",
        changed="rung 4",
        parameters=109386,
        epochs=30,
        seconds=61.42,
        train_accuracy=0.99,
        val_accuracy=0.9,
        val_curve=(0.85, 0.9),
    )
    assert baseline.to_json() == OLD_LINE


@pytest.mark.parametrize(
    "line",
    [
        OLD_LINE.replace('"epochs": 30, ', ""),
        OLD_LINE.replace(', "val_curve": [0.85, 0.9]', ""),
        OLD_LINE.replace('"epochs": 30, ', '"epochs": 30, "colour": "pink", '),
        "[1, 2, 3]",
    ],
    ids=["a field missing", "no curve", "an unknown field", "not an object"],
)
def test_a_line_that_is_not_a_run_is_skipped_and_reported(tmp_path, line):
    path = tmp_path / "log.jsonl"
    path.write_text(f"{OLD_LINE}\n{line}\n")
    log = ExperimentLog(path)
    assert [r.name for r in log.runs] == ["baseline"] and log.skipped == [2]
    assert "line(s) 2 could not be read" in log.describe()


def test_record_takes_keyword_arguments_only(tmp_path):
    with pytest.raises(TypeError):
        ExperimentLog(tmp_path / "log.jsonl").record("baseline", "baseline", "rung 4", 1, 1, 1.0, 0.5, 0.5)


def test_a_new_log_on_the_same_file_reloads_every_run(tmp_path):
    path = tmp_path / "log.jsonl"
    first = ExperimentLog(path)
    run(first, "baseline", "baseline")
    run(first, "adam", "optimizer", 0.95)
    again = ExperimentLog(path)
    assert [r.name for r in again.runs] == ["baseline", "adam"] and len(again) == 2
    assert again.describe() == f"Experiment log {path}: 2 run(s)."


def test_rerunning_a_name_keeps_the_newest_record(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    run(log, "baseline", "baseline", 0.90)
    run(log, "adam", "optimizer", 0.93)
    run(log, "baseline", "baseline", 0.91)
    assert [(r.name, r.val_accuracy) for r in log.runs] == [("adam", 0.93), ("baseline", 0.91)]
    assert [r.val_accuracy for r in ExperimentLog(log.path).runs] == [0.93, 0.91]


def test_a_line_cut_short_by_a_crash_is_skipped_and_reported(tmp_path):
    path = tmp_path / "log.jsonl"
    log = ExperimentLog(path)
    run(log, "baseline", "baseline")
    with open(path, "a") as f:
        f.write('{"name": "half a line", "fact')
    reopened = ExperimentLog(path)
    assert len(reopened) == 1 and reopened.skipped == [2]
    assert "line(s) 2 could not be read" in reopened.describe()
    run(reopened, "after the crash", "L2")  # appending still works after a damaged line
    assert [r.name for r in ExperimentLog(path).runs] == ["baseline", "after the crash"]


def test_the_default_file_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_EXPERIMENT_LOG", str(tmp_path / "elsewhere.jsonl"))
    assert ExperimentLog().path == tmp_path / "elsewhere.jsonl"
    monkeypatch.delenv("COURSE_EXPERIMENT_LOG")
    monkeypatch.chdir(tmp_path)
    assert ExperimentLog().path.name == "homework_experiments.jsonl"


def test_an_unknown_factor_is_refused_with_the_menu(tmp_path):
    with pytest.raises(ValueError, match="'colour'.*dropout.*augmentation"):
        run(ExperimentLog(tmp_path / "log.jsonl"), "pink", "colour")


def test_table_shows_the_change_against_the_baseline(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    run(log, "baseline", "baseline", 0.900)
    run(log, "tiny batches", "batch size", 0.875)
    header, base, tiny = log.table().splitlines()
    assert "vs baseline" in header and base.endswith("+0.0 pt") and tiny.endswith("-2.5 pt")
    assert "1,000" in tiny and "0.875" in tiny


def test_plot_has_a_point_per_run_and_a_curve_per_run(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    run(log, "baseline", "baseline", 0.90)
    run(log, "adam", "optimizer", 0.95, parameters=5000, seconds=3.0)
    fig = log.plot()
    by_size, by_time, curves = fig.axes
    assert [tuple(c.get_offsets()[0]) for c in by_size.collections] == [(1000, 0.90), (5000, 0.95)]
    assert [tuple(c.get_offsets()[0]) for c in by_time.collections] == [(1.5, 0.90), (3.0, 0.95)]
    assert [line.get_label() for line in curves.get_lines()] == ["baseline", "adam"]
    assert by_size.get_xscale() == "log"
    plt.close(fig)

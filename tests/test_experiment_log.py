"""course_utils.experiment_log: runs are on disk at once, survive a restart and a crash."""

import json

import matplotlib.pyplot as plt
import pytest

from course_utils.experiment_log import ExperimentLog


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
    return log.record(name, factor, **{**fields, **extra})


def test_a_run_is_on_disk_as_soon_as_it_is_recorded(tmp_path):
    path = tmp_path / "log.jsonl"
    log = ExperimentLog(path)
    record = run(log, "baseline", "baseline", 0.9)
    assert json.loads(path.read_text().splitlines()[0]) == record
    assert record["val_curve"] == [0.5, 0.8, 0.9] and record["parameters"] == 1000


def test_a_new_log_on_the_same_file_reloads_every_run(tmp_path):
    path = tmp_path / "log.jsonl"
    first = ExperimentLog(path)
    run(first, "baseline", "baseline")
    run(first, "adam", "optimizer", 0.95)
    again = ExperimentLog(path)
    assert [r["name"] for r in again.runs] == ["baseline", "adam"] and len(again) == 2
    assert again.describe() == f"Experiment log {path}: 2 run(s)."


def test_rerunning_a_name_keeps_the_newest_record(tmp_path):
    log = ExperimentLog(tmp_path / "log.jsonl")
    run(log, "baseline", "baseline", 0.90)
    run(log, "adam", "optimizer", 0.93)
    run(log, "baseline", "baseline", 0.91)
    assert [(r["name"], r["val_accuracy"]) for r in log.runs] == [("adam", 0.93), ("baseline", 0.91)]
    assert [r["val_accuracy"] for r in ExperimentLog(log.path).runs] == [0.93, 0.91]


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
    assert [r["name"] for r in ExperimentLog(path).runs] == ["baseline", "after the crash"]


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

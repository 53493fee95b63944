"""use_test_environment: notebooks under test run on the sample, with a log and Keras settings of their own."""

import os
import tempfile
from pathlib import Path

import pytest

from course_utils.authoring.environment import use_test_environment
from course_utils.data import SOURCE_VAR
from course_utils.experiment_log import LOG_FILE_VAR
from course_utils.paths import CACHE_VAR


@pytest.fixture
def bare_environment(tmp_path, monkeypatch):
    """None of the variables set; temporary folders made under tmp_path. Everything is restored afterwards."""
    for name in (SOURCE_VAR, LOG_FILE_VAR, CACHE_VAR, "KERAS_HOME"):
        monkeypatch.setenv(name, "")  # so that monkeypatch restores the variable even if it was not set
        monkeypatch.delenv(name)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_on_the_sample_the_log_cache_and_keras_settings_go_to_one_temporary_folder(bare_environment):
    use_test_environment()
    assert os.environ[SOURCE_VAR] == "sample"
    folders = {Path(os.environ[name]).parent for name in (LOG_FILE_VAR, CACHE_VAR, "KERAS_HOME")}
    assert len(folders) == 1 and folders.pop().parent == bare_environment


def test_with_full_mnist_keras_keeps_the_users_folder(bare_environment, monkeypatch):
    monkeypatch.setenv(SOURCE_VAR, "full")
    use_test_environment()
    assert "KERAS_HOME" not in os.environ and os.environ[SOURCE_VAR] == "full"
    assert Path(os.environ[LOG_FILE_VAR]).parent.parent == bare_environment


def test_what_is_set_already_is_kept_and_no_folder_is_made_for_nothing(bare_environment, monkeypatch):
    monkeypatch.setenv(LOG_FILE_VAR, "my.jsonl")
    monkeypatch.setenv("KERAS_HOME", "my_keras")
    monkeypatch.setenv(CACHE_VAR, "my_cache")
    use_test_environment()
    assert (os.environ[LOG_FILE_VAR], os.environ["KERAS_HOME"], os.environ[CACHE_VAR]) == (
        "my.jsonl",
        "my_keras",
        "my_cache",
    )
    assert list(bare_environment.iterdir()) == []

"""The environment notebooks run in under the tests and the notebook runner.

Kept apart from :mod:`course_utils.authoring.refresh` so that ``conftest.py`` can set it up
without importing the notebook runner (nbclient, jupyter_client) at every pytest start.
"""

import os
import tempfile
from pathlib import Path

from course_utils.data import SOURCE_VAR
from course_utils.experiment_log import DEFAULT_FILE as DEFAULT_LOG_FILE
from course_utils.experiment_log import LOG_FILE_VAR
from course_utils.paths import CACHE_VAR


def use_test_environment():
    """Run notebooks as the tests do, setting only the variables that are not set yet.

    The data is the embedded sample (unless ``COURSE_MNIST`` says otherwise); the homework
    gets an empty experiment log and trained models an empty cache, outside the repository;
    and on the sample, Keras keeps its settings in a temporary folder instead of the user's
    ``~/.keras`` (with another source it must find the user's full MNIST there).
    """
    os.environ.setdefault(SOURCE_VAR, "sample")
    wanted = {LOG_FILE_VAR: DEFAULT_LOG_FILE, CACHE_VAR: "training_cache"}
    if os.environ[SOURCE_VAR] == "sample":
        wanted["KERAS_HOME"] = "keras_home"
    missing = {name: part for name, part in wanted.items() if name not in os.environ}
    if missing:  # make a temporary folder only when it will be used
        folder = Path(tempfile.mkdtemp(prefix="course-test-"))
        for name, part in missing.items():
            os.environ[name] = str(folder / part)

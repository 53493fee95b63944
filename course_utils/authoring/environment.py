"""The environment notebooks run in under the tests and the notebook runner.

Kept apart from :mod:`course_utils.authoring.refresh` so that ``conftest.py`` can set it up
without importing the notebook runner (nbclient, jupyter_client) at every pytest start.
"""

import os
import tempfile
from pathlib import Path

from course_utils.experiment_log import DEFAULT_FILE as DEFAULT_LOG_FILE
from course_utils.experiment_log import LOG_FILE_VAR as EXPERIMENT_LOG_VAR


def use_test_environment():
    """Run notebooks as the tests do: on the embedded sample (unless COURSE_MNIST is set), and with
    an empty experiment log for the homework, outside the repository."""
    os.environ.setdefault("COURSE_MNIST", "sample")
    if EXPERIMENT_LOG_VAR not in os.environ:  # make a temporary folder only when it will be used
        os.environ[EXPERIMENT_LOG_VAR] = str(Path(tempfile.mkdtemp(prefix="course-log-")) / DEFAULT_LOG_FILE)

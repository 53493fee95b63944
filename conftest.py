"""pytest settings shared by the unit tests and the notebook runs (nbval)."""

from course_utils.authoring.environment import use_test_environment
from course_utils.notebook_setup import quiet_tensorflow_logs
from course_utils.paths import ROOT

# The committed notebook outputs were made with the embedded sample; pin it so a machine
# that happens to have full MNIST runs the same checks (override: COURSE_MNIST=full pytest),
# and give the homework an empty experiment log outside the repository.
use_test_environment()
quiet_tensorflow_logs()  # the notebook kernels inherit this environment

# nbval waits only 5 s for a cell's output after the cell finished; a busy 2-core CI
# machine can be slower than that.
NBVAL_OUTPUT_TIMEOUT = 120


SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def pytest_configure(config):
    """Mask addresses and durations in compared outputs, from any working folder."""
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_collectstart(collector):
    """Do not compare stderr: TensorFlow and library warnings differ between runs."""
    if hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, "stderr")


def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = NBVAL_OUTPUT_TIMEOUT

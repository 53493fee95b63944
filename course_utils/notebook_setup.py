"""The set-up every notebook runs in its first cell: seeds, plot defaults, quiet logs.

The course's one seed, :data:`SEED`, lives here; the data module uses it too, so changing
it changes every random choice in the course at once.
"""

import os
import random
import re
import sys
import tempfile
import traceback

import numpy as np

from course_utils import colab
from course_utils.checking import LIBRARY_FOLDERS, PACKAGE_FOLDER

SEED = 42

# Applied by setup_notebook(); small figures keep the committed notebooks light.
PLOT_DEFAULTS = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def setup_notebook(seed=SEED, keras=False):
    """Make a notebook reproducible and quiet; call it in the first cell.

    Seeds Python's ``random``, NumPy's global generator and, with ``keras=True`` (or when
    TensorFlow is already imported), Keras and TensorFlow, with deterministic TensorFlow ops.
    Sets the course's matplotlib defaults and silences TensorFlow's C++ start-up logs.
    In Google Colab it first installs the packages the notebooks need and Colab lacks (see
    :mod:`course_utils.colab`); elsewhere it installs nothing.

    Parameters
    ----------
    seed : int
        The seed for every generator.
    keras : bool
        Import Keras and seed it too. Notebooks 01-03 leave this off, so they never
        pay for importing TensorFlow.

    Returns
    -------
    numpy.random.Generator
        A generator seeded with `seed`, for the notebook's own random numbers.
    """
    if colab.in_colab():
        colab.prepare()
    quiet_tensorflow_logs()
    _stop_in_one_line_when_not_done()
    random.seed(seed)
    np.random.seed(seed)
    if keras or "tensorflow" in sys.modules:
        _seed_keras(seed)
    import matplotlib

    matplotlib.rcParams.update(PLOT_DEFAULTS)
    return np.random.default_rng(seed)


def _stop_in_one_line_when_not_done():
    """In IPython, show a ``NotImplementedError`` from the notebook's code as one line naming what is not done.

    In a blank exercise notebook, Run All then stops at the first unfinished exercise with a
    sentence instead of a traceback. The cell still fails, so Run All still stops there.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _show_not_done)


def _show_not_done(shell, etype, value, tb, tb_offset=None):
    frames = traceback.extract_tb(tb)
    where = frames[-1] if frames else None
    # A library's own NotImplementedError keeps its traceback; the course's (require_done) does not need one.
    from_library = where is not None and where.filename.startswith(LIBRARY_FOLDERS)
    if (not from_library or where.filename.startswith(PACKAGE_FOLDER)) and not hasattr(value, "_render_traceback_"):
        value._render_traceback_ = lambda: [_not_done_line(value, where)]  # IPython shows it instead of a traceback
    shell.showtraceback((etype, value, tb))


def _not_done_line(error, where):
    if str(error):  # e.g. require_done's "this cell needs Exercise 2 ..."
        return f"Run All stops here: {error}."
    if where is None or where.name == "<module>":
        return (
            "Run All stops here: this exercise is not done yet. Replace `raise NotImplementedError()` with your "
            "code, then run the cell."
        )
    return (
        f"Run All stops here: `{where.name}` is not written yet (it still raises NotImplementedError). "
        "Do its exercise above first."
    )


def quiet_tensorflow_logs():
    """Hide TensorFlow's C++ log lines (info, warnings, and the CUDA errors of a CPU-only
    machine); effective only before TensorFlow is imported. Python exceptions still show.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


# Lines TensorFlow writes straight to stderr while it loads, before its log level applies:
# "Could not find cuda drivers", "oneDNN custom operations are on", and the like.
_STARTUP_NOISE = re.compile(r"WARNING: All log messages before absl::InitializeLog|[IW]\d{4} \d\d:\d\d:\d\d")


def import_tensorflow():
    """Import TensorFlow without its start-up chatter; anything else it prints still shows.

    Returns
    -------
    module
        The ``tensorflow`` module.
    """
    quiet_tensorflow_logs()
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)  # the C++ code writes to file descriptor 2 directly
        try:
            import tensorflow
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            lines = captured.read().decode(errors="replace").splitlines(keepends=True)
            sys.stderr.write("".join(line for line in lines if not _STARTUP_NOISE.match(line)))
    # TensorFlow's Python warnings (e.g. "triggered tf.function retracing" when several models
    # predict in turn) are about its internals, not the student's code.
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow


def _seed_keras(seed):
    import_tensorflow()
    import keras

    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        # Same weights and same results on every run, at a small cost in speed.
        tf.config.experimental.enable_op_determinism()

"""course_utils.notebook_setup and the cost of `import course_utils`."""

import logging
import os
import random
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

from course_utils import SEED, setup_notebook

HEAVY = ("tensorflow", "keras", "torch", "sklearn", "pandas", "matplotlib.pyplot", "mlxtend", "scipy")


@pytest.fixture(autouse=True)
def restore_what_setup_notebook_changes(monkeypatch):
    """Undo setup_notebook()'s global changes (plot defaults, seeds) after each test.

    TensorFlow is hidden from it, so that it never switches on TensorFlow's process-wide
    deterministic ops when an earlier test happened to import TensorFlow; the Keras seeding
    is tested in a fresh process below.
    """
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    with matplotlib.rc_context():
        yield
    random.setstate(python_state)
    np.random.set_state(numpy_state)


def test_import_course_utils_loads_nothing_heavy():
    """`import course_utils` must stay fast: no TensorFlow, no plotting or ML libraries.

    (Its time is measured in benchmarks/, not asserted here.)
    """
    code = f"import sys, course_utils; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_seeds_make_every_generator_repeat():
    def draw():
        rng = setup_notebook()
        return rng.random(3), np.random.rand(3), random.random()

    first, second = draw(), draw()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert first[2] == second[2]
    other = setup_notebook(seed=SEED + 1).random(3)
    assert not np.array_equal(first[0], other)


def test_plot_defaults_and_quiet_tensorflow(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.setitem(matplotlib.rcParams, "axes.grid", False)
    setup_notebook()
    assert matplotlib.rcParams["axes.grid"] is True
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"


def test_keras_gets_the_same_weights_on_every_call():
    code = """
import numpy as np
from course_utils import setup_notebook
def weights(seed=42):
    setup_notebook(seed, keras=True)
    import keras
    layer = keras.layers.Dense(4)
    layer.build((None, 3))
    return np.concatenate([layer.kernel.numpy().ravel(), keras.random.normal((3,)).numpy()])
a, b, c = weights(), weights(), weights(7)
print(np.array_equal(a, b), np.array_equal(a, c))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "False"]


FAKE_TENSORFLOW = """
import os
os.write(2, b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\\n")
os.write(2, b"I0000 00:00:1795444971.244496    3809 cudart_stub.cc:31] Could not find cuda drivers\\n")
os.write(2, b"a real problem the student must see\\n")


def get_logger():
    import logging
    return logging.getLogger("tensorflow")
"""


def test_tensorflow_startup_noise_is_dropped_and_the_rest_kept(tmp_path):
    (tmp_path / "tensorflow.py").write_text(FAKE_TENSORFLOW)
    code = "from course_utils.notebook_setup import import_tensorflow; import_tensorflow(); print('imported')"
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "imported"
    assert result.stderr == "a real problem the student must see\n"


def test_real_tensorflow_imports_quietly():
    code = (
        "from course_utils.notebook_setup import import_tensorflow\n"
        "tf = import_tensorflow()\n"
        "print(float(tf.reduce_sum(tf.ones((2, 2)))), tf.get_logger().getEffectiveLevel())"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip() == f"4.0 {logging.ERROR}"  # TensorFlow's Python warnings are silenced too
    assert result.stderr == ""

"""Fixtures for the unit tests: an isolated Keras cache, no real network, fake MNIST files.

The isolation goes through environment variables, so it also holds in the Python processes
a test starts.
"""

import hashlib
import http.server
import os
import socket
import threading

import matplotlib
import numpy as np
import pytest

from course_utils import data
from course_utils.paths import CACHE_VAR

matplotlib.use("Agg")


def _closed_port():
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_keras_environment(folder):
    """Environment variables that keep Keras, the data module and trained models inside `folder`, offline.

    With them set, no process can read the machine's real ``~/.keras``, write into the
    shared ``/tmp/.keras`` or reach the internet.

    Returns
    -------
    dict of str -> str
    """
    return {
        "KERAS_HOME": str(folder / "keras_home"),
        data.FALLBACK_VAR: str(folder / "keras_fallback"),
        data.URL_VAR: f"http://127.0.0.1:{_closed_port()}/mnist.npz",
        CACHE_VAR: str(folder / "training_cache"),
    }


@pytest.fixture(scope="session")
def isolated_keras_session(tmp_path_factory):
    """:func:`isolated_keras_environment` for fixtures wider than one test (e.g. notebook runs).

    Its training cache is the session's (set up by the root ``conftest.py``, outside the
    repository), which the nbval runs of the notebooks use too: a network that one notebook run
    trained is loaded by the next, as on a student's machine, instead of trained again.
    """
    return {**isolated_keras_environment(tmp_path_factory.mktemp("keras")), CACHE_VAR: os.environ[CACHE_VAR]}


@pytest.fixture(autouse=True)
def isolated_mnist(tmp_path, monkeypatch):
    """Every test gets empty Keras folders of its own and a download address that fails.

    The isolation goes through environment variables (:func:`isolated_keras_environment`),
    so it holds in the processes a test starts too.

    Returns
    -------
    pathlib.Path
        The (not yet created) folder where the data module looks for ``mnist.npz`` first.
    """
    for name, value in isolated_keras_environment(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(data.SOURCE_VAR, raising=False)
    keras_home = tmp_path / "keras_home"
    return keras_home / "datasets"


def write_fake_mnist(path, n_train=30, n_test=10, seed=0):
    """Write a small but correctly formatted ``mnist.npz``; return its arrays and SHA-256."""
    rng = np.random.default_rng(seed)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n_train, dtype=np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays, hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fake_mnist_bytes(tmp_path, monkeypatch):
    """The bytes of a fake ``mnist.npz`` whose checksum the data module accepts."""
    arrays, digest = write_fake_mnist(tmp_path / "served" / "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    return arrays, (tmp_path / "served" / "mnist.npz").read_bytes()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # server_close() never joins these: a silent handler cannot delay it
    body = b""
    mode = "ok"  # "ok", "silent" (never answers) or "truncated" (sends half)
    release = None  # set to let silent handlers finish
    requested = None  # the path of every request received, in order


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        server.requested.append(self.path)
        if server.mode == "silent":
            server.release.wait(30)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(server.body)))
        self.end_headers()
        sent = len(server.body) // 2 if server.mode == "truncated" else len(server.body)
        self.wfile.write(server.body[:sent])

    def log_message(self, *args):
        pass


@pytest.fixture
def mnist_server(monkeypatch):
    """A local HTTP server standing in for the MNIST download address.

    Set ``server.body`` and ``server.mode``; ``$COURSE_MNIST_URL`` points at it, and
    ``server.requested`` lists the paths asked for.
    """
    server = _Server(("127.0.0.1", 0), _Handler)
    server.release, server.requested = threading.Event(), []
    # shutdown() returns only once serve_forever next polls: poll often
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv(data.URL_VAR, f"http://127.0.0.1:{server.server_address[1]}/mnist.npz")
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()

"""Fixtures for the unit tests: an isolated Keras cache, no real network, fake MNIST files."""

import hashlib
import http.server
import socket
import threading

import matplotlib
import numpy as np
import pytest

from course_utils import data

matplotlib.use("Agg")

REAL_MNIST_URL = data.MNIST_URL  # before the fixture below points it elsewhere


def _closed_port():
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def isolated_mnist(tmp_path, monkeypatch):
    """Every test gets an empty Keras cache of its own and a download address that fails.

    No test can read the machine's real ``~/.keras`` or reach the internet.
    """
    keras_home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    monkeypatch.delenv("COURSE_MNIST", raising=False)
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{_closed_port()}/mnist.npz")
    monkeypatch.setattr(data, "KERAS_FALLBACK_BASE", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
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
    daemon_threads = True
    body = b""
    mode = "ok"  # "ok", "silent" (never answers) or "truncated" (sends half)
    release = None  # set to let silent handlers finish


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
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

    Set ``server.body`` and ``server.mode``; ``data.MNIST_URL`` points at it.
    """
    server = _Server(("127.0.0.1", 0), _Handler)
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(data, "MNIST_URL", f"http://127.0.0.1:{server.server_address[1]}/mnist.npz")
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()

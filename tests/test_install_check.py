"""course_utils.install_check: it passes here and names what is wrong elsewhere."""

import importlib
import sys

import pytest

from course_utils import install_check
from course_utils.install_check import check_installation, read_requirements


def test_this_environment_passes():
    report = check_installation(import_packages=False)
    assert report.ok, report.table()
    names = [row.name for row in report]
    assert names[0] == "python" and "tensorflow" in names and "mlxtend" in names
    assert "All" in report.summary()


def test_requirements_are_read_without_comments_blank_or_option_lines(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text(
        "# a comment\n\nnumpy>=2.4,<3  # a comment after a requirement\n"
        "--index-url https://pypi.org/simple\n-e .\nscikit-learn>=1.9,<2\n"
    )
    read = [(r.name, str(r.specifier)) for r in read_requirements(path)]
    assert read == [("numpy", "<3,>=2.4"), ("scikit-learn", "<2,>=1.9")]


@pytest.fixture
def requirements(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("# a comment\nnumpy>=99,<100\nno-such-package-for-the-course>=1\n-e .\nmlxtend>=0.1\n")
    return path


def test_wrong_version_and_missing_package_are_named(requirements):
    report = check_installation(requirements, import_packages=False)
    rows = {row.name: row for row in report}
    assert not report.ok and not report
    assert not rows["numpy"].ok and "outside the tested range" in rows["numpy"].problem
    assert rows["no-such-package-for-the-course"].installed == "missing"
    assert rows["mlxtend"].ok
    summary = report.summary()
    assert "2 of 4 checks failed" in summary and "numpy" in summary and "pip install -r requirements.txt" in summary
    assert "PROBLEM: not installed" in report.table()
    assert report.table().endswith(f"This Python is {sys.executable}")


def test_a_missing_requirements_file_is_explained(tmp_path):
    with pytest.raises(FileNotFoundError, match="needs a clone of the course repository"):
        check_installation(tmp_path / "requirements.txt")


def test_a_package_that_fails_to_import_is_reported(tmp_path, monkeypatch):
    path = tmp_path / "requirements.txt"
    path.write_text("scikit-learn>=1\n")
    real_import = importlib.import_module

    def broken(name, *args):
        if name == "sklearn":
            raise ImportError("illegal instruction")
        return real_import(name, *args)

    monkeypatch.setattr(install_check.importlib, "import_module", broken)
    (_, row) = check_installation(path)
    assert not row.ok and row.problem == "import sklearn fails: illegal instruction"


def test_unsupported_python_is_reported(monkeypatch):
    monkeypatch.setattr(install_check.platform, "python_version", lambda: "3.10.13")
    row = install_check._check_python()
    assert not row.ok and ">=3.11,<3.14" in row.problem

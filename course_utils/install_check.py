"""Is the course installed correctly? Used by notebook 00.

The required packages and their version ranges are read from the course's
``requirements.txt``, and the supported Pythons from its ``pyproject.toml``, so this
check can never disagree with what the install command installs.
"""

import importlib
import importlib.metadata
import platform
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from course_utils.notebook_setup import import_tensorflow
from course_utils.paths import ROOT

REQUIREMENTS = ROOT / "requirements.txt"
FIX = "In the course folder run: .venv/bin/pip install -r requirements.txt (see README.md)."
# Distributions whose import name differs from the package name.
IMPORT_NAMES = {"scikit-learn": "sklearn", "pillow": "PIL"}
# Tools that are run, not imported, by the course (importing them proves nothing more).
NOT_IMPORTED = {"pytest", "nbval"}


@dataclass
class Row:
    """One line of the report: a requirement and what this machine has."""

    name: str
    required: str
    installed: str
    ok: bool
    problem: str = ""


class InstallReport(list):
    """The rows of :func:`check_installation`; true when every row is fine."""

    @property
    def ok(self):
        return all(row.ok for row in self)

    def __bool__(self):
        return self.ok

    def table(self):
        """The report as an aligned text table."""
        header = Row("package", "required", "installed", True)
        width = [max(len(getattr(r, f)) for r in [header, *self]) for f in ("name", "required", "installed")]
        lines = []
        for r in [header, *self]:
            status = "" if r is header else ("ok" if r.ok else f"PROBLEM: {r.problem}")
            cells = (r.name.ljust(width[0]), r.required.ljust(width[1]), r.installed.ljust(width[2]))
            lines.append("  ".join(cells) + "  " + status)
        lines.append(f"This Python is {sys.executable}")
        return "\n".join(lines)

    def summary(self):
        """One line: all fine, or which rows need fixing and how."""
        bad = [row.name for row in self if not row.ok]
        if not bad:
            return f"All {len(self)} checks passed: the course is ready."
        return f"{len(bad)} of {len(self)} checks failed ({', '.join(bad)}). {FIX}"


def read_requirements(path=REQUIREMENTS):
    """The requirements in `path`, skipping comments, blank lines and ``-e`` lines.

    Returns
    -------
    list of packaging.requirements.Requirement
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the installation check needs a clone of the course repository, "
            "with course_utils installed from it by `pip install -r requirements.txt`."
        )
    requirements = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirements.append(Requirement(line))
    return requirements


def check_installation(requirements_file=REQUIREMENTS, import_packages=True):
    """Check the Python version and every required package.

    Parameters
    ----------
    requirements_file : path
        The requirements to check against.
    import_packages : bool
        Also import each library, which catches broken installs (a TensorFlow that does
        not load on this CPU, say). Importing TensorFlow takes a few seconds.

    Returns
    -------
    InstallReport
        One :class:`Row` for Python and one per requirement.
    """
    report = InstallReport([_check_python()])
    for requirement in read_requirements(requirements_file):
        report.append(_check_package(requirement, import_packages))
    return report


def _check_python():
    with open(ROOT / "pyproject.toml", "rb") as f:
        supported = tomllib.load(f)["project"]["requires-python"]
    version = platform.python_version()
    ok = SpecifierSet(supported).contains(version)
    supported = _describe_range(SpecifierSet(supported))
    problem = "" if ok else f"use a Python in {supported} to create the course's .venv"
    return Row("python", supported, version, ok, problem)


def _describe_range(specifier):
    """'>=2.4,<3' rather than the '<3,>=2.4' that packaging prints."""
    return ",".join(sorted(map(str, specifier), key=lambda s: not s.startswith(">")))


def _check_package(requirement, import_packages):
    name, required = requirement.name, _describe_range(requirement.specifier)
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return Row(name, required, "missing", False, "not installed")
    if not requirement.specifier.contains(version, prereleases=True):
        return Row(name, required, version, False, "version outside the tested range")
    if import_packages and name not in NOT_IMPORTED:
        module = IMPORT_NAMES.get(name, name)
        try:
            if module in ("tensorflow", "keras"):
                import_tensorflow()  # first, so its start-up chatter is filtered
            importlib.import_module(module)
        except Exception as error:  # any failure to import is what we report
            return Row(name, required, version, False, f"import {module} fails: {error}")
    return Row(name, required, version, True)


def main():
    """``python -m course_utils.install_check``: print the report; exit 1 on problems."""
    report = check_installation()
    print(report.table())
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Is the course installed correctly? Used by notebook 00.

The required packages and their version ranges are read from the course's
``requirements.txt``, and the supported Pythons from its ``pyproject.toml``, so this
check can never disagree with what the install command installs.

In Google Colab there is neither file nor developer tools (JupyterLab, pytest, ...): there
it checks the notebooks' own requirements, from the installed package's metadata (see
:mod:`course_utils.colab`), and a version outside the tested range is Colab's own, kept on
purpose, so it is noted rather than counted as a problem.
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

from course_utils import colab
from course_utils.notebook_setup import import_tensorflow
from course_utils.paths import ROOT, venv_command

REQUIREMENTS = ROOT / "requirements.txt"
FIX = f"In the course folder run: {venv_command('pip install -r requirements.txt')} (see README.md)."
COLAB_FIX = (
    "Run the notebook's first cell again, which installs what is missing; if that does not help, "
    "start from a fresh runtime (Runtime ▸ Disconnect and delete runtime)."
)
COLAB_NOTE = "Colab's own version, outside the tested range"
# Distributions whose import name differs from the package name.
IMPORT_NAMES = {"scikit-learn": "sklearn", "pillow": "PIL"}
# Tools that are run, not imported, by the course (importing them proves nothing more).
NOT_IMPORTED = {"pytest", "nbval", "pytest-xdist"}


@dataclass
class Row:
    """One line of the report: a requirement and what this machine has."""

    name: str
    required: str
    installed: str
    ok: bool
    problem: str = ""
    note: str = ""

    def status(self):
        """What the report's last column says about this row."""
        if not self.ok:
            return f"PROBLEM: {self.problem}"
        return f"ok ({self.note})" if self.note else "ok"


class InstallReport(list):
    """The rows of :func:`check_installation`; true when every row is fine."""

    in_colab = False

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
            status = "" if r is header else r.status()
            cells = (r.name.ljust(width[0]), r.required.ljust(width[1]), r.installed.ljust(width[2]))
            lines.append("  ".join(cells) + "  " + status)
        lines.append(f"This Python is {sys.executable}")
        if self.in_colab:
            lines.append("It runs in Google Colab: only the packages the notebooks need are checked.")
        return "\n".join(lines)

    def summary(self):
        """One line: all fine, or which rows need fixing and how."""
        bad = [row.name for row in self if not row.ok]
        if not bad:
            return f"All {len(self)} checks passed: the course is ready{' in Google Colab' if self.in_colab else ''}."
        return f"{len(bad)} of {len(self)} checks failed ({', '.join(bad)}). {COLAB_FIX if self.in_colab else FIX}"


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
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirements.append(Requirement(line))
    return requirements


def check_installation(requirements_file=None, import_packages=True):
    """Check the Python version and every required package.

    Parameters
    ----------
    requirements_file : path, optional
        The requirements to check against. Default: ``requirements.txt``, or in Google Colab
        the notebooks' own requirements (:func:`course_utils.colab.runtime_requirements`).
    import_packages : bool
        Also import each library, which catches broken installs (a TensorFlow that does
        not load on this CPU, say). Importing TensorFlow takes a few seconds.

    Returns
    -------
    InstallReport
        One :class:`Row` for Python and one per requirement.
    """
    if requirements_file is None and colab.in_colab():
        report = InstallReport([_check_python(colab.supported_pythons())])
        report.in_colab = True
        requirements = colab.runtime_requirements()
    else:
        report = InstallReport([_check_python()])
        requirements = read_requirements(REQUIREMENTS if requirements_file is None else requirements_file)
    for requirement in requirements:
        report.append(_check_package(requirement, import_packages, colab_version_kept=report.in_colab))
    return report


def _check_python(supported=None):
    if supported is None:
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


def _check_package(requirement, import_packages, colab_version_kept=False):
    name, required = requirement.name, _describe_range(requirement.specifier)
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return Row(name, required, "missing", False, "not installed")
    note = ""
    if not requirement.specifier.contains(version, prereleases=True):
        if not colab_version_kept:
            return Row(name, required, version, False, "version outside the tested range")
        note = COLAB_NOTE
    if import_packages and name not in NOT_IMPORTED:
        module = IMPORT_NAMES.get(name, name)
        try:
            if module in ("tensorflow", "keras"):
                import_tensorflow()  # first, so its start-up chatter is filtered
            importlib.import_module(module)
        except Exception as error:  # any failure to import is what we report
            return Row(name, required, version, False, f"import {module} fails: {error}")
    return Row(name, required, version, True, note=note)


def main():
    """``python -m course_utils.install_check``: print the report; exit 1 on problems."""
    report = check_installation()
    print(report.table())
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

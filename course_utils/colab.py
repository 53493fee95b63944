"""Google Colab: install what the notebooks need and Colab lacks, keeping Colab's TensorFlow, Keras and NumPy.

A notebook opened in Colab has only Colab's own packages. Its set-up cell first installs this
package from the course's repository (``pip install --no-deps git+<address>``), then
:func:`~course_utils.notebook_setup.setup_notebook` calls :func:`prepare`, which installs the
notebooks' requirements that are not installed at all (the ``colab`` extra of
``pyproject.toml``, read from this package's metadata, since ``requirements.txt`` is not part
of the installed package) and turns on Colab's support for custom widgets (notebook 06's
drawing canvas). Colab's TensorFlow, Keras and NumPy are never changed: the rest of Colab is
built for them, so pip gets a constraints file that pins their installed versions.
"""

import importlib
import importlib.metadata
import subprocess
import sys
import tempfile
from pathlib import Path

DISTRIBUTION = "course-utils"
EXTRA = "colab"
# Distribution name -> how the summary line names it.
KEPT = {"tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy"}


def in_colab():
    """Whether this Python runs in Google Colab (``google.colab`` can be imported).

    Returns
    -------
    bool
    """
    try:
        import google.colab  # noqa: F401
    except ImportError:
        return False
    return True


def runtime_requirements():
    """The notebooks' own requirements: the ``colab`` extra of the installed ``course-utils``.

    Returns
    -------
    list of packaging.requirements.Requirement
        Without their ``extra == "colab"`` markers.
    """
    from packaging.requirements import Requirement

    requirements = []
    for line in importlib.metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        if requirement.marker is not None and requirement.marker.evaluate({"extra": EXTRA}):
            requirement.marker = None
            requirements.append(requirement)
    return requirements


def supported_pythons():
    """The Python versions the course supports (``requires-python``), from the installed package's metadata.

    Returns
    -------
    str
    """
    return importlib.metadata.metadata(DISTRIBUTION)["Requires-Python"]


def worked_solutions_address():
    """Where the lectures' worked solutions are online: ``<repository>/tree/main/notebooks``.

    Returns
    -------
    str or None
        None when the installed package does not name its repository (``[project.urls]``).
    """
    for entry in importlib.metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []:
        label, _, address = entry.partition(",")
        if label.strip() == "Repository":
            return f"{address.strip().removesuffix('.git')}/tree/main/notebooks"
    return None


def installed_version(name):
    """The installed version of distribution `name`, or None when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def install_missing(requirements=None):
    """Install the requirements that are not installed at all, never changing TensorFlow, Keras or NumPy.

    A requirement that is installed in a version outside its range is left as it is: in Colab
    that is Colab's own version, which its other packages depend on.

    Parameters
    ----------
    requirements : list of packaging.requirements.Requirement, optional
        Default: :func:`runtime_requirements`.

    Returns
    -------
    installed : list of str
        The names of the requirements that were installed.
    kept : dict of str -> str
        The installed versions of :data:`KEPT`, which pip was not allowed to change.

    Raises
    ------
    RuntimeError
        When pip fails, with pip's own words.
    """
    if requirements is None:
        requirements = runtime_requirements()
    kept = {name: version for name in KEPT if (version := installed_version(name)) is not None}
    missing = [requirement for requirement in requirements if installed_version(requirement.name) is None]
    if not missing:
        return [], kept
    with tempfile.TemporaryDirectory() as folder:
        constraints = Path(folder) / "constraints.txt"
        constraints.write_text("".join(f"{name}=={version}\n" for name, version in kept.items()), encoding="utf-8")
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        result = subprocess.run(
            [*command, "--constraint", str(constraints), *map(str, missing)], capture_output=True, text=True
        )
    if result.returncode != 0:
        names = ", ".join(requirement.name for requirement in missing)
        raise RuntimeError(
            f"pip could not install {names} while keeping {_describe(kept)}. What pip said:\n"
            f"{result.stdout}{result.stderr}\n"
            "Run this cell again (a download may have failed); if it fails again, start from a fresh runtime "
            "(Runtime ▸ Disconnect and delete runtime) and tell the course's authors what pip said."
        )
    importlib.invalidate_caches()  # so that the new packages can be imported at once
    return [requirement.name for requirement in missing], kept


def prepare():
    """In Colab: install the notebooks' missing requirements, enable custom widgets, print one line saying so."""
    installed, kept = install_missing()
    _enable_custom_widgets()
    done = f"installed {', '.join(installed)}" if installed else "every package the course needs was already installed"
    print(f"Google Colab: {done}; kept Colab's {_describe(kept)}.")


def _describe(kept):
    return ", ".join(f"{KEPT[name]} {version}" for name, version in kept.items()) or "TensorFlow, Keras and NumPy"


def _enable_custom_widgets():
    """Let Colab show third-party widgets such as notebook 06's drawing canvas (an anywidget widget)."""
    try:
        from google.colab import output
    except ImportError:
        return
    enable = getattr(output, "enable_custom_widget_manager", None)
    if enable is not None:
        enable()

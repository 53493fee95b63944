"""Where the course's files are: the one module that knows the repository's layout.

Everything else (the package, the tests, the benchmarks, ``conftest.py``) takes the
repository's root and folders from here. The one exception is ``.ci/readme_command.py``,
which runs with the system Python before the course's environment exists.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURES = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
# Trained models kept between runs (git-ignored); the environment variable names another folder.
CACHE = ROOT / ".course_cache"
CACHE_VAR = "COURSE_CACHE"
# Course notebooks are numbered: 00_start_here.ipynb, 01_neuron_and_perceptron.ipynb, ...
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
# Where a virtual environment keeps its commands, as typed in the course folder: the only place
# that knows the two systems' layouts (a test keeps ".venv/bin" out of the rest of the package).
POSIX_VENV = ".venv/bin/"
WINDOWS_VENV = ".venv\\Scripts\\"


def course_notebooks(folder):
    """The numbered course notebooks in `folder`, in course order.

    Parameters
    ----------
    folder : path
        Usually :data:`LECTURES` or :data:`EXERCISES`.

    Returns
    -------
    list of pathlib.Path
    """
    return sorted(Path(folder).glob(NOTEBOOK_PATTERN))


def display_path(path):
    """`path` as messages show it: relative to the repository when inside it, else with the
    home folder written as ``~`` (as students know it), else unchanged.

    Parameters
    ----------
    path : path

    Returns
    -------
    str
    """
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        pass
    try:
        return "~/" + Path(path).relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):  # RuntimeError: no home folder can be found
        return str(path)


def venv_command(command):
    """`command` run from the course's virtual environment, written for this computer's system.

    Parameters
    ----------
    command : str
        E.g. ``"python -m course_utils.data --download"``.

    Returns
    -------
    str
        ``.venv/bin/python -m ...`` on Linux and macOS, ``.venv\\Scripts\\python -m ...`` on Windows.
    """
    return (WINDOWS_VENV if os.name == "nt" else POSIX_VENV) + command


def venv_command_everywhere(command):
    """`command` for Linux and macOS with its Windows form after it, for text shared by every system.

    Returns
    -------
    str
        Markdown, e.g. ``.venv/bin/python -m x`` (on Windows ``.venv\\Scripts\\python -m x``) in backticks.
    """
    return f"`{POSIX_VENV}{command}` (on Windows `{WINDOWS_VENV}{command}`)"

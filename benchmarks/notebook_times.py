"""How long each lecture notebook takes to run top to bottom, against its budget.

Each notebook runs in a fresh kernel of this Python as the tests run it (the embedded sample
unless COURSE_MNIST is set, an empty homework log), as `course_utils.authoring.refresh` would, without saving.
A notebook that keeps trained models in the training cache starts from an empty cache and is then
run a second time, as a student's re-run would load them; that re-run has its own budget.

Run: .venv/bin/python benchmarks/notebook_times.py [notebook ...]
"""

import argparse
import os
import tempfile
import time

import nbformat

from course_utils.authoring.environment import use_test_environment
from course_utils.authoring.refresh import execute_notebook
from course_utils.paths import CACHE_VAR, LECTURES, course_notebooks

# Seconds each notebook may take on a 2-core CPU (from the course design and its issues): a first run,
# and, for notebooks that cache their trained models, a re-run that finds them in the cache.
BUDGETS = {"00": 60, "01": 30, "02": 45, "03": 60, "04": 240, "05": 360, "06": 120}
RERUN_BUDGETS = {"04": 30, "06": 40}


def timed_run(path):
    """Seconds to run the notebook at `path` top to bottom in a fresh kernel."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    execute_notebook(notebook, os.path.dirname(os.path.abspath(path)))
    return time.perf_counter() - start


def report(name, seconds, budget):
    verdict = f"budget {budget} s: {'ok' if seconds <= budget else 'OVER'}" if budget else "no budget"
    print(f"{name:48s} {seconds:6.1f} s   ({verdict})", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="lecture notebooks (default: all)")
    paths = parser.parse_args().notebooks or course_notebooks(LECTURES)
    use_test_environment()
    for path in paths:
        name, number = os.path.basename(path), os.path.basename(path)[:2]
        os.environ[CACHE_VAR] = tempfile.mkdtemp(prefix="course-cache-")  # the first run trains everything
        report(name, timed_run(path), BUDGETS.get(number))
        if number in RERUN_BUDGETS:
            report(f"{name} (re-run, from the cache)", timed_run(path), RERUN_BUDGETS[number])


if __name__ == "__main__":
    main()

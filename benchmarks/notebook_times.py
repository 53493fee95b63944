"""How long each lecture notebook takes to run top to bottom, against its budget.

Each notebook runs in a fresh kernel of this Python as the tests run it (the embedded sample
unless COURSE_MNIST is set, an empty homework log), as `course_utils.authoring.refresh` would, without saving.

Run: .venv/bin/python benchmarks/notebook_times.py [notebook ...]
"""

import argparse
import os
import time

import nbformat

from course_utils.authoring.environment import use_test_environment
from course_utils.authoring.refresh import execute_notebook
from course_utils.paths import LECTURES, course_notebooks

# Seconds each notebook may take on a 2-core CPU (from the course design and its issues).
BUDGETS = {"00": 60, "01": 30, "02": 45, "03": 60, "04": 300, "05": 360}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="lecture notebooks (default: all)")
    paths = parser.parse_args().notebooks or course_notebooks(LECTURES)
    use_test_environment()
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        execute_notebook(notebook, os.path.dirname(os.path.abspath(path)))
        seconds = time.perf_counter() - start
        budget = BUDGETS.get(os.path.basename(path)[:2])
        verdict = f"budget {budget} s: {'ok' if seconds <= budget else 'OVER'}" if budget else "no budget"
        print(f"{os.path.basename(path):40s} {seconds:6.1f} s   ({verdict})", flush=True)


if __name__ == "__main__":
    main()

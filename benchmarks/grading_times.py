"""How long nbgrader's autograde takes per submission of each lecture, and its longest cell.

Every lecture becomes an assignment of an nbgrader course in a temporary folder, built as
``tests/test_nbgrader_round_trip.py`` builds it, and two students hand it in: the lecture's own
solutions and the blank released notebook. Each submission is autograded on its own
(``nbgrader autograde ASSIGNMENT --student STUDENT``) in a kernel of this Python, on the embedded
sample, starting from an empty training cache (a student's networks are trained, not loaded),
with a per-cell timeout long enough for any cell. The times include nbgrader's own start: the
wall-clock time, and the CPU time of nbgrader and its kernel (less sensitive to other work on the
machine, but larger than the wall-clock time where TensorFlow trains on several cores).
Needs nbgrader (``.venv/bin/pip install nbgrader==0.9.6``).

Run: .venv/bin/python benchmarks/grading_times.py [NN ...]
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
from pathlib import Path

from course_utils.paths import CACHE_VAR, LECTURES, ROOT, course_notebooks

sys.path.insert(0, str(ROOT))  # the course-building helpers live in the tests package, which is not installed
from tests.test_nbgrader_round_trip import (
    BLANK,
    SOLUTIONS,
    automatic_points,
    graded_notebook,
    grading_environment,
    hand_in,
    make_course,
    nbgrader,
    read_gradebook,
)

TIMEOUT = 3600


def longest_cell(notebook):
    """(seconds, cell id) of the cell that ran longest, from the timing nbgrader's kernel client records."""

    def seconds(timing):
        started, ended = (
            datetime.datetime.fromisoformat(timing[key]) for key in ("iopub.execute_input", "shell.execute_reply")
        )
        return (ended - started).total_seconds()

    timed = [cell for cell in notebook.cells if "shell.execute_reply" in cell.metadata.get("execution", {})]
    return max((seconds(cell.metadata.execution), cell.id) for cell in timed)


def _children_cpu():
    """CPU seconds used so far by the processes this one started and waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", help="lecture numbers, e.g. 04 05 (default: all)")
    numbers = parser.parse_args().numbers
    lectures = [path for path in course_notebooks(LECTURES) if not numbers or path.name[:2] in numbers]
    folder = Path(tempfile.mkdtemp(prefix="course-grading-"))
    released = make_course(folder, lectures, grading_environment(folder, {}), TIMEOUT)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"{'notebook':30s} {'submission':10s} {'wall':>6s} {'CPU':>6s}   {'longest cell':31s} automatic points")
    for lecture in lectures:
        assignment = lecture.stem
        for student, notebook in ((SOLUTIONS, lecture), (BLANK, released[assignment])):
            hand_in(folder, assignment, student, notebook)
            environment = grading_environment(folder, {CACHE_VAR: tempfile.mkdtemp(prefix="course-cache-")})
            cpu_before = _children_cpu()
            seconds = nbgrader(folder, environment, "autograde", assignment, "--student", student)
            cpu = _children_cpu() - cpu_before
            cell_seconds, cell = longest_cell(graded_notebook(folder, assignment, student))
            grades = read_gradebook(folder)[assignment, student]
            scored, possible = automatic_points(grades)
            by_hand = sum(grade.maximum for grade in grades.values() if grade.needs_manual_grade)
            waiting = f", {by_hand:g} to grade by hand" if by_hand else ""
            print(
                f"{assignment:30s} {student:10s} {seconds:4.0f} s {cpu:4.0f} s   {cell_seconds:5.0f} s {cell:23s} "
                f"{scored:g} of {possible:g}{waiting}",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()[0]:.1f}; the course and the graded notebooks: {folder}")


if __name__ == "__main__":
    main()

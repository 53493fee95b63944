"""How long a student waits for each exercise check of notebooks 01-04, on the right code.

Every public ``check_*`` of the four check modules is called with the course's solutions
from ``tests/solutions.py`` (found by the names of the check's parameters, which are the
names the notebooks give them), once to warm up (imports, Keras's first model), then
several rounds, interleaved; the median is reported. Goal: every check under 1 s.

Run: .venv/bin/python benchmarks/check_speed.py [--rounds N]
"""

import argparse
import inspect
import statistics
import sys
import time

from course_utils import checks_adaline, checks_backprop, checks_keras, checks_perceptron
from course_utils.paths import ROOT

sys.path.insert(0, str(ROOT))  # the solutions live in the tests package, which is not installed
from tests import solutions

NOTEBOOKS = {"01": checks_perceptron, "02": checks_adaline, "03": checks_backprop, "04": checks_keras}
GOAL_SECONDS = 1.0


def checks_of(module):
    """The public checks defined in `module`, in the order they are defined."""
    return [
        check
        for name, check in vars(module).items()
        if name.startswith("check_") and getattr(check, "__module__", None) == module.__name__
    ]


def solved(check):
    """The check's arguments: the solutions named as its parameters."""
    return tuple(getattr(solutions, name) for name in inspect.signature(check).parameters)


def time_once(check):
    start = time.perf_counter()
    result = check(*solved(check), verbose=False)
    seconds = time.perf_counter() - start
    if not result:
        raise SystemExit(f"{check.__name__} does not pass the solution, so its time means nothing: {result.message}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    solutions.import_keras()  # quietly, before the Keras check would import it with TensorFlow's start-up chatter
    checks = {
        (notebook, check.__name__): check for notebook, module in NOTEBOOKS.items() for check in checks_of(module)
    }
    times = {key: [] for key in checks}
    for check in checks.values():
        time_once(check)
    for _ in range(rounds):
        for key, check in checks.items():
            times[key].append(time_once(check))
    medians = {key: statistics.median(values) for key, values in times.items()}
    print(f"median of {rounds} runs each, after one warm-up run")
    print(f"  {'notebook':8s} {'check':30s} {'median':>8s}")
    for (notebook, name), seconds in medians.items():
        print(f"  {notebook:8s} {name:30s} {seconds:6.3f} s")
    (_, slowest), seconds = max(medians.items(), key=lambda item: item[1])
    verdict = "meets" if seconds < GOAL_SECONDS else "MISSES"
    print(f"slowest: {slowest}, {seconds:.3f} s: {verdict} the {GOAL_SECONDS:.0f} s goal")


if __name__ == "__main__":
    main()

"""How long notebooks wait for their imports: `import course_utils` against its neighbours.

Each statement runs in a fresh interpreter, interleaved, several rounds; the median is
reported with its ratio to a bare interpreter start. Goal: `import course_utils` under 1 s,
far below `import tensorflow`.

Run: .venv/bin/python benchmarks/import_time.py [--rounds N]
"""

import argparse
import statistics
import subprocess
import sys
import time

STATEMENTS = {
    "python (nothing)": "pass",
    "import numpy": "import numpy",
    "import course_utils": "import course_utils",
    "course_utils.setup_notebook()": "import course_utils; course_utils.setup_notebook()",
    "load_mnist('sample')": "from course_utils.data import load_mnist; load_mnist('sample', verbose=False)",
    "import tensorflow": "import tensorflow",
}
GOAL_SECONDS = 1.0


def time_once(statement):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    times = {name: [] for name in STATEMENTS}
    for _ in range(rounds):
        for name, statement in STATEMENTS.items():
            times[name].append(time_once(statement))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["python (nothing)"]
    print(f"median of {rounds} fresh interpreters each (includes ~{baseline:.2f} s interpreter start)")
    for name, seconds in medians.items():
        print(f"  {name:32s} {seconds:6.2f} s   {seconds / baseline:5.1f}x a bare start")
    imported = medians["import course_utils"]
    verdict = "meets" if imported < GOAL_SECONDS else "MISSES"
    print(
        f"import course_utils: {imported:.2f} s, {verdict} the {GOAL_SECONDS:.0f} s goal; "
        f"{medians['import tensorflow'] / imported:.0f}x faster than import tensorflow"
    )


if __name__ == "__main__":
    main()

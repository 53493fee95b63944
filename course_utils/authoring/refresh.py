"""Run notebooks with this environment's Python: refresh lecture outputs, test exercises.

After editing a lecture, an instructor runs (from the repository root)::

    .venv/bin/python -m course_utils.authoring.refresh notebooks/01_neuron_and_perceptron.ipynb

which executes it top to bottom in a fresh kernel of *this* Python (never another
``python3`` kernel found on the machine), on the data the tests use (``COURSE_MNIST=sample``
unless set), with an empty experiment log for the homework and Keras's settings in a temporary
folder (see :func:`~course_utils.authoring.environment.use_test_environment`), without
per-cell timing metadata, and saves the outputs in place. Without arguments it refreshes every lecture.

The tests and the benchmarks run notebooks the same way, with :func:`execute_notebook`.
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from course_utils.authoring.environment import use_test_environment
from course_utils.authoring.exercises import GENERATE_COMMAND, find_problems
from course_utils.paths import LECTURES, course_notebooks


class _ThisPythonKernels(KernelSpecManager):
    """Every kernel name resolves to an IPython kernel of the running interpreter."""

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(
            # The kernel's own log (e.g. its warning about unencrypted local TCP) is noise here.
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--log-level=ERROR"],
            display_name="Python 3 (ipykernel)",
            language="python",
        )


def execute_notebook(notebook, folder, allow_errors=False, timeout=1800):
    """Run every cell of `notebook` in a new kernel of this Python; fill in its outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Changed in place.
    folder : path
        The kernel's working folder (where the notebook lives).
    allow_errors : bool
        Keep going after a cell raises (its error becomes an output).
    timeout : int
        Seconds one cell may run.

    Returns
    -------
    nbformat.NotebookNode
        `notebook`, executed.
    """
    kernel = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPythonKernels())
    client = NotebookClient(
        notebook,
        km=kernel,
        timeout=timeout,
        allow_errors=allow_errors,
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


def refresh(path):
    """Execute the lecture at `path` and save it with its new outputs; return the seconds taken."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    execute_notebook(notebook, path.parent)
    nbformat.write(notebook, path)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.authoring.refresh", description=__doc__.splitlines()[0]
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="lecture notebooks (default: all)")
    args = parser.parse_args(argv)
    use_test_environment()
    for path in args.notebooks or course_notebooks(LECTURES):
        print(f"{path}: running ...", flush=True)
        try:
            seconds = refresh(path)
        except CellExecutionError as error:
            print(f"{path}: a cell failed, so the notebook was not saved.\n{error}", file=sys.stderr)
            return 1
        print(f"{path}: saved with fresh outputs in {seconds:.0f} s", flush=True)
    if find_problems():
        print(f"exercises/ is now out of date; regenerate it with: {GENERATE_COMMAND}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers for the course "Neural networks, from one neuron to MNIST".

Importing the package is cheap (it loads NumPy only), so notebooks 01-03 start fast;
TensorFlow is imported only by code that asks for Keras.

The modules, by who uses them (CONTRIBUTING.md's "Layout" section lists them too):

Student notebooks

- :mod:`~course_utils.notebook_setup`: seeds, plot defaults, quiet logs (every first cell).
- :mod:`~course_utils.data`: MNIST (full or the embedded sample) and the small data sets;
  also a student command, ``python -m course_utils.data [--download]``.
- :mod:`~course_utils.plotting`: the course's recurring figures.
- :mod:`~course_utils.install_check`: is everything installed? (notebook 00); also a
  student command, ``python -m course_utils.install_check``.
- :mod:`~course_utils.checks_start`, :mod:`~course_utils.checks_perceptron`,
  :mod:`~course_utils.checks_adaline`, :mod:`~course_utils.checks_backprop`,
  :mod:`~course_utils.checks_keras`, :mod:`~course_utils.checks_homework`,
  :mod:`~course_utils.checks_handwriting`: the exercise checks of notebooks 00 to 06,
  built with :mod:`~course_utils.checking` (verdicts, safe calls, comparisons) and comparing
  with :mod:`~course_utils.reference` (the decks' computations and test data).
- :mod:`~course_utils.keras_tools`: progress lines and learning curves (notebooks 04, 05).
- :mod:`~course_utils.experiment_log`: the homework's log of training runs (notebook 05).
- :mod:`~course_utils.training_cache`: trained Keras models kept on disk, so that running a
  Keras notebook again loads them in seconds instead of training again.
- :mod:`~course_utils.written_answers`: a written question's model answer, shown once the
  student's own answer is saved.
- :mod:`~course_utils.handwriting`, :mod:`~course_utils.drawing_canvas`,
  :mod:`~course_utils.digit_collection`: notebook 06's drawings as images and MNIST's
  preprocessing, the drawing canvas, and the student's own (and the recorded) drawings.
- :mod:`~course_utils.colab`: in Google Colab only (called by ``setup_notebook``), installs
  what the notebooks need and Colab lacks, keeping Colab's TensorFlow, Keras and NumPy.

Student commands

- :mod:`~course_utils.reset`: start an exercise over,
  ``python -m course_utils.reset NN [--exercise K]``.
- :mod:`~course_utils.progress`: every exercise's status from the saved notebooks,
  ``python -m course_utils.progress`` (also a cell of notebook 00).
- :mod:`~course_utils.exercise_notebooks`: an exercise notebook made from its lecture; what
  the reset restores and the instructor's generator writes, read and replaced safely.
- :mod:`~course_utils.open_notebooks`: whether a notebook is open in a running Jupyter
  server, so that neither the reset nor the generator replaces it under an open tab.

Everyone (package, tests, benchmarks)

- :mod:`~course_utils.paths`: the repository's root and folders, the one place that knows them.
- :mod:`~course_utils.links`: the links to the course's repository (set-up cells, badges,
  citation), derived from ``pyproject.toml``; ``python -m course_utils.links --check|--rewrite``.

Instructor: :mod:`course_utils.authoring` (never imported by the modules above)

- :mod:`~course_utils.authoring.exercises`: the exercise generator,
  ``python -m course_utils.authoring.exercises [--check] [--strict] [--force] [--mark-nbgrader]``.
- :mod:`~course_utils.authoring.grading`: nbgrader's cell metadata (``--mark-nbgrader``).
- :mod:`~course_utils.authoring.refresh`: the notebook runner,
  ``python -m course_utils.authoring.refresh [notebook ...]``; the tests and benchmarks run
  notebooks with it too.
- :mod:`~course_utils.authoring.environment`: what ``conftest.py`` (the tests) and the runner
  give notebooks: the embedded sample, an empty homework log and an empty training cache.
"""

from course_utils.notebook_setup import SEED, setup_notebook

__all__ = ["SEED", "setup_notebook"]

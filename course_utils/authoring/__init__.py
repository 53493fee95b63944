"""The instructor's tools: what turns the lectures into the course. Students never need them.

- :mod:`~course_utils.authoring.exercises`: generate ``exercises/`` from ``notebooks/``
  (``python -m course_utils.authoring.exercises``, with ``--check``, ``--strict``, ``--force``
  and ``--mark-nbgrader``).
- :mod:`~course_utils.authoring.grading`: nbgrader's cell metadata in the lectures.
- :mod:`~course_utils.authoring.refresh`: run lectures in a fresh kernel of the course's
  Python and save their outputs (``python -m course_utils.authoring.refresh``); also runs
  notebooks for the tests and benchmarks.
- :mod:`~course_utils.authoring.environment`: the environment the tests and the runner give
  notebooks (the embedded sample, an empty homework log); light, for ``conftest.py``.

These modules may import the student-side modules of :mod:`course_utils`, never the other way
round.
"""

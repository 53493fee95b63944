"""Helpers for the course "Neural networks, from one neuron to MNIST".

Importing the package is cheap (it loads NumPy only), so notebooks 01-03 start fast;
TensorFlow is imported only by code that asks for Keras.

Modules: :mod:`~course_utils.notebook_setup` (seeds, plot defaults),
:mod:`~course_utils.data` (MNIST and the small data sets),
:mod:`~course_utils.plotting` (the course's figures),
:mod:`~course_utils.install_check` (is everything installed?).
"""

from course_utils.notebook_setup import SEED, setup_notebook

__all__ = ["SEED", "setup_notebook"]

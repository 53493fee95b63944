"""The check of notebook 00 meets the contract of tests/check_harness.py."""

import numpy as np

from course_utils.checks_start import check_mean_digit
from tests.check_harness import Exercise, contract
from tests.solutions import mean_digit


def summed_in_uint8(images, labels, digit):
    total = np.zeros_like(images[0])  # uint8, like the images
    for image in images[labels == digit]:
        total += image
    return total / (labels == digit).sum()


# Each wrong version, and a fragment the verdict must contain to point at the mistake.
WRONG_MEAN_DIGIT = {
    "sum instead of mean": (lambda i, l, d: i[l == d].sum(axis=0), "divide it by how many"),
    "all images averaged": (lambda i, l, d: i.mean(axis=0), "keep only those whose label is `digit`"),
    "wrong axis": (lambda i, l, d: i[l == d].mean(axis=1), "not over the rows"),
    "everything averaged": (lambda i, l, d: i[l == d].mean(), "not over their pixels too"),
    "off by one digit": (lambda i, l, d: i[l == d + 1].mean(axis=0), "not `labels == digit + 1`"),
    "integer division": (lambda i, l, d: i[l == d].sum(axis=0) // (l == d).sum(), "not `//`"),
    "no return": (lambda i, l, d: None, "forget the `return`"),
    "hard-coded 28 x 28": (lambda i, l, d: i[l == d].reshape(-1, 28, 28).mean(axis=0), "raised an error"),
    "sum kept in uint8": (summed_in_uint8, "the sum wrapped around: the images hold uint8"),
    "Python's sum": (lambda i, l, d: sum(i[l == d]) / (l == d).sum(), "wrapped around to 0"),
    "mean computed in uint8": (lambda i, l, d: i[l == d].mean(axis=0, dtype=np.uint8), "computed in uint8"),
    "mean converted back to uint8": (
        lambda i, l, d: i[l == d].mean(axis=0).astype(i.dtype),
        "do not convert it back to the images' dtype",
    ),
    "first image, unconverted": (lambda i, l, d: i[l == d][0], "that is one image of the digit"),
    "modifies its input": (
        lambda images, labels, digit: images.__setitem__(labels != digit, 0) or images[labels == digit].mean(axis=0),
        "changed the `images` it was given; compute a new array",
    ),
}

TestContract = contract([Exercise(check_mean_digit, mean_digit, WRONG_MEAN_DIGIT)])

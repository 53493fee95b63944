"""Checks for the exercises of notebook 00 (start here)."""

import numpy as np

from course_utils.checking import call, exercise_check, expect_array


@exercise_check("mean_digit")
def check_mean_digit(mean_digit):
    """Exercise 1: ``mean_digit(images, labels, digit)``, the average image of one digit.

    Tried on random images of two sizes, with labels drawn at random, so only a function
    that really averages the right images passes.
    """
    rng = np.random.default_rng(0)
    for n, side, digit in ((20, 28, 3), (50, 8, 7), (13, 28, 0)):
        images = rng.integers(0, 256, (n, side, side), dtype=np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        labels[:2] = digit  # at least two images of the digit
        ours = images[labels == digit]
        got = call(mean_digit, images, labels, digit, advice="compute a new array instead of modifying `images`.")
        expect_array(
            got,
            ours.mean(axis=0),
            f"mean_digit(images, labels, {digit}) for {n} images of {side} x {side}",
            known_mistakes={
                "that is the sum of the images; divide it by how many there are.": ours.sum(axis=0),
                "that is the average of all images; keep only those whose label is `digit`.": images.mean(axis=0),
                "average over the images (axis 0) only, not over their pixels too.": ours.mean(),
                "average over axis 0 (one image after another), not over the rows of each image.": ours.mean(axis=1),
                "select with `labels == digit`, not `labels == digit + 1`.": _mean_or_nan(images, labels == digit + 1),
                "the average lost its fractions: divide with `/` (or use `.mean`), not `//`.": np.floor(
                    ours.mean(axis=0)
                ),
            },
        )
    return "right on 3 random sets of images of two sizes."


def _mean_or_nan(images, chosen):
    return images[chosen].mean(axis=0) if chosen.any() else np.full(images.shape[1:], np.nan)

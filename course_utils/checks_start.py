"""Checks for the exercises of notebook 00 (start here)."""

import numpy as np

from course_utils.checking import call, exercise_check, expect_array

UINT8_HINT = (
    "the images hold uint8, whole numbers from 0 to 255, and so does a sum kept in their dtype (one started with "
    "np.zeros_like(images[0]), or Python's sum): past 255 it wrapped around to 0. Average in floats: "
    "`.mean(axis=0)`, or convert first with images.astype(float)."
)


@exercise_check("mean_digit")
def check_mean_digit(mean_digit):
    """Exercise 1: ``mean_digit(images, labels, digit)``, the average image of one digit.

    Tried on random uint8 images of two sizes, with labels drawn at random, so only a
    function that really averages the right images, in floats, passes.
    """
    rng = np.random.default_rng(0)
    for n, side, digit in ((20, 28, 3), (50, 8, 7), (13, 28, 0)):
        images = rng.integers(0, 256, (n, side, side), dtype=np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        labels[:2] = digit  # at least two images of the digit
        ours = images[labels == digit]
        wrapped = ours.sum(axis=0, dtype=np.uint8) / len(ours)  # the sum in uint8, past 255 back to 0
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
                "the average lost its fractions: divide with `/` (or use `.mean`), not `//`, and do not convert "
                "it back to the images' dtype (uint8).": np.floor(ours.mean(axis=0)),
                f"the sum wrapped around: {UINT8_HINT}": wrapped,
                f"computed in uint8, the sum wrapped around and the average lost its fractions: {UINT8_HINT}": np.floor(
                    wrapped
                ),
                "that is one image of the digit; average all of them, `.mean(axis=0)`.": ours[0],
            },
        )
    return "right on 3 random sets of images of two sizes."


def _mean_or_nan(images, chosen):
    return images[chosen].mean(axis=0) if chosen.any() else np.full(images.shape[1:], np.nan)

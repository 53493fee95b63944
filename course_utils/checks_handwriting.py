"""Checks for the exercises of notebook 06 (your own handwriting).

Positions are (row, column), pixel centres at whole numbers: the middle of a 28 × 28 image
is (13.5, 13.5).
"""

import numpy as np
from scipy import ndimage

from course_utils.checking import CheckFailed, call, describe, exercise_check, expect_array, expect_true
from course_utils.handwriting import (
    MNIST_SIZE,
    centre_of_mass,
    crop_to_ink,
    fit_in_box,
    place_by_centre_of_mass,
    render_strokes,
)

MIDDLE = (MNIST_SIZE - 1) / 2
# Far below the half pixel that rounding the shift can leave, far above what order-1 interpolation misses.
CENTRE_TOLERANCE = 0.05
INK_TOLERANCE = 1e-6  # relative

_RING = np.linspace(0, 2 * np.pi, 25)
# The test digits, drawn on the 280 × 280 canvas: (what, strokes, box, brightness of the pen).
TEST_DIGITS = (
    ("a 7", [[[60, 60], [220, 55], [130, 240]]], 18, 0.9),
    ("a tall thin 1", [[[160, 30], [130, 250]]], 20, 0.8),
    ("a wide 0", [np.column_stack([140 + 110 * np.cos(_RING), 140 + 50 * np.sin(_RING)]).tolist()], 20, 0.95),
    ("a small 4", [[[170, 40], [60, 170], [220, 170]], [[170, 40], [170, 250]]], 14, 0.7),
    (
        "a 9",
        [np.column_stack([140 + 50 * np.cos(_RING), 90 + 50 * np.sin(_RING)]).tolist(), [[190, 90], [180, 250]]],
        20,
        0.85,
    ),
)

SIGN_HINT = (
    "the digit moved the wrong way, away from the middle: shift it by (13.5 - row, 13.5 - column), the middle minus "
    "its centre of mass."
)
SWAP_HINT = (
    "rows and columns are swapped: the centre of mass is (row, column), the mean row first, and `ndimage.shift` "
    "takes the shift as (rows, columns) too."
)


def digits_to_centre():
    """The images the check gives ``centre_by_mass``: each new, so that none can be changed for the next check.

    Returns
    -------
    list of (str, array of float, shape (h, w))
        What each image shows, and the image, in its box: first a 7 whose centre of mass lies far
        from the middle of its box, then shapes from (20, 4) to (11, 20). The ink is 0 or at least
        0.15 times the pen's brightness, so the box of the ink does not depend on a threshold.
    """
    digits = []
    for what, strokes, box, brightness in TEST_DIGITS:
        digit = brightness * fit_in_box(crop_to_ink(render_strokes(strokes)), box)
        digits.append((what, np.where(digit >= 0.15 * brightness, digit, 0.0)))
    return digits


def ink_box_middle(image):
    """The middle (row, column) of the smallest rectangle that holds every pixel above 0."""
    rows, columns = np.nonzero(image)
    return np.array([(rows.min() + rows.max()) / 2, (columns.min() + columns.max()) / 2])


@exercise_check("centre_by_mass")
def check_centre_by_mass(centre_by_mass):
    """Exercise 1: ``centre_by_mass(image)``, a digit in its box placed in 28 × 28, centre of mass in the middle."""
    for what, image in digits_to_centre():
        called = f"centre_by_mass(image) for {what} (shape {image.shape[0]} x {image.shape[1]})"
        got = call(centre_by_mass, image, advice="paste it into a new array of zeros and move that one.")
        _expect_an_image(got, image, called)
        _expect_the_centre_of_mass_in_the_middle(got, image, called)
        expect_array(
            got,
            place_by_centre_of_mass(image),
            called,
            atol=1e-5,
            otherwise="the digit should look as it did, only moved: shift it with `ndimage.shift(..., order=1)` "
            "and change nothing else.",
        )
    return (
        f"{len(TEST_DIGITS)} digits, from a tall thin 1 to a wide 0, land with their centre of mass at (13.5, 13.5) "
        f"within {CENTRE_TOLERANCE} pixels, with all their ink."
    )


def _expect_an_image(got, image, called):
    """`got` must be a 28 × 28 array of floats from 0 to 1."""
    if got is None:
        raise CheckFailed(f"{called} returned None. Did you forget the `return` statement?")
    expect_true(
        isinstance(got, np.ndarray) and got.dtype.kind in "iuf",
        f"{called} returned {describe(got)}; expected an array of shape (28, 28).",
    )
    if got.shape != (MNIST_SIZE, MNIST_SIZE):
        hint = (
            " Hint: that is the shape of the image given; paste it into a 28 x 28 array of zeros first, then move it."
            if got.shape == image.shape
            else ""
        )
        raise CheckFailed(f"{called} returned shape {got.shape}, expected shape (28, 28).{hint}")
    expect_true(
        got.dtype.kind == "f",
        f"{called} returned whole numbers (dtype {got.dtype}), expected fractions (floats). Hint: keep the image in "
        "floats: make the 28 x 28 array with `np.zeros((28, 28))`, not dtype=int, and do not convert the result; "
        "ints cut the ink's fractions off.",
    )
    expect_true(
        np.isfinite(got).all(),
        f"{called} contains NaN or infinite values in {(~np.isfinite(got)).sum()} of 784 places, where ink was "
        "expected.",
    )
    expect_true(
        got.min() >= -1e-9,
        f"{called} has negative values, down to {got.min():.3g}. Hint: a spline of order 3 (`ndimage.shift`'s "
        "default) overshoots below 0 beside the strokes; `order=1` mixes neighbouring pixels and stays within [0, 1].",
    )
    expect_true(
        got.max() <= 1 + 1e-9,
        f"{called} has values up to {got.max():.3g}; the image's values lie between 0 and 1, and moving it keeps "
        "them there. Hint: do not rescale the image.",
    )


def _expect_the_centre_of_mass_in_the_middle(got, image, called):
    """`got` must hold the ink of `image`, with its centre of mass at (13.5, 13.5); a known mistake is named."""
    ink, total = got.sum(), image.sum()
    if ink <= 0:
        raise CheckFailed(
            f"{called} returned an image without ink (every pixel 0): the digit has disappeared. Hint: if it was "
            "moved out of the image, look at the shift, a few pixels at most: the centre of mass is a weighted mean, "
            "the sum of row (or column) times ink divided by the total ink."
        )
    landed = np.array(centre_of_mass(got))
    at = f"puts the centre of mass at ({landed[0]:.2f}, {landed[1]:.2f}), expected (13.50, 13.50)"
    off_centre = np.abs(landed - MIDDLE).max() > CENTRE_TOLERANCE
    mistake = _known_wrong_result(got, image) or (
        _centring_mistake(landed, np.array(centre_of_mass(image)), ink_box_middle(image)) if off_centre else None
    )
    if mistake:
        raise CheckFailed(f"{called} {at}. Hint: {mistake}")
    if abs(ink - total) > INK_TOLERANCE * total:
        raise CheckFailed(
            f"{called} changed the total ink (the sum of the pixels) from {total:.6g} to {ink:.6g} "
            f"({(ink - total) / total:+.2%}); moving a digit should keep all of it. Hint: {_ink_mistake(got, image)}"
        )
    expect_true(not off_centre, f"{called} {at}, within {CENTRE_TOLERANCE} pixels.")


def _known_wrong_result(got, image):
    """The hint of a mistake that moves ink over the edge, if `got` is its result for a usual way of pasting."""
    height, width = image.shape
    for top, left in ((0, 0), ((MNIST_SIZE - height) // 2, (MNIST_SIZE - width) // 2)):
        pasted = np.zeros((MNIST_SIZE, MNIST_SIZE))
        pasted[top : top + height, left : left + width] = image
        row, column = centre_of_mass(pasted)
        for hint, shift in ((SIGN_HINT, (row - MIDDLE, column - MIDDLE)), (SWAP_HINT, (MIDDLE - column, MIDDLE - row))):
            if np.allclose(got, ndimage.shift(pasted, shift, order=1), rtol=0, atol=1e-5):
                return hint
    return None


def _centring_mistake(landed, centre, box_middle):
    """The known mistake that puts the centre of mass at `landed`, or None.

    However the student pasted the image (by some whole number of pixels), a mistake is
    recognised by where it leaves the centre of mass, to a fraction of a pixel.

    Parameters
    ----------
    landed : array of shape (2,)
        Where the student's result has its centre of mass.
    centre, box_middle : array of shape (2,)
        The given image's centre of mass and the middle of its ink's box, in its own pixels.
    """
    error, moved = landed - MIDDLE, landed - centre
    close = CENTRE_TOLERANCE / 2

    def whole(values, tolerance=close):
        return np.allclose(values, np.round(values), rtol=0, atol=tolerance)

    if np.allclose(np.abs(error), 0.5, rtol=0, atol=close):
        return (
            "it is half a pixel off: with pixels numbered 0 to 27 (a pixel's position is its index, not index + 0.5), "
            "the middle is (28 - 1) / 2 = 13.5, not 28 / 2 = 14."
        )
    if (whole(moved, 1e-6) or whole(error - centre, 1e-6)) and np.abs(error).max() < 1:
        return (
            "the digit moved by whole pixels, so its centre of mass can miss the middle by up to half a pixel. Do not "
            "round the shift (or the centre of mass): `ndimage.shift(image, shift, order=1)` moves it by fractions of "
            "a pixel too."
        )
    if whole((landed + MIDDLE) / 2 - centre):
        return SIGN_HINT
    if abs(landed.sum() - 2 * MIDDLE) < close and whole((landed[0] - landed[1]) / 2 - (centre[0] - centre[1])):
        return SWAP_HINT
    if np.all(np.abs(error - (centre - box_middle)) <= 0.5 + close):
        return (
            "that centres the box of the ink (or the image), not the centre of mass: the mean row (and column) of "
            "the pixels, each weighted by its ink, e.g. `ndimage.center_of_mass(image)`."
        )
    if whole(moved, 1e-6):
        return (
            "the digit moved by whole pixels only, as if pasted but not shifted: shift it so that its centre of mass "
            "lands at (13.5, 13.5)."
        )
    return None


def _ink_mistake(got, image):
    """Why the total ink of `got` differs from that of `image`: a hint."""
    if abs(got.sum() - 1) < 1e-6:
        return "the pixels now sum to 1: do not normalise the image, only move it."
    if abs(got.max() - 1) < 1e-6 and image.max() < 0.99:
        return "the brightest pixel is now 1: do not normalise (rescale) the image, only move it."
    change = got.sum() / image.sum() - 1
    if 0 < change < 0.1:
        return (
            "a spline of order 3 (`ndimage.shift`'s default) overshoots below 0, and clipping those values adds ink: "
            "use `order=1`, which needs no clipping."
        )
    if change > 0 or change < -0.2:
        return "the result should be the very digit given, only moved: is it made from `image`, and only from it?"
    return (
        "part of the digit was lost at the edge of the 28 x 28: in its default mode='constant', `ndimage.shift` drops "
        "what lies on the outermost rows and columns. Paste the digit in the middle, away from the edge, before "
        "shifting it (or pass mode='grid-constant')."
    )

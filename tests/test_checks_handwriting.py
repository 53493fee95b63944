"""The check of notebook 06 meets the contract of tests/check_harness.py.

The table maps each mistake to the wrong code and a fragment of the verdict that must point at it.
"""

import numpy as np
import pytest
from scipy import ndimage

from course_utils import checks_handwriting as checks
from course_utils.handwriting import centre_of_mass
from tests.check_harness import Exercise, contract


def centre_by_mass(image):
    """The exercise solved as the lecture does: paste in the middle, then shift by the centre of mass."""
    height, width = image.shape
    top, left = (28 - height) // 2, (28 - width) // 2
    canvas = np.zeros((28, 28))
    canvas[top : top + height, left : left + width] = image
    row, column = ndimage.center_of_mass(canvas)
    return ndimage.shift(canvas, (13.5 - row, 13.5 - column), order=1)


def centre_with(
    corner=lambda height, width: ((28 - height) // 2, (28 - width) // 2),
    centre=ndimage.center_of_mass,
    middle=13.5,
    rounding=lambda shift: shift,
    move=lambda canvas, shift: ndimage.shift(canvas, shift, order=1),
    finish=lambda result: result,
):
    """centre_by_mass with one part replaced.

    `corner(height, width)` says where the image is pasted, `centre(canvas)` finds the point that
    is moved to (`middle`, `middle`), `rounding` changes the shift, `move(canvas, shift)` moves
    the pasted image and `finish` changes the result.
    """

    def wrong(image):
        height, width = image.shape
        top, left = corner(height, width)
        canvas = np.zeros((28, 28))
        canvas[top : top + height, left : left + width] = image
        shift = rounding(np.subtract(middle, centre(canvas)))
        return finish(move(canvas, shift))

    return wrong


def box_middle(image):
    rows, columns = np.nonzero(image)
    return (rows.min() + rows.max()) / 2, (columns.min() + columns.max()) / 2


def box_pasted_in_the_middle(image):
    rows, columns = np.nonzero(image)
    box = image[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    height, width = box.shape
    canvas = np.zeros((28, 28))
    canvas[(28 - height) // 2 : (28 - height) // 2 + height, (28 - width) // 2 : (28 - width) // 2 + width] = box
    return canvas


def pasted_top_left(image):
    canvas = np.zeros((28, 28))
    canvas[: image.shape[0], : image.shape[1]] = image
    return canvas


def shifted_without_pasting(image):
    row, column = ndimage.center_of_mass(image)
    return ndimage.shift(image, (13.5 - row, 13.5 - column), order=1)


def cleaned_in_place(image):
    image[image < 0.3] = 0  # faint pixels dropped, in the caller's array
    return centre_by_mass(image)


def int_canvas(image):
    height, width = image.shape
    canvas = np.zeros((28, 28), dtype=int)
    canvas[:height, :width] = image  # the fractions of ink are cut off here
    return canvas


# Each wrong version, and a fragment the verdict must contain to point at the mistake.
WRONG_CENTRE_BY_MASS = {
    "rows and columns swapped": (
        centre_with(centre=lambda canvas: ndimage.center_of_mass(canvas)[::-1]),
        "rows and columns are swapped",
    ),
    "np.indices unpacked as columns, rows": (
        centre_with(
            centre=lambda canvas: [(axis * canvas).sum() / canvas.sum() for axis in np.indices(canvas.shape)[::-1]]
        ),
        "rows and columns are swapped",
    ),
    "centres the box of the ink, by a sub-pixel shift": (
        centre_with(centre=box_middle),
        "centres the box of the ink",
    ),
    "pastes the box of the ink in the middle": (box_pasted_in_the_middle, "centres the box of the ink"),
    "shift rounded": (centre_with(rounding=np.round), "moved by whole pixels"),
    "shift cut to int": (centre_with(rounding=lambda shift: shift.astype(int)), "Do not round the shift"),
    "centre of mass rounded": (
        centre_with(centre=lambda canvas: np.round(ndimage.center_of_mass(canvas))),
        "Do not round the shift (or the centre of mass)",
    ),
    "centre of mass cut to int, for indexing": (
        centre_with(centre=lambda canvas: np.array(ndimage.center_of_mass(canvas)).astype(int)),
        "moved by whole pixels",
    ),
    "weighted sum not divided by the total ink": (
        centre_with(centre=lambda canvas: [(axis * canvas).sum() for axis in np.indices(canvas.shape)]),
        "divided by the total ink",
    ),
    "moved the wrong way": (centre_with(rounding=lambda shift: -shift), "moved the wrong way"),
    "pasted at the top left, moved the wrong way (over the edge)": (
        centre_with(corner=lambda height, width: (0, 0), rounding=lambda shift: -shift),
        "moved the wrong way",
    ),
    "pasted at the top left, rows and columns swapped": (
        centre_with(corner=lambda height, width: (0, 0), rounding=lambda shift: shift[::-1]),
        "rows and columns are swapped",
    ),
    "centre at 14": (centre_with(middle=14), "not 28 / 2 = 14"),
    "pixel centres at index + 0.5": (
        centre_with(centre=lambda canvas: np.add(ndimage.center_of_mass(canvas), 0.5)),
        "half a pixel off",
    ),
    "pasted in the middle, never moved": (
        centre_with(move=lambda canvas, shift: canvas),
        "centres the box of the ink (or the image)",
    ),
    "pasted at the top left, never moved": (pasted_top_left, "as if pasted but not shifted"),
    "returns the (h, w) image shifted": (shifted_without_pasting, "paste it into a 28 x 28 array of zeros"),
    "ints": (centre_with(finish=lambda result: result.astype(int)), "`np.zeros((28, 28))`"),
    "an int canvas": (int_canvas, "whole numbers (dtype int64)"),
    "scaled to 0-255": (centre_with(finish=lambda result: result * 255), "do not rescale"),
    "order 3, negatives kept": (
        centre_with(move=lambda canvas, shift: ndimage.shift(canvas, shift)),
        "`order=1` mixes neighbouring pixels",
    ),
    "order 3, clipped": (
        centre_with(move=lambda canvas, shift: np.clip(ndimage.shift(canvas, shift), 0, 1)),
        "a spline of order 3 (`ndimage.shift`'s default) overshoots below 0, and clipping",
    ),
    "normalised to sum 1": (centre_with(finish=lambda result: result / result.sum()), "sum to 1: do not normalise"),
    "normalised to a maximum of 1": (
        centre_with(finish=lambda result: result / result.max()),
        "brightest pixel is now 1: do not normalise",
    ),
    "pasted at the top left, shifted in mode='constant'": (
        centre_with(corner=lambda height, width: (0, 0)),
        "drops what lies on the outermost rows and columns",
    ),
    "read into 28 x 28 by affine_transform in mode='constant'": (
        lambda image: ndimage.affine_transform(
            image, np.ones(2), offset=np.subtract(ndimage.center_of_mass(image), 13.5), output_shape=(28, 28), order=1
        ),
        "pass mode='grid-constant'",
    ),
    "NaN where there is no ink": (
        centre_with(finish=lambda result: np.where(result > 0, result, np.nan)),
        "contains NaN or infinite values",
    ),
    "changes the image in place": (cleaned_in_place, "changed the `image` it was given"),
    "no return": (lambda image: None, "forget the `return`"),
    "a constant image": (lambda image: np.zeros((28, 28)), "the digit has disappeared"),
}

TestContract = contract([Exercise(checks.check_centre_by_mass, centre_by_mass, WRONG_CENTRE_BY_MASS)])


# --- correct solutions in other styles --------------------------------------------------------


def weighted_mean_by_hand(image):
    """The centre of mass as a weighted mean over np.indices."""
    height, width = image.shape
    top, left = (28 - height) // 2, (28 - width) // 2
    canvas = np.zeros((28, 28))
    canvas[top : top + height, left : left + width] = image
    rows, columns = np.indices(canvas.shape)
    total = canvas.sum()
    row, column = (rows * canvas).sum() / total, (columns * canvas).sum() / total
    return ndimage.shift(canvas, (13.5 - row, 13.5 - column), order=1)


def pasted_top_left_and_shifted_across_the_edge(image):
    """Pasted at the top left, on the edge: mode='grid-constant' moves the ink of the outermost pixels too."""
    canvas = np.zeros((28, 28))
    canvas[: image.shape[0], : image.shape[1]] = image
    row, column = ndimage.center_of_mass(canvas)
    return ndimage.shift(canvas, (13.5 - row, 13.5 - column), order=1, mode="grid-constant")


def shifted_while_pasting(image):
    """Four weighted copies pasted at the whole part of the offset: linear interpolation by hand."""
    offset = 13.5 - np.array(centre_of_mass(image))
    (top, left), (down, right) = np.floor(offset).astype(int), offset - np.floor(offset)
    height, width = image.shape
    canvas = np.zeros((29, 29))  # a spare row and column for the copies moved one pixel further
    for row, row_weight in ((top, 1 - down), (top + 1, down)):
        for column, column_weight in ((left, 1 - right), (left + 1, right)):
            canvas[row : row + height, column : column + width] += row_weight * column_weight * image
    return canvas[:28, :28]


def affine_into_28_by_28(image):
    """ndimage.affine_transform reads the small image straight into the 28 x 28 output, shifted."""
    row, column = ndimage.center_of_mass(image)
    return ndimage.affine_transform(
        image, np.ones(2), offset=(row - 13.5, column - 13.5), output_shape=(28, 28), order=1, mode="grid-constant"
    )


def whole_pixels_then_the_rest(image):
    """Pasted at the whole number of pixels below the right place, in float32, then moved by the fraction left."""
    row, column = ndimage.center_of_mass(image)
    top, left = int(np.floor(13.5 - row)), int(np.floor(13.5 - column))
    canvas = np.zeros((28, 28), dtype=np.float32)
    canvas[top : top + image.shape[0], left : left + image.shape[1]] = image
    return ndimage.shift(canvas, (13.5 - row - top, 13.5 - column - left), order=1)


@pytest.mark.parametrize(
    "style",
    [
        weighted_mean_by_hand,
        pasted_top_left_and_shifted_across_the_edge,
        shifted_while_pasting,
        affine_into_28_by_28,
        whole_pixels_then_the_rest,
    ],
)
def test_centre_by_mass_accepts_other_styles(style):
    result = checks.check_centre_by_mass(style, verbose=False)
    assert result, result.message


def test_the_test_digits_differ_in_size_and_shape_and_need_a_sub_pixel_shift():
    digits = [image for _, image in checks.digits_to_centre()]
    heights, widths = zip(*(image.shape for image in digits))
    assert max(heights) / min(widths) >= 4 and max(widths) / min(heights) >= 1.5  # a tall thin 1 and a wide 0
    seven = digits[0]
    centre = np.array(centre_of_mass(seven))
    shift = 13.5 - centre  # for any paste by whole pixels, up to whole pixels
    # rounding the shift misses the middle by more than the tolerance, in both directions
    assert np.all(np.abs(shift - np.round(shift)) > 2 * checks.CENTRE_TOLERANCE)
    # swapped rows and columns, and the box's middle, land far from the middle and from each other
    assert abs(centre[0] - centre[1]) > 1
    assert np.abs(centre - checks.ink_box_middle(seven)).max() > 1

"""Digits drawn by hand, made to look like MNIST's, and MNIST digits moved about (notebook 06).

Images are float arrays, white ink (1) on black (0), indexed ``image[row, column]``: rows
go down and columns to the right, and a pixel's centre sits at whole-number coordinates.
MNIST's digits were prepared in three steps, one function each here, so that a notebook
can show every step: the ink's bounding box (:func:`crop_to_ink`) is scaled to fit a
20 × 20 box keeping its aspect ratio, anti-aliased (:func:`fit_in_box`), and placed in a
28 × 28 image so that its centre of mass is in the middle (:func:`place_by_centre_of_mass`).
:func:`mnist_style` runs all three. The transformations at the end move, scale and
thicken whole batches of digits, to test how much a trained network minds.
"""

import numbers

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

MNIST_SIZE = 28
MNIST_BOX = 20


def render_strokes(strokes, canvas_size=280, brush=18):
    """The drawing as the canvas shows it: white lines with round ends on black, with a soft edge.

    Parameters
    ----------
    strokes : list of strokes
        Each stroke is a list of ``[x, y]`` points in canvas pixels, x to the right and y down
        (as in a browser's canvas), joined by lines; a stroke of one point is a dot.
    canvas_size : int
        The canvas's width and height in pixels.
    brush : float
        The width of the lines (the diameter of a dot) in pixels.

    Returns
    -------
    array of float, shape (canvas_size, canvas_size)
        Values in [0, 1]; all 0 when there are no strokes.

    Raises
    ------
    ValueError
        If `strokes` is not a list of lists of points, or a point is not two finite numbers.
    """
    if not isinstance(strokes, (list, tuple, np.ndarray)):
        raise ValueError(
            f"strokes should be a list of strokes, each a list of [x, y] points; got {type(strokes).__name__}."
        )
    canvas = Image.new("L", (canvas_size, canvas_size), 0)
    draw = ImageDraw.Draw(canvas)
    radius = brush / 2
    for number, stroke in enumerate(strokes):
        points = [tuple(point) for point in _stroke_points(stroke, number)]
        if len(points) > 1:
            draw.line(points, fill=255, width=round(brush))
        for x, y in points:  # a disc on every point gives round ends and joins
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    image = np.asarray(canvas, dtype=float) / 255
    return np.clip(ndimage.gaussian_filter(image, sigma=brush / 12), 0, 1)


def _stroke_points(stroke, number):
    """The points of stroke number `number` as an array of shape (k, 2), or a ValueError that says what is wrong."""
    try:
        points = np.asarray(stroke, dtype=float)
    except (TypeError, ValueError):
        points = None
    if points is not None and points.size == 0:
        return points.reshape(0, 2)
    if points is None or points.ndim != 2 or points.shape[1] != 2 or not np.isfinite(points).all():
        raise ValueError(
            f"stroke {number} should be a list of [x, y] points, two numbers each, but it is {stroke!r:.80}. "
            "`strokes` is a list of strokes: for a single stroke, write [points]."
        )
    return points


def crop_to_ink(image, threshold=0.1):
    """The smallest rectangle of `image` that holds all its ink.

    Parameters
    ----------
    image : array of float, shape (h, w)
    threshold : float
        Pixels brighter than this count as ink.

    Returns
    -------
    array of float, shape (h', w'), a copy
        The rows and columns from the first to the last that hold ink.

    Raises
    ------
    ValueError
        If no pixel is brighter than `threshold` (nothing was drawn).
    """
    ink = np.asarray(image) > threshold
    if not ink.any():
        raise ValueError("the image is empty (no ink): draw something first.")
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return np.array(image[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1], dtype=float)


def fit_in_box(image, box=MNIST_BOX):
    """Scale `image` so that its longer side is `box` pixels, keeping its aspect ratio, anti-aliased.

    Parameters
    ----------
    image : array of float, shape (h, w)
        Values in [0, 1], usually the output of :func:`crop_to_ink`.
    box : int

    Returns
    -------
    array of float, shape (round(h * box / max(h, w)), round(w * box / max(h, w)))
        Values in [0, 1]; the longer side is `box`, the shorter at least 1.
    """
    height, width = np.shape(image)
    scale = box / max(height, width)
    return _resize(image, (max(1, round(height * scale)), max(1, round(width * scale))))


def naive_resize(image, size=MNIST_SIZE):
    """The whole image resized to size × size, as a first attempt would: no crop, no box, no centring.

    Parameters
    ----------
    image : array of float, shape (h, w)

    Returns
    -------
    array of float, shape (size, size), values in [0, 1]
    """
    return _resize(image, (size, size))


def _resize(image, shape):
    """`image` resized to `shape` (rows, columns) with Pillow's Lanczos filter, which averages as it shrinks."""
    resized = Image.fromarray(np.asarray(image, dtype=np.float32)).resize(shape[::-1], Image.Resampling.LANCZOS)
    return np.clip(np.asarray(resized, dtype=float), 0, 1)  # Lanczos overshoots a little at sharp edges


def centre_of_mass(image):
    """The intensity-weighted mean row and column of `image`, pixel centres at whole numbers.

    Parameters
    ----------
    image : array of float, shape (h, w)

    Returns
    -------
    (float, float)
        (row, column); the middle of a 28 × 28 image is (13.5, 13.5).

    Raises
    ------
    ValueError
        If the image has no ink (its sum is 0).
    """
    image = np.asarray(image, dtype=float)
    if not image.sum() > 0:
        raise ValueError("the image has no ink, so it has no centre of mass.")
    row, column = ndimage.center_of_mass(image)
    return float(row), float(column)


def place_by_centre_of_mass(image, size=MNIST_SIZE):
    """Put a small image into a size × size black one so that its centre of mass is in the middle.

    The image is pasted in the middle, then moved by a sub-pixel shift (linear interpolation,
    which moves the centre of mass exactly, as long as no ink is pushed over the edge).

    Parameters
    ----------
    image : array of float, shape (h, w), h and w at most `size`
        Usually a digit fitted in its box by :func:`fit_in_box`.
    size : int

    Returns
    -------
    array of float, shape (size, size)
        Centre of mass at ((size - 1) / 2, (size - 1) / 2), the same total ink as `image`.
    """
    height, width = np.shape(image)
    if height > size or width > size:
        raise ValueError(f"an image of {height} x {width} pixels does not fit in {size} x {size}.")
    top, left = (size - height) // 2, (size - width) // 2
    placed = np.zeros((size, size))
    placed[top : top + height, left : left + width] = image
    middle = (size - 1) / 2
    row, column = centre_of_mass(placed)
    return ndimage.shift(placed, (middle - row, middle - column), order=1)


def mnist_style(image):
    """A drawing prepared as MNIST's digits were: cropped, fitted in 20 × 20, centred by mass in 28 × 28.

    Parameters
    ----------
    image : array of float, shape (h, w)
        A drawing, white on black, e.g. from :func:`render_strokes`.

    Returns
    -------
    array of float, shape (28, 28), values in [0, 1]
    """
    return place_by_centre_of_mass(fit_in_box(crop_to_ink(image)))


# --- transformations of batches of digits, for testing a network's robustness ---------------


def shift_images(images, dx, dy):
    """Move every image by whole pixels, filling the uncovered side with black.

    Parameters
    ----------
    images : array of shape (n, h, w)
    dx, dy : int
        Pixels to the right and down (negative: to the left and up).

    Returns
    -------
    array of shape (n, h, w), the dtype of `images`
    """
    images = _batch(images)
    return ndimage.shift(images, (0, _whole(dy, "dy"), _whole(dx, "dx")), order=0, mode="constant", cval=0)


def scale_images(images, factor):
    """Enlarge (factor > 1) or shrink (factor < 1) every image about its centre, by linear interpolation.

    Parameters
    ----------
    images : array of shape (n, h, w)
    factor : float
        Greater than 0; 1 leaves the images as they are.

    Returns
    -------
    array of shape (n, h, w), the dtype of `images`
    """
    images = _batch(images)
    if not factor > 0:
        raise ValueError(f"factor should be a number greater than 0, got {factor!r}.")
    centre = (np.array(images.shape) - 1) / 2
    # An output pixel at p shows the input at centre + (p - centre) / factor; the batch axis stays as it is.
    stretch = np.array([1.0, 1 / factor, 1 / factor])
    offset = np.array([0.0, *(centre[1:] * (1 - 1 / factor))])
    return ndimage.affine_transform(images, stretch, offset=offset, order=1, mode="constant", cval=0)


def thicken_images(images, pixels):
    """Make every image's strokes thicker by `pixels` on each side (grey dilation), or thinner when negative (erosion).

    Parameters
    ----------
    images : array of shape (n, h, w)
    pixels : int
        The radius of the disc the strokes are dilated (or eroded) with; 0 gives a copy.

    Returns
    -------
    array of shape (n, h, w), the dtype of `images`
    """
    images = _batch(images)
    radius = abs(_whole(pixels, "pixels"))
    offsets = np.arange(-radius, radius + 1)
    disc = offsets[:, None] ** 2 + offsets[None, :] ** 2 <= radius**2
    morphology = ndimage.grey_dilation if pixels > 0 else ndimage.grey_erosion
    return morphology(images, footprint=disc[None]) if radius else images.copy()


def _batch(images):
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images should be an array of shape (n, height, width), got shape {images.shape}.")
    return images


def _whole(value, name):
    if not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} should be a whole number of pixels, got {value!r}.")
    return int(value)

"""course_utils.handwriting: drawings rendered, prepared as MNIST's digits were, and digits moved about."""

import numpy as np
import pytest

from course_utils.handwriting import (
    centre_of_mass,
    crop_to_ink,
    fit_in_box,
    mnist_style,
    naive_resize,
    place_by_centre_of_mass,
    render_strokes,
    scale_images,
    shift_images,
    thicken_images,
)

SEVEN = [[[60, 50], [220, 50], [120, 250]]]
ONE = [[[140, 40], [150, 240]]]
DASH = [[[40, 120], [240, 150]]]


def ink_box(image, threshold=0.0):
    """(height, width) of the smallest rectangle holding every pixel brighter than `threshold`."""
    rows, columns = np.nonzero(image > threshold)
    return rows.max() - rows.min() + 1, columns.max() - columns.min() + 1


def batch_of_digits():
    return np.stack([mnist_style(render_strokes(strokes)) for strokes in (SEVEN, ONE, DASH)])


# --- render_strokes -------------------------------------------------------------------------


def test_render_strokes_draws_along_the_line_and_nowhere_else():
    image = render_strokes([[[40, 60], [200, 100]]], canvas_size=280, brush=18)
    assert image.shape == (280, 280) and image.dtype.kind == "f"
    assert 0 <= image.min() and image.max() <= 1
    for x, y in ((40, 60), (120, 80), (200, 100)):  # the ends and the middle: row y, column x
        assert image[y, x] > 0.9
    assert image[80, 20] == 0 and image[60, 200] == 0 and image[200, 120] == 0
    assert image[60 - 9 - 7, 40] == 0  # above the start, beyond the brush's radius and its soft edge


def test_render_strokes_has_a_soft_edge():
    image = render_strokes([[[40, 140], [240, 140]]], brush=18)
    across = image[120:161, 140]
    assert ((0 < across) & (across < 1)).sum() >= 4  # grey between ink and background, on both sides


def test_a_stroke_of_one_point_is_a_dot_of_the_brush_size():
    image = render_strokes([[[100, 60]]], brush=18)
    rows, columns = np.nonzero(image > 0.5)
    assert abs((rows.min() + rows.max()) / 2 - 60) <= 0.5 and abs((columns.min() + columns.max()) / 2 - 100) <= 0.5
    assert 17 <= rows.max() - rows.min() + 1 <= 20 and 17 <= columns.max() - columns.min() + 1 <= 20


def test_no_strokes_give_a_black_image():
    assert not render_strokes([], canvas_size=50).any()
    assert render_strokes([], canvas_size=50).shape == (50, 50)
    assert not render_strokes([[]], canvas_size=50).any()


def test_several_strokes_are_all_drawn():
    image = render_strokes([[[50, 50], [50, 100]], [[200, 200]]])
    assert image[75, 50] > 0.9 and image[200, 200] > 0.9


@pytest.mark.parametrize(
    "strokes, says",
    [
        ([[10, 20], [30, 40]], "stroke 0 should be a list of [x, y] points"),  # one stroke, not in a list
        ([[[10, 20, 30]]], "two numbers each"),
        ([[[10, 20]], [["ten", 20]]], "stroke 1"),
        ([[[10, float("nan")]]], "two numbers each"),
        ("M 10 20 L 30 40", "should be a list of strokes"),
        (None, "should be a list of strokes"),
    ],
)
def test_render_strokes_says_what_is_wrong_with_bad_input(strokes, says):
    with pytest.raises(ValueError, match=says.replace("[", r"\[").replace("]", r"\]")):
        render_strokes(strokes)


# --- the MNIST preprocessing -------------------------------------------------------------------


def test_crop_to_ink_keeps_the_rows_and_columns_with_ink():
    image = np.zeros((30, 40))
    image[5:12, 20:23] = 0.7
    image[3, 1] = 0.05  # below the threshold: not ink
    cropped = crop_to_ink(image)
    assert cropped.shape == (7, 3) and np.all(cropped == 0.7)
    cropped[:] = 0
    assert image[5, 20] == 0.7  # a copy


def test_crop_to_ink_of_an_empty_image_says_to_draw_something():
    with pytest.raises(ValueError, match="draw something"):
        crop_to_ink(np.zeros((28, 28)))


@pytest.mark.parametrize("height, width", [(200, 20), (40, 160), (9, 9), (5, 300)])
def test_fit_in_box_makes_the_longer_side_20_and_keeps_the_aspect_ratio(height, width):
    image = np.zeros((height, width))
    image[1:-1, 1:-1] = 1
    fitted = fit_in_box(image, box=20)
    assert max(fitted.shape) == 20
    assert fitted.shape == (
        max(1, round(height * 20 / max(height, width))),
        max(1, round(width * 20 / max(height, width))),
    )
    assert 0 <= fitted.min() and fitted.max() <= 1


def test_a_tall_thin_stroke_stays_tall_and_thin():
    cropped = crop_to_ink(render_strokes(ONE))
    fitted = fit_in_box(cropped)
    assert fitted.shape[0] == 20 and fitted.shape[1] == round(cropped.shape[1] * 20 / cropped.shape[0])
    assert fitted.shape[1] <= 5


def test_fit_in_box_is_anti_aliased():
    stripes = np.zeros((200, 200))
    stripes[:, ::10] = 1  # thin lines, one pixel in ten
    fitted = fit_in_box(stripes, box=20)
    # averaged into grey, not sampled into full lines or nothing
    assert np.all(fitted.mean(axis=0) > 0.02) and fitted.max() < 0.5


def test_centre_of_mass_is_the_ink_weighted_mean_row_and_column():
    image = np.zeros((28, 28))
    image[3, 7] = 1.0
    assert centre_of_mass(image) == (3.0, 7.0)
    image[5, 7] = 3.0
    assert centre_of_mass(image) == pytest.approx((4.5, 7.0))
    random = np.random.default_rng(0).random((6, 9))
    rows, columns = np.indices(random.shape)
    expected = ((rows * random).sum() / random.sum(), (columns * random).sum() / random.sum())
    assert centre_of_mass(random) == pytest.approx(expected)


def test_centre_of_mass_of_an_empty_image_is_an_error():
    with pytest.raises(ValueError, match="no ink"):
        centre_of_mass(np.zeros((5, 5)))


@pytest.mark.parametrize("strokes", [SEVEN, ONE, DASH])
def test_place_by_centre_of_mass_puts_it_in_the_middle_with_all_its_ink(strokes):
    digit = fit_in_box(crop_to_ink(render_strokes(strokes)))
    before = digit.copy()
    placed = place_by_centre_of_mass(digit)
    assert placed.shape == (28, 28)
    assert centre_of_mass(placed) == pytest.approx((13.5, 13.5), abs=1e-9)
    assert placed.sum() == pytest.approx(digit.sum(), rel=1e-9)
    assert np.array_equal(digit, before)


def test_a_centred_digit_stays_where_it_is():
    centred = mnist_style(render_strokes(SEVEN))
    again = place_by_centre_of_mass(centred)
    assert centre_of_mass(again) == pytest.approx((13.5, 13.5), abs=1e-9)
    assert np.allclose(again, centred, atol=1e-9)


def test_a_shifted_digit_comes_back_to_the_middle():
    centred = mnist_style(render_strokes(SEVEN))
    shifted = shift_images(centred[None], dx=3, dy=-2)[0]
    assert centre_of_mass(shifted) == pytest.approx((11.5, 16.5), abs=1e-9)
    back = place_by_centre_of_mass(shifted)
    assert centre_of_mass(back) == pytest.approx((13.5, 13.5), abs=1e-9)
    assert np.allclose(back, centred, atol=1e-9)


def test_place_by_centre_of_mass_refuses_an_image_too_large():
    with pytest.raises(ValueError, match="does not fit"):
        place_by_centre_of_mass(np.ones((30, 10)))


@pytest.mark.parametrize("strokes", [SEVEN, ONE, DASH, [[[230, 230], [260, 250]]]])
def test_mnist_style_centres_the_digit_by_mass_in_a_20_pixel_box(strokes):
    drawing = render_strokes(strokes)
    digit = mnist_style(drawing)
    assert digit.shape == (28, 28)
    assert 0 <= digit.min() and digit.max() <= 1
    assert centre_of_mass(digit) == pytest.approx((13.5, 13.5), abs=0.05)
    assert max(ink_box(digit, 0.5)) <= 20
    assert max(ink_box(digit)) <= 21  # 20 and the sub-pixel shift's one more
    assert max(ink_box(digit, 0.1)) >= 18  # the longer side fills the box, however small the drawing


def test_naive_resize_keeps_the_drawing_where_and_as_small_as_it_was():
    drawing = render_strokes([[[230, 230], [260, 250]]])  # small, in the bottom right corner
    naive = naive_resize(drawing)
    assert naive.shape == (28, 28) and 0 <= naive.min() and naive.max() <= 1
    row, column = centre_of_mass(naive)
    assert row > 20 and column > 20
    assert max(ink_box(naive, 0.1)) <= 6


# --- transformations of batches ---------------------------------------------------------------


def test_shift_images_moves_by_whole_pixels_and_fills_with_black():
    images = batch_of_digits()
    before = images.copy()
    shifted = shift_images(images, dx=2, dy=-3)
    assert shifted.shape == images.shape and shifted.dtype == images.dtype
    assert np.array_equal(shifted[:, :-3, 2:], images[:, 3:, :-2])
    assert not shifted[:, -3:, :].any() and not shifted[:, :, :2].any()
    assert np.array_equal(images, before)


def test_shift_images_by_nothing_and_by_whole_pixels_only():
    images = batch_of_digits()
    assert np.array_equal(shift_images(images, 0, 0), images)
    with pytest.raises(ValueError, match="whole number"):
        shift_images(images, 0.5, 0)


def test_scale_images_about_the_centre():
    images = np.zeros((2, 28, 28))
    images[:, 13:15, 13:15] = 1  # a square around the centre, 13.5
    images[1, 13, 20] = 1  # and a dot 6.5 columns right of it
    before = images.copy()
    larger = scale_images(images, 2.0)
    assert larger.shape == images.shape and np.array_equal(images, before)
    assert centre_of_mass(larger[0]) == pytest.approx((13.5, 13.5))
    assert larger[0].sum() == pytest.approx(4 * images[0].sum(), rel=0.2)
    assert larger[1, 12, 26] > 0 and larger[1, 12, 20] == 0  # the dot now 13 columns right of the centre
    assert np.allclose(scale_images(images, 1.0), images)
    smaller = scale_images(images, 0.5)
    assert centre_of_mass(smaller[0]) == pytest.approx((13.5, 13.5))
    with pytest.raises(ValueError, match="greater than 0"):
        scale_images(images, 0)


def test_thicken_images_thickens_and_thins_the_strokes():
    images = np.zeros((1, 28, 28))
    images[0, 5:23, 12:16] = 0.8  # a bar 4 pixels wide
    before = images.copy()
    thicker, thinner, same = thicken_images(images, 1), thicken_images(images, -1), thicken_images(images, 0)
    assert np.array_equal(images, before)
    assert all(result.shape == images.shape for result in (thicker, thinner, same))
    assert ink_box(thicker[0]) == (20, 6) and thicker.max() == pytest.approx(0.8)
    assert ink_box(thinner[0]) == (16, 2)
    assert np.array_equal(same, images) and same is not images
    assert ink_box(thicken_images(images, 2)[0]) == (22, 8)


def test_the_transformations_want_a_batch():
    with pytest.raises(ValueError, match=r"shape \(n, height, width\)"):
        thicken_images(np.zeros((28, 28)), 1)

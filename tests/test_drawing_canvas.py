"""course_utils.drawing_canvas without a browser: each drawing is classified once, the result or the
error reaches the widget's synced traits, and the JavaScript has the elements the browser test looks for."""

import io

import numpy as np
import pytest
from PIL import Image

from course_utils.drawing_canvas import DigitCanvas, png_bytes
from course_utils.handwriting import render_strokes
from tests.browser.test_drawing_canvas import CSS_CLASSES

VERTICAL = [[154, 40], [154, 140], [154, 240]]  # a "1" in the middle of band 5 (columns 140 to 168)
TOP_BAR = [[20, 40], [100, 40]]  # a short horizontal stroke near the top left
SYNCED = ("size", "strokes", "probabilities", "preview", "error", "last_latency_ms")


class InkClassifier:
    """A fake network: the probability of digit k is the share of the ink in the k-th of ten vertical bands.

    Counts its calls; ``image28`` is the drawing averaged over 10 × 10 blocks.
    """

    def __init__(self):
        self.calls = []

    def __call__(self, strokes):
        self.calls.append(strokes)
        ink = render_strokes(strokes)  # (280, 280)
        bands = ink.sum(axis=0).reshape(10, 28).sum(axis=1)  # ink per band of 28 columns
        return ink.reshape(28, 10, 28, 10).mean(axis=(1, 3)), bands / bands.sum()


def decoded(png):
    """The pixels of a PNG, as a uint8 array."""
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.mode, np.asarray(image)


def test_a_drawing_is_classified_once_and_its_probabilities_and_28x28_png_are_set():
    classify = InkClassifier()
    canvas = DigitCanvas(classify=classify)
    assert classify.calls == [] and canvas.probabilities == [] and canvas.preview == b""
    canvas.strokes = [VERTICAL]
    assert classify.calls == [[VERTICAL]]
    assert len(canvas.probabilities) == 10 and np.argmax(canvas.probabilities) == 5
    assert sum(canvas.probabilities) == pytest.approx(1)
    mode, pixels = decoded(canvas.preview)
    assert mode == "L" and pixels.shape == (28, 28)
    assert pixels[14, 15] > 200 and pixels[14, 2] == 0, "the line is white in column 15, the rest black"
    assert canvas.error == "" and canvas.last_latency_ms > 0


def test_every_change_of_the_drawing_is_classified_once():
    classify = InkClassifier()
    canvas = DigitCanvas(classify=classify)
    canvas.strokes = [VERTICAL]
    canvas.strokes = [VERTICAL, TOP_BAR]  # a second stroke
    assert np.argmax(canvas.probabilities) == 5 and canvas.probabilities[0] > 0
    canvas.strokes = [VERTICAL]  # undo
    assert classify.calls == [[VERTICAL], [VERTICAL, TOP_BAR], [VERTICAL]]
    assert canvas.probabilities[0] == 0


def test_a_stroke_from_the_browser_is_classified_once():
    """set_state is what the widget's comm calls with the browser's update."""
    classify = InkClassifier()
    canvas = DigitCanvas(classify=classify)
    canvas.set_state({"strokes": [VERTICAL]})
    assert classify.calls == [[VERTICAL]] and len(canvas.probabilities) == 10


def test_the_result_goes_to_the_browser_in_one_message():
    canvas = DigitCanvas(classify=InkClassifier())
    sent = []
    canvas._send = lambda msg, buffers=None: sent.append((msg, buffers))
    canvas.strokes = [VERTICAL]
    updates = [msg for msg, _ in sent if msg["method"] == "update" and "probabilities" in msg["state"]]
    assert len(updates) == 1 and "last_latency_ms" in updates[0]["state"], updates
    assert ["preview"] in updates[0]["buffer_paths"], "the PNG travels in the same message, as a binary buffer"


def test_an_empty_drawing_clears_the_result_without_classifying():
    classify = InkClassifier()
    canvas = DigitCanvas(classify=classify, strokes=[VERTICAL])
    assert len(classify.calls) == 1 and canvas.probabilities, "strokes given to the constructor are read too"
    canvas.strokes = []
    assert len(classify.calls) == 1
    assert canvas.probabilities == [] and canvas.preview == b"" and canvas.error == ""


def test_without_a_classifier_the_drawing_is_only_recorded():
    canvas = DigitCanvas()
    canvas.strokes = [VERTICAL]
    assert canvas.strokes == [VERTICAL] and canvas.probabilities == [] and canvas.preview == b""
    classify = InkClassifier()
    canvas.classify = classify
    canvas.update()
    assert classify.calls == [[VERTICAL]] and len(canvas.probabilities) == 10


def test_an_exception_in_classify_is_shown_in_the_widget_and_kept():
    def broken(strokes):
        raise KeyError("no model loaded")

    canvas = DigitCanvas(classify=InkClassifier(), strokes=[VERTICAL])
    canvas.classify = broken
    canvas.strokes = [VERTICAL, TOP_BAR]  # no exception escapes into the comm
    assert canvas.error == "classify failed: KeyError: 'no model loaded'"
    assert canvas.probabilities == [] and canvas.preview == b""
    assert isinstance(canvas.last_exception, KeyError) and canvas.last_exception.__traceback__ is not None
    canvas.classify = InkClassifier()
    canvas.strokes = [VERTICAL]
    assert canvas.error == "" and canvas.last_exception is None and canvas.probabilities


def test_a_long_error_message_is_cut_short():
    def broken(strokes):
        raise ValueError("x" * 5000)

    canvas = DigitCanvas(classify=broken, strokes=[VERTICAL])
    assert canvas.error.startswith("classify failed: ValueError: xxx") and len(canvas.error) == 300


@pytest.mark.parametrize(
    ("image", "probabilities", "expected"),
    [
        (np.zeros((280, 280)), np.full(10, 0.1), "image28 must have shape (28, 28), got (280, 280)"),
        (np.zeros((28, 28)), np.full(9, 0.1), "probabilities must have shape (10,), got (9,)"),
        (np.full((28, 28), 255.0), np.full(10, 0.1), "image28 must be in [0, 1], got values from 255 to 255"),
        (np.zeros((28, 28)), np.linspace(-2, 2, 10), "probabilities must be in [0, 1], got values from -2 to 2"),
        (np.zeros((28, 28)), np.full(10, np.nan), "probabilities must be in [0, 1]"),
    ],
    ids=["image-shape", "probabilities-shape", "image-not-scaled", "logits", "nan"],
)
def test_a_result_of_the_wrong_shape_or_range_is_explained(image, probabilities, expected):
    canvas = DigitCanvas(classify=lambda strokes: (image, probabilities), strokes=[VERTICAL])
    assert canvas.error.startswith("classify failed: ValueError: " + expected), canvas.error
    assert canvas.probabilities == [] and canvas.preview == b""


def test_the_traits_are_synced_with_the_browser():
    canvas = DigitCanvas(classify=InkClassifier(), strokes=[VERTICAL])
    for name in SYNCED:
        assert canvas.trait_metadata(name, "sync"), f"{name} is not synced"
    state = canvas.get_state()
    assert set(SYNCED) <= set(state) and state["size"] == 280
    assert bytes(state["preview"]).startswith(b"\x89PNG"), "the preview travels as the PNG's bytes"


def test_the_javascript_has_the_elements_the_browser_test_uses():
    for name in CSS_CLASSES:
        assert f'"{name}"' in DigitCanvas._esm, f"the widget's JavaScript makes no element of class {name}"
    assert "export default { render }" in DigitCanvas._esm
    assert "touch-action: none" in DigitCanvas._css


def test_png_bytes_keeps_black_white_and_grey():
    mode, pixels = decoded(png_bytes([[0.0, 0.5, 1.0]]))
    assert mode == "L" and pixels.tolist() == [[0, 128, 255]]


def test_without_a_front_end_the_canvas_says_what_it_is():
    assert repr(DigitCanvas()) == "<a drawing canvas, 0 stroke(s): it is shown in a live notebook in JupyterLab>"

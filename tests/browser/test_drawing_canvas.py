"""The drawing canvas of notebook 06 in JupyterLab: strokes drawn with the mouse are read by a fake
classifier at once, Undo and Clear work, and a failing classifier says so in the widget."""

import shutil

import nbformat
import numpy as np
import pytest

from tests.browser import jupyterlab_ui as lab
from tests.browser.canvas_ui import ANSWER_TIMEOUT, LATENCY_BOUND_S, READ_PIXELS, draw, release_and_time

SCRATCH = "scratch/canvas.ipynb"
# The widget's elements by their CSS classes (tests/test_drawing_canvas.py checks that the JavaScript makes them).
CSS_CLASSES = (
    "digit-canvas",
    "digit-canvas-clear",
    "digit-canvas-undo",
    "digit-canvas-answer",
    "digit-canvas-bars",
    "digit-canvas-bar",
    "digit-canvas-preview",
    "digit-canvas-error",
)

# A classifier you can reason about: 1 for a tall thin drawing, 0 for one stroke that ends where it
# began, 7 otherwise, always 90% sure. Its image is the drawing averaged over 10 x 10 blocks.
FAKE_CLASSIFIER = """\
import numpy as np

from course_utils.drawing_canvas import DigitCanvas
from course_utils.handwriting import render_strokes


def fake_classify(strokes):
    points = np.concatenate([np.asarray(stroke, dtype=float) for stroke in strokes])
    width, height = np.ptp(points, axis=0)
    gap = np.hypot(*np.subtract(strokes[0][0], strokes[0][-1]))
    if height > 3 * width:
        digit = 1
    elif len(strokes) == 1 and gap < 20 and min(width, height) > 50:
        digit = 0
    else:
        digit = 7
    probabilities = np.full(10, 0.1 / 9)
    probabilities[digit] = 0.9
    return render_strokes(strokes).reshape(28, 10, 28, 10).mean(axis=(1, 3)), probabilities


canvas = DigitCanvas(classify=fake_classify)
canvas"""
BROKEN_CLASSIFIER = """\
def broken(strokes):
    raise RuntimeError("the model is not loaded")


DigitCanvas(classify=broken)"""


@pytest.fixture
def canvas_notebook(pristine_course):
    """A scratch notebook in the served copy with a canvas on a fake classifier and one on a broken one."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(FAKE_CLASSIFIER), nbformat.v4.new_code_cell(BROKEN_CLASSIFIER)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path = pristine_course.root / SCRATCH
    path.parent.mkdir()
    nbformat.write(notebook, path)
    yield SCRATCH
    shutil.rmtree(path.parent)


def bars(widget):
    """The bar chart as {digit: (probability, width of the bar in % of its track)}."""
    shown = widget.locator(".digit-canvas-bar").evaluate_all(
        """rows => rows.map(row => [row.dataset.digit, Number(row.dataset.probability),
            100 * row.querySelector('.digit-canvas-bar-fill').getBoundingClientRect().width
                / row.querySelector('.digit-canvas-bar-track').getBoundingClientRect().width])"""
    )
    return {int(digit): (p, width) for digit, p, width in shown}


def expect_bars_for(widget, digit):
    """The fake classifier's bars: 90% for `digit`, 1/90 for each other digit, the top one highlighted."""
    from playwright.sync_api import expect

    expect(widget.locator(".digit-canvas-bars")).to_be_visible()
    expect(widget.locator(".digit-canvas-bar.is-top")).to_have_attribute("data-digit", str(digit))
    for shown, (probability, width) in bars(widget).items():
        expected = 0.9 if shown == digit else 0.1 / 9
        assert probability == pytest.approx(expected) and width == pytest.approx(100 * expected, abs=1), (shown, width)


def test_strokes_are_read_at_once_and_undo_clear_and_errors_show(page, lab_server, canvas_notebook):
    from playwright.sync_api import expect

    lab.open_notebook(page, lab_server, canvas_notebook)
    lab.run_all(page)
    lab.wait_for_all_cells_run(page)
    widgets = page.locator(".digit-canvas-widget")
    expect(widgets).to_have_count(2)
    widget = widgets.nth(0)
    canvas = widget.locator(".digit-canvas")
    expect(canvas).to_be_visible()
    assert canvas.bounding_box()["width"] == 280
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    expect(widget.locator(".digit-canvas-answer")).to_have_text("")
    expect(widget.locator(".digit-canvas-bars")).to_be_hidden()
    assert canvas.evaluate(READ_PIXELS, [[140, 140]])["lit"] == 0
    latencies = {}

    # A vertical stroke: a tall thin drawing is a 1.
    draw(page, canvas, [(140, 40), (140, 140), (140, 240)])
    latencies["1st stroke"] = release_and_time(page, widget, "1 (90%)")
    expect_bars_for(widget, 1)
    preview = widget.locator(".digit-canvas-preview")
    expect(preview).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth === 28", arg=preview.element_handle())
    assert preview.evaluate("img => getComputedStyle(img).imageRendering") == "pixelated"

    # A bar across the top makes it a 7; the canvas shows both strokes.
    draw(page, canvas, [(60, 40), (220, 40)])
    latencies["2nd stroke"] = release_and_time(page, widget, "7 (90%)")
    expect_bars_for(widget, 7)
    assert canvas.evaluate(READ_PIXELS, [[80, 40], [140, 200]])["at"] == [255, 255]

    # Undo removes the bar: a 1 again, and the bar's pixels are black.
    widget.locator(".digit-canvas-undo").click()
    expect(widget.locator(".digit-canvas-answer")).to_have_text("1 (90%)", timeout=ANSWER_TIMEOUT)
    pixels = canvas.evaluate(READ_PIXELS, [[80, 40], [140, 200]])
    assert pixels["at"] == [0, 255], pixels

    # Clear: a black canvas, no answer, no bars, no preview.
    widget.locator(".digit-canvas-clear").click()
    expect(widget.locator(".digit-canvas-answer")).to_have_text("", timeout=ANSWER_TIMEOUT)
    expect(widget.locator(".digit-canvas-bars")).to_be_hidden()
    expect(preview).to_be_hidden()
    assert canvas.evaluate(READ_PIXELS, [])["lit"] == 0
    expect(widget.locator(".digit-canvas-undo")).to_be_disabled()

    # One closed loop is a 0.
    circle = [(140 + 80 * np.sin(a), 140 - 80 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 25)]
    draw(page, canvas, circle, steps=3)
    latencies["circle"] = release_and_time(page, widget, "0 (90%)")
    expect_bars_for(widget, 0)

    # A classifier that raises: its message in red in the widget, no answer.
    broken = widgets.nth(1)
    draw(page, broken.locator(".digit-canvas"), [(140, 40), (140, 240)])
    page.mouse.up()
    error = broken.locator(".digit-canvas-error")
    expect(error).to_have_text("classify failed: RuntimeError: the model is not loaded", timeout=ANSWER_TIMEOUT)
    assert error.evaluate("e => getComputedStyle(e).color") == "rgb(198, 40, 40)"
    expect(broken.locator(".digit-canvas-answer")).to_have_text("")
    expect(broken.locator(".digit-canvas-bars")).to_be_hidden()

    print(
        "\nmouse-up -> answer shown, fake classifier: "
        + ", ".join(f"{name} {1000 * s:.0f} ms (kernel: {kernel})" for name, (s, kernel) in latencies.items())
    )
    assert max(s for s, _ in latencies.values()) < LATENCY_BOUND_S, latencies
    assert not [e for e in page.console_errors if "digit" in e.lower() or "anywidget" in e.lower()], page.console_errors

"""Notebook 06 in JupyterLab: recorded drawings of a 0, a 1 and a 7, drawn again with the mouse on its
canvas, are read right by its network, and Clear empties the canvas and the answer."""

import re

from course_utils.digit_collection import RECORDED, load_drawings
from tests.browser import jupyterlab_ui as lab
from tests.browser.canvas_ui import ANSWER_TIMEOUT, LATENCY_BOUND_S, READ_PIXELS, draw, release_and_time

NOTEBOOK_06 = "notebooks/06_your_handwriting.ipynb"
FIRST_AFTER_CANVAS = "The canvas is 280 × 280 pixels and the network takes 28 × 28"


def draw_again(page, canvas, widget, strokes, digit):
    """Draw recorded `strokes` with the mouse, stroke by stroke; return the last stroke's mouse-up -> answer time."""
    for stroke in strokes[:-1]:
        draw(page, canvas, stroke, steps=2)
        page.mouse.up()
    draw(page, canvas, strokes[-1], steps=2)
    return release_and_time(page, widget, f"{digit} (")


def test_the_network_reads_a_0_a_1_and_a_7_drawn_on_the_canvas(page, lab_server):
    from playwright.sync_api import expect

    lab.open_notebook(page, lab_server, NOTEBOOK_06)
    lab.cell_by_text(page, FIRST_AFTER_CANVAS).locator(".jp-InputArea, .jp-MarkdownOutput").first.click()
    lab.menu_command(page, "Run", "notebook:run-all-above")  # trains (or loads) the network, shows the canvas
    lab.wait_for_all_cells_run(page)
    widget = page.locator(".digit-canvas-widget")
    canvas = widget.locator(".digit-canvas")
    expect(canvas).to_be_visible()

    labels, drawings = load_drawings(RECORDED)
    timings = {}
    for digit in (0, 1, 7):
        seconds, kernel = draw_again(page, canvas, widget, drawings[labels.index(digit)], digit)
        timings[digit] = f"{1000 * seconds:.0f} ms ({kernel})"
        assert seconds < LATENCY_BOUND_S
        answer = widget.locator(".digit-canvas-answer").text_content()
        assert re.fullmatch(rf"{digit} \(\d+%\)", answer), answer
        widget.locator(".digit-canvas-clear").click()
        expect(widget.locator(".digit-canvas-answer")).to_have_text("", timeout=ANSWER_TIMEOUT)
        expect(widget.locator(".digit-canvas-bars")).to_be_hidden()
        assert canvas.evaluate(READ_PIXELS, [])["lit"] == 0, "Clear left ink on the canvas"
    print("\nmouse-up -> answer, notebook 06's network: " + ", ".join(f"{d}: {t}" for d, t in timings.items()))

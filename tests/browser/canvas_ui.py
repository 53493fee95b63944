"""Drawing on the canvas of notebook 06 (course_utils.drawing_canvas) with the mouse, and reading it back."""

import re

LATENCY_BOUND_S = 10  # a sanity bound on mouse-up -> answer, not a performance requirement
ANSWER_TIMEOUT = 1000 * LATENCY_BOUND_S  # ms: waits for the kernel's answer (expect() waits 5 s by default)

# In-page probe: performance.now() at the next pointerup and when the answer first starts with `expected`.
ARM_PROBE = """([answer, expected]) => {
    const probe = (window.__canvasProbe = { up: null, shown: null });
    window.addEventListener('pointerup', () => { probe.up ??= performance.now(); }, { capture: true, once: true });
    const observer = new MutationObserver(() => {
        if (answer.textContent.startsWith(expected) && probe.shown === null) {
            probe.shown = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(answer, { childList: true, characterData: true, subtree: true });
}"""
# The canvas' pixels: how many are not black, and the brightness at some CSS-pixel points.
READ_PIXELS = """(canvas, points) => {
    const ctx = canvas.getContext('2d');
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] || data[i + 1] || data[i + 2]) lit++;
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    const at = points.map(([x, y]) => ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data[0]);
    return { lit, at };
}"""


def draw(page, canvas, points, steps=8):
    """Press the mouse at the first of `points` (canvas pixels), move through the rest in `steps` moves each.

    Returns before releasing the button, so the caller can time the release; see :func:`release`.
    """
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=steps)


def release_and_time(page, widget, expected):
    """Release the mouse; wait until the answer starts with `expected` (e.g. "7 (" for any probability).

    Returns
    -------
    seconds : float
        From pointerup to the answer on screen, as the page's clock measures it.
    kernel : str
        The widget's "read in ... ms": the time Python took (classifier and PNG).
    """
    from playwright.sync_api import expect

    answer = widget.locator(".digit-canvas-answer")
    page.evaluate(ARM_PROBE, [answer.element_handle(), expected])
    page.mouse.up()
    expect(answer).to_have_text(re.compile("^" + re.escape(expected)), timeout=ANSWER_TIMEOUT)
    page.wait_for_function("() => window.__canvasProbe.shown !== null && window.__canvasProbe.up !== null")
    probe = page.evaluate("() => window.__canvasProbe")
    # The kernel's share: DigitCanvas.last_latency_ms, which the widget shows as "read in ... ms".
    kernel = widget.locator(".digit-canvas-latency").text_content()
    return (probe["shown"] - probe["up"]) / 1000, kernel

"""A canvas to draw a digit on with the mouse, a pen or a finger, read at once by a classifier.

Used by notebook 06. :class:`DigitCanvas` is an `anywidget <https://anywidget.dev>`_ widget: its
JavaScript ships inside this module (``_esm``), so it works offline in JupyterLab with nothing but
``pip install -r requirements.txt``. The browser sends each finished stroke to Python; Python calls
``classify`` and sends back the 28 × 28 image the network saw and its ten probabilities, which the
widget shows next to the canvas::

    canvas = DigitCanvas(classify=my_classify)  # my_classify(strokes) -> (image28, probabilities)
    canvas                                       # draw; canvas.strokes holds the drawing

:func:`course_utils.handwriting.render_strokes` draws ``strokes`` into an array, as the browser does.
"""

import io
import time

import anywidget
import numpy as np
import traitlets
from PIL import Image

DEFAULT_SIZE = 280  # CSS pixels: ten screen pixels per MNIST pixel
BRUSH_WIDTH = 18 / 280  # brush width as a fraction of the canvas size (18 px at 280)
BRUSH_BLUR = 0.4  # the brush's soft edge (canvas shadowBlur) as a fraction of its width
MAX_ERROR_LENGTH = 300  # characters of an error message shown in the widget

_ESM = (
    f"const BRUSH_WIDTH = {BRUSH_WIDTH!r};\nconst BRUSH_BLUR = {BRUSH_BLUR!r};\n"
    + r"""
// The widget's view: a canvas to draw on, Clear and Undo, and what the network read.
// The drawing lives in the model's `strokes` (a list of strokes, each a list of [x, y] points in
// CSS pixels); the canvas is always repainted from it, so every view of the widget agrees.
const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

function element(tag, className, parent, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  parent.append(node);
  return node;
}

function render({ model, el }) {
  const root = element("div", "digit-canvas-widget", el);
  const left = element("div", "digit-canvas-left", root);
  const canvas = element("canvas", "digit-canvas", left);
  const buttons = element("div", "digit-canvas-buttons", left);
  const clear = element("button", "digit-canvas-clear", buttons, "Clear");
  const undo = element("button", "digit-canvas-undo", buttons, "Undo");
  const right = element("div", "digit-canvas-right", root);
  const hint = element("div", "digit-canvas-hint", right, "Draw a digit in the black square.");
  const error = element("div", "digit-canvas-error", right);
  const answer = element("div", "digit-canvas-answer", right);
  const seen = element("div", "digit-canvas-seen", right);
  element("div", "digit-canvas-caption", seen, "what the network sees (28 × 28)");
  const preview = element("img", "digit-canvas-preview", seen);
  preview.alt = "the 28 × 28 image given to the network";
  const bars = element("div", "digit-canvas-bars", right);
  const latency = element("div", "digit-canvas-latency", right);
  const rows = DIGITS.map((digit) => {
    const row = element("div", "digit-canvas-bar", bars);
    row.dataset.digit = String(digit);
    element("span", "digit-canvas-bar-label", row, String(digit));
    const fill = element("span", "digit-canvas-bar-fill", element("span", "digit-canvas-bar-track", row));
    const value = element("span", "digit-canvas-bar-value", row);
    return { row, fill, value };
  });
  const ctx = canvas.getContext("2d");
  let current = null; // the stroke being drawn: { id: pointerId, points: [[x, y], ...] }
  let previewUrl = null; // an object URL of the preview PNG, revoked when replaced
  let dpr = 1;

  function size() {
    return model.get("size");
  }

  function resize() {
    // The backing store has one pixel per device pixel, so the drawing stays sharp on HiDPI screens;
    // all drawing is in CSS pixels (the unit of `strokes`).
    dpr = window.devicePixelRatio || 1;
    canvas.style.width = canvas.style.height = `${size()}px`;
    canvas.width = canvas.height = Math.round(size() * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paint();
  }

  function paint() {
    const strokes = current ? [...model.get("strokes"), current.points] : model.get("strokes");
    const width = size() * BRUSH_WIDTH;
    ctx.save();
    ctx.fillStyle = "black";
    ctx.fillRect(0, 0, size(), size());
    // White on black like MNIST, with round ends and a soft edge: MNIST's digits are blurred too.
    ctx.strokeStyle = ctx.fillStyle = "white";
    ctx.lineWidth = width;
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.shadowColor = "white";
    ctx.shadowBlur = width * BRUSH_BLUR * dpr; // unlike everything else, shadowBlur ignores the transform
    for (const points of strokes) {
      ctx.beginPath();
      if (points.length === 1) {
        // A tap: a zero-length line may draw nothing, so draw the dot itself.
        ctx.arc(points[0][0], points[0][1], width / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.moveTo(points[0][0], points[0][1]);
      for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
    }
    ctx.restore();
  }

  function pointAt(event) {
    // Canvas pixels from the pointer, clamped: with pointer capture a stroke may leave the square.
    const box = canvas.getBoundingClientRect();
    const scale = size() / box.width;
    const clamp = (v) => Math.round(Math.min(Math.max(v * scale, 0), size()) * 10) / 10;
    return [clamp(event.clientX - box.left), clamp(event.clientY - box.top)];
  }

  function setStrokes(strokes) {
    // One message to Python per finished stroke, Clear or Undo (never one per pointer move).
    model.set("strokes", strokes);
    model.save_changes();
  }

  function onDown(event) {
    if (current || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    // Capture: the moves and the pointerup come to the canvas even if the pointer leaves it.
    canvas.setPointerCapture(event.pointerId);
    current = { id: event.pointerId, points: [pointAt(event)] };
    onStrokes();
  }

  function onMove(event) {
    if (!current || event.pointerId !== current.id) return;
    const [x, y] = pointAt(event);
    const [lastX, lastY] = current.points[current.points.length - 1];
    if (x === lastX && y === lastY) return;
    current.points.push([x, y]);
    paint();
  }

  function onUp(event) {
    if (!current || event.pointerId !== current.id) return;
    const { points } = current;
    current = null;
    setStrokes([...model.get("strokes"), points]);
    paint();
  }

  function showResult() {
    const strokes = model.get("strokes");
    const probabilities = model.get("probabilities");
    const message = model.get("error");
    const ms = model.get("last_latency_ms");
    const empty = strokes.length === 0 && !current;
    root.dataset.empty = String(empty);
    hint.hidden = !empty;
    error.textContent = message;
    error.hidden = !message;
    undo.disabled = clear.disabled = strokes.length === 0;

    // A result for no ink is stale (Clear or Undo of the last stroke, Python not done yet): hide it.
    const shown = strokes.length > 0 && probabilities.length === DIGITS.length && !message;
    bars.hidden = !shown;
    answer.textContent = "";
    latency.textContent = "";
    if (shown) {
      const top = probabilities.indexOf(Math.max(...probabilities));
      answer.textContent = `${top} (${Math.round(100 * probabilities[top])}%)`;
      rows.forEach(({ row, fill, value }, digit) => {
        const p = Math.min(Math.max(probabilities[digit], 0), 1);
        row.dataset.probability = String(probabilities[digit]);
        row.classList.toggle("is-top", digit === top);
        fill.style.width = `${100 * p}%`;
        value.textContent = `${Math.round(100 * p)}%`;
      });
      if (ms !== null) latency.textContent = `read in ${ms.toFixed(1)} ms`;
    }
    seen.hidden = !shown || !previewUrl;
  }

  function showPreview() {
    const image = model.get("preview"); // a DataView of the PNG's bytes (traitlets.Bytes)
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = image && image.byteLength ? URL.createObjectURL(new Blob([image], { type: "image/png" })) : null;
    if (previewUrl) preview.src = previewUrl;
    else preview.removeAttribute("src");
    showResult();
  }

  const onStrokes = () => {
    paint();
    showResult();
  };
  const onClear = () => setStrokes([]);
  const onUndo = () => setStrokes(model.get("strokes").slice(0, -1));
  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp); // e.g. the browser took over a touch: keep the stroke
  clear.addEventListener("click", onClear);
  undo.addEventListener("click", onUndo);
  model.on("change:size", resize);
  model.on("change:strokes", onStrokes);
  model.on("change:preview", showPreview);
  for (const name of ["probabilities", "error", "last_latency_ms"]) {
    model.on(`change:${name}`, showResult);
  }
  resize();
  showPreview();

  // Called when the view is removed (e.g. the output is cleared): stop listening to the model.
  return () => {
    model.off("change:size", resize);
    model.off("change:strokes", onStrokes);
    model.off("change:preview", showPreview);
    for (const name of ["probabilities", "error", "last_latency_ms"]) {
      model.off(`change:${name}`, showResult);
    }
    if (previewUrl) URL.revokeObjectURL(previewUrl);
  };
}

export default { render };
"""
)

_CSS = """
.digit-canvas-widget {
  display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start;
  font-family: var(--jp-ui-font-family, sans-serif); color: var(--jp-ui-font-color1, #222);
}
.digit-canvas-left { display: flex; flex-direction: column; gap: 8px; }
/* touch-action: none, or a finger would scroll the page instead of drawing */
.digit-canvas { touch-action: none; cursor: crosshair; border-radius: 4px; background: black; }
.digit-canvas-buttons { display: flex; gap: 8px; }
.digit-canvas-buttons button { font-size: 14px; padding: 4px 16px; cursor: pointer; }
.digit-canvas-right { display: flex; flex-direction: column; gap: 10px; min-width: 240px; }
.digit-canvas-hint { color: var(--jp-ui-font-color2, #666); }
.digit-canvas-error { color: #c62828; font-weight: bold; white-space: pre-wrap; max-width: 360px; }
.digit-canvas-answer { font-size: 40px; font-weight: bold; line-height: 1.1; min-height: 1.1em; }
.digit-canvas-caption { font-size: 12px; color: var(--jp-ui-font-color2, #666); }
/* pixelated: show the 28 x 28 pixels as the network gets them, not smoothed */
.digit-canvas-preview {
  display: block; width: 112px; height: 112px; image-rendering: pixelated; background: black;
}
.digit-canvas-bar { display: flex; align-items: center; gap: 6px; font-size: 13px; height: 18px; }
.digit-canvas-bar-label { width: 1em; text-align: right; font-weight: bold; }
.digit-canvas-bar-track { width: 160px; height: 12px; background: var(--jp-layout-color2, #eee); }
.digit-canvas-bar-fill { display: block; height: 100%; background: #90a4ae; }
.digit-canvas-bar.is-top .digit-canvas-bar-fill { background: #1565c0; }
.digit-canvas-bar-value { width: 3em; color: var(--jp-ui-font-color2, #666); }
.digit-canvas-latency { font-size: 12px; color: var(--jp-ui-font-color2, #666); }
[hidden].digit-canvas-bars, [hidden].digit-canvas-seen, [hidden].digit-canvas-hint,
[hidden].digit-canvas-error { display: none; }
"""


class DigitCanvas(anywidget.AnyWidget):
    """A square canvas to draw a digit on; each finished stroke is read by `classify` and the answer shown.

    Parameters
    ----------
    classify : callable or None
        ``classify(strokes) -> (image28, probabilities)``: `image28` is the (28, 28) float array in
        [0, 1] the network reads, `probabilities` the (10,) array of its outputs. Called after each
        stroke, and after an Undo that leaves ink on the canvas. None: only record the drawing.
    **kwargs
        Initial trait values, e.g. ``size=196`` or ``strokes=[...]``.

    Attributes
    ----------
    strokes : list of list of [x, y]
        The drawing: one list of points per stroke, in CSS pixels of the canvas (x right, y down,
        0 to ``size``). Updated once per finished stroke, Clear or Undo; may be set from Python.
    size : int
        Width and height of the canvas in CSS pixels (280: ten per MNIST pixel).
    probabilities : list of float
        The last `classify` result, or empty (no ink, no classifier, or an error).
    preview : bytes
        The last 28 × 28 image as PNG, or empty.
    error : str
        A short message when `classify` failed, shown in red; empty otherwise.
    last_latency_ms : float or None
        Milliseconds from receiving the strokes to having the result ready to send back (the
        classifier and the PNG) for the last drawing that was classified.
    last_exception : Exception or None
        The exception behind `error`, with its traceback, for ``raise canvas.last_exception``.
    classify : callable or None
        May be replaced; :meth:`update` reads the current drawing with it.
    """

    _esm = _ESM
    _css = _CSS
    size = traitlets.Int(DEFAULT_SIZE).tag(sync=True)
    strokes = traitlets.List(traitlets.List()).tag(sync=True)
    probabilities = traitlets.List(traitlets.Float()).tag(sync=True)
    preview = traitlets.Bytes(b"").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    last_latency_ms = traitlets.Float(None, allow_none=True).tag(sync=True)

    def __init__(self, classify=None, **kwargs):
        super().__init__(**kwargs)
        self.classify = classify
        self.last_exception = None
        self.observe(lambda change: self.update(), names="strokes")
        self.update()

    def __repr__(self):
        # What a notebook shows where no widget can be drawn (on GitHub, in a terminal, under the tests).
        return f"<a drawing canvas, {len(self.strokes)} stroke(s): it is shown in a live notebook in JupyterLab>"

    def update(self):
        """Read the current drawing with :attr:`classify` and show the result (or clear it).

        Called on every change of :attr:`strokes`; call it yourself after replacing ``classify``.
        """
        start = time.perf_counter()
        result = {"probabilities": [], "preview": b"", "error": ""}
        self.last_exception = None
        if self.strokes and self.classify is not None:
            try:
                image, probabilities = self.classify(self.strokes)
                image = _checked(image, (28, 28), "image28")
                probabilities = _checked(probabilities, (10,), "probabilities")
                result.update(preview=png_bytes(image), probabilities=probabilities.tolist())
                result["last_latency_ms"] = 1000 * (time.perf_counter() - start)
            except Exception as exc:  # any failure of the student's code is shown, not raised into the comm
                self.last_exception = exc
                message = f"classify failed: {type(exc).__name__}: {exc}"
                result["error"] = message[:MAX_ERROR_LENGTH]
        # One message to the browser: the answer, the bars and the preview change together.
        with self.hold_sync():
            for name, value in result.items():
                setattr(self, name, value)


def _checked(values, shape, name):
    """`values` as a float array of `shape` with every value in [0, 1]; a ValueError that says what is wrong."""
    array = np.asarray(values, dtype=float)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"{name} must be in [0, 1], got {np.count_nonzero(~np.isfinite(array))} NaN or infinite values"
        )
    if not np.all((array >= -1e-6) & (array <= 1 + 1e-6)):
        raise ValueError(f"{name} must be in [0, 1], got values from {array.min():.3g} to {array.max():.3g}")
    return array.clip(0, 1)


def png_bytes(image):
    """A grey-scale PNG of `image`.

    Parameters
    ----------
    image : array_like, shape (height, width)
        Values in [0, 1]: 0 black, 1 white.

    Returns
    -------
    bytes
    """
    pixels = np.round(255 * np.clip(np.asarray(image, dtype=float), 0, 1)).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()

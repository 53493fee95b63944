"""Drawn digits kept in files: the student's own test set, and the drawings that ship with the course.

:class:`DigitCollector` asks for each digit in turn and saves what the student draws. A file
holds one drawing per line, as JSON: its label, its strokes (as the drawing canvas
records them: lists of ``[x, y]`` points in canvas pixels) and when it was saved. Drawings are
only ever appended, so nothing a student drew is overwritten. The course ships
:data:`RECORDED`, drawings made with the canvas, for runs without a browser (the tests, a
student who has not drawn yet).
"""

import html
import json
import time
from pathlib import Path

import ipywidgets

from course_utils.drawing_canvas import DigitCanvas

# The student's collection, beside the notebook that draws it.
MY_DIGITS = Path("my_digits.jsonl")
RECORDED = Path(__file__).resolve().parent / "recorded_digits.jsonl"


def save_drawing(label, strokes, path=MY_DIGITS):
    """Append one drawing to `path` (created if missing), with the time it was saved.

    Parameters
    ----------
    label : int
        The digit the drawing shows, 0 to 9.
    strokes : list of list of [x, y]
        As the canvas records them; at least one stroke.
    path : path

    Returns
    -------
    int
        How many drawings `path` holds now.

    Raises
    ------
    ValueError
        The label is not a digit, or there is nothing drawn.
    """
    if not (isinstance(label, int) and 0 <= label <= 9):
        raise ValueError(f"the label must be a digit from 0 to 9, not {label!r}")
    if not strokes:
        raise ValueError("there is nothing drawn to save: draw the digit first")
    line = json.dumps({"label": label, "strokes": strokes, "saved": time.strftime("%Y-%m-%dT%H:%M:%S")})
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")
    return len(load_drawings(path)[0])


def load_drawings(path=MY_DIGITS, report=print):
    """The drawings saved in `path`, in the order they were drawn.

    A line that cannot be read (a file edited by hand, say) is skipped and reported with its
    number, so one bad line does not lose the others.

    Parameters
    ----------
    path : path
    report : callable
        Receives one message per skipped line.

    Returns
    -------
    labels : list of int
    strokes : list of list of list of [x, y]
        One drawing per label. Both lists are empty when `path` does not exist.
    """
    labels, drawings = [], []
    if not Path(path).exists():
        return labels, drawings
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            label, strokes = record["label"], record["strokes"]
            if not (isinstance(label, int) and 0 <= label <= 9 and isinstance(strokes, list) and strokes):
                raise ValueError("no digit label or no strokes")
        except (ValueError, KeyError, TypeError) as error:
            report(f"{path}, line {number}: skipped, it is not a saved drawing ({error}).")
            continue
        labels.append(label)
        drawings.append(strokes)
    return labels, drawings


class DigitCollector(ipywidgets.VBox):
    """A panel that asks for each digit in turn, `rounds` times over, and saves each drawing.

    **Save** appends the drawing to `path` (:func:`save_drawing`) and asks for the next digit;
    **Skip** asks for the next one without saving. The canvas reads each drawing as it is drawn.

    Parameters
    ----------
    classify : callable, optional
        Passed to :class:`~course_utils.drawing_canvas.DigitCanvas`: strokes -> (image28, probabilities).
    path : path
        The file the drawings are appended to.
    rounds : int
        How many times each digit is asked for.
    """

    def __init__(self, classify=None, path=MY_DIGITS, rounds=3):
        self.path, self.wanted = Path(path), [digit for _ in range(rounds) for digit in range(10)]
        self.position = 0
        self.canvas = DigitCanvas(classify=classify)
        self.prompt, self.status = ipywidgets.HTML(), ipywidgets.HTML()
        self.save_button = ipywidgets.Button(description="Save", button_style="success", icon="check")
        self.skip_button = ipywidgets.Button(description="Skip")
        self.save_button.on_click(self.save)
        self.skip_button.on_click(self.skip)
        super().__init__([self.prompt, self.canvas, ipywidgets.HBox([self.save_button, self.skip_button]), self.status])
        self._ask()

    def __repr__(self):
        return f"<a panel asking for {len(self.wanted)} drawings, saved to {self.path}: shown in a live notebook>"

    def save(self, _button=None):
        """Append the drawing on the canvas to the file, then ask for the next digit."""
        if not self.canvas.strokes:
            self.status.value = "Draw the digit first, then press Save."
            return
        count = save_drawing(self.wanted[self.position], self.canvas.strokes, self.path)
        self.status.value = f"Saved: {html.escape(str(self.path))} holds {count} drawing{'s' * (count != 1)}."
        self._next()

    def skip(self, _button=None):
        """Ask for the next digit without saving."""
        self._next()

    def _next(self):
        self.position += 1
        self.canvas.strokes = []
        self._ask()

    def _ask(self):
        done = self.position >= len(self.wanted)
        self.save_button.disabled = self.skip_button.disabled = done
        if done:
            self.prompt.value = "<b>Done.</b> Run the next cell to see how the network reads your handwriting."
        else:
            digit = self.wanted[self.position]
            self.prompt.value = f"Draw a <b>{digit}</b> ({self.position + 1} of {len(self.wanted)})"

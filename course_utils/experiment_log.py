"""The experiment log of the homework (notebook 05): every training run, kept on disk.

Each run is one line of JSON appended to a file and flushed to disk at once, so a crash or a
kernel restart loses nothing: a new :class:`ExperimentLog` on the same file reloads every run.
Re-running an experiment under the same name appends a new line, and the newest one counts.
A line left unfinished by a crash is skipped (and reported) when the log is read.

The file is ``homework_experiments.jsonl`` in the notebook's folder, unless the environment
variable ``COURSE_EXPERIMENT_LOG`` names another (the test suite points it to a temporary
file, so that its runs never mix with a student's).
"""

import dataclasses
import json
import os
from pathlib import Path

import numpy as np

LOG_FILE_VAR = "COURSE_EXPERIMENT_LOG"
DEFAULT_FILE = "homework_experiments.jsonl"
# The factors of the homework's menu; a run that changes several at once names the main one.
FACTORS = (
    "baseline",
    "depth",
    "width",
    "activation",
    "optimizer",
    "learning rate",
    "batch size",
    "epochs",
    "early stopping",
    "dropout",
    "L2",
    "initialisation",
    "batch normalisation",
    "convolution",
    "augmentation",
)


@dataclasses.dataclass(frozen=True)
class Run:
    """One training run: a line of the log, a JSON object with these fields as keys.

    Attributes
    ----------
    name : str
        A short, unique name, e.g. "dropout 0.3".
    factor : str
        Which factor of :data:`FACTORS` the run changes against the baseline.
    changed : str
        What exactly changed, in words.
    parameters : int
        Trainable parameters of the model.
    epochs : int
        Epochs trained.
    seconds : float
        Training time, rounded to 0.01 s.
    train_accuracy, val_accuracy : float
        Final accuracy on the training and the validation data.
    val_curve : tuple of float, shape (epochs,)
        Validation accuracy after each epoch.
    """

    name: str
    factor: str
    changed: str
    parameters: int
    epochs: int
    seconds: float
    train_accuracy: float
    val_accuracy: float
    val_curve: tuple[float, ...]

    def to_json(self):
        """The run as one line of JSON (without the newline)."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, line):
        """The run written as `line` by :meth:`to_json`.

        Raises
        ------
        ValueError, KeyError, TypeError
            `line` is not JSON, or not an object with exactly the fields of a run.
        """
        fields = json.loads(line)
        return cls(**{**fields, "val_curve": tuple(fields["val_curve"])})


class ExperimentLog:
    """Training runs recorded in a JSON-lines file, reloaded when the log is opened.

    Parameters
    ----------
    path : path, optional
        The file; default: ``$COURSE_EXPERIMENT_LOG``, else ``homework_experiments.jsonl``.

    Attributes
    ----------
    path : pathlib.Path
    skipped : list of int
        Numbers of lines of the file that could not be read (e.g. cut short by a crash).
    """

    def __init__(self, path=None):
        self.path = Path(path or os.environ.get(LOG_FILE_VAR) or DEFAULT_FILE)
        self._runs, self.skipped = {}, []
        if self.path.exists():
            for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
                try:
                    self._keep(Run.from_json(line))
                except (ValueError, KeyError, TypeError):
                    if line.strip():
                        self.skipped.append(number)

    def __len__(self):
        return len(self._runs)

    def _keep(self, run):
        self._runs.pop(run.name, None)  # a re-run moves to the end
        self._runs[run.name] = run

    @property
    def runs(self):
        """The latest :class:`Run` of every run name, in the order they were recorded."""
        return list(self._runs.values())

    def describe(self):
        """One line: where the log is and what it holds (and what it had to skip)."""
        text = f"Experiment log {self.path}: {len(self)} run(s)"
        if self.skipped:
            text += (
                f"; line(s) {', '.join(map(str, self.skipped))} could not be read (cut short by a crash?) "
                "and were left out"
            )
        return text + "."

    def record(self, *, name, factor, changed, parameters, epochs, seconds, train_accuracy, val_accuracy, val_curve=()):
        """Add one run and write it to the file at once.

        Parameters
        ----------
        name, factor, changed, parameters, epochs, seconds, train_accuracy, val_accuracy, val_curve
            The fields of :class:`Run`, by keyword; `val_curve` may be any sequence of numbers
            and `factor` must be one of :data:`FACTORS`.

        Returns
        -------
        Run
            The run as written, with plain Python numbers (NumPy ones are converted).
        """
        if factor not in FACTORS:
            raise ValueError(f"Unknown factor {factor!r}: use one of {', '.join(FACTORS)}.")
        run = Run(
            name=str(name),
            factor=factor,
            changed=str(changed),
            parameters=int(parameters),
            epochs=int(epochs),
            seconds=round(float(seconds), 2),
            train_accuracy=float(train_accuracy),
            val_accuracy=float(val_accuracy),
            val_curve=tuple(float(v) for v in val_curve),
        )
        with open(self.path, "a+", encoding="utf-8") as f:
            if f.tell() and not self._ends_with_newline():
                f.write("\n")  # close a line left unfinished by a crash, so this run gets a line of its own
            f.write(run.to_json() + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._keep(run)
        return run

    def _ends_with_newline(self):
        with open(self.path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def baseline(self):
        """The run whose factor is "baseline", or None."""
        return next((run for run in self.runs if run.factor == "baseline"), None)

    def table(self):
        """The runs as an aligned text table, with the change in validation accuracy against the baseline."""
        base = self.baseline()
        lines = [
            f"{'run':24s} {'factor':20s} {'params':>9s} {'epochs':>6s} {'time':>7s} {'train':>6s} "
            f"{'val':>6s} {'vs baseline':>11s}"
        ]
        for run in self.runs:
            delta = f"{100 * (run.val_accuracy - base.val_accuracy):+.1f} pt" if base else ""
            lines.append(
                f"{run.name[:24]:24s} {run.factor:20s} {run.parameters:>9,} {run.epochs:>6d} "
                f"{run.seconds:>6.0f}s {run.train_accuracy:>6.3f} {run.val_accuracy:>6.3f} "
                f"{delta:>11s}"
            )
        return "\n".join(lines)

    def plot(self):
        """Three panels comparing the runs: accuracy against parameters, against time, and learning curves.

        Returns
        -------
        matplotlib Figure
        """
        import matplotlib.pyplot as plt
        from matplotlib.ticker import NullFormatter

        fig, (by_size, by_time, curves) = plt.subplots(1, 3, figsize=(15, 4.2))
        for number, run in enumerate(self.runs):
            baseline = run.factor == "baseline"
            colour = "black" if baseline else f"C{number % 10}"
            style = {"marker": "*", "s": 180} if baseline else {"s": 40}
            by_size.scatter(run.parameters, run.val_accuracy, color=colour, **style)
            by_time.scatter(run.seconds, run.val_accuracy, color=colour, **style)
            for ax, x in ((by_size, run.parameters), (by_time, run.seconds)):
                ax.annotate(run.name, (x, run.val_accuracy), fontsize=8, xytext=(4, 2), textcoords="offset points")
            if run.val_curve:
                curves.plot(np.arange(1, len(run.val_curve) + 1), run.val_curve, color=colour, label=run.name)
        by_size.set_xscale("log")
        by_size.xaxis.set_minor_formatter(NullFormatter())
        by_size.set_xlabel("trainable parameters")
        by_time.set_xlabel("training time [s]")
        curves.set_xlabel("epoch")
        for ax in (by_size, by_time, curves):
            ax.set_ylabel("validation accuracy")
        by_size.set_title("accuracy against size (baseline: star)")
        by_time.set_title("accuracy against time")
        curves.set_title("learning curves")
        if self.runs:
            curves.legend(fontsize=7, loc="lower right")
        fig.tight_layout()
        return fig

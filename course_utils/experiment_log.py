"""The experiment log of the homework (notebook 05): every training run, kept on disk.

A run is one training of one configuration with one seed. ``log.record(name, history,
seed=..., factors=..., against=..., seconds=...)`` takes the ``History`` that Keras's
``model.fit`` returned and appends the run to a file as one line of JSON, flushed to disk at
once, so a crash or a kernel restart loses nothing: a new :class:`ExperimentLog` on the same
file reloads every run. A line left unfinished by a crash is skipped (and reported) when the
log is read.

The runs of one name are the seeds of one :class:`Configuration`. Every configuration but the
baseline changes one or more factors of :data:`FACTORS` against a configuration recorded
before it, the one it is compared with; :meth:`ExperimentLog.compare` sets the difference of
their mean validation accuracies against the noise that the seeds alone make. Recording a
name and seed again replaces that run: the newest line counts.

The file is ``homework_experiments.jsonl`` in the notebook's folder, unless the environment
variable ``COURSE_EXPERIMENT_LOG`` names another (the test suite points it to a temporary
file, so that its runs never mix with a student's).
"""

import dataclasses
import json
import math
import os
from pathlib import Path

import numpy as np

from course_utils.notebook_setup import SEED

LOG_FILE_VAR = "COURSE_EXPERIMENT_LOG"
DEFAULT_FILE = "homework_experiments.jsonl"
# The factors of the homework's menu. "baseline" names no change: logs of older versions of
# the course give it as the baseline's factor; a run now names only the factors it changes.
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
_CHANGES = FACTORS[1:]
# The table's columns: header, width, alignment; about 110 characters in all, a notebook's width.
_COLUMNS = (
    ("configuration", 21, "<"),
    ("factors", 15, "<"),
    ("against", 10, "<"),
    ("seeds", 5, ">"),
    ("params", 6, ">"),
    ("time", 5, ">"),
    ("train", 5, ">"),
    ("val ± std", 13, ">"),
    ("change [pt]", 11, ">"),
    ("verdict", 12, "<"),
)


@dataclasses.dataclass(frozen=True)
class Run:
    """One training run: a line of the log, a JSON object with these fields as keys.

    Attributes
    ----------
    name : str
        The name of its configuration, e.g. "Adam, dropout 0.3"; the seeds of a configuration
        share it.
    seed : int
        The seed the model was built and trained with.
    factors : tuple of str
        The factors of :data:`FACTORS` in which the configuration differs from the one it is
        compared with; empty for the baseline.
    against : str or None
        The name of the configuration it is compared with; None for the baseline.
    changed : str
        What exactly changed, in words.
    parameters : int
        Parameters of the model (``model.count_params()``).
    epochs : int
        Epochs trained (fewer than asked for when early stopping ended the training).
    seconds : float
        Training time, rounded to 0.01 s.
    train_accuracy, val_accuracy : float
        Accuracy on the training and the validation data in the last epoch, as ``fit`` measured
        it (the training accuracy is averaged over the epoch's minibatches, with dropout on).
    val_curve : tuple of float, shape (epochs,)
        Validation accuracy after each epoch.
    """

    name: str
    seed: int
    factors: tuple[str, ...]
    against: str | None
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
        """The run written as `line` by :meth:`to_json`, or by an older version of the course.

        Older lines have one ``factor`` and no seed: they get the course's seed, and a run
        whose factor is not "baseline" is compared with the baseline.

        Raises
        ------
        ValueError, KeyError, TypeError
            `line` is not JSON, or not an object with exactly the fields of a run.
        """
        fields = json.loads(line)
        if isinstance(fields, dict) and "factor" in fields:
            factor = fields.pop("factor")
            baseline = factor == "baseline"
            fields |= {
                "seed": SEED,
                "factors": () if baseline else (factor,),
                "against": None if baseline else "baseline",
            }
        return cls(**{**fields, "factors": tuple(fields["factors"]), "val_curve": tuple(fields["val_curve"])})


@dataclasses.dataclass(frozen=True)
class Configuration:
    """The runs recorded under one name: one configuration, trained with one or more seeds.

    Its factors, comparison and description are those of its newest run (record keeps them the
    same for every seed).

    Attributes
    ----------
    name : str
    runs : list of Run
        In the order they were recorded.
    """

    name: str
    runs: list[Run]

    @property
    def factors(self):
        """tuple of str: the factors it changes against the configuration it is compared with."""
        return self.runs[-1].factors

    @property
    def against(self):
        """str or None: the configuration it is compared with (None for the baseline)."""
        return self.runs[-1].against

    @property
    def changed(self):
        """str: what changed, in words."""
        return self.runs[-1].changed

    @property
    def parameters(self):
        """int: the model's parameters."""
        return self.runs[-1].parameters

    @property
    def seeds(self):
        """list of int: the seeds it was trained with."""
        return [run.seed for run in self.runs]

    @property
    def mean_val_accuracy(self):
        """float: the validation accuracy, averaged over the seeds."""
        return float(np.mean([run.val_accuracy for run in self.runs]))

    @property
    def std_val_accuracy(self):
        """float or None: the seeds' standard deviation of validation accuracy (ddof=1); None for one seed."""
        if len(self.runs) < 2:
            return None
        return float(np.std([run.val_accuracy for run in self.runs], ddof=1))

    @property
    def mean_train_accuracy(self):
        """float: the training accuracy of the last epoch, averaged over the seeds."""
        return float(np.mean([run.train_accuracy for run in self.runs]))

    @property
    def mean_seconds(self):
        """float: the training time, averaged over the seeds."""
        return float(np.mean([run.seconds for run in self.runs]))

    @property
    def mean_val_curve(self):
        """array, shape (epochs,): validation accuracy after each epoch, averaged over the seeds.

        `epochs` is the longest run's; where early stopping ended some seeds sooner, an epoch's
        mean is over the seeds that trained that long.
        """
        curves = np.full((len(self.runs), max(len(run.val_curve) for run in self.runs)), np.nan)
        for row, run in zip(curves, self.runs):
            row[: len(run.val_curve)] = run.val_curve
        return np.nanmean(curves, axis=0)


@dataclasses.dataclass(frozen=True)
class Comparison:
    """A configuration against the one it is compared with (see :meth:`ExperimentLog.compare`).

    Attributes
    ----------
    name, against : str
        The configuration, and the one it is compared with.
    difference : float
        Mean validation accuracy of `name` minus that of `against` (0.012 is 1.2 points).
    noise : float or None
        How large a difference the seeds alone make; None when either has a single seed.
    """

    name: str
    against: str
    difference: float
    noise: float | None

    @property
    def beyond_noise(self):
        """bool or None: whether ``|difference| > noise``; None when the noise is unknown (a single seed)."""
        return None if self.noise is None else abs(self.difference) > self.noise

    @property
    def verdict(self):
        """str: "beyond noise", "within noise", or "1 seed" when the noise is unknown."""
        return {True: "beyond noise", False: "within noise", None: "1 seed"}[self.beyond_noise]

    def points(self):
        """The difference in percentage points, with its noise: e.g. "+1.2 ± 0.8"."""
        noise = "" if self.noise is None else f" ± {100 * self.noise:.1f}"
        return f"{100 * self.difference:+.1f}{noise}"

    def __str__(self):
        return f"{self.name} against {self.against}: {self.points()} points ({self.verdict})"


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
        # Runs by (name, seed); names in the order they first appeared, which orders the configurations.
        self._runs, self._names, self.skipped = {}, {}, []
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
        self._runs.pop((run.name, run.seed), None)  # a re-run moves to the end
        self._runs[run.name, run.seed] = run
        self._names.setdefault(run.name)

    @property
    def runs(self):
        """The latest :class:`Run` of every name and seed, in the order they were recorded."""
        return list(self._runs.values())

    def configurations(self):
        """Every :class:`Configuration`, in the order their names first appeared in the log."""
        runs = {name: [] for name in self._names}
        for run in self._runs.values():
            runs[run.name].append(run)
        return [Configuration(name, group) for name, group in runs.items()]

    def baseline(self):
        """The :class:`Configuration` that changes no factor, or None."""
        return next((configuration for configuration in self.configurations() if not configuration.factors), None)

    def describe(self):
        """One line: where the log is and what it holds (and what it had to skip)."""
        text = f"Experiment log {self.path}: {len(self)} run(s) of {len(self._names)} configuration(s)"
        if self.skipped:
            text += (
                f"; line(s) {', '.join(map(str, self.skipped))} could not be read (cut short by a crash?) "
                "and were left out"
            )
        return text + "."

    def record(self, name, history, *, seed, factors=(), against="baseline", changed="", seconds):
        """Add the run that `history` describes, and write it to the file at once.

        Parameters
        ----------
        name : str
            The configuration's name, e.g. "Adam"; record each of its seeds under the same name.
        history : keras.callbacks.History
            What ``model.fit(..., validation_data=(X_val, y_val))`` returned, for a model compiled
            with ``metrics=["accuracy"]``.
        seed : int
            The seed the model was built and trained with. Recording a name and seed again
            replaces that run; another seed adds a repeat.
        factors : tuple of str, or str
            The factors of :data:`FACTORS` in which this configuration differs from `against`
            (one factor may be given alone, as a string); empty for the baseline.
        against : str or None
            The configuration it is compared with, recorded before it. The baseline is compared
            with nothing: leave `against` out, or give None.
        changed : str
            What exactly changed, in words.
        seconds : float
            How long the training took.

        Returns
        -------
        Run
            The run as written, with plain Python numbers.

        Raises
        ------
        ValueError
            The History holds no validation accuracy; a factor is not one of :data:`FACTORS`;
            the baseline names factors or a configuration to compare with, or a second baseline
            is recorded; another configuration names no factors, or `against` is not in the log
            yet; the name's earlier seeds have other factors or another `against`.
        TypeError
            `history` is not a History (e.g. the model instead).
        """
        name, seed = str(name), int(seed)
        factors = (factors,) if isinstance(factors, str) else tuple(factors)
        against = self._checked_against(name, seed, factors, against)
        train_curve, val_curve = _accuracy_curves(history)
        run = Run(
            name=name,
            seed=seed,
            factors=factors,
            against=against,
            changed=str(changed),
            parameters=int(history.model.count_params()),
            epochs=len(history.epoch),
            seconds=round(float(seconds), 2),
            train_accuracy=train_curve[-1],
            val_accuracy=val_curve[-1],
            val_curve=val_curve,
        )
        with open(self.path, "a+", encoding="utf-8") as f:
            if f.tell() and not self._ends_with_newline():
                f.write("\n")  # close a line left unfinished by a crash, so this run gets a line of its own
            f.write(run.to_json() + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._keep(run)
        return run

    def _checked_against(self, name, seed, factors, against):
        """What a run of `name` stores as `against` (None for the baseline); ValueError if it does not fit the log."""
        for factor in factors:
            if factor not in _CHANGES:
                raise ValueError(f"Unknown factor {factor!r}: use one or more of {', '.join(_CHANGES)}.")
        if len(set(factors)) < len(factors):
            raise ValueError(f"Name each factor once: {factors} repeats one.")
        if not factors and (name == "baseline" or against is None):
            if against not in (None, "baseline"):
                raise ValueError(f"The baseline is compared with nothing, not with {against!r}: leave out `against`.")
            baseline = self.baseline()
            if baseline and baseline.name != name:
                raise ValueError(
                    f"The log's baseline is {baseline.name!r} already; a configuration compared with it names the "
                    "factors it changes, e.g. factors=('optimizer',)."
                )
            against = None
        elif name == "baseline":
            raise ValueError(f"The baseline changes no factor, yet factors={factors}: record it with factors=().")
        elif not factors:
            raise ValueError(
                f"{name!r} is compared with {against!r} but changes no factor: name the factors it changes, e.g. "
                "factors=('optimizer',). Only the baseline changes none."
            )
        elif against is None:
            raise ValueError(
                f"{name!r} changes {_joined(factors)}: compare it with a configuration, e.g. against='baseline'."
            )
        elif against == name:
            raise ValueError(f"{name!r} cannot be compared with itself: give the configuration it changes.")
        elif against not in self._names:
            raise ValueError(
                f"{name!r} is compared with {against!r}, which is not in the log yet: record {against!r} first "
                f"(the log holds {', '.join(map(repr, self._names)) or 'nothing'})."
            )
        others = [run for run in self.runs if run.name == name and run.seed != seed]
        if others and (others[-1].factors, others[-1].against) != (factors, against):
            raise ValueError(
                f"{name!r} was recorded with seed(s) {', '.join(str(run.seed) for run in others)} changing "
                f"{_joined(others[-1].factors)} against {others[-1].against!r}, not {_joined(factors)} against "
                f"{against!r}: the seeds of a configuration must train the same configuration. Give this one "
                "another name."
            )
        return against

    def _ends_with_newline(self):
        with open(self.path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def compare(self, name):
        """Configuration `name` against the one it is compared with: the difference, and whether it is luck.

        The difference is the mean validation accuracy of `name` minus that of the configuration
        it is compared with. Trained with another seed (other initial weights, another order of
        the minibatches), the same configuration reaches another accuracy, so two means differ
        a little even when neither configuration is better. The noise says how much. With
        ``s_a`` the standard deviation of the validation accuracies of the ``n_a`` seeds of
        `name`, and ``s_b``, ``n_b`` the same for the configuration it is compared with::

            noise = 2 * sqrt(s_a**2 / n_a + s_b**2 / n_b)

        ``s / sqrt(n)`` is the standard error of a mean: how far the mean of n seeds typically
        is from the mean that endless seeds would give. The square root of the sum of the two
        squared standard errors is the standard error of the difference of the two means, and
        luck alone rarely pushes a difference beyond two of them (about one time in twenty with
        many seeds, more often with few). Credit a difference only when it is beyond the noise.
        With a single seed on either side the standard deviation is unknown, and so is the noise.

        Parameters
        ----------
        name : str
            A configuration of the log other than the baseline.

        Returns
        -------
        Comparison
            With ``difference``, ``noise`` (None when either has a single seed) and
            ``beyond_noise`` (``|difference| > noise``, None when the noise is unknown).
        """
        configurations = {configuration.name: configuration for configuration in self.configurations()}
        if name not in configurations:
            raise ValueError(f"No configuration {name!r} in the log; it holds {', '.join(map(repr, configurations))}.")
        this = configurations[name]
        if this.against is None:
            raise ValueError(f"{name!r} is the baseline: it is compared with nothing.")
        if this.against not in configurations:
            raise ValueError(f"{name!r} is compared with {this.against!r}, which is not in the log: record it.")
        other = configurations[this.against]
        noise = None
        if this.std_val_accuracy is not None and other.std_val_accuracy is not None:
            noise = 2 * math.sqrt(
                this.std_val_accuracy**2 / len(this.runs) + other.std_val_accuracy**2 / len(other.runs)
            )
        return Comparison(name, this.against, this.mean_val_accuracy - other.mean_val_accuracy, noise)

    def summary(self, name):
        """One line on configuration `name`: its mean validation accuracy, spread and seeds, and its comparison.

        E.g. ``"Adam: validation accuracy 0.935 ± 0.002 over 3 seeds; +2.9 ± 0.3 points against
        baseline (beyond noise)"``.
        """
        configuration = next((c for c in self.configurations() if c.name == name), None)
        if configuration is None:
            raise ValueError(f"No configuration {name!r} in the log.")
        spread = "" if configuration.std_val_accuracy is None else f" ± {configuration.std_val_accuracy:.3f}"
        seeds = f"{len(configuration.seeds)} seed{'s' * (len(configuration.seeds) != 1)}"
        text = f"{name}: validation accuracy {configuration.mean_val_accuracy:.3f}{spread} over {seeds}"
        if configuration.against is None:
            return text
        comparison = self.compare(name)
        return f"{text}; {comparison.points()} points against {comparison.against} ({comparison.verdict})"

    def table(self):
        """The configurations as an aligned text table, each compared with the configuration it names.

        A row gives the configuration's factors, the configuration it is compared with, its
        seeds, its parameters, its mean training time, its mean training accuracy, the mean and
        standard deviation of its validation accuracy, and the change of that mean against the
        configuration it is compared with, in percentage points, with its noise
        (:meth:`compare`) and whether the change is beyond it.
        """
        names = set(self._names)
        lines = [_row(header for header, _, _ in _COLUMNS)]
        for configuration in self.configurations():
            spread = configuration.std_val_accuracy
            comparison = self.compare(configuration.name) if configuration.against in names else None
            lines.append(
                _row(
                    (
                        configuration.name,
                        _joined(configuration.factors),
                        configuration.against or "",
                        len(configuration.runs),
                        _count(configuration.parameters),
                        f"{configuration.mean_seconds:.0f}s",
                        f"{configuration.mean_train_accuracy:.3f}",
                        f"{configuration.mean_val_accuracy:.3f}" + ("" if spread is None else f" ± {spread:.3f}"),
                        comparison.points() if comparison else "",
                        comparison.verdict if comparison else "",
                    )
                )
            )
        lines.append("change: mean val accuracy minus that of `against`, ± the noise of the seeds (see log.compare).")
        return "\n".join(lines)

    def plot(self):
        """Two panels: every seed's validation accuracy by configuration, and the mean learning curves.

        Left, a row per configuration: a dot per seed, a bar at the mean, and the baseline's
        mean as a dashed line, so that the seeds' spread stands next to the differences. Right,
        each configuration's validation accuracy after each epoch, averaged over its seeds.
        The baseline is black, in both panels; every other configuration has a colour of its own.

        Returns
        -------
        matplotlib Figure
        """
        import matplotlib.pyplot as plt

        configurations = self.configurations()
        fig, (seeds, curves) = plt.subplots(1, 2, figsize=(11, 4.5), width_ratios=(1.1, 1), layout="constrained")
        for row, configuration in enumerate(configurations):
            colour = f"C{row % 10}" if configuration.factors else "black"
            accuracies = [run.val_accuracy for run in configuration.runs]
            # Seeds spread a little up and down their row, so that equal accuracies stay visible.
            rows = row + (np.linspace(-0.15, 0.15, len(accuracies)) if len(accuracies) > 1 else np.zeros(1))
            seeds.scatter(accuracies, rows, color=colour, s=20, alpha=0.7)
            mean = configuration.mean_val_accuracy
            seeds.plot([mean, mean], [row - 0.3, row + 0.3], color=colour, linewidth=2.5)
            curve = configuration.mean_val_curve
            curves.plot(np.arange(1, len(curve) + 1), curve, color=colour, label=_shortened(configuration.name, 24))
        baseline = self.baseline()
        if baseline:
            seeds.axvline(baseline.mean_val_accuracy, color="black", linestyle="--", linewidth=1)
        seeds.set_yticks(range(len(configurations)), [_shortened(c.name, 24) for c in configurations], fontsize=8)
        seeds.invert_yaxis()  # the first configuration on top
        seeds.set_xlabel("validation accuracy")
        seeds.set_title("seeds (dots), their mean (bar), the baseline's (dashed)", fontsize=10)
        curves.set_xlabel("epoch")
        curves.set_ylabel("validation accuracy")
        curves.set_title("learning curves, mean over the seeds", fontsize=10)
        if configurations:
            curves.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8)
        return fig


def _accuracy_curves(history):
    """The training and the validation accuracy after each epoch, as a Keras History holds them.

    Returns
    -------
    train, val : tuple of float, shape (epochs,) each
    """
    metrics = getattr(history, "history", None)
    if not isinstance(metrics, dict):
        raise TypeError(
            f"record takes the History that fit returns (`history = model.fit(...)`), not {type(history).__name__}."
        )
    # The accuracy metric is "accuracy" if compiled so; "sparse_categorical_accuracy" and the like are accepted.
    val_keys = [key for key in metrics if key.startswith("val_") and "accuracy" in key]
    val_key = "val_accuracy" if "val_accuracy" in val_keys else next(iter(val_keys), None)
    if not (val_key and metrics[val_key] and metrics.get(val_key.removeprefix("val_"))):
        raise ValueError(
            f"The History holds {', '.join(metrics) or 'nothing'}, not the training and the validation accuracy: "
            "compile the model with metrics=['accuracy'] and fit with validation_data=(X_val, y_val)."
        )
    return tuple(map(float, metrics[val_key.removeprefix("val_")])), tuple(map(float, metrics[val_key]))


def _joined(factors):
    return " + ".join(factors) or "—"


def _shortened(text, width):
    """`text` cut to `width` characters, its end replaced by "…" if it was longer."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _count(number):
    """`number` in at most 6 characters: 950, 109k, 1.2M."""
    if number < 1000:
        return str(number)
    return f"{number / 1000:.0f}k" if number < 999_500 else f"{number / 1e6:.1f}M"


def _row(cells):
    """One line of the table: `cells` aligned to :data:`_COLUMNS`, texts shortened to their width."""
    return " ".join(
        f"{_shortened(str(cell), width) if align == '<' else cell:{align}{width}}"
        for cell, (_, width, align) in zip(cells, _COLUMNS)
    ).rstrip()

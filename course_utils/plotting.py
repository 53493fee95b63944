"""The course's recurring figures, so a lesson's own code stays short.

Each function draws into a matplotlib ``Axes`` (a new figure when ``ax`` is None) and
returns the axes it drew on, so a notebook can add titles or combine panels.
"""

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_decision_regions(X, y, classifier, ax=None, feature_names=("x1", "x2"), title=None):
    """Colour the plane by the class a classifier predicts, with the samples on top.

    Parameters
    ----------
    X : array of shape (n, 2)
        Two features per sample.
    y : array of int, shape (n,)
        True class of each sample (e.g. -1/1 or 0/1).
    classifier : object
        Anything with a ``predict(X)`` method taking an (m, 2) array.
    ax : matplotlib Axes, optional
    feature_names : pair of str
        Axis labels.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    from mlxtend.plotting import plot_decision_regions as mlxtend_regions

    ax = _axes(ax)
    mlxtend_regions(np.asarray(X, dtype=float), np.asarray(y, dtype=int), clf=classifier, ax=ax, legend=2)
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    if title:
        ax.set_title(title)
    return ax


def plot_curves(curves, ax=None, xlabel="epoch", ylabel="cost", title=None, logy=False):
    """Draw one or more per-epoch curves (costs, errors, accuracies) against the epoch.

    Parameters
    ----------
    curves : sequence of float, or dict of str -> sequence of float
        One curve, or several with their legend labels. Epochs are numbered from 1.
    ax : matplotlib Axes, optional
    xlabel, ylabel, title : str
    logy : bool
        Logarithmic y axis, for costs that span orders of magnitude.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    named = curves if isinstance(curves, dict) else {None: curves}
    for label, values in named.items():
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, marker="o" if len(values) <= 30 else None,
                markersize=3, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if isinstance(curves, dict):
        ax.legend()
    return ax


def plot_digits(images, labels=None, predicted=None, n_cols=10, size=1.0):
    """A grid of digit images, titled with their labels (and predictions, if given).

    A title turns red where the prediction differs from the label.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h*w)
        Square grey-scale images, any value range.
    labels : array of shape (n,), optional
        True labels.
    predicted : array of shape (n,), optional
        Predicted labels, shown as "label -> predicted".
    n_cols : int
        Images per row.
    size : float
        Inches per image.

    Returns
    -------
    matplotlib Figure
    """
    images = np.asarray(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(len(images), side, side)
    n = len(images)
    n_cols = max(1, min(n_cols, n))
    n_rows = -(-n // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(n_cols * size, n_rows * size * 1.15), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray_r")
        title, colour = _digit_title(i, labels, predicted)
        ax.set_title(title, fontsize=9, color=colour)
    fig.tight_layout(pad=0.2)
    return fig


def _digit_title(i, labels, predicted):
    if predicted is None:
        return ("" if labels is None else str(labels[i])), "black"
    if labels is None:
        return f"pred {predicted[i]}", "black"
    wrong = predicted[i] != labels[i]
    return f"{labels[i]} \u2192 {predicted[i]}", ("red" if wrong else "black")


def plot_history(history, metrics=("loss", "accuracy"), title=None):
    """Training and validation curves of a Keras ``History`` (or its ``.history`` dict).

    Parameters
    ----------
    history : keras.callbacks.History or dict of str -> list of float
    metrics : sequence of str
        One panel per metric present in the history; ``val_<metric>`` is drawn beside it.
    title : str, optional

    Returns
    -------
    matplotlib Figure
    """
    logs = getattr(history, "history", history)
    present = [m for m in metrics if m in logs]
    if not present:
        raise ValueError(f"The history has none of {tuple(metrics)}; it has {tuple(logs)}.")
    fig, axes = plt.subplots(1, len(present), figsize=(5 * len(present), 3.5), squeeze=False)
    for ax, metric in zip(axes.flat, present):
        curves = {"training": logs[metric]}
        if f"val_{metric}" in logs:
            curves["validation"] = logs[f"val_{metric}"]
        plot_curves(curves, ax=ax, ylabel=metric)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(y_true, y_pred, ax=None, title=None):
    """The confusion matrix of a classifier, counts in the cells.

    Parameters
    ----------
    y_true, y_pred : arrays of int, shape (n,)
        True and predicted labels.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    ax = _axes(ax, figsize=(5.5, 5))
    ConfusionMatrixDisplay.from_predictions(y_true, y_pred, ax=ax, colorbar=False, cmap="Blues")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax

"""The course's recurring figures, so a lesson's own code stays short.

Each function draws into a matplotlib ``Axes`` (a new figure when ``ax`` is None) and
returns the axes it drew on, so a notebook can add titles or combine panels.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

# The colours and markers mlxtend's decision regions give labels -1 (or 0) and 1,
# reused by the course's other plots so that a class looks the same everywhere.
NEGATIVE_STYLE = {"marker": "s", "color": "#1f77b4"}
POSITIVE_STYLE = {"marker": "^", "color": "#ff7f0e"}


def _axes(ax, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_decision_regions(X, y, classifier, ax=None, feature_names=("x1", "x2"), title=None, class_names=None):
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
    class_names : dict, optional
        Label -> name shown in the legend, e.g. ``{-1: "setosa", 1: "versicolor"}``.

    Returns
    -------
    matplotlib Axes
    """
    from mlxtend.plotting import plot_decision_regions as mlxtend_regions

    ax = _axes(ax)
    mlxtend_regions(np.asarray(X, dtype=float), np.asarray(y, dtype=int), clf=classifier, ax=ax, legend=2)
    for text in ax.get_legend().get_texts() if class_names else []:
        text.set_text(class_names.get(int(text.get_text()), text.get_text()))
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    if title:
        ax.set_title(title)
    return ax


def plot_separating_lines(X, y, lines, ax=None, feature_names=("x1", "x2"), title=None):
    """Labelled points and one or more candidate lines w1*x1 + w2*x2 + b = 0.

    Parameters
    ----------
    X : array of shape (n, 2)
    y : array of shape (n,)
        Labels 1 (true) and -1 (false), drawn as in :func:`plot_decision_regions`.
    lines : dict of str -> (w, b)
        Legend label -> weights (w1, w2) and bias b of a line.
    ax : matplotlib Axes, optional
    feature_names : pair of str
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(4, 4))
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    ax.scatter(*X[y <= 0].T, s=120, edgecolor="black", label="-1 (false)", zorder=3, **NEGATIVE_STYLE)
    ax.scatter(*X[y > 0].T, s=120, edgecolor="black", label="1 (true)", zorder=3, **POSITIVE_STYLE)
    for (label, (w, b)), style in zip(lines.items(), ["-", "--", ":", "-."] * 3):
        w1, w2 = w
        # w1*x1 + w2*x2 + b = 0 passes through this point, in direction (-w2, w1)
        point = -b * np.array([w1, w2]) / (w1**2 + w2**2)
        ax.axline(point, point + np.array([-w2, w1]), linestyle=style, color="gray", label=label)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_aspect("equal")
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    if title:
        ax.set_title(title)
    return ax


def plot_neuron(n_inputs=3, ax=None):
    """A diagram of one artificial neuron: inputs, weights, net input z, threshold φ, output.

    Parameters
    ----------
    n_inputs : int
        How many inputs x1..xm to draw (besides the constant input x0 = 1 of the bias).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(7, 3.2))
    ys = np.linspace(1, -1, n_inputs + 1)
    names = ["1"] + [f"$x_{j}$" for j in range(1, n_inputs + 1)]
    weights = ["$w_0 = b$"] + [f"$w_{j}$" for j in range(1, n_inputs + 1)]
    for y, name, weight in zip(ys, names, weights):
        ax.add_patch(plt.Circle((0, y), 0.17, fill=False, linewidth=1.5))
        ax.text(0, y, name, ha="center", va="center", fontsize=12)
        ax.annotate("", xy=(2.25, 0), xytext=(0.2, y), arrowprops={"arrowstyle": "->", "color": "gray"})
        ax.text(1.0, y * 0.55 + 0.08, weight, ha="center", fontsize=11, color="tab:blue")
    ax.add_patch(plt.Circle((2.5, 0), 0.3, fill=False, linewidth=2))
    ax.text(2.5, 0, "$\\Sigma$", ha="center", va="center", fontsize=16)
    ax.text(2.5, -0.5, "net input\n$z = w^T x$", ha="center", va="top", fontsize=10)
    ax.annotate("", xy=(3.55, 0), xytext=(2.8, 0), arrowprops={"arrowstyle": "->"})
    ax.add_patch(plt.Rectangle((3.55, -0.3), 0.7, 0.6, fill=False, linewidth=2))
    ax.plot([3.65, 3.9, 3.9, 4.15], [-0.15, -0.15, 0.15, 0.15], color="black")
    ax.text(3.9, -0.5, "threshold\n$\\phi(z)$", ha="center", va="top", fontsize=10)
    ax.annotate("", xy=(5.0, 0), xytext=(4.25, 0), arrowprops={"arrowstyle": "->"})
    ax.text(5.1, 0, "$\\hat{y} \\in \\{1, -1\\}$", va="center", fontsize=12)
    ax.set_xlim(-0.4, 6.2)
    ax.set_ylim(-1.35, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_computational_graph(nodes, edges, ax=None, title=None):
    """A computational graph: nodes, and on each edge its forward value and backward gradient.

    Parameters
    ----------
    nodes : dict of str -> (float, float, str)
        Name -> position (x, y) and the text drawn in the node.
    edges : list of (str, str, str, str)
        (from, to, forward value, gradient): drawn above the arrow in green and below it in red.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(7, 3.2))
    for x, y, text in nodes.values():
        ax.add_patch(plt.Circle((x, y), 0.32, fill=False, linewidth=1.5))
        ax.text(x, y, text, ha="center", va="center", fontsize=12)
    for start, end, forward, backward in edges:
        (x0, y0, _), (x1, y1, _) = nodes[start], nodes[end]
        direction = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0)
        tail, head = np.array([x0, y0]) + 0.34 * direction, np.array([x1, y1]) - 0.34 * direction
        ax.annotate("", xy=head, xytext=tail, arrowprops={"arrowstyle": "->", "color": "gray"})
        middle = (tail + head) / 2
        ax.text(*middle + [0, 0.12], forward, color="tab:green", ha="center", va="bottom", fontsize=11)
        ax.text(*middle - [0, 0.12], backward, color="tab:red", ha="center", va="top", fontsize=11)
    xs = [x for x, _, _ in nodes.values()]
    ys = [y for _, y, _ in nodes.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_curves(
    curves,
    ax=None,
    xlabel="epoch",
    ylabel="cost",
    title=None,
    logy=False,
    x=None,
    references=None,
    reference_label=None,
):
    """Draw one or more per-epoch curves (costs, errors, accuracies) against the epoch.

    Parameters
    ----------
    curves : sequence of float, or dict of str -> sequence of float
        One curve, or several with their legend labels. Epochs are numbered from 1.
    ax : matplotlib Axes, optional
    xlabel, ylabel, title : str
    logy : bool
        Logarithmic y axis, for costs that span orders of magnitude.
    x : sequence of float, optional
        The horizontal position of each value (e.g. SGD steps), shared by all curves,
        instead of the epoch numbers 1, 2, ...
    references : dict of str -> float, optional
        A value to compare a curve with (e.g. a published accuracy), by the curve's label:
        drawn as a dotted horizontal line in the curve's colour.
    reference_label : str, optional
        What the dotted lines are, for the legend, e.g. "the deck's accuracy".

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    named = curves if isinstance(curves, dict) else {None: curves}
    for label, values in named.items():
        values = np.asarray(values, dtype=float)
        positions = np.arange(1, len(values) + 1) if x is None else np.asarray(x)[: len(values)]
        (line,) = ax.plot(positions, values, marker="o" if len(values) <= 30 else None, markersize=3, label=label)
        if references and label in references:
            ax.axhline(references[label], color=line.get_color(), linestyle=":", linewidth=1.5)
    if x is None:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if all(float(v).is_integer() for values in named.values() for v in values):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if isinstance(curves, dict):
        handles, labels = ax.get_legend_handles_labels()
        if references:  # one legend entry says what all the dotted lines are
            handles.append(Line2D([], [], color="grey", linestyle=":", linewidth=1.5))
            labels.append(f"dotted: {reference_label or 'reference'}")
        ax.legend(handles, labels)
    return ax


def plot_cost_surface(cost, w0_values, w1_values, paths=None, ax=None, title=None, levels=20):
    """Contour lines of a cost over two weights, with gradient-descent paths drawn on top.

    Parameters
    ----------
    cost : callable
        ``cost(w0, w1) -> float``.
    w0_values, w1_values : 1-D arrays
        Grid of the first (x axis) and second (y axis) weight.
    paths : dict of str -> array of shape (steps, 2), optional
        Legend label -> the weights visited, one row per step.
    ax : matplotlib Axes, optional
    title : str, optional
    levels : int
        Number of contour lines (spaced on a logarithmic scale).

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(5, 4.5))
    J = np.array([[cost(w0, w1) for w0 in w0_values] for w1 in w1_values])
    lowest = J.min()
    ax.contour(
        w0_values,
        w1_values,
        J,
        levels=lowest + np.geomspace(1e-3, 1, levels) * (J.max() - lowest),
        cmap="viridis",
        linewidths=0.8,
    )
    for label, path in (paths or {}).items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, label=label)
    ax.set_xlim(w0_values[0], w0_values[-1])
    ax.set_ylim(w1_values[0], w1_values[-1])
    ax.set_xlabel("$w_0$ (bias)")
    ax.set_ylabel("$w_1$")
    if paths:
        ax.legend(loc="upper right")
    if title:
        ax.set_title(title)
    return ax


def plot_activations(functions, z=None):
    """One panel per activation function: the function and, dashed, its derivative.

    Parameters
    ----------
    functions : dict of str -> (callable, callable)
        Name -> (function, derivative), both element-wise on arrays.
    z : 1-D array, optional
        Where to evaluate them; default: 801 points from -4 to 4.

    Returns
    -------
    matplotlib Figure
    """
    z = np.linspace(-4, 4, 801) if z is None else z
    fig, axes = plt.subplots(1, len(functions), figsize=(3.2 * len(functions), 3), squeeze=False)
    for ax, (name, (function, derivative)) in zip(axes.flat, functions.items()):
        ax.plot(z, function(z), label="function")
        ax.plot(z, derivative(z), linestyle="--", label="derivative")
        ax.set_title(name)
        ax.set_xlabel("$z$")
    axes.flat[0].legend(loc="upper left")
    fig.tight_layout()
    return fig


def plot_digits(images, labels=None, predicted=None, n_cols=10, size=1.0, notes=None, cmap="gray_r"):
    """A grid of digit images, titled with their labels (and predictions, if given).

    A title turns red where the prediction differs from the label.

    Parameters
    ----------
    images : array of shape (n, h, w) or (n, h*w), or a list of 2-D arrays
        Square grey-scale images, any value range; a list may mix sizes (e.g. an image
        and its feature maps).
    labels : array of shape (n,), optional
        True labels, or any titles.
    predicted : array of shape (n,), optional
        Predicted labels, shown as "label -> predicted".
    n_cols : int
        Images per row.
    size : float
        Inches per image.
    notes : sequence of str, optional
        A second title line for each image (e.g. a probability).
    cmap : str
        Colour map; a diverging one such as "RdBu" suits images of weights.

    Returns
    -------
    matplotlib Figure
    """
    if not isinstance(images, list):
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
        if cmap == "gray_r":
            ax.imshow(images[i], cmap=cmap)
        else:  # centre a diverging map on zero
            limit = np.abs(images[i]).max() or 1.0
            ax.imshow(images[i], cmap=cmap, vmin=-limit, vmax=limit)
        title, colour = _digit_title(i, labels, predicted)
        if notes is not None:
            title = f"{title}\n{notes[i]}"
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


def plot_history(history, metrics=("loss", "accuracy"), title=None, held_out="validation"):
    """Training and validation curves of a Keras ``History`` (or its ``.history`` dict).

    Parameters
    ----------
    history : keras.callbacks.History or dict of str -> list of float
    metrics : sequence of str
        One panel per metric present in the history; ``val_<metric>`` is drawn beside it.
    title : str, optional
    held_out : str
        The legend's name for the ``val_`` curves (e.g. "test" when they come from test data).

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
            curves[held_out] = logs[f"val_{metric}"]
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


def plot_readings(images, probabilities, titles=None, size=2.0):
    """What a network saw and what it read: each image above a bar chart of its ten probabilities.

    The tallest bar, the network's answer, is drawn in a strong colour and named in the title.

    Parameters
    ----------
    images : sequence of arrays of shape (28, 28)
        The images as the network receives them, ink 1 on background 0.
    probabilities : array of shape (n, 10)
        The network's output for each image (softmax probabilities).
    titles : sequence of str, optional
        A first title line for each image, e.g. "raw resize".
    size : float
        Inches per column.

    Returns
    -------
    matplotlib Figure
    """
    probabilities = np.asarray(probabilities)
    n = len(images)
    fig, axes = plt.subplots(2, n, figsize=(n * size, 2.1 * size), squeeze=False, height_ratios=(1.2, 1))
    for i, (image, p) in enumerate(zip(images, probabilities)):
        answer = int(np.argmax(p))
        top, bottom = axes[0, i], axes[1, i]
        top.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        top.set_xticks([])
        top.set_yticks([])
        top.set_title((f"{titles[i]}\n" if titles else "") + f"reads {answer} ({p[answer]:.0%})", fontsize=9)
        colours = ["#1f77b4" if digit == answer else "#c6dbef" for digit in range(10)]
        bottom.bar(range(10), p, color=colours)
        bottom.set_xticks(range(10))
        bottom.set_ylim(0, 1)
        bottom.tick_params(labelsize=7)
        bottom.grid(False)
        if i:
            bottom.set_yticklabels([])
    fig.tight_layout()
    return fig


def plot_neuron_analogy(n_inputs=3):
    """A nerve cell beside the artificial neuron, each part coloured like its counterpart.

    Left: a schematic nerve cell (synapses on its dendrites, the cell body, the axon hillock
    where it fires, the axon). Right: :func:`plot_neuron`, with the same colours naming its
    inputs, weights, sum, activation and output.

    Parameters
    ----------
    n_inputs : int
        Dendrites of the nerve cell, and inputs of the artificial neuron (besides the constant
        input of the bias).

    Returns
    -------
    matplotlib Figure
    """
    colour = {"in": "tab:green", "w": "tab:blue", "sum": "tab:orange", "fire": "tab:red", "out": "tab:purple"}
    fig, (cell, model) = plt.subplots(1, 2, figsize=(13, 3.8), gridspec_kw={"width_ratios": [1, 1.1]})
    for angle in np.radians(np.linspace(150, 210, n_inputs)):  # dendrites fan in to the cell body at (0, 0)
        tip = 1.9 * np.array([np.cos(angle), np.sin(angle)])
        cell.plot([0, tip[0]], [0, tip[1]], color=colour["in"], linewidth=3)
        for turn in np.radians([-25, 25]):  # each dendrite forks once more
            fork = tip + 0.45 * np.array([np.cos(angle + turn), np.sin(angle + turn)])
            cell.plot([tip[0], fork[0]], [tip[1], fork[1]], color=colour["in"], linewidth=2)
        cell.add_patch(plt.Circle(1.13 * tip, 0.12, color=colour["w"]))  # a synapse from another cell
    cell.add_patch(plt.Circle((0, 0), 0.6, color=colour["sum"]))
    cell.add_patch(plt.Circle((0, 0), 0.2, color="white"))  # the nucleus
    cell.add_patch(plt.Polygon([[0.5, 0.3], [0.5, -0.3], [1.1, -0.07], [1.1, 0.07]], color=colour["fire"]))
    cell.plot([1.1, 4.6], [0, 0], color=colour["out"], linewidth=3)
    for start in (1.4, 2.3, 3.2):  # the myelin sheath, in segments
        cell.add_patch(plt.Rectangle((start, -0.14), 0.7, 0.28, color=colour["out"], alpha=0.35))
    for end in ((5.1, 0.5), (5.2, 0.0), (5.1, -0.5)):  # axon terminals, towards the next cells
        cell.plot([4.6, end[0]], [0, end[1]], color=colour["out"], linewidth=2)
        cell.add_patch(plt.Circle(end, 0.1, color=colour["out"]))
    for x, y, text, part in [
        (-2.3, 1.45, "synapses: strong or weak", "w"),
        (-2.3, -1.5, "dendrites: receive signals", "in"),
        (0.0, 0.85, "cell body: adds them up", "sum"),
        (1.6, -0.75, "axon hillock: fires past\na threshold", "fire"),
        (3.4, 0.45, "axon: carries the spike on", "out"),
    ]:
        cell.text(x, y, text, color=colour[part], ha="center", va="center", fontsize=10)
    cell.set_xlim(-3.4, 5.5)
    cell.set_ylim(-1.9, 1.9)
    cell.set_aspect("equal")
    cell.axis("off")
    cell.set_title("a nerve cell (schematic)")
    plot_neuron(n_inputs, ax=model)
    for x, text, part in [  # above the parts, at the x positions plot_neuron draws them
        (0.0, "inputs $x_j$", "in"),
        (1.1, "weights $w_j$", "w"),
        (2.5, "sum $z$", "sum"),
        (3.9, "activation $\\phi$", "fire"),
        (5.5, "output", "out"),
    ]:
        model.text(x, 1.45, text, color=colour[part], ha="center", fontsize=11)
    model.set_ylim(-1.35, 1.75)
    model.set_title("the artificial neuron")
    fig.tight_layout()
    return fig


def plot_timeline(events, periods=None, ax=None, title=None):
    """Dated events on a time axis, their labels staggered so that neighbours do not overlap.

    Parameters
    ----------
    events : sequence of (float, str)
        Year and a short label, in any order.
    periods : dict of str -> (float, float), optional
        Label -> first and last year of a span, shaded and named at the bottom.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(12, 4))
    events = sorted(events)
    for (year, label), height in zip(events, [1.0, -1.0, 2.0, -2.0] * len(events)):
        ax.vlines(year, 0, height, color="grey", linewidth=1)
        text = f"{year:g}\n{label}" if height > 0 else f"{label}\n{year:g}"
        ax.text(year, height * 1.08, text, ha="center", va="bottom" if height > 0 else "top", fontsize=9)
    ax.plot([year for year, _ in events], [0] * len(events), "o", color="black", markersize=5, zorder=3)
    for k, (label, (start, end)) in enumerate((periods or {}).items()):
        ax.axvspan(start, end, color=f"C{k}", alpha=0.1, linewidth=0)
        ax.text((start + end) / 2, -3.6, label, ha="center", va="bottom", fontsize=9, color=f"C{k}")
    ax.axhline(0, color="black", linewidth=1)
    years = [year for year, _ in events] + [year for span in (periods or {}).values() for year in span]
    ax.set_xlim(min(years) - 4, max(years) + 4)
    ax.set_ylim(-3.7, 3.6)
    ax.grid(False)
    ax.yaxis.set_visible(False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax

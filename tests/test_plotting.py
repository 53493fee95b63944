"""course_utils.plotting: each figure shows what it claims to show."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from course_utils import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class ThresholdOnFirstFeature:
    def predict(self, X):
        return np.where(X[:, 0] >= 0, 1, -1)


def test_decision_regions_follow_the_classifier():
    X = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, -1.0], [2.0, 0.5]])
    y = np.array([-1, -1, 1, 1])
    ax = plotting.plot_decision_regions(X, y, ThresholdOnFirstFeature(), feature_names=("a", "b"), title="t")
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("a", "b", "t")
    drawn = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert {tuple(p) for p in X} <= {tuple(p) for p in drawn}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == ["-1", "1"]
    ax = plotting.plot_decision_regions(X, y, ThresholdOnFirstFeature(), class_names={-1: "left", 1: "right"})
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["left", "right"]


def test_one_curve_is_numbered_from_epoch_one():
    ax = plotting.plot_curves([3.0, 2.0, 1.5], ylabel="errors")
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), [3.0, 2.0, 1.5])
    assert ax.get_ylabel() == "errors" and ax.get_legend() is None
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_several_curves_get_a_legend_and_log_scale():
    ax = plotting.plot_curves({"eta=0.1": [1, 10, 100], "eta=0.0001": [1, 0.9, 0.8]}, logy=True)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["eta=0.1", "eta=0.0001"]
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 2


def test_digit_grid_titles_and_marks_mistakes():
    images = np.random.default_rng(0).integers(0, 256, (12, 784))
    labels = np.arange(12) % 10
    predicted = labels.copy()
    predicted[3] = 9
    fig = plotting.plot_digits(images, labels, predicted, n_cols=5)
    shown = [ax for ax in fig.axes if ax.get_images()]
    assert len(fig.axes) == 15 and len(shown) == 12
    assert shown[0].get_images()[0].get_array().shape == (28, 28)
    assert shown[3].get_title() == "3 \u2192 9" and shown[3].title.get_color() == "red"
    assert shown[4].get_title() == "4 \u2192 4" and shown[4].title.get_color() == "black"


def test_digit_grid_with_labels_only():
    fig = plotting.plot_digits(np.zeros((3, 8, 8)), labels=[7, 1, 2])
    assert [ax.get_title() for ax in fig.axes] == ["7", "1", "2"]


def test_history_has_a_panel_per_metric_with_validation():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.6, 0.8]}
    fig = plotting.plot_history(history)
    loss, accuracy = fig.axes
    np.testing.assert_array_equal(loss.get_lines()[1].get_ydata(), [1.1, 0.7])
    assert len(accuracy.get_lines()) == 1 and accuracy.get_ylabel() == "accuracy"
    with pytest.raises(ValueError, match="none of"):
        plotting.plot_history({"mae": [1.0]})
    (loss, _) = plotting.plot_history(history, held_out="test").axes
    assert [t.get_text() for t in loss.get_legend().get_texts()] == ["training", "test"]


def test_confusion_matrix_counts():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    ax = plotting.plot_confusion_matrix(y_true, y_pred, title="cm")
    counts = np.array([int(t.get_text()) for t in ax.texts]).reshape(3, 3)
    np.testing.assert_array_equal(counts, confusion_matrix(y_true, y_pred))
    assert ax.get_title() == "cm"


def test_separating_lines_pass_where_the_weights_say():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    ax = plotting.plot_separating_lines(X, np.array([-1, -1, -1, 1]), {"AND": ((1.0, 1.0), -1.5)})
    (line,) = [child for child in ax.get_children() if type(child).__name__ == "AxLine"]
    (x1, y1), (x2, y2) = line._xy1, line._xy2
    assert x1 + y1 - 1.5 == pytest.approx(0) and x2 + y2 - 1.5 == pytest.approx(0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["-1 (false)", "1 (true)", "AND"]
    false, true = ax.collections
    np.testing.assert_array_equal(true.get_offsets(), [[1, 1]])
    assert len(false.get_offsets()) == 3


def test_neuron_diagram_names_every_input_and_weight():
    ax = plotting.plot_neuron(n_inputs=2)
    texts = {t.get_text() for t in ax.texts}
    assert {"1", "$x_1$", "$x_2$", "$w_0 = b$", "$w_1$", "$w_2$"} <= texts
    assert "$x_3$" not in texts


def test_cost_surface_draws_the_paths_over_the_contours():
    path = np.array([[2.0, 2.0], [1.0, 1.0], [0.2, 0.1]])
    ax = plotting.plot_cost_surface(
        lambda a, b: a**2 + 4 * b**2,
        np.linspace(-3, 3, 31),
        np.linspace(-3, 3, 41),
        paths={"eta = 0.1": path},
        title="bowl",
    )
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xydata(), path)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["eta = 0.1"]
    assert ax.get_title() == "bowl" and ax.get_xlim() == (-3.0, 3.0)


def test_activations_get_one_panel_each_with_their_derivative():
    fig = plotting.plot_activations(
        {"relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0), "identity": (lambda z: z, np.ones_like)},
        z=np.array([-1.0, 0.0, 2.0]),
    )
    relu, identity = fig.axes
    function, derivative = relu.get_lines()
    np.testing.assert_array_equal(function.get_ydata(), [0, 0, 2])
    np.testing.assert_array_equal(derivative.get_ydata(), [0, 0, 1])
    assert identity.get_title() == "identity"


def test_computational_graph_labels_every_edge_both_ways():
    nodes = {"x": (0, 1, "x"), "y": (0, 0, "y"), "sum": (2, 0.5, "+")}
    edges = [("x", "sum", "3", "1"), ("y", "sum", "-1", "1")]
    ax = plotting.plot_computational_graph(nodes, edges, title="graph")
    texts = [(t.get_text(), t.get_color()) for t in ax.texts]
    assert ("3", "tab:green") in texts and ("-1", "tab:green") in texts
    assert texts.count(("1", "tab:red")) == 2 and ("+", "black") in texts
    assert len(ax.patches) == 3 and ax.get_title() == "graph"


def test_curves_at_given_positions():
    ax = plotting.plot_curves({"a": [0.5, 0.7, 0.8]}, x=[1000, 2000, 3000], xlabel="steps")
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1000, 2000, 3000])


def test_digit_notes_and_a_diverging_map_centred_on_zero():
    weights = np.random.default_rng(1).normal(size=(2, 4, 4))
    fig = plotting.plot_digits(weights, labels=[0, 1], notes=["w for 0", "w for 1"], cmap="RdBu")
    first = fig.axes[0]
    assert first.get_title() == "0\nw for 0"
    low, high = first.get_images()[0].get_clim()
    assert low == -high == -np.abs(weights[0]).max()


def test_reference_lines_take_their_curves_colour_and_one_legend_entry():
    ax = plotting.plot_curves(
        {"a": [0.5, 0.7], "b": [0.6, 0.9]}, references={"b": 0.95}, reference_label="the deck's accuracy"
    )
    curve_b = next(line for line in ax.get_lines() if line.get_label() == "b")
    dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 1 and list(dotted[0].get_ydata()) == [0.95, 0.95]
    assert dotted[0].get_color() == curve_b.get_color()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "dotted: the deck's accuracy"]


def test_digits_of_different_sizes_with_titles():
    fig = plotting.plot_digits([np.zeros((28, 28)), np.ones((13, 13))], labels=["digit", "pooled"], cmap="RdBu")
    assert [ax.get_images()[0].get_array().shape for ax in fig.axes[:2]] == [(28, 28), (13, 13)]
    assert [ax.get_title() for ax in fig.axes[:2]] == ["digit", "pooled"]


def test_neuron_analogy_colours_each_part_like_its_counterpart():
    cell, model = plotting.plot_neuron_analogy(n_inputs=2).axes
    colours = {t.get_text().split(":")[0]: t.get_color() for t in cell.texts}
    names = {t.get_text(): t.get_color() for t in model.texts}
    for part, counterpart in [
        ("dendrites", "inputs $x_j$"),
        ("synapses", "weights $w_j$"),
        ("cell body", "sum $z$"),
        ("axon hillock", "activation $\\phi$"),
        ("axon", "output"),
    ]:
        assert colours[part] == names[counterpart], part
    assert len(set(colours.values())) == 5
    assert {"$x_1$", "$x_2$", "$w_2$"} <= set(names) and "$x_3$" not in names  # plot_neuron's diagram


def test_timeline_puts_each_event_at_its_year():
    events = [(1986, "backpropagation"), (1943, "threshold neuron"), (1957, "perceptron")]
    ax = plotting.plot_timeline(events, periods={"a wave": (1940, 1969)}, title="history")
    (dots,) = [line for line in ax.get_lines() if line.get_marker() == "o"]
    np.testing.assert_array_equal(dots.get_xdata(), [1943, 1957, 1986])
    texts = [t.get_text() for t in ax.texts]
    assert "1943\nthreshold neuron" in texts and "perceptron\n1957" in texts and "a wave" in texts
    assert ax.get_xlim() == (1936, 1990) and ax.get_title() == "history"


def test_readings_show_each_image_above_its_bars_with_the_answer_in_the_title():
    probabilities = np.full((2, 10), 0.02)
    probabilities[0, 3], probabilities[1, 7] = 0.82, 0.6
    images = [np.eye(28), np.fliplr(np.eye(28))]
    fig = plotting.plot_readings(images, probabilities, titles=["raw", "MNIST-style"])
    top, bottom = fig.axes[:2], fig.axes[2:]
    assert [ax.get_title() for ax in top] == ["raw\nreads 3 (82%)", "MNIST-style\nreads 7 (60%)"]
    assert np.array_equal(top[1].images[0].get_array(), images[1])
    heights = [[bar.get_height() for bar in ax.patches] for ax in bottom]
    assert np.allclose(heights, probabilities)
    for ax, answer in zip(bottom, (3, 7)):
        colours = {i: bar.get_facecolor() for i, bar in enumerate(ax.patches)}
        others = {colours[i] for i in colours if i != answer}
        assert len(others) == 1 and colours[answer] not in others

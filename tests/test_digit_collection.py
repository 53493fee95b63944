"""course_utils.digit_collection: drawings appended to a file, never overwritten, read back with bad lines named."""

import json

import pytest

from course_utils.digit_collection import RECORDED, load_drawings, save_drawing

STROKES = [[[10.0, 20.0], [30.5, 40.0]], [[50.0, 60.0]]]


def test_drawings_are_appended_with_a_time_and_read_back_in_order(tmp_path):
    path = tmp_path / "my_digits.jsonl"
    assert save_drawing(3, STROKES, path) == 1
    first = path.read_text()
    assert save_drawing(7, STROKES[:1], path) == 2
    assert path.read_text().startswith(first)  # the first drawing is still there, unchanged
    assert load_drawings(path) == ([3, 7], [STROKES, STROKES[:1]])
    saved = [json.loads(line)["saved"] for line in path.read_text().splitlines()]
    assert all(len(stamp) == len("2026-11-29T15:30:00") for stamp in saved)


@pytest.mark.parametrize(
    "label, strokes, message", [(10, STROKES, "0 to 9"), ("3", STROKES, "0 to 9"), (3, [], "draw")]
)
def test_a_drawing_without_a_digit_or_ink_is_refused_and_nothing_is_written(tmp_path, label, strokes, message):
    path = tmp_path / "my_digits.jsonl"
    with pytest.raises(ValueError, match=message):
        save_drawing(label, strokes, path)
    assert not path.exists()


def test_a_bad_line_is_skipped_and_named_and_the_others_kept(tmp_path):
    path = tmp_path / "my_digits.jsonl"
    save_drawing(1, STROKES, path)
    with open(path, "a") as file:
        file.write("{not json\n" + json.dumps({"label": 12, "strokes": STROKES}) + "\n")
    save_drawing(2, STROKES, path)
    said = []
    assert load_drawings(path, report=said.append) == ([1, 2], [STROKES, STROKES])
    assert [message.split(":")[0] for message in said] == [f"{path}, line 2", f"{path}, line 3"]


def test_no_file_means_no_drawings(tmp_path):
    assert load_drawings(tmp_path / "none.jsonl") == ([], [])


def test_the_shipped_drawings_hold_every_digit_several_times():
    labels, drawings = load_drawings(RECORDED, report=pytest.fail)
    assert sorted(set(labels)) == list(range(10)) and min(labels.count(d) for d in range(10)) >= 2
    assert all(len(point) == 2 for strokes in drawings for stroke in strokes for point in stroke)


def test_the_collector_asks_for_each_digit_and_saves_what_is_drawn(tmp_path):
    from course_utils.digit_collection import DigitCollector

    path = tmp_path / "my_digits.jsonl"
    collector = DigitCollector(path=path, rounds=2)
    assert "Draw a <b>0</b> (1 of 20)" in collector.prompt.value
    collector.save()
    assert "Draw the digit first" in collector.status.value and not path.exists()
    collector.canvas.strokes = STROKES
    collector.save()
    assert collector.canvas.strokes == [] and "Draw a <b>1</b> (2 of 20)" in collector.prompt.value
    collector.skip()
    collector.canvas.strokes = STROKES[:1]
    collector.save()
    assert load_drawings(path) == ([0, 2], [STROKES, STROKES[:1]]) and "holds 2 drawings" in collector.status.value
    for _ in range(17):
        collector.skip()
    assert "Done" in collector.prompt.value and collector.save_button.disabled and collector.skip_button.disabled

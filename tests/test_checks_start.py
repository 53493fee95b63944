"""The checks of notebook 00 pass the reference, report a stub, and reject realistic mistakes."""

import numpy as np
import pytest

from course_utils.checks_start import check_mean_digit


def reference(images, labels, digit):
    return images[labels == digit].mean(axis=0)


def stub(images, labels, digit):
    raise NotImplementedError()


# Each wrong version, and a fragment the verdict must contain to point at the mistake.
WRONG_MEAN_DIGIT = {
    "sum instead of mean": (lambda i, l, d: i[l == d].sum(axis=0), "divide it by how many"),
    "all images averaged": (lambda i, l, d: i.mean(axis=0), "keep only those whose label is `digit`"),
    "wrong axis": (lambda i, l, d: i[l == d].mean(axis=1), "not over the rows"),
    "everything averaged": (lambda i, l, d: i[l == d].mean(), "not over their pixels too"),
    "off by one digit": (lambda i, l, d: i[l == d + 1].mean(axis=0), "not `labels == digit + 1`"),
    "integer division": (lambda i, l, d: i[l == d].sum(axis=0) // (l == d).sum(), "not `//`"),
    "no return": (lambda i, l, d: None, "forget the `return`"),
    "hard-coded 28 x 28": (lambda i, l, d: i[l == d].reshape(-1, 28, 28).mean(axis=0), "raised an error"),
    "modifies its input": (lambda i, l, d: i.__setitem__(l != d, 0) or i[l == d].mean(axis=0), "changed the images"),
}


def test_reference_passes(capsys):
    result = check_mean_digit(reference)
    assert result and result.status == "passed"
    assert capsys.readouterr().out.startswith("\u2705 mean_digit passed")


def test_stub_is_not_done(capsys):
    result = check_mean_digit(stub)
    assert not result and result.status == "not done yet"
    assert "not done yet" in capsys.readouterr().out
    assert check_mean_digit(None, verbose=False).status == "not done yet"


@pytest.mark.parametrize("mistake", WRONG_MEAN_DIGIT, ids=str)
def test_wrong_versions_fail_with_a_pointed_message(mistake):
    function, fragment = WRONG_MEAN_DIGIT[mistake]
    result = check_mean_digit(function, verbose=False)
    assert not result and result.status in ("not yet right", "error")
    assert fragment in result.message, result.message


def test_a_constant_answer_cannot_pass():
    answer = reference(np.arange(20 * 28 * 28).reshape(20, 28, 28), np.arange(20) % 10, 3)
    assert not check_mean_digit(lambda i, l, d: answer, verbose=False)

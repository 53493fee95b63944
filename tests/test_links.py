"""course_utils.links: every link to the repository follows pyproject.toml's address; a fork rewrites them in one go."""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from course_utils import links
from course_utils.links import Links, main
from course_utils.paths import EXERCISES, LECTURES, ROOT, course_notebooks

OLD = "nn-course/from-one-neuron-to-mnist"
NEW = "a-fork/neural-networks-course"
OTHER_PROJECT = "https://github.com/jupyter/nbval"
CITATION_LINE = f'repository-code: "https://github.com/{OLD}"\n'
CONTRIBUTING = (
    f"Clone https://github.com/{OLD}.git, or fork https://github.com/{OLD}.\n"
    f"Report problems at https://github.com/{OLD}/issues. We test with nbval ({OTHER_PROJECT}).\n"
)


@pytest.fixture
def course(tmp_path):
    """A copy of the files that hold links, with a CITATION.cff repository-code and a CONTRIBUTING.md."""
    for name in ("pyproject.toml", "README.md", "CITATION.cff"):
        shutil.copy(ROOT / name, tmp_path / name)
    for folder in (LECTURES, EXERCISES):
        (tmp_path / folder.name).mkdir()
        for path in course_notebooks(folder):
            shutil.copy(path, tmp_path / folder.name / path.name)
    citation = (tmp_path / "CITATION.cff").read_text()
    if "repository-code:" not in citation:
        (tmp_path / "CITATION.cff").write_text(citation + CITATION_LINE)
    (tmp_path / "CONTRIBUTING.md").write_text(CONTRIBUTING)
    return tmp_path


def set_address(root, address):
    path = root / "pyproject.toml"
    text, count = re.subn(r'(?m)^Repository = ".*"$', f'Repository = "{address}"', path.read_text())
    assert count == 1
    path.write_text(text)


def run(capsys, *args):
    """``python -m course_utils.links`` in this process; its exit status and what it printed."""
    status = main(list(args))
    printed = capsys.readouterr()
    return status, printed.out, printed.err


def places_naming(root, owner_repo):
    """Where `owner_repo` is written under `root`, found by plain text search, as the check names places:
    ``README.md, line 7`` in a text file, ``notebooks/x.ipynb, cell <id>, line 4`` in a notebook."""
    found = set()
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.suffix in (".md", ".cff"):
            texts = [(name, path.read_text(encoding="utf-8"))]
        elif path.suffix == ".ipynb":
            texts = [(f"{name}, cell {cell.id}", cell.source) for cell in cells(path)]
        else:
            continue
        for where, text in texts:
            found.update(f"{where}, line {n}" for n, line in enumerate(text.splitlines(), 1) if owner_repo in line)
    return found


def cells(path):
    return nbformat.read(path, as_version=4).cells


def test_the_repository_agrees_with_its_address():
    result = subprocess.run(
        [sys.executable, "-m", "course_utils.links", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All ") and "agree with pyproject.toml" in result.stdout
    assert len(result.stdout.splitlines()) == 1


def test_the_links_come_from_the_address():
    derived = Links("owner", "repo")
    assert derived.install == "git+https://github.com/owner/repo"
    assert derived.colab("exercises/00_a.ipynb") == (
        "https://colab.research.google.com/github/owner/repo/blob/main/exercises/00_a.ipynb"
    )
    assert derived.binder == "https://mybinder.org/v2/gh/owner/repo/main?urlpath=lab/tree/exercises/00_start_here.ipynb"
    assert derived.binder_badge == f"[![Binder](https://mybinder.org/badge_logo.svg)]({derived.binder})"


def test_the_readme_has_a_colab_badge_for_every_exercise_and_a_binder_badge():
    derived = links.read_links()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in course_notebooks(EXERCISES):
        assert derived.colab_badge(f"exercises/{path.name}") in readme
    assert derived.binder_badge in readme


def test_check_names_a_missing_badge_and_a_colab_link_to_no_notebook(course, capsys):
    readme = course / "README.md"
    text = readme.read_text(encoding="utf-8")
    badge = links.read_links(course).colab_badge("exercises/03_backpropagation.ipynb")
    readme.write_text(text.replace(badge, badge.replace("03_backpropagation", "07_transformers")), encoding="utf-8")
    status, out, _ = run(capsys, "--check", "--root", str(course))
    assert status == 1
    assert f"README.md: no Open in Colab link for exercises/03_backpropagation.ipynb: add {badge}" in out
    assert "07_transformers.ipynb opens exercises/07_transformers.ipynb, which is not in the repository" in out
    assert out.splitlines()[-1].endswith("fix them as each line says")


def test_a_new_address_names_every_stale_link_and_rewrite_fixes_them_all(course, capsys):
    stale = places_naming(course, OLD)
    set_address(course, f"https://github.com/{NEW}")
    lectures_before = {path.name: cells(path) for path in course_notebooks(course / "notebooks")}

    status, out, _ = run(capsys, "--check", "--root", str(course))
    assert status == 1
    reported = [line.split(": ", 1) for line in out.splitlines() if " should be " in line]
    assert {where for where, _ in reported} == stale
    assert all(f"/{NEW}" in message.split(" should be ")[1] for _, message in reported)
    setup_cells = {where.split(", cell ")[0] for where, message in reported if message.startswith("git+")}
    assert setup_cells == {f"{folder}/{name}" for folder in ("notebooks", "exercises") for name in lectures_before}
    assert out.splitlines()[-1].endswith(f"rewrite the {len(reported)} stale one(s) with: {links.COMMAND} --rewrite")

    status, out, _ = run(capsys, "--rewrite", "--root", str(course))
    assert status == 0, out
    assert out.splitlines()[-1].startswith("All ")
    assert not places_naming(course, OLD), "a link still names the old address"
    assert (course / "CONTRIBUTING.md").read_text() == CONTRIBUTING.replace(OLD, NEW), "other links must stay"
    for name, before in lectures_before.items():
        after = cells(course / "notebooks" / name)
        assert [c.id for c in after] == [c.id for c in before]
        assert [c.get("outputs") for c in after] == [c.get("outputs") for c in before]
        assert [c.source for c in after] == [c.source.replace(OLD, NEW) for c in before]
    for path in course_notebooks(course / "exercises"):
        assert f"git+https://github.com/{NEW}" in "".join(c.source for c in cells(path))
    assert run(capsys, "--check", "--root", str(course))[0] == 0


def test_rewrite_keeps_an_exercise_a_student_wrote_in(course, capsys):
    exercise = course / "exercises" / "01_neuron_and_perceptron.ipynb"
    notebook = nbformat.read(exercise, as_version=4)
    answer = next(c for c in notebook.cells if "YOUR CODE HERE" in c.source)
    answer.source = "w_not, b_not = [-1.0], 0.5  # the student's own answer"
    nbformat.write(notebook, exercise)
    set_address(course, f"https://github.com/{NEW}")

    status, out, _ = run(capsys, "--rewrite", "--root", str(course))
    assert status == 1
    assert "exercises/01_neuron_and_perceptron.ipynb: NOT replaced" in out
    left = [line for line in out.splitlines() if " should be " in line]
    assert left and all(line.startswith("exercises/01_neuron_and_perceptron.ipynb, cell ") for line in left)
    assert "the student's own answer" in exercise.read_text()


def test_set_install_url_changes_only_the_set_up_cells_address(tmp_path):
    path = tmp_path / "01.ipynb"
    shutil.copy(LECTURES / "01_neuron_and_perceptron.ipynb", path)
    before = cells(path)
    links.set_install_url(path, "git+file:///tmp/course")
    after = cells(path)
    assert [c.source != b.source for c, b in zip(after, before, strict=True)].count(True) == 1
    assert "    %pip install --quiet --no-deps git+file:///tmp/course\n" in after[1].source
    assert [c.id for c in after] == [c.id for c in before]


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        ("", "has no [project.urls] Repository: add a [project.urls] table"),
        ('[project.urls]\nHomepage = "https://example.org"\n', "has no [project.urls] Repository"),
        ('[project.urls]\nRepository = "https://gitlab.com/o/r"\n', "'https://gitlab.com/o/r', not a GitHub"),
        ('[project.urls]\nRepository = "https://github.com/o/r/"\n', "no trailing slash or .git"),
        ('[project.urls]\nRepository = "https://github.com/o/r.git"\n', "not a GitHub repository's address"),
        ('[project.urls]\nRepository = "https://github.com/o"\n', "not a GitHub repository's address"),
        ("[project.urls]\nRepository = 3\n", "Repository is 3, not a GitHub"),
        ("[project.urls\n", "cannot read pyproject.toml"),
    ],
    ids=["no table", "no key", "gitlab", "slash", "dot git", "owner only", "not text", "broken toml"],
)
def test_a_bad_address_is_explained_in_one_line(tmp_path, capsys, urls, expected):
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "course-utils"\n{urls}')
    status, out, err = run(capsys, "--check", "--root", str(tmp_path))
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and expected in err, err
    if "cannot read" not in err:
        assert "https://github.com/OWNER/REPO" in err and "--rewrite" in err

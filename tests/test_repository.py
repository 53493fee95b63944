"""The repository keeps its promises: two quick-start commands, bounded dependencies,
a syllabus that links every notebook, and lecture notebooks saved with their outputs."""

import importlib.util
import re
import tomllib

import nbformat
import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from course_utils.exercise_notebooks import make_exercise
from course_utils.install_check import read_requirements
from course_utils.paths import LECTURES, ROOT, course_notebooks

README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = course_notebooks(LECTURES)


def readme_commands():
    spec = importlib.util.spec_from_file_location("readme_command", ROOT / ".ci" / "readme_command.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.readme_commands()


def test_quick_start_is_exactly_two_commands_in_a_fresh_virtual_environment():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert quick_start.count("```bash") == 2
    commands = readme_commands()
    assert sorted(commands) == ["launch", "test"]
    install = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && "
    assert commands["launch"] == install + ".venv/bin/jupyter lab exercises/00_start_here.ipynb"
    assert commands["test"] == install + ".venv/bin/python -m pytest"


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "readme_command.py test" in ci and "readme_command.py launch" in ci
    assert "pytest" not in ci, "CI must run the README's command, not a copy of it"
    assert ".venv" in (ROOT / ".gitignore").read_text()


@pytest.mark.parametrize("requirement", read_requirements(), ids=str)
def test_every_dependency_has_a_lower_bound_and_stops_before_the_next_major(requirement):
    bounds = {spec.operator: Version(spec.version) for spec in requirement.specifier}
    assert set(bounds) == {">=", "<"}, f"{requirement}: give a tested lower bound and an upper bound"
    lower = bounds[">="]
    # Before 1.0 a minor release may break things too, so stopping at the next minor is allowed then.
    allowed = {Version(f"{lower.major + 1}")} | ({Version(f"0.{lower.minor + 1}")} if lower.major == 0 else set())
    assert bounds["<"] in allowed, f"{requirement}: upper bound is the next major (or, before 1.0, the next minor)"


def test_requirements_install_the_course_package_in_editable_mode():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in lines


def test_syllabus_links_every_notebook():
    for notebook in NOTEBOOKS:
        assert f"](notebooks/{notebook.name})" in README, f"README's syllabus does not link {notebook.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lecture_notebooks_follow_the_conventions(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and re.match(rf"# {path.name[:2]} · ", first.source)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "setup_notebook(" in code[0].source, "the first code cell sets the notebook up"
    assert all(cell.execution_count for cell in code), "save lecture notebooks with their outputs"
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors, "a lecture notebook was saved with an error in its outputs"


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_exact(path):
    """nbval ignores a marker comment with anything else on its line."""
    for cell in code_cells(path):
        for line in cell.source.splitlines():
            if "NBVAL_" in line:
                assert re.fullmatch(r"# NBVAL_(CHECK_OUTPUT|IGNORE_OUTPUT|RAISES_EXCEPTION|SKIP)", line.strip()), line


def shown_text(cell):
    """What a cell printed to stdout and the plain text of what it displayed (a check's verdict), figures aside."""
    return "".join(
        o.get("text", "") if o.get("name") == "stdout" else o.get("data", {}).get("text/plain", "")
        for o in cell.outputs
        if o.get("name") == "stdout" or (o.output_type == "display_data" and "image/png" not in o.data)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_check_in_a_lecture_passes_and_is_compared(path):
    """A reference solution must pass its check, and the test run must notice if it stops passing:
    nbval compares the verdict, or (for a verdict that depends on the data) a hidden assert fails."""
    for cell in code_cells(path):
        if re.search(r"^check_\w+\(", cell.source, re.MULTILINE):
            compared = cell.source.startswith("# NBVAL_CHECK_OUTPUT")
            asserted = re.search(r"^assert check_\w+\(.*verbose=False\)", cell.source, re.MULTILINE)
            assert compared or asserted, cell.source
            printed = shown_text(cell)
            assert printed.startswith("\u2705") and "\u274c" not in printed and "\u23f3" not in printed, printed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_are_numbered_as_the_generator_counts_them(path):
    """ "Exercise K" in the text is the K-th cell with a solution, as `python -m course_utils.reset NN --exercise K`
    expects."""
    _, exercise_ids = make_exercise(path)
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
    numbers = [int(n) for n in re.findall(r"\*\*Exercise (\d+)\.?\*\*", text)]
    assert numbers == list(range(1, len(exercise_ids) + 1))


def test_results_quoted_in_the_readme_are_the_notebooks_outputs():
    """Cells tagged readme-result print what the README quotes, so its numbers are never typed in."""
    quoted = 0
    for path in NOTEBOOKS:
        for cell in code_cells(path):
            if "readme-result" in cell.metadata.get("tags", []):
                printed = shown_text(cell)
                for line in printed.strip().splitlines():
                    assert line in README, f"README does not quote this output of {path.name}: {line}"
                    quoted += 1
    assert quoted, "no notebook cell is tagged readme-result"


def test_binder_builds_with_a_python_the_course_supports():
    """Binder (repo2docker) reads runtime.txt; without it, it picks a default Python the course may not support."""
    (line,) = (ROOT / "runtime.txt").read_text(encoding="utf-8").split()
    assert line.startswith("python-"), line
    supported = SpecifierSet(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    )
    assert supported.contains(line.removeprefix("python-")), f"{line} is outside requires-python {supported}"

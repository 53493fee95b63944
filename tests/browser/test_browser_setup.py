"""The browser tests' own machinery: when they skip or fail for a missing browser, and the server's isolation."""

import json
import subprocess
import sys

import nbformat

from tests.browser import jupyterlab_ui as lab
from tests.browser.lab_server import INSTALL_BROWSER, INSTALL_PLAYWRIGHT, LAB_SETTINGS, browser_or_reason


def which_finding(*installed):
    """A stand-in for ``shutil.which`` that finds only the names or paths in `installed`."""
    return lambda name: name if name in installed else None


def test_the_browser_found_on_the_path_is_used():
    check = browser_or_reason({}, which_finding("chromium"), playwright_installed=True)
    assert check == ("chromium", None, False)


def test_without_chromium_on_the_path_the_debian_location_is_tried():
    check = browser_or_reason({}, which_finding("/usr/bin/chromium"), playwright_installed=True)
    assert check.executable == "/usr/bin/chromium" and check.reason is None


def test_google_chrome_of_hosted_ci_runners_is_found_when_there_is_no_chromium():
    mac_chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    assert browser_or_reason({}, which_finding(mac_chrome), playwright_installed=True).executable == mac_chrome
    assert (
        browser_or_reason({}, which_finding("google-chrome"), playwright_installed=True).executable == "google-chrome"
    )


def test_a_browser_named_in_the_environment_is_used_and_a_wrong_name_is_reported():
    chosen = browser_or_reason({"COURSE_CHROMIUM": "/opt/brave"}, which_finding("chromium", "/opt/brave"), True)
    assert chosen.executable == "/opt/brave"
    wrong = browser_or_reason({"COURSE_CHROMIUM": "/opt/none", "CI": "1"}, which_finding("chromium"), True)
    assert wrong.executable is None and wrong.strict and "COURSE_CHROMIUM=/opt/none" in wrong.reason


def test_a_missing_browser_skips_outside_ci_and_says_how_to_install_it():
    check = browser_or_reason({}, which_finding(), playwright_installed=True)
    assert check.executable is None and not check.strict
    assert INSTALL_BROWSER in check.reason and "apt-get install -y chromium fonts-noto-color-emoji" in check.reason


def test_a_missing_browser_fails_on_ci():
    check = browser_or_reason({"CI": "true"}, which_finding(), playwright_installed=True)
    assert check.executable is None and check.strict
    assert INSTALL_BROWSER in check.reason and "CI" in check.reason


def test_missing_playwright_is_reported_with_the_install_command():
    outside = browser_or_reason({"CI": ""}, which_finding("chromium"), playwright_installed=False)
    on_ci = browser_or_reason({"CI": "1"}, which_finding("chromium"), playwright_installed=False)
    assert outside.executable is None and INSTALL_PLAYWRIGHT in outside.reason and not outside.strict
    assert on_ci.strict


def test_ci_false_is_not_ci():
    assert not browser_or_reason({"CI": "false"}, which_finding(), playwright_installed=True).strict


def test_the_server_finds_the_python_kernel_despite_its_private_jupyter_folders(lab_server):
    status, specs = lab_server.api("/api/kernelspecs")
    assert status == 200 and "python3" in specs["kernelspecs"], specs


def test_a_subprocess_with_the_server_env_sees_this_server_and_no_other(lab_server):
    script = (
        "import json\nfrom jupyter_server.serverapp import list_running_servers\n"
        "print(json.dumps([[s['port'], s['root_dir']] for s in list_running_servers()]))"
    )
    found = subprocess.run([sys.executable, "-c", script], env=lab_server.env, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout) == [[lab_server.port, str(lab_server.root)]]


def test_restore_puts_back_a_changed_file(lab_server):
    path = lab_server.root / "notebooks" / "01_neuron_and_perceptron.ipynb"
    original = path.read_bytes()
    path.write_text("{}")
    assert lab_server.restore() == [path]
    assert path.read_bytes() == original
    assert lab_server.restore() == []


def test_the_page_helpers_edit_run_and_save_cells(page, lab_server):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Scratch\n\n$x^2$"), nbformat.v4.new_code_cell("answer = 40")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    relpath = "helpers_scratch.ipynb"
    nbformat.write(notebook, lab_server.root / relpath)
    try:
        lab.open_notebook(page, lab_server, relpath)
        code = lab.cell_by_text(page, "answer = 40")
        source = "answer = 41\nfor i in range(2):\n    print(answer + i)\nprint('done')"
        lab.set_cell_source(code, source)  # the Locator still finds the cell under its new text
        lab.run_cell(code)
        assert lab.outputs_of(code) == ["41\n42\ndone\n"]
        lab.set_cell_source(lab.cell_by_text(page, "Scratch"), "# Edited")
        lab.save(page)
        saved = nbformat.read(lab_server.root / relpath, as_version=4)
        assert [cell.source for cell in saved.cells] == ["# Edited", source]
        assert saved.cells[1].outputs[0].text == "41\n42\ndone\n"
    finally:
        (lab_server.root / relpath).unlink()


def test_the_lab_runs_with_the_tests_own_settings(lab_server):
    for plugin, values in LAB_SETTINGS.items():
        status, answer = lab_server.api(f"/lab/api/settings/{plugin}")
        assert status == 200
        assert {name: answer["settings"][name] for name in values} == values, plugin

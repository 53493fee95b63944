"""Fixtures of the browser tests: one JupyterLab server and one Chromium per session, a fresh page per test.

A failing test's report gets a full-page screenshot (saved outside the repository), the page's
console errors and the end of the server's log.
"""

import importlib.util
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.browser.lab_server import browser_or_reason, start_lab_server, stop_lab_server

SCREENSHOTS = Path(tempfile.gettempdir()) / "course-browser-screenshots"
VIEWPORT = {"width": 1366, "height": 900}
REPORTS = pytest.StashKey[dict]()
"""``item.stash[REPORTS]``: a test's reports by phase ("setup", "call", "teardown"), for fixtures that
need to know whether the test failed."""


@pytest.fixture(scope="session")
def chromium_executable():
    """Path of the Chromium to drive; skips the browser tests without one (fails them on CI).

    Returns
    -------
    str
    """
    check = browser_or_reason(os.environ, shutil.which, importlib.util.find_spec("playwright") is not None)
    if check.reason:
        (pytest.fail if check.strict else pytest.skip)(check.reason)
    return check.executable


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory, isolated_keras_session):
    """A JupyterLab server on a copy of ``notebooks/`` and ``exercises/``, for the whole session.

    Its kernels run with the Keras/MNIST isolation of ``tests/conftest.py``. Tests that change
    files of the copy restore them (``lab_server.restore()``, or the :func:`pristine_course` fixture).

    Yields
    ------
    tests.browser.lab_server.LabServer
        With ``url``, ``token``, ``root`` (the copy), ``env`` and ``log_path``.
    """
    server = start_lab_server(tmp_path_factory.mktemp("jupyterlab"), extra_env=isolated_keras_session)
    yield server
    stop_lab_server(server)


@pytest.fixture
def pristine_course(lab_server):
    """The session's server, with every file of its copy put back as it was after the test.

    Yields
    ------
    tests.browser.lab_server.LabServer
    """
    yield lab_server
    lab_server.restore()


@pytest.fixture(scope="session")
def browser(chromium_executable):
    """One headless Chromium for the session.

    Yields
    ------
    playwright.sync_api.Browser
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Never `playwright install`: it downloads a browser of its own, and CI has no internet.
        chromium = playwright.chromium.launch(executable_path=chromium_executable, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab_server):
    """A new page in a new browser context (no cookies, no storage) for each test.

    After the test the context closes and the server's kernels are shut down, so every test
    opens its notebooks in fresh kernels.

    Yields
    ------
    playwright.sync_api.Page
        With ``console_errors``: the page's console errors and uncaught exceptions so far.
    """
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    new_page = context.new_page()
    new_page.console_errors = []
    new_page.on("console", lambda m: m.type == "error" and new_page.console_errors.append(m.text))
    new_page.on("pageerror", lambda error: new_page.console_errors.append(f"uncaught: {error}"))
    yield new_page
    context.close()
    lab_server.shutdown_kernels()


def screenshot_path(nodeid, folder=SCREENSHOTS):
    """Where the screenshot of a failed test goes: `folder` / the test id made safe as a file name."""
    return Path(folder) / (re.sub(r"[^\w.-]+", "_", nodeid).strip("_") + ".png")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a browser test's failure, add a screenshot, the console errors and the server log to its report."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    if report.when != "call" or not report.failed:
        return report
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("page")
    if page is not None and not page.is_closed():
        path = screenshot_path(item.nodeid)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=path, full_page=True, timeout=15_000)
            report.sections.append(("browser screenshot", f"{path}\n(page address: {page.url})"))
        except Exception as error:  # a crashed page must not hide the test's own failure
            report.sections.append(("browser screenshot", f"could not be taken: {error}"))
        if page.console_errors:
            report.sections.append(("browser console errors", "\n".join(page.console_errors[-20:])))
    server = funcargs.get("lab_server") or funcargs.get("pristine_course")
    if server is not None:
        report.sections.append((f"end of the JupyterLab log, {server.log_path}", server.log_tail()))
    return report

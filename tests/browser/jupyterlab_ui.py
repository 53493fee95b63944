"""What a student does in JupyterLab 4, as Playwright steps: open a notebook, run it, edit a cell, save.

Every function takes a Playwright ``Page`` (or a cell ``Locator``) and waits for an event or a
state in the page, never a fixed time. Text is read with ``textContent``: JupyterLab may skip
rendering off-screen cells, and ``innerText`` of an unrendered element is empty.
"""

import itertools
import json
from pathlib import Path

# The notebook in the active main-area tab (other tabs' panels are hidden, not removed).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CELLS = f"{NOTEBOOK} .jp-Notebook .jp-Cell"
OPEN_TIMEOUT = 90_000  # ms: the lab's JavaScript, the notebook's cells and a new kernel, on a busy machine
RUN_TIMEOUT = 300_000  # ms: a lecture notebook's Run All
STEADY_MS = 500  # a "done" state must hold this long, so a gap between two cells does not count

# JavaScript: the current notebook's kernel is connected and idle and no cell waits to run.
_KERNEL_IDLE = f"""() => {{
    const panel = document.querySelector('{NOTEBOOK}');
    if (!panel) return false;
    const kernel = panel.querySelector('.jp-KernelName')?.textContent.trim();
    const status = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
    return Boolean(kernel) && kernel !== 'No Kernel' && status === 'idle' && !prompts.some(p => p.includes('*'));
}}"""
# JavaScript: ... and at least one cell ran (after clear_all_outputs no prompt holds a number).
_CELLS_RAN = f"""() => ({_KERNEL_IDLE})() && [...document.querySelectorAll('{CELLS}.jp-CodeCell .jp-InputPrompt')]
    .some(e => /\\[\\d+\\]/.test(e.textContent))"""

_steady_ids = itertools.count()


def wait_until_steady(page, condition, timeout, arg=None, hold_ms=STEADY_MS):
    """Wait until the JavaScript predicate `condition` has been true for `hold_ms` without a break.

    Parameters
    ----------
    page : playwright.sync_api.Page
    condition : str
        A JavaScript function of `arg`, e.g. ``"() => document.title !== ''"``.
    timeout : float
        Milliseconds before Playwright's ``TimeoutError``.
    arg : JSON-able or element handle, optional
    hold_ms : float
    """
    key = f"__courseSteadySince{next(_steady_ids)}"
    page.wait_for_function(
        f"""arg => {{
            if (!({condition})(arg)) {{ window.{key} = undefined; return false; }}
            window.{key} ??= performance.now();
            return performance.now() - window.{key} >= {hold_ms};
        }}""",
        arg=arg,
        timeout=timeout,
        polling=100,
    )


def wait_or_fail(page, condition, message, arg=None, timeout=OPEN_TIMEOUT):
    """``page.wait_for_function(condition, arg=arg)``, failing with a readable message on a timeout.

    Parameters
    ----------
    page : playwright.sync_api.Page
    condition : str
        A JavaScript function of `arg`.
    message : str or callable
        What went wrong; a callable is called after the timeout (so it can describe what the page shows).
    arg : JSON-able, optional
    timeout : float
        Milliseconds.

    Raises
    ------
    AssertionError
        When `condition` is still false after `timeout`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(condition, arg=arg, timeout=timeout, polling=100)
    except PlaywrightTimeout:
        text = message() if callable(message) else message
        raise AssertionError(f"{text} (waited {timeout / 1000:.0f} s)") from None


def current_notebook(page):
    """The notebook panel of the active tab, as a Locator."""
    return page.locator(NOTEBOOK)


def cells(page):
    """All cells of the current notebook, in order, as a Locator."""
    return page.locator(CELLS)


def open_notebook(page, server, relpath, kernel=True, timeout=OPEN_TIMEOUT):
    """Open `relpath` of the served course in a fresh workspace; wait until every cell is shown.

    Parameters
    ----------
    page : playwright.sync_api.Page
    server : tests.browser.lab_server.LabServer
    relpath : str
        Relative to ``server.root``, e.g. ``"notebooks/01_neuron_and_perceptron.ipynb"``.
    kernel : bool
        Also wait until the notebook's kernel has started and is idle.
    timeout : float
        Milliseconds, for each of the waits.

    Returns
    -------
    playwright.sync_api.Locator
        The notebook panel.
    """
    n_cells = len(json.loads((Path(server.root) / relpath).read_text(encoding="utf-8"))["cells"])
    page.goto(server.lab_url(relpath), timeout=timeout)
    # The cells arrive in batches; all of them are there once their number is the file's.
    page.wait_for_function(
        f"n => document.querySelectorAll('{CELLS}').length === n", arg=n_cells, timeout=timeout, polling=100
    )
    if kernel:
        wait_for_kernel_idle(page, timeout)
    return current_notebook(page)


def wait_for_kernel_idle(page, timeout=OPEN_TIMEOUT):
    """Wait until the current notebook has a kernel, it is idle, and no prompt reads ``[*]``.

    The toolbar's execution indicator says "idle" before any kernel is attached too, so the
    kernel's name must be shown as well.
    """
    wait_until_steady(page, _KERNEL_IDLE, timeout)


def menu_command(page, menu, command):
    """Choose a main-menu entry: open menu `menu` (its label, e.g. ``"Run"``), click the item for `command`.

    Parameters
    ----------
    page : playwright.sync_api.Page
    menu : str
        The label in the menu bar.
    command : str
        The JupyterLab command id of the item, e.g. ``"runmenu:run-all"`` (shown in the DOM as
        ``data-command``; steadier than the item's wording).
    """
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=menu).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def clear_all_outputs(page):
    """Edit › Clear Outputs of All Cells; every prompt then reads ``[ ]``."""
    menu_command(page, "Edit", "editmenu:clear-all")


def run_all(page):
    """Run › Run All Cells. Returns at once; see :func:`wait_for_all_cells_run`."""
    menu_command(page, "Run", "runmenu:run-all")


def wait_for_all_cells_run(page, timeout=RUN_TIMEOUT):
    """Wait until a run started after :func:`clear_all_outputs` is over (finished, or stopped by an error).

    Over means: the kernel is idle, no prompt reads ``[*]`` (cells after an error read ``[ ]``) and some
    prompt holds an execution count, all for a moment.
    """
    wait_until_steady(page, _CELLS_RAN, timeout)


def save(page, timeout=OPEN_TIMEOUT):
    """Save the current notebook with Ctrl+S (Cmd+S on a Mac) and wait for the server to confirm it.

    Returns
    -------
    playwright.sync_api.Response
        The server's answer to the save (``PUT /api/contents/...``).
    """
    with page.expect_response(
        lambda r: r.request.method == "PUT" and "/api/contents/" in r.url, timeout=timeout
    ) as answer:
        page.keyboard.press("ControlOrMeta+s")
    response = answer.value
    if not response.ok:
        raise AssertionError(f"saving failed: {response.status} {response.status_text} for {response.url}")
    page.wait_for_selector(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)", timeout=timeout)
    return response


def run_cell(cell, timeout=RUN_TIMEOUT):
    """Run `cell` (a cell Locator) alone, as Run › Run Selected Cell does, and wait until it has finished.

    Its output is cleared first, so that the wait can tell this run's execution count from a saved one.
    """
    page = cell.page
    cell.locator(".jp-InputPrompt").click()  # selects the cell
    menu_command(page, "Edit", "editmenu:clear-current")
    menu_command(page, "Run", "notebook:run-cell")
    wait_until_steady(
        page,
        f"cell => ({_KERNEL_IDLE})() && /\\[\\d+\\]/.test(cell.querySelector('.jp-InputPrompt').textContent)",
        timeout,
        arg=cell.element_handle(),
    )


def cell_by_text(page, text, timeout=OPEN_TIMEOUT):
    """The one cell of the current notebook whose source contains `text`.

    Returns
    -------
    playwright.sync_api.Locator
        The cell by its position, so the Locator still finds it after its text is edited.

    Raises
    ------
    AssertionError
        If no cell or more than one holds `text`.
    """
    matches = cells(page).filter(has=page.locator(".jp-Cell-inputArea", has_text=text))
    matches.first.wait_for(state="attached", timeout=timeout)
    if matches.count() != 1:
        raise AssertionError(f"{matches.count()} cells contain {text!r}; give text that only one cell holds")
    position = matches.evaluate(f"cell => [...document.querySelectorAll('{CELLS}')].indexOf(cell)")
    return cells(page).nth(position)


def set_cell_source(cell, text):
    """Replace the source of `cell` (a cell Locator) by `text`, typing as a student would.

    ``insert_text`` puts the text in as one input, so CodeMirror does not auto-indent each new
    line the way it would for typed keys.
    """
    page = cell.page
    if "jp-mod-rendered" in (cell.get_attribute("class") or ""):  # a rendered markdown cell: open its editor
        cell.locator(".jp-MarkdownOutput").dblclick()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)
    page.wait_for_function(
        "([element, text]) => element.cmView?.view.state.doc.toString() === text"
        " || element.textContent === text.replaceAll('\\n', '')",
        arg=[editor.element_handle(), text],
        timeout=10_000,
    )


def outputs_of(cell):
    """The text of each output of `cell` (a cell Locator), in order.

    Returns
    -------
    list of str
    """
    return cell.locator(".jp-OutputArea-output").evaluate_all("outputs => outputs.map(o => o.textContent)")

"""The lectures as a student meets them in JupyterLab: they open, typeset, show their figures and run."""

import nbformat

from tests.browser import jupyterlab_ui as lab

NOTEBOOK_01 = "notebooks/01_neuron_and_perceptron.ipynb"
# A formula of notebook 01's opening section, as written in its markdown.
KNOWN_FORMULA = "$z = w^T x + b$"
MIN_FORMULAS = 20  # notebook 01 has over a hundred
MIN_FIGURES = 5  # and eleven


def rendered_markdown_text(page):
    """The text of the current notebook's rendered markdown cells, code spans and blocks left out."""
    return page.evaluate(
        f"""() => [...document.querySelectorAll('{lab.NOTEBOOK} .jp-MarkdownCell .jp-RenderedMarkdown')].map(m => {{
            const copy = m.cloneNode(true);
            copy.querySelectorAll('code, pre').forEach(c => c.remove());
            return copy.textContent;
        }}).join('\\n')"""
    )


def test_a_lecture_opens_with_typeset_math_and_its_figures(page, lab_server):
    lab.open_notebook(page, lab_server, NOTEBOOK_01)
    formulas = page.locator(f"{lab.NOTEBOOK} .jp-RenderedMarkdown mjx-container")
    images = page.locator(f"{lab.NOTEBOOK} .jp-RenderedImage img")

    lab.wait_or_fail(
        page,
        f"n => document.querySelectorAll('{lab.NOTEBOOK} .jp-RenderedMarkdown mjx-container').length >= n",
        lambda: f"MathJax typeset {formulas.count()} formulas, fewer than {MIN_FORMULAS}",
        arg=MIN_FORMULAS,
    )
    # MathJax typesets asynchronously: the raw TeX is in the page until it has finished.
    lab.wait_or_fail(
        page,
        f"""formula => ![...document.querySelectorAll('{lab.NOTEBOOK} .jp-RenderedMarkdown')]
            .some(m => m.textContent.includes(formula))""",
        f"{KNOWN_FORMULA} is still shown as raw TeX",
        arg=KNOWN_FORMULA,
    )
    assert page.locator(f"{lab.NOTEBOOK} mjx-merror").count() == 0, "MathJax could not typeset a formula"
    leftover = [line for line in rendered_markdown_text(page).splitlines() if "$" in line and "\\" in line]
    assert not leftover, f"TeX left untypeset in the rendered markdown: {leftover[:5]}"

    lab.wait_or_fail(
        page,
        f"""n => {{
            const images = [...document.querySelectorAll('{lab.NOTEBOOK} .jp-RenderedImage img')];
            return images.length >= n && images.every(i => i.complete);
        }}""",
        lambda: f"{images.count()} figures shown, fewer than {MIN_FIGURES}, or some still loading",
        arg=MIN_FIGURES,
    )
    sizes = images.evaluate_all("images => images.map(i => [i.naturalWidth, i.naturalHeight])")
    broken = [i for i, (width, height) in enumerate(sizes) if not (width and height)]
    assert not broken, f"figures number {broken} (counting from 0, of {len(sizes)}) did not load: {sizes}"


def test_run_all_of_lecture_01_finishes_without_an_error(page, pristine_course):
    server = pristine_course
    lab.open_notebook(page, server, NOTEBOOK_01)

    lab.clear_all_outputs(page)  # so every execution count read afterwards comes from this run
    lab.run_all(page)
    lab.wait_for_all_cells_run(page)
    lab.save(page)

    notebook = nbformat.read(server.root / NOTEBOOK_01, as_version=4)
    code = [(i, cell) for i, cell in enumerate(notebook.cells) if cell.cell_type == "code" and cell.source.strip()]
    for i, cell in code:
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert not errors, (
            f"cell {i} ({cell.get('id')}) failed in the browser: {errors[0].ename}: {errors[0].evalue}\n"
            f"--- its source ---\n{cell.source}"
        )
    not_run = [f"cell {i}: {cell.source.splitlines()[0]}" for i, cell in code if not cell.execution_count]
    assert not not_run, "Run All did not reach these cells:\n" + "\n".join(not_run)
    counts = [cell.execution_count for _, cell in code]
    assert counts == list(range(1, len(code) + 1)), f"not one run in a fresh kernel, top to bottom: {counts}"


def test_without_the_token_the_lab_asks_to_log_in(page, lab_server):
    page.goto(f"{lab_server.url}/lab")  # a fresh browser context: no cookie from an earlier login

    page.wait_for_url("**/login**")
    password = page.get_by_label("Password or token")
    password.wait_for()
    assert password.get_attribute("type") == "password"
    assert page.locator("#jp-main-dock-panel").count() == 0, "the lab itself was shown"
    assert page.request.get(f"{lab_server.url}/api/contents").status == 403

    password.fill(lab_server.token)  # and the token is what lets one in
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url("**/lab**")
    assert page.request.get(f"{lab_server.url}/api/contents").status == 200

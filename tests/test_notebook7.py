"""The interactive notebooks in Jupyter Notebook 7, the interface Binder opens by default.

One Notebook 7 server (127.0.0.1, a free port, a fresh token) serves a copy of the repository;
Debian's Chromium opens each interactive notebook, checks that every stored picture shows before it
runs, clears it and runs all cells from the Run menu,
and fails on any error output, a widget that shows an error, or a page error. On the dashboard,
arrow keys on a focused slider must move that slider and redraw the figure, and must not move the
notebook's cursor to another cell; a drag after the keys must redraw it again. The browser has a
high-density screen (2 device pixels per CSS pixel): each live figure must be drawn at that
resolution, and its moves too.

Without Chromium or Playwright the test skips (it fails instead when CI=true).
"""
import re
import time

import pytest
from test_browser import (
    CANVAS_HASH,
    chromium_for_test,
    menu,
    pictures_before_running,
    running_lab,
)

from conftest import skip_or_fail

INTERACTIVE = ["01_forget_gate.ipynb", "05_dashboard.ipynb", "07_backprop_through_time.ipynb"]
RUN_TIMEOUT_MS = 120_000
ALL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea '
                                                  + '.jp-InputPrompt')].map(p => p.textContent);
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
}"""
ACTIVE_CELL = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
    .findIndex(c => c.classList.contains('jp-mod-active'))"""


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory):
    with chromium_for_test(tmp_path_factory.mktemp("chromium7"), scale=2) as browser:
        try:
            import notebook  # noqa: F401
        except ImportError:
            skip_or_fail("the Notebook 7 test needs the `notebook` package (the test extra)")
        with running_lab(tmp_path_factory.mktemp("nb7"), app="notebook") as app:
            for name in INTERACTIVE:      # their kernels start while the baseline is taken;
                app.start_kernel(name)    # Notebook 7 joins them when it opens each notebook
            app.baseline = baseline_page_errors(app, browser)
            yield app, browser


def baseline_page_errors(app, browser):
    """The page errors Notebook 7 itself raises on its file browser, with none of the project's
    notebooks open (this environment: "Cannot read properties of undefined (reading 'schema')"
    on every load): they are not the project's, so they do not count against it."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{app.url}/tree?token={app.token}")
    page.wait_for_selector(".jp-DirListing-item", timeout=RUN_TIMEOUT_MS)
    page.wait_for_timeout(3000)
    page.close()
    return set(errors)


def open_and_run(app, browser, name):
    """Open `name` in Notebook 7, clear it, run all cells; returns (page, problems)."""
    page = browser.new_page()
    problems = []
    page.on("pageerror", lambda err: str(err) in app.baseline
            or problems.append(f"page error: {err}"))
    page.goto(f"{app.url}/notebooks/{name}?token={app.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT_MS)
    problems += pictures_before_running(page, ".jp-Notebook", name)
    page.wait_for_timeout(1500)                       # the kernel connects
    menu(page, "Edit", "Clear Outputs of All Cells")
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(ALL_RAN, timeout=RUN_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('.jp-Notebook').textContent"
                           ".includes('Loading widget...')", timeout=30_000)
    notebook = page.locator(".jp-Notebook")
    for text in notebook.locator(".jp-OutputArea-output[data-mime-type="
                                 "'application/vnd.jupyter.stderr']").all_text_contents():
        problems.append(f"error or stderr output:\n{text[:1500]}")
    if "Error displaying widget" in notebook.text_content():
        problems.append("a widget shows 'Error displaying widget'")
    return page, problems


def canvas_hash(page, k=0):
    return page.locator(".lstm-figure canvas").nth(k).evaluate(CANVAS_HASH)


def wait_for_change(page, before, what, k=0, timeout_s=10):
    deadline = time.monotonic() + timeout_s
    while canvas_hash(page, k) == before:
        assert time.monotonic() < deadline, f"the figure did not change after {what}"
        page.wait_for_timeout(100)
    page.wait_for_timeout(400)
    return canvas_hash(page, k)


@pytest.mark.parametrize("name", INTERACTIVE)
def test_interactive_notebook_runs_in_notebook7_and_keys_move_the_slider_not_the_cursor(
        notebook7, name):
    app, browser = notebook7
    page, problems = open_and_run(app, browser, name)
    assert not problems, f"{name} in Notebook 7:\n" + "\n".join(problems)
    slider = page.locator(".lstm-slider").first
    slider.scroll_into_view_if_needed()
    track = slider.locator("input[type=range]")
    track.click()                                     # focus it, as a learner's click does
    page.wait_for_timeout(300)
    before, value, cell = canvas_hash(page), slider.inner_text(), page.evaluate(ACTIVE_CELL)
    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"):
        page.keyboard.press(key)
    after_keys = wait_for_change(page, before, "arrow keys on a slider")
    assert slider.inner_text() != value, "the focused slider did not move under the arrow keys"
    assert page.evaluate(ACTIVE_CELL) == cell, "an arrow key moved the notebook's cursor"
    box = track.bounding_box()
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + box["height"] / 2)
    wait_for_change(page, after_keys, "a click on the slider's track after the keys")
    assert not problems, f"{name} in Notebook 7 after keys and a drag:\n" + "\n".join(problems)
    sizes = page.locator(".lstm-figure canvas").evaluate_all(
        "cs => cs.map(c => [c.width, parseFloat(c.style.width)])")
    assert sizes and all(w == 2 * css for w, css in sizes), (
        f"each figure's canvas should hold 2 pixels per CSS pixel on this screen: {sizes}")
    assert re.search(r"\d", slider.inner_text())
    page.close()

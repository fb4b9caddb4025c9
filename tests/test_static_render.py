"""What a reader without a kernel sees: each notebook as a static page, with no network.

nbconvert's HTML export is what nbviewer-style renderers show. A notebook that stores widget state
would have its panels drawn by a widget manager fetched from a CDN, which leaves an empty block
when there is no network (or no matching widget code); the notebooks store none, so every panel's
stored output falls back to its picture: an <img> with the figure's words as its alt text.

Each notebook is exported with nbconvert's lab template and opened in Debian's Chromium with every
request that leaves the page refused; every picture the notebook stores must be on the page,
loaded, with its words. Without Chromium or Playwright the in-browser half skips (it fails instead
when CI=true); the export half always runs.
"""
import functools
import re
from pathlib import Path

import nbformat
import pytest
from test_browser import chromium_for_test, stored_pictures

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

LOADED_PICTURES = """() => [...document.querySelectorAll('.jp-OutputArea-output img')]
    .filter(img => img.complete && img.naturalWidth > 0)
    .map(img => ({alt: img.getAttribute('alt') || '',
                  width: img.getBoundingClientRect().width}))"""


def live_panels(path):
    """How many of the notebook's stored outputs are live panels with a picture (a PNG, and an
    <img> of it in HTML)."""
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {}) and "<img" in o["data"].get("text/html", "")
               for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@functools.lru_cache(maxsize=None)
def export(path):
    """The notebook at `path` as nbconvert's lab-template HTML page (made once per notebook)."""
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter(template_name="lab").from_filename(str(path))
    return body


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_keeps_no_widget_state(path):
    nb = nbformat.read(path, as_version=4)
    assert WIDGET_STATE not in nb.metadata.get("widgets", {}), (
        f"{path.name} stores widget state: a static render would draw its panels from a CDN "
        "instead of showing their pictures. Re-execute it with `make notebooks NB=...`.")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_names_no_widget(path):
    """An output that names a widget reads "Error displaying widget: model not found" in
    JupyterLab and Notebook 7 once the notebook is trusted, since no state for it is stored: each
    stored output keeps its picture, words and text only (scripts/execute_notebooks.py)."""
    nb = nbformat.read(path, as_version=4)
    named = [k for k, c in enumerate(nb.cells) if c.cell_type == "code"
             for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert not named, (f"{path.name}: cells {named} store widget views. Re-execute it with "
                       "`make notebooks NB=...`.")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_live_panel_stores_its_picture_with_words(path):
    """A figure panel stores a PNG and an <img> of it with the figure's words as alt text; a
    panel that shows text (10's characters coloured by a cell state) stores that text as HTML."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for o in getattr(cell, "outputs", []):
            data = o.get("data", {})
            if "<img" not in data.get("text/html", "") or "image/png" not in data:
                continue
            assert data["image/png"].startswith("iVBORw0KGgo"), f"{path.name}: a broken PNG"
            img = re.search(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"',
                            data.get("text/html", ""))
            assert img and len(img.group(1)) > 20, (
                f"{path.name}: a panel output without an <img> that has its words as alt")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_static_export_has_every_picture_and_no_widget_manager(path):
    body = export(path)
    pictures = stored_pictures(path.name)
    assert body.count('src="data:image/png;base64,') >= pictures
    # nbconvert's page fetches its widget renderer from a CDN only for these elements
    assert f'<script type="{WIDGET_VIEW}">' not in body, (
        f"{path.name}: the export would draw widgets with code from a CDN")


@pytest.fixture(scope="module")
def offline_browser(tmp_path_factory):
    with chromium_for_test(tmp_path_factory.mktemp("static-chromium")) as context:
        # no network: only the page itself and the data: URLs inside it load
        context.route(re.compile(r"^https?://"), lambda route: route.abort())
        yield context


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_static_page_shows_every_picture_with_no_network(path, offline_browser, tmp_path):
    pictures, panels = stored_pictures(path.name), live_panels(path)
    page_file = tmp_path / (path.stem + ".html")
    page_file.write_text(export(path), encoding="utf-8")
    page = offline_browser.new_page()
    try:
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        shown = page.evaluate(LOADED_PICTURES)
    finally:
        page.close()
    assert len(shown) >= pictures, (
        f"{path.name} as a static page with no network shows {len(shown)} of its {pictures} "
        f"pictures ({panels} of them live panels)")
    assert all(s["width"] > 100 for s in shown), "a picture is on the page but not visible"
    worded = [s for s in shown if len(s["alt"]) > 20]
    assert len(worded) >= panels, "a panel's picture has no words (alt text) on the static page"


# `make html`: the collection as static pages that typeset their math with no network -----------
MATH_DONE = """() => window.MathJax && MathJax.Hub && MathJax.isReady
    && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running"""
MATH_ON_PAGE = """() => ({
    typeset: document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length,
    raw: [...document.querySelectorAll('.jp-MarkdownOutput')]
        .map(e => e.innerText).join('\\n').match(/\\$[^$\\n]+\\$/g) || [],
})"""


def markdown_math(path):
    """How many stretches of $...$ the notebook's markdown cells hold."""
    nb = nbformat.read(path, as_version=4)
    return sum(len(re.findall(r"\$[^$\n]+\$", c.source)) for c in nb.cells
               if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def html_pages(tmp_path_factory):
    """build/html as `make html` writes it, in a folder of its own."""
    import sys
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from export_html import export
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path_factory.mktemp("html")
    export(NOTEBOOKS, out)
    return out


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if markdown_math(p)], ids=lambda p: p.name)
def test_make_html_pages_typeset_their_math_with_no_network(path, html_pages, offline_browser):
    page = offline_browser.new_page()
    try:
        page.goto((html_pages / (path.stem + ".html")).as_uri())
        page.wait_for_function(MATH_DONE, timeout=60_000)
        found = page.evaluate(MATH_ON_PAGE)
        shown = page.evaluate(LOADED_PICTURES)
    finally:
        page.close()
    assert found["typeset"] >= markdown_math(path) // 2, (
        f"{path.name}: {found['typeset']} typeset formulas for {markdown_math(path)} in its text")
    assert not found["raw"], f"{path.name} shows raw TeX with no network: {found['raw'][:5]}"
    assert len(shown) >= stored_pictures(path.name), "a picture is missing"

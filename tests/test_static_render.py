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
    """How many of the notebook's stored outputs are live panels with a picture."""
    nb = nbformat.read(path, as_version=4)
    return sum(WIDGET_VIEW in o.get("data", {}) and "image/png" in o["data"]
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
def test_every_live_panel_stores_its_picture_with_words(path):
    """A figure panel stores a PNG and an <img> of it with the figure's words as alt text; a
    panel that shows text (10's characters coloured by a cell state) stores that text as HTML."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for o in getattr(cell, "outputs", []):
            data = o.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            if "image/png" not in data:
                assert len(re.sub(r"<[^>]+>", "", data.get("text/html", ""))) > 100, (
                    f"{path.name}: a panel output with neither a picture nor its HTML")
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

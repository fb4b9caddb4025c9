"""The live figure's front end as the kernel sees it: its JavaScript in files beside the modules
(shipped as package data), the device pixel ratio of several views, the words' live region.

The browser half (the same views in Chromium: a figure reopened from a saved notebook, the ratio
changed without a resize, one live region whose text changes) is in tests/test_browser.py.
"""
import ast
import re
from pathlib import Path

import pytest

from conftest import PageCanvas
from lstm_classroom import live, panels
from lstm_classroom.slider import NamedIntSlider, NamedSlider

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lstm_classroom"
JS_IN_A_STRING = re.compile(r"export\s+default|function\s+render\s*\(|\bmodel\.(get|on)\(")


@pytest.fixture
def canvas():
    live.use_live_figures("canvas", quiet=True)
    yield
    live._chosen["mode"] = None


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_keeps_javascript_in_a_python_string(path):
    strings = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s[:60] for s in strings if JS_IN_A_STRING.search(s)], (
        f"{path.name} keeps JavaScript in a string: put it in a .js file beside the module")


FILES = [(live.FigureView, "figure.js", "figure.css"), (live.Words, "words.js", "words.css"),
         (NamedSlider, "slider.js", "slider.css"), (NamedIntSlider, "slider.js", "slider.css")]


@pytest.mark.parametrize("widget, esm, css", FILES, ids=lambda w: getattr(w, "__name__", w))
def test_each_widget_reads_its_javascript_and_css_from_files_shipped_with_the_package(widget, esm,
                                                                                      css):
    tomllib = pytest.importorskip("tomllib")          # Python >= 3.11
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    shipped = config["tool"]["setuptools"]["package-data"]["lstm_classroom"]
    for trait, name in (("_esm", esm), ("_css", css)):
        if name is None:
            continue
        path = PACKAGE / name
        assert str(getattr(widget, trait)) == path.read_text(encoding="utf-8"), (
            f"{widget.__name__}.{trait} is not what {name} says")
        assert any(path.match(pattern) for pattern in shipped), (
            f"{name} is not in pyproject.toml's package data: an installed package lacks it")
    text = (PACKAGE / esm).read_text(encoding="utf-8")
    assert "export default" in text and "function render(" in text


def ready(view, name, ratio):
    view._message(view, {"type": "ready", "view": name, "ratio": ratio}, [])


def test_two_views_at_different_ratios_are_both_drawn_at_the_higher_one(canvas):
    panel = panels.gate_panel("f")
    view, width = panel.live.view, panel.live.view.width
    page = PageCanvas(panel.live, ratio=1)            # a view at 1 device pixel per CSS pixel
    ready(view, "second screen", 2)                   # another at 2: both get 2
    assert panel.live.fig.dpi == 200 and page.pixels.shape[1] == 2 * width
    ready(view, "", 1)                                # the first one says its ratio again
    assert panel.live.fig.dpi == 200 and page.frames[-1]["w"] == 2 * width
    view._message(view, {"type": "gone", "view": "second screen"}, [])
    assert panel.live.fig.dpi == 100, "the view left on show is drawn at its own ratio"
    assert page.frames[-1]["full"] and page.pixels.shape[1] == width
    panel.sliders["W_f"].value += 0.1
    assert panel.last_redraw in ("blit", "full") and page.pixels.shape[1] == width


def test_a_ratio_that_changes_without_a_new_view_redraws_at_the_new_ratio(canvas):
    panel = panels.gate_panel("f")
    view = panel.live.view
    page = PageCanvas(panel.live, ratio=1)
    ready(view, "", 1.5)                               # the window moved to another screen
    assert panel.live.fig.dpi == 150 and page.frames[-1]["full"]
    assert page.pixels.shape[1] == round(1.5 * view.width)


@pytest.mark.parametrize("message", [{"type": "gone", "view": "never seen"},
                                     {"type": "gone", "view": ["a"]}, {"type": "went"}])
def test_a_view_that_leaves_without_having_come_changes_nothing(canvas, message):
    panel = panels.gate_panel("f")
    page = PageCanvas(panel.live, ratio=2)
    frames = len(page.frames)
    panel.live.view._message(panel.live.view, message, [])
    assert len(page.frames) == frames and panel.live.fig.dpi == 200


def test_the_words_keep_one_live_region_and_escape_text(canvas):
    panel = panels.gate_panel("f")
    panel.live.say("a <b>bold</b> claim & more")
    assert isinstance(panel.live.words, live.Words)
    assert panel.live.words.value == ("<div aria-live='polite'>a &lt;b&gt;bold&lt;/b&gt; claim "
                                      "&amp; more</div>")
    region = (PACKAGE / "words.js").read_text()
    assert region.count('setAttribute("aria-live", "polite")') == 1   # made once, in render


def test_the_set_up_line_says_what_a_reader_without_a_kernel_sees(capsys, monkeypatch):
    monkeypatch.delenv("VSCODE_PID", raising=False)
    monkeypatch.delenv("VSCODE_CWD", raising=False)
    assert live.use_live_figures() == "canvas"
    line = capsys.readouterr().out
    assert "without a kernel" in line and "still picture" in line
    live._chosen["mode"] = None


def test_the_project_lab_settings_save_widget_state():
    import json
    settings = json.loads((ROOT / "lab-settings" / "overrides.json").read_text())
    assert settings["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True

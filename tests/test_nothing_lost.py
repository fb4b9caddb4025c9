"""Nothing lost, nothing run (issue 30): a refused entry keeps the last good one and every later
move; what is typed is escaped wherever the panels echo it into HTML; long pastes are refused
with their length; every valid setting restores (and draws the same picture, whatever path led to
it), every corrupted one is refused with a message. In process, in image mode."""
import json
import math

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_classroom.backprop_panels import backward_stepper
from lstm_classroom.inputs import MAX_T, SEQUENCES
from lstm_classroom.panels import dashboard, gate_panel, gradient_panel
from lstm_classroom.variant_panels import variant_panel
from lstm_classroom.xlstm_panels import slstm_panel

XSS = '<img/src="x"/onerror="window.__xss=1">'


@pytest.fixture(autouse=True)
def images(image_mode):
    """Every test here draws in image mode (the conftest fixture)."""


def html_values(widget):
    """The value of every HTML widget under `widget` (its children, recursively)."""
    found = [widget.value] if isinstance(widget, (widgets.HTML, widgets.HTMLMath)) else []
    for child in getattr(widget, "children", ()):
        found += html_values(child)
    return found


def pixels(panel):
    return panel.png()


# ---- 2: a refused sequence keeps the last good one for everything -------------------------------
def test_a_refused_sequence_keeps_the_last_good_one_and_later_moves_still_show():
    board = dashboard()
    board.text.value = "abc"
    assert "'abc' is not a number" in board.message.value
    for _ in range(10):
        board.sliders["b_y"].value = round(board.sliders["b_y"].value + 0.1, 1)
    assert board.sliders["b_y"].value == pytest.approx(1.0)
    assert board.prediction == pytest.approx(dashboard().prediction + 1.0)
    assert f"<b>{board.prediction:.3f}</b>" in board.readout.value
    assert "text=1, 2, 3" in board.setting and "b_y=1.0" in board.setting
    assert board.share.value == board.setting
    assert "'abc'" in board.message.value, "the refusal is still said"
    same = dashboard(setting=board.setting)          # the figure shows what the setting says
    assert pixels(same) == pixels(board)


def test_a_sequence_read_after_a_refused_one_clears_the_message():
    board = dashboard()
    board.text.value = "1,,2"
    assert "no number between them" in board.message.value
    board.text.value = "1, 2"
    assert board.message.value == "" and board.xs.tolist() == [1.0, 2.0]


# ---- 3: what is typed is never run ---------------------------------------------------------------
@pytest.mark.parametrize("make", [dashboard, slstm_panel], ids=["dashboard", "slstm_panel"])
def test_whatever_is_typed_is_escaped_in_every_html_the_panel_shows(make):
    panel = make()
    typed = [n for n, w in panel.controls.widgets.items() if isinstance(w, widgets.Text)]
    assert typed
    for name in typed:
        panel.controls.widgets[name].value = f"1, {XSS}"
        panel.restore(f"panel={panel.controls.kind}; {name}={XSS}")
        panel.share.value = XSS
        for value in html_values(panel.widget):
            assert "<img" not in value and "onerror=" not in value.replace("onerror=&quot;", "")


# ---- 4: a long paste is refused with its length, not echoed -------------------------------------
def test_a_one_megabyte_paste_is_refused_with_its_length_and_not_kept():
    board = dashboard()
    board.text.value = "1, " * 333_334
    assert "1,000,002 characters long" in board.message.value
    assert len(board.message.value) < 400
    assert board.text.value == "1, 2, 3", "the box goes back to the last good sequence"
    assert len(board.setting) < 400 and len(board.share.value) < 400


# ---- 5: settings that restore, settings that are refused ----------------------------------------
def test_a_setting_whose_sequence_is_longer_restores_its_time_step():
    board = dashboard()
    board.text.value = "1, 2, 3, 4, 5, 6, 7, 8"
    board.step.value = 8
    setting = board.setting
    board.reset.click()
    assert board.step.max == 3
    assert board.restore(setting), board.message.value
    assert board.step.value == 8 and board.shown["t"] == 8
    assert dashboard(setting=setting).step.value == 8


def test_a_gate_panel_setting_with_a_longer_sequence_restores_its_time_step():
    panel = gate_panel("f", T=3)
    assert panel.restore("panel=f; W_f=0.5; W_hf=0.1; b_f=0.0; kind=ramp; T=10; t=8")
    assert (panel.length.value, panel.step.value, panel.shown["t"]) == (10, 8, 8)
    assert not panel.restore("panel=f; W_f=0.5; W_hf=0.1; b_f=0.0; kind=ramp; T=6; t=8")
    assert "t = 8 is outside its slider, 1 to 6" in panel.message.value


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "1e400", "9" * 400, "Infinity"])
@pytest.mark.parametrize("name", ["t", "W_f"])
def test_a_non_finite_or_huge_number_in_a_setting_is_refused_with_a_message(name, bad):
    board = dashboard()
    before = board.setting
    line = before.replace(f"{name}={board.values[name]!r}" if name == "W_f" else "t=3",
                          f"{name}={bad}")
    assert line != before
    assert board.restore(line) is False
    assert f"{name} must be" in board.message.value and len(board.message.value) < 400
    assert board.setting == before


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 1e308 * 10])
def test_a_non_finite_number_in_a_json_setting_is_refused_with_a_message(bad):
    board = dashboard()
    doc = json.loads(board.controls.setting_json())
    doc["setting"]["t"] = bad
    assert board.restore(json.dumps(doc)) is False         # json writes Infinity, NaN
    assert "t must be a finite number" in board.message.value


@pytest.mark.parametrize("kwargs", [dict(T=math.inf), dict(T=1e400), dict(T=0), dict(T=MAX_T + 1),
                                    dict(T=6.0), dict(T="6"), dict(kind="ramps")])
def test_gate_panel_refuses_arguments_out_of_range_with_a_message(kwargs):
    with pytest.raises(ValueError, match="T must be a whole number|kind must be one of"):
        gate_panel("f", **kwargs)


@pytest.mark.parametrize("text", ["abc", "1, nan", "", "1" * 3000])
def test_dashboard_refuses_a_text_it_cannot_read_with_a_message(text):
    with pytest.raises(ValueError, match="not a number|at least one|characters long"):
        dashboard(text=text)


def test_the_same_setting_draws_the_same_picture_whatever_path_led_to_it():
    board = dashboard()
    for value in (8.0, -8.0, 4.0):                 # out of the axis and back: limits move twice
        board.sliders["W_y"].value = value
    board.sliders["W_f"].value = 0.7
    fresh = dashboard(setting=board.setting)
    assert pixels(fresh) == pixels(board)
    panel = gate_panel("c", T=12)
    for value in (3.0, -3.0, 1.0):
        panel.sliders["b_i"].value = value
    assert pixels(gate_panel("c", setting=panel.setting)) == pixels(panel)


# ---- a property test: random valid settings restore, random corruptions are refused ------------
def random_setting(panel, rng):
    """A random valid setting for `panel`, as a dict: each slider on its grid, a random choice,
    a random typed sequence of 1..12 numbers, the time step within it."""
    values = {}
    for name, w in panel.controls.widgets.items():
        if isinstance(w, widgets.Text):
            n = int(rng.integers(1, 13))
            values[name] = ", ".join(f"{x:g}" for x in rng.integers(-9, 10, n) / 2)
        elif isinstance(w, widgets.Dropdown):
            values[name] = [v for _, v in w.options][int(rng.integers(len(w.options)))]
        else:
            step = getattr(w, "step", 1) or 1
            k = int(rng.integers(0, round((w.max - w.min) / step) + 1))
            values[name] = round(w.min + k * step, 6)
    if "t" in values:
        T = values["T"] if "T" in values else len(values["text"].split(","))
        values["t"] = int(rng.integers(1, T + 1))
    return values


def corrupt(line, rng):
    """A setting line with one random fault: a value replaced by garbage, a part dropped or
    doubled, a name misspelt, the panel renamed, or random characters."""
    parts = line.split("; ")
    k = int(rng.integers(1, len(parts)))
    name, _, _ = parts[k].partition("=")
    garbage = ["", "nan", "inf", "-1e400", "9" * 500, "abc", "<b>1</b>", "[1, 2]", "None",
               "1e5", "-99", "0x10", "1/2", "\x00"]
    fault = int(rng.integers(6))
    if fault == 0:
        parts[k] = f"{name}={garbage[int(rng.integers(len(garbage)))]}"
    elif fault == 1:
        del parts[k]
    elif fault == 2:
        parts.append(parts[k])
    elif fault == 3:
        parts[k] = parts[k].replace(name, name + "x", 1)
    elif fault == 4:
        parts[0] = "panel=nothing"
    else:
        parts[k] = "".join(chr(int(c)) for c in rng.integers(32, 0x2FF, 30))
    return "; ".join(parts)


PANELS = {"gate_panel f": lambda: gate_panel("f"), "gate_panel o": lambda: gate_panel("o"),
          "dashboard": dashboard, "gradient_panel": gradient_panel,
          "backward_stepper": backward_stepper, "variant_panel": variant_panel}


@pytest.mark.parametrize("name", PANELS)
def test_random_valid_settings_restore_exactly_and_corruptions_are_refused(name):
    rng = np.random.default_rng(30)
    panel, other = PANELS[name](), PANELS[name]()
    for _ in range(12):
        values = random_setting(panel, rng)
        line = panel.controls.setting(values)
        assert panel.restore(line), (line, panel.message.value)
        assert panel.setting == line
        assert other.restore(json.dumps({"panel": panel.controls.kind, "setting": values}))
        assert other.setting == line
        broken = corrupt(line, rng)
        if broken == line:
            continue
        assert panel.restore(broken) is False, broken
        assert panel.message.value and len(panel.message.value) < 600, broken
        assert panel.setting == line, "a refused setting changes nothing"
    assert pixels(panel) == pixels(other)


def test_every_kind_of_sequence_is_offered_by_the_gate_panels():
    assert [v for _, v in gate_panel("f").sequence.options] == list(SEQUENCES)


# ---- 8: what a reader without a kernel sees ----------------------------------------------------
@pytest.mark.parametrize("make", [dashboard, lambda: gate_panel("i")], ids=["dashboard", "gate i"])
def test_the_stored_picture_shows_the_curves_and_the_diagram_and_says_so(make):
    import base64
    import io

    import matplotlib.image as mpimg
    panel = make()
    bundle = panel._repr_mimebundle_()
    picture = mpimg.imread(io.BytesIO(base64.b64decode(bundle["image/png"])), format="png")
    heights = [mpimg.imread(io.BytesIO(v.live.png()), format="png").shape[0]
               for v in panel.views.values() if getattr(v, "live", None) is not None]
    assert len(heights) == 2 and picture.shape[0] == sum(heights)
    words = bundle["text/plain"]
    assert words.startswith(panel.live.description) and "At t = " in words
    assert "still picture" in words and "sliders" in words
    assert 'alt="' in bundle["text/html"]


def test_in_image_mode_the_diagram_under_the_curves_follows_the_sliders():
    board = dashboard()
    board._repr_mimebundle_()                        # displayed, as a notebook does
    diagram = board.views["diagram"].live
    before = diagram.view.value
    assert before.startswith("<img")
    board.sliders["W_f"].value = 1.0
    assert diagram.last_redraw == "image" and diagram.view.value != before


def test_an_old_gate_panel_setting_without_a_time_step_restores_at_the_last_step():
    panel = gate_panel("f")
    assert panel.restore("panel=f; W_f=0.5; W_hf=0.1; b_f=1.0; kind=ramp; T=4")
    assert panel.step.value == 4 and panel.setting.endswith("T=4; t=4")


def test_an_empty_paste_into_the_setting_box_says_so_and_changes_nothing():
    board = dashboard()
    before = board.setting
    board.share.value = "   "
    assert "setting box was empty" in board.message.value
    assert board.share.value == before == board.setting

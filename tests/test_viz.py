"""Fast in-process tests of lstm_viz: input sequences, the text box's parser, the panels' figure
machinery (blitting draws exactly what a full draw draws) and their static PNG fallback."""
import base64
import warnings

import numpy as np
import pytest

import lstm_viz
from lstm_core import SEED_WEIGHTS, seed_lstm
from lstm_viz import MAX_T, dashboard, gate_panel, input_sequence, parse_sequence

# ipympl's own toolbar warns on creation, whoever creates the figure (ipympl 0.10, traitlets 5)
IPYMPL_TOOLBAR = "ignore:Passing unrecognized arguments to super:DeprecationWarning"


# ---- input sequences ------------------------------------------------------------------------------

def test_ramp_is_one_to_T():
    assert input_sequence("ramp", 5).tolist() == [1, 2, 3, 4, 5]


def test_step_jumps_from_zero_to_one_after_half_the_steps():
    assert input_sequence("step", 6).tolist() == [0, 0, 0, 1, 1, 1]
    assert input_sequence("step", 5).tolist() == [0, 0, 1, 1, 1]


def test_sine_has_period_eight_starting_at_zero():
    x = input_sequence("sine", 9)
    np.testing.assert_allclose(x[[0, 2, 4, 6, 8]], [0, 1, 0, -1, 0], atol=1e-12)


def test_pulse_is_a_single_one_at_t_2():
    assert input_sequence("pulse", 5).tolist() == [0, 1, 0, 0, 0]
    assert input_sequence("pulse", 1).tolist() == [1]


def test_noise_is_seeded_and_longer_sequences_extend_shorter_ones():
    np.testing.assert_array_equal(input_sequence("noise", 4), np.random.default_rng(0).standard_normal(4))
    np.testing.assert_array_equal(input_sequence("noise", 10)[:4], input_sequence("noise", 4))


@pytest.mark.parametrize("kind, T, word", [("saw", 3, "kind"), ("ramp", 0, "T"), ("ramp", 2.5, "T"),
                                           ("ramp", True, "T")])
def test_bad_kind_or_length_raises_naming_it(kind, T, word):
    with pytest.raises(ValueError, match=word):
        input_sequence(kind, T)


# ---- the dashboard's text box -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1, 2, 3", "1 2 3", " 1;2 ,3, ", "1.0,2e0,+3"])
def test_sequence_text_is_read_with_commas_semicolons_or_spaces(text):
    assert parse_sequence(text).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("text, says", [
    ("1, two, 3", "'two' is not a number"), ("", "at least one number"), (", ,", "at least one number"),
    ("1, nan", "out of range"), ("inf", "out of range"), ("1, 1001", "out of range"),
    (", ".join(["1"] * (MAX_T + 1)), f"at most {MAX_T}")])
def test_bad_sequence_text_raises_a_message_for_the_learner(text, says):
    with pytest.raises(ValueError, match=says):
        parse_sequence(text)


def test_sequence_text_must_be_a_string():
    with pytest.raises(TypeError, match="text"):
        parse_sequence([1, 2, 3])


# ---- panels, in process (Agg: no ipympl) ---------------------------------------------------------------

def test_gate_panel_rejects_an_unknown_focus():
    with pytest.raises(ValueError, match="focus"):
        gate_panel("x")


@pytest.mark.parametrize("focus, names", [("f", ["W_f", "W_hf", "b_f"]), ("i", ["W_i", "W_hi", "b_i"]),
                                          ("g", ["W_c", "W_hc", "b_c"]),
                                          ("c", ["W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i"]),
                                          ("o", ["W_o", "W_ho", "b_o", "W_y", "b_y"])])
def test_gate_panel_has_sliders_for_its_gates_weights_at_the_seed(focus, names):
    panel = gate_panel(focus)
    assert list(panel.sliders) == names
    assert all(panel.sliders[n].value == SEED_WEIGHTS[n] for n in names)
    assert all(s.min < s.value < s.max for s in panel.sliders.values())


def test_hold_makes_many_changes_then_one_update(monkeypatch):
    panel = dashboard()
    calls = []
    monkeypatch.setattr(lstm_viz, "seed_lstm", lambda **w: calls.append(w) or seed_lstm(**w))
    with panel.hold():
        for s in panel.sliders.values():
            s.value = s.max
        panel.text.value = "5, 6"
    assert len(calls) == 1
    np.testing.assert_allclose(panel.lines["c"].get_ydata(),
                               seed_lstm(**{n: s.max for n, s in panel.sliders.items()}).run([5, 6]).c)


def test_extreme_sliders_and_inputs_give_finite_lines_without_warnings():
    panel = dashboard()
    rng = np.random.default_rng(1)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        for text in ["1000, -1000, 1000", ", ".join(["-1000"] * MAX_T)]:
            for corner in rng.integers(0, 2, (50, len(panel.sliders))):
                with panel.hold():
                    panel.text.value = text
                    for s, k in zip(panel.sliders.values(), corner):
                        s.value = (s.min, s.max)[k]
                assert all(np.all(np.isfinite(line.get_ydata())) for line in panel.lines.values())
                lo, hi = panel.axes[1].get_ylim()
                assert np.isfinite([lo, hi]).all() and lo < hi


def test_panel_display_data_holds_the_widget_and_a_png_of_the_figure():
    panel = gate_panel("f")
    data = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == tuple(int(v) for v in panel.fig.get_size_inches() * panel.fig.dpi)
    assert data["text/plain"].startswith("GatePanel('f')")


def test_without_ipympl_a_shown_panel_still_follows_its_sliders_as_an_image():
    panel = gate_panel("f")
    assert panel.last_redraw == "none"              # not shown yet: nothing is drawn
    panel._repr_mimebundle_()
    before = panel.widget.children[-1].value
    panel.sliders["b_f"].value = 3.0
    assert panel.last_redraw == "image" and panel.widget.children[-1].value != before


# ---- the live path with ipympl's canvas: blitting draws what a full draw draws ------------------------------

@pytest.fixture
def ipympl_panels(monkeypatch):
    pytest.importorskip("ipympl")
    monkeypatch.setattr(lstm_viz, "_uses_ipympl", lambda: True)
    return lstm_viz


def pixels(fig):
    return np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()


@pytest.mark.filterwarnings(IPYMPL_TOOLBAR)
@pytest.mark.parametrize("make", [lambda v: v.gate_panel("o"), lambda v: v.dashboard()])
def test_a_blitted_slider_move_shows_exactly_what_a_full_redraw_shows(ipympl_panels, make):
    panel = make(ipympl_panels)
    canvas = panel.fig.canvas
    canvas.draw()                                   # what the browser asks for when it shows it
    slider = list(panel.sliders.values())[0]
    slider.value = slider.value + 0.3              # a small move: no axis limit has to change
    assert panel.last_redraw == "blit"
    blitted = pixels(panel.fig)
    canvas.draw()
    assert np.array_equal(blitted, pixels(panel.fig))


@pytest.mark.filterwarnings(IPYMPL_TOOLBAR)
def test_a_move_that_leaves_the_axis_asks_for_a_full_redraw(ipympl_panels):
    panel = ipympl_panels.dashboard()
    panel.fig.canvas.draw()
    panel.sliders["W_y"].value = panel.sliders["W_y"].max   # the prediction jumps out of view
    assert panel.last_redraw == "full"
    lo, hi = panel.axes[1].get_ylim()
    assert lo <= panel.prediction <= hi
    panel.sliders["W_f"].value += 0.1         # before that full draw happened: no blit over the
    assert panel.last_redraw == "full"        # old background (old limits, old ticks)
    panel.fig.canvas.draw()
    panel.sliders["W_f"].value += 0.1
    assert panel.last_redraw == "blit"

"""Notebook 09's classroom code (lstm_classroom.variant_panels, lstm_classroom.checks.variants):
the panel plots what lstm_variants computes for its sliders, the diagrams write the run's numbers
and grey out what a variant lacks, the tables are the committed results, and the checks accept
right answers (from scalar loops written here, from the equations) and name the usual mistakes.
"""
import json
import math
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from lstm_classroom.checks import variants as checks
from lstm_classroom.diagram import FIGSIZE, LSTM, CellDiagram, wire
from lstm_classroom.style import NEUTRAL
from lstm_classroom.variant_panels import (
    GRU,
    TITLES,
    VARIANT_DIAGRAMS,
    committed_ablation,
    forget_gate_picture,
    greff_comparison,
    gru_picture,
    gru_values,
    variant_code,
    variant_diagram_panel,
    variant_panel,
    variant_picture,
    variant_values,
)
from lstm_core import SEED_WEIGHTS, LSTMCell
from lstm_variants import GRU_WEIGHTS, VARIANTS, VariantLSTMCell, gru_from_scalars, seed_variant

ROOT = Path(__file__).resolve().parents[1]
REMOVED_GATES = {"no_forget_gate": "f", "no_input_gate": "i", "no_output_gate": "o"}
sig = lambda v: 1 / (1 + math.exp(-v))


pytestmark = pytest.mark.usefixtures("image_mode")   # tests/conftest.py


# ---- independent references: the equations as scalar loops ------------------------------------

def lstm_1997_scalar(xs, w=SEED_WEIGHTS):
    """The seed cell with f_t = 1, one equation a line."""
    h = c = 0.0
    cs = []
    for x in xs:
        i = sig(w["W_i"] * x + w["W_hi"] * h + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h + w["b_c"])
        c = c + i * g
        o = sig(w["W_o"] * x + w["W_ho"] * h + w["b_o"])
        h = o * math.tanh(c)
        cs.append(c)
    return cs


def gru_scalar(w, xs, h=0.0):
    """torch.nn.GRU's equations for one unit (its documentation), one line each."""
    hs = []
    for x in xs:
        r = sig(w["W_ir"] * x + w["b_ir"] + w["W_hr"] * h + w["b_hr"])
        z = sig(w["W_iz"] * x + w["b_iz"] + w["W_hz"] * h + w["b_hz"])
        n = math.tanh(w["W_in"] * x + w["b_in"] + r * (w["W_hn"] * h + w["b_hn"]))
        h = (1 - z) * n + z * h
        hs.append((r, z, n, h))
    return hs


def one_unit(name, b_f=0.0, peepholes=None):
    """The seed cell as a VariantLSTMCell, built here from LSTMCell.from_scalars."""
    base = LSTMCell.from_scalars(**{**SEED_WEIGHTS, "b_f": b_f})
    options = {"vanilla": {}, "no_forget_gate": dict(forget_gate=False),
               "peepholes": dict(peepholes=peepholes), "coupled": dict(coupled=True)}[name]
    return VariantLSTMCell(base.weight_ih, base.weight_hh, base.bias, **options)


# ---- the panel ----------------------------------------------------------------------------------

def test_variant_panel_plots_what_lstm_variants_computes_for_its_sliders():
    panel = variant_panel("peepholes", kind="ramp", T=8)
    before = panel.lines["c"].get_ydata().copy()
    panel.controls.set(b_f=1.5, p_i=-0.5, p_f=0.7, p_o=-0.4)
    xs = np.arange(1.0, 9.0)
    trace = one_unit("peepholes", 1.5, [[-0.5], [0.7], [-0.4]]).run(xs)
    for s in "figcoh":
        np.testing.assert_allclose(panel.lines[s].get_ydata(), getattr(trace, s), rtol=1e-12)
    np.testing.assert_allclose(panel.lines["c_lstm"].get_ydata(),
                               LSTMCell.from_scalars(**{**SEED_WEIGHTS, "b_f": 1.5}).run(xs).c)
    assert not np.allclose(before, panel.lines["c"].get_ydata())
    assert "b_f = 1.5" in panel.live.description and "p_f = 0.7" in panel.live.description


def test_choosing_the_1997_cell_in_the_panel_holds_the_forget_gate_at_one():
    panel = variant_panel("vanilla", kind="step", T=12)
    panel.controls.set(name="no_forget_gate")
    assert np.all(panel.lines["f"].get_ydata() == 1.0)
    np.testing.assert_allclose(panel.lines["c"].get_ydata(),
                               lstm_1997_scalar(panel.result["xs"]), rtol=1e-12)
    assert "f_t stays at 1.000" in panel.live.description


def test_peephole_sliders_do_nothing_to_a_variant_without_peepholes():
    panel = variant_panel("coupled", kind="ramp", T=6)
    first = panel.lines["c"].get_ydata().copy()
    panel.controls.set(p_f=2.0)
    np.testing.assert_array_equal(first, panel.lines["c"].get_ydata())
    np.testing.assert_allclose(first, one_unit("coupled").run(np.arange(1.0, 7.0)).c)


def test_a_setting_that_cannot_be_read_leaves_the_panel_as_it_was():
    panel = variant_panel()
    assert not panel.restore("panel=variant; name=lstm2000")
    assert "Could not restore" in panel.message.value
    assert panel.variant.value == "no_forget_gate"


# ---- the diagrams -------------------------------------------------------------------------------

def test_the_1997_cell_diagram_greys_out_the_forget_gate_and_writes_the_runs_numbers():
    panel = variant_diagram_panel("no_forget_gate")
    panel.step.value = 3
    d = panel.diagram
    assert d.texts["f"].get_text() == "$f_t$ = 1" and d.names["f"].get_text() == "no gate"
    assert d.boxes["f"].get_edgecolor()[:3] == pytest.approx(plt.matplotlib.colors.to_rgb(NEUTRAL))
    c3 = lstm_1997_scalar([1, 2, 3])[-1]
    assert f"C_t = {c3:.3f}" in panel.description
    assert d.texts["c"].get_text() == f"$C_t$ = {c3:.3f}"


def test_switching_the_diagrams_variant_redraws_its_parts():
    panel = variant_diagram_panel("no_forget_gate")
    panel.controls.set(name="coupled", t=2)
    d = panel.diagram
    assert d.names["i"].get_text() == r"$1 - f_t$" and d.names["f"].get_text() == r"$\sigma$"
    assert d.values["i"] == pytest.approx(1 - d.values["f"], abs=1e-12)
    panel.controls.set(name="peepholes")
    assert all(a.get_visible() for a in d.extras["peepholes"])
    panel.controls.set(name="no_output_activation")
    assert not any(a.get_visible() for a in d.extras["peepholes"])
    ellipse, words = d.ovals["tanh_c"]
    assert words.get_text() == "no tanh" and "h_t = o_t·C_t" in panel.description
    assert ellipse.get_edgecolor()[:3] == pytest.approx(plt.matplotlib.colors.to_rgb(NEUTRAL))
    panel.controls.set(name="vanilla")
    assert words.get_text() == r"$\tanh$" and d.names["f"].get_text() == r"$\sigma$"


# ---- the diagram as data: each variant is the LSTM's spec with its changes -------------------

@pytest.mark.parametrize("name", sorted(REMOVED_GATES))
def test_a_variants_diagram_greys_the_gate_it_removes_and_only_that(name):
    gate = REMOVED_GATES[name]
    fig = plt.figure(figsize=FIGSIZE)
    d = CellDiagram(fig.add_axes((0, 0, 1, 1)), VARIANT_DIAGRAMS[name])
    d.draw(variant_values(name))
    grey = plt.matplotlib.colors.to_rgb(NEUTRAL)
    for g, box in d.boxes.items():
        greyed = box.get_edgecolor()[:3] == pytest.approx(grey)
        assert greyed == (g == gate), g
    assert d.texts[gate].get_text() == f"${gate}_t$ = 1"
    plt.close(fig)


def test_every_variant_diagram_is_the_lstms_drawing_and_every_other_spec_is_refused():
    fig = plt.figure(figsize=FIGSIZE)
    d = CellDiagram(fig.add_axes((0, 0, 1, 1)))
    n_children = len(d.ax.get_children())
    for name, spec in VARIANT_DIAGRAMS.items():
        assert spec.same_drawing(LSTM)
        d.draw(variant_values(name), spec)
        assert d.spec is spec
    # the peepholes' parts were drawn once, when first shown; nothing else was added
    assert len(d.ax.get_children()) == n_children + len(d.extras["peepholes"])
    with pytest.raises(ValueError, match="not drawn like"):
        d.draw(gru_values(gru_from_scalars().run([1.0]), 1), GRU)
    plt.close(fig)


def test_a_spec_that_names_a_gate_it_does_not_have_says_which():
    with pytest.raises(ValueError, match=r"removed gate \['q'\] is not one of its gates"):
        LSTM.but("broken", removed=("q",))
    with pytest.raises(ValueError, match="plain oval"):
        LSTM.but("broken", plain={"sigmoid": "no sigmoid"})
    with pytest.raises(ValueError, match="a part must be a Line, Arrow"):
        LSTM.but("broken", extras=("a wire",))


def test_a_wire_of_three_points_is_a_line_and_an_arrow_on_its_last_stretch():
    parts = wire((0, 0), (0, 5), (5, 5))
    assert [type(p).__name__ for p in parts] == ["Line", "Arrow"]
    assert parts[0].points == ((0, 0), (0, 5))
    assert (parts[1].start, parts[1].end) == ((0, 5), (5, 5))
    with pytest.raises(ValueError, match="at least two points"):
        wire((0, 0))


def test_every_variant_picture_has_words_with_its_title_and_fits_a_column():
    for name in VARIANTS:
        pic = variant_picture(name, p_f=0.5) if name == "peepholes" else variant_picture(name)
        assert pic.description.startswith("Figure: " + TITLES[name][0].upper())
        width = int.from_bytes(pic.png[16:20], "big")
        assert width <= 820


def test_peephole_weights_are_refused_for_a_variant_without_peepholes():
    with pytest.raises(ValueError, match="has none"):
        variant_picture("vanilla", p_f=1.0)


def test_gru_picture_shows_the_numbers_of_torchs_equations():
    pic = gru_picture((1.0, 2.0, 3.0))
    r, z, n, h = gru_scalar(GRU_WEIGHTS, [1.0, 2.0, 3.0])[-1]
    for label, value in (("r_t", r), ("z_t", z), ("n_t", n), ("h_t", h)):
        assert f"{label} = {value:.3f}" in pic.description
    assert "no cell state" in pic.description


def test_variant_code_marks_the_lines_that_compute_f_and_c():
    text = variant_code("f", "c")
    assert text.splitlines()[0] == "lstm_variants.py, VariantLSTMCell._variant_step:"
    assert any("c = f * c_prev + i * g" in ln and ln.endswith("<-- c") for ln in text.splitlines())


# ---- the experiment's figure and the tables -----------------------------------------------------

def test_forget_gate_picture_says_the_numbers_of_its_result():
    T = 1000
    grow = dict(c_max=0.5 * np.arange(1, T + 1), mse=np.full(10, 0.04), stream_mse=0.04,
                train_mse=0.008)
    keep = dict(c_max=np.full(T, 0.5), mse=np.full(10, 0.003), stream_mse=0.003,
                train_mse=0.002)
    pic = forget_gate_picture(dict(t=np.arange(T), no_forget_gate=grow, vanilla=keep))
    assert "500.00 at t = 1,000" in pic.description and "rises 0.50 per step" in pic.description
    assert "stays between 0.50 and 0.50" in pic.description and "0.0400" in pic.description


def test_committed_ablation_is_results_ablation_md():
    md = committed_ablation().markdown
    assert "| vanilla | 8/8 | 26,400 |" in md and "#### A small LSTM ablation" in md


def test_greff_comparison_takes_our_numbers_from_the_json():
    md = greff_comparison().markdown
    data = ROOT / "lstm_classroom" / "data"
    summary = json.loads((data / "ablation.json").read_text())["summary"]
    nfg = [r for r in summary if r["task"] == "adding" and r["kind"] == "no_forget_gate"][0]
    assert f"{nfg['solved']}/{nfg['runs']} solved" in md
    assert "NOAF" in md and "CIFG" in md and "NP" in md


# ---- the checks ---------------------------------------------------------------------------------

def test_c3_check_accepts_the_1997_cells_value_and_names_the_forget_gate_mistake():
    assert checks.check_09_c3_without_forget_gate(lstm_1997_scalar([1, 2, 3])[-1])
    verdict = checks.check_09_c3_without_forget_gate(1.672)      # the seed document's C_3
    assert not verdict and "with* its forget gate" in verdict.text


def test_c3_check_names_the_writes_summed_from_the_gated_run():
    h = c = 0.0
    writes = 0.0
    for x in (1, 2, 3):   # the seed cell *with* f_t = sigma(0.5 x + 0.1 h), summing i_t g_t
        i, g = sig(0.6 * x + 0.2 * h), math.tanh(0.7 * x + 0.3 * h)
        c = sig(0.5 * x + 0.1 * h) * c + i * g
        writes += i * g
        h = sig(0.8 * x + 0.4 * h) * math.tanh(c)
    assert abs(writes - lstm_1997_scalar([1, 2, 3])[-1]) < 0.002        # close, yet wrong
    verdict = checks.check_09_c3_without_forget_gate(round(writes, 3))
    assert not verdict and "*with* its forget gate" in verdict.text


def test_c3_check_names_the_write_of_step_3_alone():
    h = c = 0.0
    for x in (1, 2, 3):   # the 1997 cell, keeping i_3 g_3
        i, g = sig(0.6 * x + 0.2 * h), math.tanh(0.7 * x + 0.3 * h)
        c += i * g
        h = sig(0.8 * x + 0.4 * h) * math.tanh(c)
    verdict = checks.check_09_c3_without_forget_gate(i * g)
    assert not verdict and "only what step 3 writes" in verdict.text


def test_gru_check_accepts_torchs_equations():
    h1 = gru_scalar(checks.GRU_EXERCISE, [checks.GRU_X1], checks.GRU_H0)[0][3]
    verdict = checks.check_09_gru_step(h1)
    assert verdict and verdict.text.startswith(f"{h1:.6g}")


@pytest.mark.parametrize("mistake, says", [("swap", "swapped"), ("outside", "inside"),
                                           ("no_reset", "reset gate is missing")])
def test_gru_check_names_each_usual_mistake(mistake, says):
    w, x, h = checks.GRU_EXERCISE, checks.GRU_X1, checks.GRU_H0
    r = sig(w["W_ir"] * x + w["W_hr"] * h)
    z = sig(w["W_iz"] * x + w["b_iz"] + w["W_hz"] * h)
    if mistake == "no_reset":
        r = 1.0
    inner = r * w["W_hn"] * h + (w["b_hn"] if mistake == "outside" else r * w["b_hn"])
    n = math.tanh(w["W_in"] * x + inner)
    wrong = z * n + (1 - z) * h if mistake == "swap" else (1 - z) * n + z * h
    verdict = checks.check_09_gru_step(wrong)
    assert not verdict and says in verdict.text


def test_gru_parameter_check_counts_torchs_layout():
    D, H = 10, 20
    shapes = [(3 * H, D), (3 * H, H), (3 * H,), (3 * H,)]    # weight_ih, weight_hh, two biases
    assert checks.check_09_gru_parameters(sum(int(np.prod(s)) for s in shapes))
    for wrong, says in ((4 * H * (D + H + 2), "LSTM's count"), (3 * H * (D + H + 1), "one bias"),
                        (3 * H * (D + H), "leaves out the biases")):
        verdict = checks.check_09_gru_parameters(wrong)
        assert not verdict and says in verdict.text
    assert "whole number" in checks.check_09_gru_parameters(1920.5).text


def test_adding_failures_check_reads_the_committed_table():
    assert checks.check_09_adding_failures({"no_forget_gate", "no_input_gate"})
    assert checks.check_09_adding_failures(["no_input_gate", "no_forget_gate"])
    verdict = checks.check_09_adding_failures({"no_forget_gate", "no_output_activation"})
    assert not verdict and "no_output_activation solved 8 of 8" in verdict.text
    assert "Greff et al." in verdict.text


@pytest.mark.parametrize("bad, says", [(None, "Replace None"), (3, "set or list"),
                                       ({"lstm2000"}, "Unknown name")])
def test_adding_failures_check_says_what_it_expected(bad, says):
    verdict = checks.check_09_adding_failures(bad)
    assert not verdict and says in verdict.text


@pytest.mark.parametrize("check", [checks.check_09_c3_without_forget_gate,
                                   checks.check_09_gru_step, checks.check_09_gru_parameters])
@pytest.mark.parametrize("bad, says", [(None, "Replace None"), ("0.5", "without quotes"),
                                       (float("nan"), "not a number"), ([1, 2], "2 numbers")])
def test_number_checks_answer_bad_input_with_a_message(check, bad, says):
    verdict = check(bad)
    assert not verdict and says in verdict.text


def test_seed_variant_and_gru_from_scalars_refuse_unknown_names():
    with pytest.raises(ValueError, match="name must be one of"):
        seed_variant("lstm1997")
    with pytest.raises(ValueError, match="unknown weight name"):
        gru_from_scalars(W_xr=1.0)

"""Headless widget tests of notebooks 01-05 and the checks of their exercises.

Each notebook is executed in a real kernel with nbclient; then, in that same kernel, its panel's
widgets are moved from code the way the browser moves them (`set_state`, a button click) and the
figure's data is read back and compared with lstm_core run on the new weights. Expected numbers
come from lstm_core itself (the single source of the cell's math), from the seed document, or
from analytic facts; never from the panels' own output.
"""
import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import lstm_exercises as ex
from lstm_core import SEED_WEIGHTS, seed_lstm
from lstm_viz import input_sequence

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# notebook: the names of its gate panels and their focus
GATE_NOTEBOOKS = {
    "01_forget_gate.ipynb": {"panel": "f"},
    "02_input_gate_and_candidate.ipynb": {"panel_i": "i", "panel_g": "g"},
    "03_cell_state.ipynb": {"panel": "c"},
    "04_output_gate_and_prediction.ipynb": {"panel": "o"},
}
DASHBOARD = "05_dashboard.ipynb"
# the seed document's printout on 1, 2, 3 (shared/seed/scalar_lstm_walkthrough.txt)
SEED_DOC = dict(f=[0.622, 0.736, 0.827], i=[0.646, 0.778, 0.873], g=[0.604, 0.901, 0.980],
                c=[0.390, 0.988, 1.672], o=[0.690, 0.846, 0.934], h=[0.256, 0.640, 0.871])
SEED_PREDICTION = 3.483


class Kernel:
    """A notebook executed top to bottom in a live kernel that then runs more code."""

    def __init__(self, name):
        self.nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        self.client = NotebookClient(self.nb, timeout=60, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
        # without this, nbclient's emulation of the Output widget can stall a cell for its
        # whole timeout (jupyter/nbclient#312)
        self.client.widget_registry = {}
        self._kernel = self.client.setup_kernel()
        self._kernel.__enter__()
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type == "code":
                self.client.execute_cell(cell, index)
        self.nb.cells.append(nbformat.v4.new_code_cell(READ))
        self.client.execute_cell(self.nb.cells[-1], len(self.nb.cells) - 1)

    def run(self, code):
        """Run `code` in the kernel with warnings and floating-point errors raised; returns
        the value it prints as JSON. Any exception fails the calling test."""
        prelude = ("import json, warnings\nimport numpy as np\n"
                   "with warnings.catch_warnings(), np.errstate(over='raise', invalid='raise', "
                   "divide='raise'):\n    warnings.simplefilter('error')\n")
        body = "".join("    " + line + "\n" for line in code.strip().splitlines())
        cell = nbformat.v4.new_code_cell(prelude + body)
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        return json.loads(text.strip().splitlines()[-1])

    def close(self):
        self._kernel.__exit__(None, None, None)


# code run in the kernel: the figure's data, the panel's input and weights, as JSON
READ = """
def read(p):
    return dict(lines={k: [np.asarray(l.get_xdata(), float).tolist(), np.asarray(l.get_ydata(), float).tolist()]
                       for k, l in p.lines.items()},
                xs=np.asarray(p.xs, float).tolist(), weights=p.weights, redraw=p.last_redraw)
"""


def expected_lines(weights, xs):
    """What each plotted signal must be, from lstm_core: name -> (t, values)."""
    cell = seed_lstm(**weights)
    tr = cell.run(np.asarray(xs, float))
    T = len(xs)
    h_prev = np.concatenate([[0.0], tr.h[:-1]])
    c_prev = np.concatenate([[0.0], tr.c[:-1]])
    y = cell.predict(tr.h)
    t = np.arange(1, T + 1)
    return {"x": (t, tr.x), "f": (t, tr.f), "i": (t, tr.i), "g": (t, tr.g), "o": (t, tr.o),
            "c": (t, tr.c), "h": (t, tr.h), "h_prev": (t, h_prev), "kept": (t, tr.f * c_prev),
            "written": (t, tr.i * tr.g), "tanh_c": (t, np.tanh(tr.c)), "y": (t + 1, y),
            "y_next": ([T + 1], [y[-1]])}


def assert_plots_lstm_core(state):
    """Every line of a panel state read in the kernel equals lstm_core on its weights and input."""
    want = expected_lines(state["weights"], state["xs"])
    for name, (x, y) in state["lines"].items():
        np.testing.assert_allclose(x, want[name][0], err_msg=f"time axis of {name}")
        np.testing.assert_allclose(y, want[name][1], rtol=1e-12, atol=1e-12, err_msg=name)


def changed(a, b):
    return any(len(a["lines"][k][1]) != len(b["lines"][k][1]) or
               not np.allclose(a["lines"][k][1], b["lines"][k][1], rtol=0, atol=1e-9)
               for k in a["lines"])


@pytest.fixture(scope="module", params=list(GATE_NOTEBOOKS))
def gate_kernel(request):
    kernel = Kernel(request.param)
    kernel.panels = GATE_NOTEBOOKS[request.param]
    yield kernel
    kernel.close()


@pytest.fixture(scope="module")
def dash_kernel():
    kernel = Kernel(DASHBOARD)
    yield kernel
    kernel.close()


# ---- notebooks 01-04 ---------------------------------------------------------------------------

def test_gate_panels_start_at_the_seed_documents_numbers(gate_kernel):
    for var in gate_kernel.panels:
        state = gate_kernel.run(f"print(json.dumps(read({var})))")
        assert state["weights"] == SEED_WEIGHTS
        assert state["xs"][:3] == [1.0, 2.0, 3.0]
        for s, values in SEED_DOC.items():
            if s in state["lines"]:
                assert np.round(state["lines"][s][1][:3], 3).tolist() == values, (var, s)
        assert_plots_lstm_core(state)


def test_each_slider_moves_the_figure_to_lstm_cores_numbers(gate_kernel):
    for var in gate_kernel.panels:
        names, states = gate_kernel.run(f"""
out = [read({var})]
for name, s in {var}.sliders.items():
    s.set_state(dict(value=2.3 if s.value != 2.3 else -1.7))   # as the browser sends a drag
    out.append(read({var}))
    s.set_state(dict(value=s.min)); out.append(read({var}))
    s.set_state(dict(value=s.max)); out.append(read({var}))
    {var}.reset.click()
print(json.dumps([list({var}.sliders), out]))""")
        default, moves = states[0], states[1:]
        assert len(moves) == 3 * len(names)
        for k, state in enumerate(moves):
            moved = {n for n, v in state["weights"].items() if v != SEED_WEIGHTS[n]}
            assert moved == {names[k // 3]}, moved
            assert changed(state, default), f"{var}: moving {moved} changed no line"
            assert all(np.all(np.isfinite(y)) for _, y in state["lines"].values())
            assert_plots_lstm_core(state)


def test_every_input_kind_and_length_is_plotted_from_lstm_core(gate_kernel):
    for var in gate_kernel.panels:
        states = gate_kernel.run(f"""
out = []
{var}.sliders[list({var}.sliders)[0]].value = -3.0
for kind in ["ramp", "step", "sine", "pulse", "noise"]:
    for T in (1, 7, {var}.length.max):
        {var}.sequence.set_state(dict(index=[k for _, k in {var}.sequence.options].index(kind)))
        {var}.length.set_state(dict(value=T))
        out.append(dict(read({var}), kind=kind, T=T))
{var}.reset.click()
out.append(read({var}))
print(json.dumps(out))""")
        for state in states[:-1]:
            assert state["xs"] == input_sequence(state["kind"], state["T"]).tolist()
            assert_plots_lstm_core(state)
        assert states[-1]["weights"] == SEED_WEIGHTS and states[-1]["xs"][:3] == [1.0, 2.0, 3.0]


def test_all_sliders_of_a_gate_panel_at_their_corners_stay_finite(gate_kernel):
    for var in gate_kernel.panels:
        n, states = gate_kernel.run(f"""
import itertools
out = []
{var}.sequence.value = "ramp"; {var}.length.value = {var}.length.max
sl = list({var}.sliders.values())
for corner in itertools.product(*[(s.min, s.max) for s in sl]):
    with {var}.hold():                       # all sliders moved, then one redraw
        for s, v in zip(sl, corner):
            s.value = v
    out.append(read({var}))
{var}.reset.click()
print(json.dumps([len(sl), out]))""")
        assert len(states) == 2 ** n
        for state in states:
            assert all(np.all(np.isfinite(y)) for _, y in state["lines"].values())
            assert_plots_lstm_core(state)


# ---- notebook 05: the dashboard ------------------------------------------------------------------

def test_dashboard_starts_at_the_seed_with_its_prediction(dash_kernel):
    state = dash_kernel.run("print(json.dumps(dict(read(panel), text=panel.text.value, "
                            "prediction=panel.prediction)))")
    assert state["weights"] == SEED_WEIGHTS and state["xs"] == [1.0, 2.0, 3.0]
    assert state["text"] == "1, 2, 3"
    for s, values in SEED_DOC.items():
        assert np.round(state["lines"][s][1], 3).tolist() == values, s
    assert round(state["prediction"], 3) == SEED_PREDICTION
    assert state["lines"]["y_next"] == [[4.0], [pytest.approx(state["prediction"])]]
    assert_plots_lstm_core(state)


def test_dashboard_has_a_slider_for_every_weight_labelled_with_its_symbol(dash_kernel):
    labels = dash_kernel.run("print(json.dumps({k: s.description for k, s in panel.sliders.items()}))")
    assert set(labels) == set(SEED_WEIGHTS)
    # ipywidgets' label HTML allows <i> and styled <span>, not <sub>: the subscript is a span
    for name, label in labels.items():
        letter, sub = name.split("_")
        assert label.startswith(f"<i>{letter}</i><span style='vertical-align:sub") and f">{sub}</span>" in label


def test_each_dashboard_slider_moves_the_figure_to_lstm_cores_numbers(dash_kernel):
    states = dash_kernel.run("""
out = [read(panel)]
for name, s in panel.sliders.items():
    s.set_state(dict(value=-2.2))
    out.append(read(panel))
    panel.reset.click()
print(json.dumps(out))""")
    default = states[0]
    assert len(states) == 1 + 14
    for state in states[1:]:
        assert changed(state, default)
        assert_plots_lstm_core(state)


def test_typing_a_sequence_redraws_the_dashboard(dash_kernel):
    before, after = dash_kernel.run("""
a = read(panel)
panel.text.set_state(dict(value="4, 5, 6, 7"))      # what the browser sends on Enter
b = dict(read(panel), message=panel.message.value)
panel.reset.click()
print(json.dumps([a, b]))""")
    assert after["xs"] == [4.0, 5.0, 6.0, 7.0] and after["message"] == ""
    assert after["lines"]["x"][1] == [4.0, 5.0, 6.0, 7.0]
    assert after["lines"]["y_next"][0] == [5.0]
    assert changed(after, before)
    assert_plots_lstm_core(after)


@pytest.mark.parametrize("bad", ["1, two, 3", "", " , ", "1, nan", "1e400", "1, 2, 5000"])
def test_bad_text_shows_a_message_and_changes_nothing(dash_kernel, bad):
    before, after = dash_kernel.run(f"""
panel.sliders["b_f"].value = 1.5
a = read(panel)
panel.text.set_state(dict(value={bad!r}))
b = dict(read(panel), message=panel.message.value, trace_same=panel.trace is not None)
panel.reset.click()
print(json.dumps([a, b]))""")
    assert "Could not read" in after["message"]
    assert after["lines"] == before["lines"] and after["xs"] == before["xs"]
    assert after["weights"] == before["weights"]


def test_reset_restores_the_seed_after_sliders_and_text_moved(dash_kernel):
    state = dash_kernel.run("""
for s in panel.sliders.values():
    s.value = s.max
panel.text.value = "9, -9, 9"
panel.text.value = "oops"
panel.reset.click()
print(json.dumps(dict(read(panel), text=panel.text.value, message=panel.message.value,
                      prediction=panel.prediction)))""")
    assert state["weights"] == SEED_WEIGHTS
    assert state["text"] == "1, 2, 3" and state["xs"] == [1.0, 2.0, 3.0] and state["message"] == ""
    assert round(state["prediction"], 3) == SEED_PREDICTION
    assert_plots_lstm_core(state)


def test_dashboard_with_all_sliders_at_their_corners_stays_finite(dash_kernel):
    states = dash_kernel.run("""
rng = np.random.default_rng(0)
sl = list(panel.sliders.values())
out = []
corners = [[0] * 14, [1] * 14, [0, 1] * 7, [1, 0] * 7] + rng.integers(0, 2, (28, 14)).tolist()
for text in ["1, 2, 3", ", ".join(["1000"] * 40), "-1000, 1000, -1000, 0"]:
    panel.text.value = text
    for corner in corners:
        with panel.hold():                   # all sliders moved, then one redraw
            for s, k in zip(sl, corner):
                s.value = (s.min, s.max)[k]
        out.append(read(panel))
panel.reset.click()
print(json.dumps(out))""")
    assert len(states) == 3 * 32
    for state in states:
        assert all(np.all(np.isfinite(y)) for _, y in state["lines"].values())
        assert_plots_lstm_core(state)


# ---- what a reader without a kernel sees ------------------------------------------------------------

@pytest.mark.parametrize("name", [*GATE_NOTEBOOKS, DASHBOARD])
def test_stored_notebook_has_a_static_image_for_every_panel(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    views = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    panels = len(GATE_NOTEBOOKS.get(name, {"panel": "dashboard"}))
    assert len(views) == panels
    for o in views:
        png = o["data"].get("image/png", "")
        assert png[:20] == "iVBORw0KGgoAAAANSUhE", "a panel output without its PNG fallback"


# ---- the exercises' checks: a right answer passes, a wrong one does not ----------------------------
sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731


@pytest.mark.parametrize("check, right, wrong", [
    # by hand at t = 1 (h_0 = C_0 = 0, x_1 = 1): analytic values
    (ex.check_01_forget_gate_step_1, round(sig(0.5 + 2), 3), 0.622),
    (ex.check_02_written_step_1, round(sig(0.6 - 1) * math.tanh(0.7), 3), 0.390),
    (ex.check_04_hidden_state_step_1, round(sig(0.8 - 1) * math.tanh(0.390), 3), 0.256),
    # from the seed document's printout
    (ex.check_03_cell_state_step_2, 0.988, 0.390),
    # which bias moves the prediction most: computed below with the seed document's own loop
    (ex.check_05_strongest_bias, "STRONGEST", "b_f"),
])
def test_number_checks_accept_the_right_answer_and_reject_a_wrong_one(check, right, wrong):
    if right == "STRONGEST":
        right = strongest_bias_by_the_seed_documents_loop()
        wrong = "b_f" if right != "b_f" else "b_i"
    assert check(right), check(right)
    verdict = check(wrong)
    assert not verdict
    shown = right if isinstance(right, str) else f"{right:.3f}"
    assert shown not in verdict.text, "a wrong answer's hint must not give the right one away"
    assert not check(None)


def strongest_bias_by_the_seed_documents_loop():
    """The seed document's scalar LSTM (its own code, transcribed), biases moved one at a time."""
    def predict(b):
        w = dict(SEED_WEIGHTS, **b)
        h = C = 0.0
        for x in (1, 2, 3):
            f = sig(w["W_f"] * x + w["W_hf"] * h + w["b_f"])
            i = sig(w["W_i"] * x + w["W_hi"] * h + w["b_i"])
            g = math.tanh(w["W_c"] * x + w["W_hc"] * h + w["b_c"])
            C = f * C + i * g
            o = sig(w["W_o"] * x + w["W_ho"] * h + w["b_o"])
            h = o * math.tanh(C)
        return w["W_y"] * h + w["b_y"]
    base = predict({})
    return max(["b_f", "b_i", "b_c", "b_o"], key=lambda b: abs(predict({b: 2.0}) - base))


@pytest.mark.parametrize("check, right, why", [
    # sigma(z) > 0.95 needs z > 2.95; with b_f = 6, z >= 6 + 0.5 - 0.1 for any |h| < 1
    (ex.check_01_forget_gate_open, dict(b_f=6.0), "z_f >= 6.4 at every step"),
    # after the pulse f_t <= sigma(-8 + 0.1) ~ 4e-4 wipes C; what is written is tanh(0.3 h) * i, tiny
    (ex.check_01_forget_the_pulse, dict(b_f=-8.0), "f_t ~ 0"),
    # W_i = 0, b_i = -8: i_t <= sigma(-8 + 0.2) < 0.001
    (ex.check_02_input_gate_shut, dict(W_i=0.0, b_i=-8.0), "i_t < 0.001"),
    # W_c = -1, W_hc = 0: g_t = tanh(-x_t) < 0 for x_t > 0
    (ex.check_02_negative_candidate, dict(W_c=-1.0, W_hc=0.0), "g_t = tanh(-x_t)"),
    # f ~ 1 after the pulse; i ~ sigma(8 x - 6): open at x = 1, shut (0.0025) at x = 0
    (ex.check_03_conveyor_belt, dict(b_f=8.0, W_i=8.0, W_hi=0.0, b_i=-6.0), "write once, keep"),
    # f ~ 0 keeps nothing; the seed's i_t g_t >= 0.778 * 0.901 from t = 2 on
    (ex.check_03_no_memory, dict(b_f=-8.0, W_hf=0.0), "f_t ~ 0"),
    # W_o = 0, b_o = -8: |h_t| <= sigma(-8 + 0.4) < 0.001
    (ex.check_04_hide_the_memory, dict(W_o=0.0, b_o=-8.0), "o_t ~ 0"),
    # the seed document: 4 * h_3 = 3.483, so b_y = 4 - 3.483 makes it 4.000
    (ex.check_04_predict_four, dict(b_y=4 - SEED_PREDICTION), "y = 3.483 + 0.517"),
    # all gates open and g ~ 1: C_3 ~ 3, h_3 ~ tanh(3), y ~ 4 tanh(3) = 3.980
    (ex.check_05_predict_four_with_gates, dict(b_f=8.0, b_i=8.0, b_c=8.0, b_o=8.0), "4 tanh(3)"),
])
def test_weight_checks_accept_a_right_answer_and_reject_the_seed(check, right, why):
    assert check(**right), (why, check(**right))
    assert check(**dict(SEED_WEIGHTS, **right)), "the full set of weights, as **panel.weights gives"
    verdict = check(**SEED_WEIGHTS)
    assert not verdict and "Hint" in verdict.text


def test_weight_checks_refuse_weights_the_exercise_does_not_move():
    verdict = ex.check_01_forget_gate_open(b_f=6.0, b_o=1.0)
    assert not verdict and "b_o" in verdict.text
    assert not ex.check_01_forget_gate_open(b_f="six")
    assert not ex.check_01_forget_gate_open(W_q=1.0)
    assert not ex.check_01_forget_gate_open()


def test_negative_prediction_check_reads_text_or_numbers():
    # all-negative inputs keep g_t, C_t and h_t negative, so the prediction 4 h_T is negative
    assert ex.check_05_negative_prediction("-1, -2, -3")
    assert ex.check_05_negative_prediction([-1.0, -2.0, -3.0])
    assert not ex.check_05_negative_prediction("1, 2, 3")   # the seed document: 3.483
    assert not ex.check_05_negative_prediction("1, two")

"""Headless widget tests of notebooks 01-05 (their exercises' checks: tests/test_checks.py).

Each notebook is executed in a real kernel with nbclient; then, in that same kernel, its panel's
widgets are moved from code the way the browser moves them (`set_state`, a button click) and the
figure's data is read back and compared with lstm_core run on the new weights. Expected numbers
come from lstm_core itself (the single source of the cell's math), from the seed document, or
from analytic facts; never from the panels' own output.
"""
import json
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from lstm_classroom.inputs import input_sequence
from lstm_core import SEED_WEIGHTS, seed_lstm

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# notebook: the names of its gate panels and the input each starts on, (kind, T): each gate is
# shown on an input where its job is visible (a pulse to keep or write, a sine's sign); 04 stays on
# the seed's ramp, where the memory outgrows what the cell can show
GATE_NOTEBOOKS = {
    "01_forget_gate.ipynb": {"panel": ("pulse", 12)},
    "02_input_gate_and_candidate.ipynb": {"panel_i": ("pulse", 12), "panel_g": ("sine", 16)},
    "03_cell_state.ipynb": {"panel": ("pulse", 12)},
    "04_output_gate_and_prediction.ipynb": {"panel": ("ramp", 6)},
}
DASHBOARD = "05_dashboard.ipynb"
# the seed document's printout on 1, 2, 3 (docs/seed/scalar_lstm_walkthrough.txt)
SEED_DOC = dict(f=[0.622, 0.736, 0.827], i=[0.646, 0.778, 0.873], g=[0.604, 0.901, 0.980],
                c=[0.390, 0.988, 1.672], o=[0.690, 0.846, 0.934], h=[0.256, 0.640, 0.871])
SEED_PREDICTION = 3.483
# a cell's outputs arrive after its reply; nbclient waits 4 s for them and then, by default, drops
# the rest without a word (seen under load: a cell's printed result missing). Wait up to a minute
# and fail rather than check less.
COMPLETE_OUTPUTS = dict(iopub_timeout=60, raise_on_iopub_timeout=True)


class Kernel:
    """A notebook executed top to bottom in a live kernel that then runs more code."""

    def __init__(self, name):
        self.nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        self.client = NotebookClient(self.nb, timeout=60, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}},
                                     **COMPLETE_OUTPUTS)
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
    return dict(lines={k: [np.asarray(l.get_xdata(), float).tolist(),
                           np.asarray(l.get_ydata(), float).tolist()]
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

def test_gate_panels_start_at_the_seed_weights_on_their_input(gate_kernel):
    for var, (kind, T) in gate_kernel.panels.items():
        state = gate_kernel.run(f"print(json.dumps(read({var})))")
        assert state["weights"] == SEED_WEIGHTS
        assert state["xs"] == input_sequence(kind, T).tolist()
        if kind == "ramp":       # the seed's 1, 2, 3 continued: its printout comes first
            for s, values in SEED_DOC.items():
                if s in state["lines"]:
                    assert np.round(state["lines"][s][1][:3], 3).tolist() == values, (var, s)
        assert_plots_lstm_core(state)


def test_a_gate_panel_on_the_ramp_starts_with_the_seed_documents_numbers():
    # whatever input a notebook starts on, the panel on the seed's ramp shows the seed document
    import lstm_classroom.live
    from lstm_classroom.panels import gate_panel
    lstm_classroom.live.use_live_figures("image", quiet=True)
    for focus in ("f", "i", "g", "c", "o"):
        panel = gate_panel(focus, kind="ramp", T=6)
        for s, values in SEED_DOC.items():
            if s in panel.lines:
                assert np.round(panel.lines[s].get_ydata()[:3], 3).tolist() == values, (focus, s)


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
        kind, T = gate_kernel.panels[var]        # reset: the seed's weights on the panel's input
        assert states[-1]["weights"] == SEED_WEIGHTS
        assert states[-1]["xs"] == input_sequence(kind, T).tolist()


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
    labels = dash_kernel.run(
        "print(json.dumps({k: s.description for k, s in panel.sliders.items()}))")
    assert set(labels) == set(SEED_WEIGHTS)
    # ipywidgets' label HTML allows <i> and styled <span>, not <sub>: the subscript is a span
    for name, label in labels.items():
        letter, sub = name.split("_")
        assert label.startswith(f"<i>{letter}</i><span style='vertical-align:sub")
        assert f">{sub}</span>" in label


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

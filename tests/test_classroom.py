"""Fast in-process tests of lstm_classroom: input sequences, the text box's parser, the panels
(every panel built from controls + compute + rows), the live figure (the canvas a page shows, built
from the changed rectangles the kernel sends, is exactly what a full draw draws; in image mode a
shown panel is an image that follows its sliders), the words that describe each figure, and the
static PNG a reader without a kernel sees."""
import base64
import warnings

import numpy as np
import pytest

from conftest import PageCanvas, unpack_runs
from lstm_classroom import live, panels
from lstm_classroom.backprop_panels import backward_stepper
from lstm_classroom.figures import compare
from lstm_classroom.inputs import MAX_T, input_sequence, parse_sequence
from lstm_classroom.panels import LiveLoss, dashboard, gate_panel, gradient_panel
from lstm_core import SEED_WEIGHTS, seed_lstm
from lstm_learn import gradient_by_lag

pytestmark = pytest.mark.usefixtures("image_mode")   # tests/conftest.py


# ---- input sequences -----------------------------------------------------------------------------

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
    np.testing.assert_array_equal(input_sequence("noise", 4),
                                  np.random.default_rng(0).standard_normal(4))
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
    ("1, two, 3", "'two' is not a number"), ("", "at least one number"),
    (", ,", "at least one number"),
    ("1, nan", "'nan' is not a number"), ("inf", "out of range"), ("1e400", "out of range"),
    ("1, 1001", "out of range"), ("1,,2", "no number between them"), ("1; ;2", "no number"),
    ("1" * 2001, "2,001 characters long"), ("1, " + "9" * 30, "'99999999999999999999…'"),
    (", ".join(["1"] * (MAX_T + 1)), f"at most {MAX_T}")])
def test_bad_sequence_text_raises_a_message_for_the_learner(text, says):
    with pytest.raises(ValueError, match=says):
        parse_sequence(text)


def test_sequence_text_must_be_a_string():
    with pytest.raises(TypeError, match="text"):
        parse_sequence([1, 2, 3])


# ---- panels, in process (Agg, image mode) --------------------------------------------------------

def test_gate_panel_rejects_an_unknown_focus():
    with pytest.raises(ValueError, match="focus"):
        gate_panel("x")


@pytest.mark.parametrize("focus, names", [("f", ["W_f", "W_hf", "b_f"]),
                                          ("i", ["W_i", "W_hi", "b_i"]),
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
    monkeypatch.setattr(panels, "seed_lstm", lambda **w: calls.append(w) or seed_lstm(**w))
    with panel.hold():
        for s in panel.sliders.values():
            s.value = s.max
        panel.text.value = "5, 6, 7"
    assert len(calls) == 1
    at_max = seed_lstm(**{n: s.max for n, s in panel.sliders.items()})
    np.testing.assert_allclose(panel.lines["c"].get_ydata(), at_max.run([5, 6, 7]).c)


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
    parts = [f.png() for f in
             (panel.live, panel.views["diagram"].live)]         # the curves above the diagram
    sizes = [(int.from_bytes(p[16:20], "big"), int.from_bytes(p[20:24], "big")) for p in parts]
    assert width == max(w for w, _ in sizes) == round(panel.live.fig.get_size_inches()[0] * 100)
    assert height == sum(h for _, h in sizes)
    assert width <= 840, "a figure wider than the notebook column is scaled down"
    assert data["text/plain"].startswith("Figure: the forget gate over T = 6 steps.")
    assert "f_t rises from 0.622 to" in data["text/plain"]     # the seed document's f_1


def test_in_image_mode_a_shown_panel_follows_its_sliders_as_an_image():
    panel = gate_panel("f")
    assert panel.last_redraw == "none"              # not shown yet: nothing is drawn
    panel._repr_mimebundle_()
    before = panel.live.view.value
    words = panel.words.value
    panel.sliders["b_f"].value = 3.0
    assert panel.last_redraw == "image" and panel.live.view.value != before
    assert panel.words.value != words and "aria-live='polite'" in panel.words.value


# ---- the live path: a canvas in the page, sent the rectangle that changed ------------------------

@pytest.fixture
def canvas_panels():
    live.use_live_figures("canvas", quiet=True)
    return panels


def full_draw(fig):
    """The figure drawn whole, as (h, w) uint32 pixels."""
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).view(np.uint32)[..., 0].copy()


def test_two_threads_moving_sliders_at_once_lose_no_change(canvas_panels):
    """JupyterLab with a kernel that has subshells (ipykernel >= 7) runs widget messages on their
    own thread while cells run on the main one. matplotlib's text drawing is not thread-safe:
    without live.DRAW_LOCK two dashboards moved at once from two threads fail within a few dozen
    moves ("raster overflow" from FreeType), and the change being drawn is lost."""
    import threading
    boards = [canvas_panels.dashboard(), canvas_panels.dashboard()]
    pages = [PageCanvas(figure) for board in boards for figure in (board.live, board.diagram_view)]
    errors = []

    def move(board, name):
        try:
            for k in range(40):
                board.sliders[name].value = round(-2 + 0.1 * k, 2)
                board.step.value = 1 + k % 3
        except Exception as err:   # noqa: BLE001 - what the other thread's drawing broke
            errors.append(f"{type(err).__name__}: {err}")
    threads = [threading.Thread(target=move, args=(b, n)) for b, n in zip(boards, ("W_f", "W_i"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for board, name in zip(boards, ("W_f", "W_i")):
        assert board.sliders[name].value == pytest.approx(1.9)
        assert board.cell.weight_ih[1 if name == "W_f" else 0, 0] == pytest.approx(1.9)
        assert f"= <b>{board.prediction:.3f}</b>" in board.readout.value
    figures = [figure for board in boards for figure in (board.live, board.diagram_view)]
    for page, figure in zip(pages, figures):
        assert np.array_equal(page.pixels, full_draw(figure.fig))


@pytest.mark.parametrize("make", [lambda v: v.gate_panel("o"), lambda v: v.dashboard()])
def test_the_page_shows_after_each_blitted_move_exactly_what_a_full_draw_draws(canvas_panels,
                                                                              make):
    panel = make(canvas_panels)
    page = PageCanvas(panel.live)
    assert page.frames[0]["full"], "a page that appears gets the whole figure"
    slider = list(panel.sliders.values())[0]
    blits = 0
    for step in (0.1, 0.1, 0.1, -0.3, 0.3, -1.0):   # small moves: mostly no axis limit changes
        slider.value = slider.value + step
        assert panel.last_redraw in ("blit", "full")
        if panel.last_redraw == "blit":
            blits += 1
            assert not page.frames[-1]["full"], "only the rectangle that changed is sent"
            assert page.frames[-1]["w"] * page.frames[-1]["h"] < page.pixels.size
        assert np.array_equal(page.pixels, full_draw(panel.live.fig))
    assert blits >= 3


def test_a_move_that_leaves_the_axis_is_drawn_whole(canvas_panels):
    panel = canvas_panels.dashboard()
    page = PageCanvas(panel.live)
    panel.sliders["W_y"].value = panel.sliders["W_y"].max   # the prediction jumps out of view
    assert panel.last_redraw == "full"
    lo, hi = panel.axes[1].get_ylim()
    assert lo <= panel.prediction <= hi
    assert np.array_equal(page.pixels, full_draw(panel.live.fig))
    panel.sliders["W_f"].value += 0.1         # over the new background: new limits, new ticks
    assert panel.last_redraw in ("blit", "full")
    assert np.array_equal(page.pixels, full_draw(panel.live.fig))


def test_a_canvas_no_page_shows_is_not_drawn_and_one_that_appears_gets_all_of_it(canvas_panels):
    panel = canvas_panels.gate_panel("f")
    panel.sliders["W_f"].value += 0.5
    assert panel.last_redraw == "none"      # no page: no drawing, nothing sent
    page = PageCanvas(panel.live)
    assert [f["full"] for f in page.frames] == [True]
    assert np.array_equal(page.pixels, full_draw(panel.live.fig))
    panel.sliders["W_f"].value += 0.5
    assert panel.last_redraw == "blit" and len(page.frames) == 2
    again = PageCanvas(panel.live)          # e.g. the notebook opened in a second tab
    assert [f["full"] for f in again.frames] == [True]


def test_a_high_density_screen_gets_the_figure_at_its_pixel_ratio(canvas_panels):
    panel = canvas_panels.gate_panel("f")
    width, height = panel.live.view.width, panel.live.view.height
    assert (width, height) == (round(panel.live.fig.bbox.width), round(panel.live.fig.bbox.height))
    page = PageCanvas(panel.live, ratio=2)
    assert page.pixels.shape == (2 * height, 2 * width)
    assert (panel.live.view.width, panel.live.view.height) == (width, height)   # same CSS size
    panel.sliders["W_f"].value += 0.1
    assert panel.last_redraw in ("blit", "full")
    assert np.array_equal(page.pixels, full_draw(panel.live.fig))


@pytest.mark.parametrize("message", [{"type": "ready", "ratio": "two"}, {"type": "ready"},
                                     {"type": "ready", "ratio": float("nan")},
                                     {"type": "ready", "ratio": True},
                                     {"type": "ready", "ratio": 1e9},
                                     {"type": "ready", "ratio": -3}])
def test_a_ready_message_with_a_bad_ratio_draws_at_a_sensible_one(canvas_panels, message):
    panel = canvas_panels.gate_panel("f")
    sent = []
    panel.live.view.send = lambda content, buffers: sent.append(content)
    panel.live.view._message(panel.live.view, message, [])
    assert sent and sent[0]["full"]
    assert 100 <= panel.live.fig.dpi <= 300 and np.isfinite(panel.live.fig.dpi)


@pytest.mark.parametrize("message", [{"type": "draw"}, "ready", None, {"kind": "ready"}])
def test_a_message_that_is_not_ready_changes_nothing(canvas_panels, message):
    panel = canvas_panels.gate_panel("f")
    sent = []
    panel.live.view.send = lambda content, buffers: sent.append(content)
    panel.live.view._message(panel.live.view, message, [])
    assert not sent and not panel.live.view.ready and panel.live.fig.dpi == 100


def test_a_move_sends_the_new_pixels_before_the_new_words(canvas_panels):
    panel = canvas_panels.gate_panel("f")
    page = PageCanvas(panel.live)
    order = []
    receive = page.receive
    panel.live.view.send = lambda content, buffers: (order.append("pixels"),
                                                       receive(content, buffers))
    for name, widget in (("words", panel.live.words), ("label", panel.live.view),
                         ("setting", panel.share)):
        send_state = widget.send_state
        widget.send_state = (lambda key=None, name=name, send_state=send_state:
                             (order.append(name), send_state(key)))
    words = panel.live.words.value
    panel.sliders["W_f"].value += 0.1
    assert order[0] == "pixels" and {"words", "label", "setting"} <= set(order[1:]), order
    assert panel.live.words.value != words and panel.live.view.label == panel.live.description


@pytest.mark.parametrize("shape", [(3, 5), (300, 400), (2, 70_000)])
def test_runs_rebuild_exactly_the_new_pixels_from_the_old(shape):
    rng = np.random.default_rng(0)
    old = np.full(shape, 0xFFFFFFFF, np.uint32)          # white
    old[shape[0] // 2:, : shape[1] // 3] = 0xFF1E140A    # a flat block
    old.ravel()[::7] = rng.integers(0, 2**32, old[::1].ravel()[::7].size, dtype=np.uint32)
    new = old.copy()
    new.ravel()[3::11] = rng.integers(0, 2**32, new.ravel()[3::11].size, dtype=np.uint32)
    new[-1, -3:] = 0x00000000                             # transparent pixels too
    for before in (None, old):                            # a full frame, then a change
        codes, values = live._runs(new, None if before is None else new != before)
        assert codes.dtype == np.uint16 and values.dtype == np.uint32
        start = np.zeros(shape, np.uint32) if before is None else before
        assert np.array_equal(unpack_runs(codes, values, start), new)
    assert len(values) < new.size // 5                   # a change sends the changed pixels
    codes, values = live._runs(old, np.zeros(old.shape, bool))
    assert (codes & 0x8000).all() and not len(values)     # nothing changed: nothing but kept runs


def test_a_bad_typed_sequence_is_refused_with_a_message_and_changes_nothing():
    panel = dashboard()
    before = {k: line.get_ydata().copy() for k, line in panel.lines.items()}
    panel.text.value = "1, two, 3"
    assert "Could not read that input" in panel.message.value and "'two'" in panel.message.value
    assert panel.xs.tolist() == [1.0, 2.0, 3.0]
    assert all(np.array_equal(before[k], line.get_ydata()) for k, line in panel.lines.items())
    panel.text.value = "4, 5"
    assert panel.message.value == "" and panel.xs.tolist() == [4.0, 5.0]


def test_dashboard_words_give_the_seed_documents_prediction():
    panel = dashboard()
    assert "ŷ_4 = 3.483" in panel.live.description
    assert "<b>3.483</b>" in panel.readout.value
    panel.sliders["b_y"].value = 1.0
    assert "ŷ_4 = 4.483" in panel.live.description and "<b>4.483</b>" in panel.readout.value


def test_gradient_panel_plots_what_lstm_learn_computes_for_its_sliders():
    panel = gradient_panel()
    panel._repr_mimebundle_()
    first = panel.live.view.value
    for scale, b_f in [(0.5, -2.0), (2.0, 4.0), (4.0, 6.0)]:
        with panel.hold():
            panel.scale.value, panel.b_f.value = scale, b_f
        want = gradient_by_lag(recurrent_scale=scale, forget_bias=b_f)
        for key, line in panel.lines.items():
            np.testing.assert_allclose(line.get_ydata(), np.maximum(want[key], 1e-300))
        assert f"scale {scale:g} and forget bias b_f = {b_f:g}" in panel.live.description
    assert panel.values == {"recurrent_scale": 4.0, "forget_bias": 6.0}
    assert panel.live.view.value != first


def test_live_loss_draws_the_losses_it_is_given_and_stores_the_finished_curve():
    losses = np.geomspace(1.0, 0.01, 60)
    curve = LiveLoss(60, "LSTM", "c", every=0.0, smooth=10)
    for k, loss in enumerate(losses):
        curve(k, loss)
    np.testing.assert_allclose(curve.raw.get_ydata(), losses)
    assert len(curve.smooth.get_ydata()) == 51
    assert "60 / 60 batches" in curve.bar.value
    text = curve._repr_mimebundle_()["text/plain"]
    assert "over 60 batches" in text and f"to {losses[-10:].mean():.4f}" in text


def test_compare_is_a_picture_with_words_and_fits_the_column():
    pic = compare("f", {"seed": {}, "b_f = 5": {"b_f": 5.0}}, kind="pulse", T=12)
    png = pic.png
    assert int.from_bytes(png[16:20], "big") <= 840
    c12 = seed_lstm(b_f=5.0).run(input_sequence("pulse", 12)).c[-1]
    assert "b_f = 5: " in pic.description and f"C_t ends at {c12:.3f}" in pic.description


def test_use_live_figures_picks_the_canvas_images_in_vs_code_and_refuses_an_unknown_mode(
        monkeypatch, capsys):
    monkeypatch.delenv("VSCODE_PID", raising=False)
    monkeypatch.delenv("VSCODE_CWD", raising=False)
    assert live.use_live_figures() == "canvas"
    assert "updated in place" in capsys.readouterr().out
    monkeypatch.setenv("VSCODE_PID", "1")
    assert live.use_live_figures() == "image"
    assert "in VS Code" in capsys.readouterr().out
    assert live.use_live_figures("canvas") == "canvas"      # asked for: the learner's choice
    for mode in ("widget", "ipympl"):
        with pytest.raises(ValueError, match="'canvas' or 'image'"):
            live.use_live_figures(mode)


# ---- settings: keep one, share one, restore one ------------------------------------------

PANELS = {"f": lambda **k: gate_panel("f", **k), "i": lambda **k: gate_panel("i", **k),
          "g": lambda **k: gate_panel("g", **k), "c": lambda **k: gate_panel("c", **k),
          "o": lambda **k: gate_panel("o", **k), "dashboard": lambda **k: dashboard(**k),
          "gradient": lambda **k: gradient_panel(**k)}


def move_everything(panel, rng):
    """Every control somewhere else than its default, in one go."""
    with panel.hold():
        for name, w in panel.controls.widgets.items():
            if name == "kind":
                w.value = "pulse"
            elif name == "text":
                w.value = "0.5, -2, 3, 7"
            elif name == "T":
                w.value = 11
            else:
                w.value = round(float(rng.uniform(w.min, w.max)) / w.step) * w.step


def plotted(panel):
    return {k: (line.get_xdata().tolist(), line.get_ydata().tolist())
            for k, line in panel.lines.items()}


@pytest.mark.parametrize("kind", PANELS)
def test_a_setting_round_trips_through_the_line_and_the_json_file(kind, tmp_path):
    panel = PANELS[kind]()
    move_everything(panel, np.random.default_rng(len(kind)))
    line = panel.setting
    assert line.startswith(f"panel={kind}; ") and "\n" not in line and len(line) < 400
    restored = PANELS[kind](setting=line)
    assert restored.values == panel.values and plotted(restored) == plotted(panel)
    assert restored.live.description == panel.live.description
    assert restored.share.value == line                    # the panel shows the line to copy
    panel.save(tmp_path / "setting.json")
    fresh = PANELS[kind]()
    assert fresh.load(tmp_path / "setting.json")
    assert fresh.values == panel.values and plotted(fresh) == plotted(panel)


def test_pasting_a_setting_into_the_panels_box_restores_it():
    a, b = dashboard(), dashboard()
    a.sliders["W_hf"].value = -3.1
    a.text.value = "2, 2, 2"
    b.share.value = a.setting                             # what pressing Enter sends
    assert b.values == a.values and b.prediction == a.prediction


def seed_line(**changes):
    """The dashboard's seed setting with some parts changed (text, not checked)."""
    live.use_live_figures("image", quiet=True)     # called while pytest collects the cases
    parts = dict(p.split("=", 1) for p in dashboard().setting.split("; "))
    return "; ".join(f"{k}={v}" for k, v in {**parts, **changes}.items())


@pytest.mark.parametrize("bad, says", [
    ("panel=f; W_f=0.5", "for panel 'f'"),
    ("panel=dashboard; W_f=0.5", "misses W_hf"),
    (seed_line(b_f="99"), "b_f = 99 is outside its slider"),
    (seed_line(b_f="nan"), "finite number"),
    (seed_line(b_f="text"), "must be a number"),
    (seed_line(W_q="1"), "unknown name(s) W_q"),
    (seed_line() + "; b_f=2", "given twice"),
    (seed_line(text="1, two"), "'two' is not a number"),
    (seed_line(text=", ".join(["1"] * 41)), "at most 40"),
    ('{"panel": "dashboard", "setting": [1, 2]}', '{"panel": ..., "setting"'),
    ("{not json", "JSON cannot be read"),
    ("x" * 3000, "at most 2000"),
    ("b_f", "is not name=value"),
])
def test_a_bad_setting_is_refused_with_a_message_and_changes_nothing(bad, says):
    panel = dashboard()
    panel.sliders["b_f"].value = 1.5
    before, values = plotted(panel), panel.values
    assert panel.restore(bad) is False
    assert says in panel.message.value and "unchanged" in panel.message.value
    assert plotted(panel) == before and panel.values == values


def test_loading_a_missing_file_says_so():
    panel = gate_panel("f")
    assert panel.load("/nonexistent/setting.json") is False
    assert "Could not read" in panel.message.value


def test_dashboard_shows_pytorch_code_that_holds_the_cells_exact_weights():
    import ast
    import re

    from lstm_classroom.export import torch_code
    panel = dashboard()
    panel.sliders["b_f"].value = 1.3
    code = torch_code(panel.cell)
    assert "1.3" in panel.torch_code.value
    tensors = dict(re.findall(r"lstm\.(\w+)\.copy_\(torch\.tensor\((.*)\)\)", code))
    for name, value in panel.cell.to_torch().items():
        np.testing.assert_array_equal(np.array(ast.literal_eval(tensors[name])), value)


def test_pytorch_code_rebuilds_the_cell_in_torch():
    torch = pytest.importorskip("torch")
    from lstm_classroom.export import torch_code
    from lstm_learn import random_lstm
    cell = random_lstm(3, 4, np.random.default_rng(0), K=2)
    namespace = {}
    exec(torch_code(cell), namespace)     # noqa: S102 - our own generated code, in a test
    xs = np.random.default_rng(1).standard_normal((5, 2, 3))
    h, _ = namespace["lstm"](torch.tensor(xs))
    np.testing.assert_allclose(h.detach().numpy(), cell.run(xs).h, rtol=1e-12, atol=1e-13)
    y = namespace["readout"](h).detach().numpy()
    np.testing.assert_allclose(y, cell.predict(cell.run(xs).h), rtol=1e-12, atol=1e-13)


def test_dashboard_cell_diagram_follows_the_sliders_and_its_time_step():
    from lstm_classroom.diagram import step_values
    panel = dashboard()
    assert panel.step.value == 3 and "f_t = 0.827" in panel.diagram_view.description  # seed f_3
    panel.sliders["b_f"].value = -4.0
    want = step_values(seed_lstm(b_f=-4.0).run([1, 2, 3]), 3)
    assert f"f_t = {want['f']:.3f}" in panel.diagram_view.description
    panel.step.value = 1
    assert "At t = 1" in panel.diagram_view.description
    panel.text.value = "2, 1"                       # a shorter sequence keeps t within it
    panel.step.value = 2
    panel.text.value = "4"
    assert panel.step.value == 1 and panel.step.max == 1
    assert "At t = 1: x_t = 4" in panel.diagram_view.description


def smallest_text_px(fig):
    """The smallest text in a figure at its dpi, in pixels; mathtext sub/superscripts are drawn at
    70 % of their text's size (matplotlib's SHRINK_FACTOR), so they count at that size."""
    fig.canvas.draw()
    sizes = []
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        s = text.get_text()
        if not s.strip() or not text.get_visible():
            continue
        px = text.get_fontsize() * fig.dpi / 72
        sizes.append(px * 0.7 if "$" in s and ("_" in s or "^" in s) else px)
    return min(sizes)


@pytest.mark.parametrize("make", [lambda: gate_panel("f"), lambda: gate_panel("o"),
                                  lambda: gate_panel("c"), dashboard, gradient_panel],
                         ids=["f", "o", "c", "dashboard", "gradient"])
def test_panel_figures_fit_the_column_and_no_text_is_under_9_px(make):
    panel = make()
    fig = panel.live.fig
    assert fig.get_size_inches()[0] * fig.dpi <= 840
    assert smallest_text_px(fig) >= 9


def test_compare_and_the_diagram_have_no_text_under_9_px(monkeypatch):
    import matplotlib.figure

    from lstm_classroom.diagram import diagram_panel
    assert smallest_text_px(diagram_panel().live.fig) >= 9
    figs, savefig = [], matplotlib.figure.Figure.savefig
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig",
                        lambda self, *a, **k: figs.append(self) or savefig(self, *a, **k))
    compare("c", {"seed": {}, "b_f = 5": {"b_f": 5.0}}, kind="pulse", T=12)
    assert figs and smallest_text_px(figs[0]) >= 9


# ---- one panel mechanism: declared parts, one compute, views in their declared order -----------

def all_panels():
    from lstm_classroom.backprop_panels import backward_stepper
    from lstm_classroom.diagram import diagram_panel
    from lstm_classroom.panels import gradient_panel
    from lstm_classroom.variant_panels import variant_diagram_panel, variant_panel
    from lstm_classroom.xlstm_panels import slstm_panel
    return [gate_panel("f"), dashboard(), gradient_panel(), backward_stepper(T=4),
            diagram_panel(), variant_diagram_panel(), variant_panel(), slstm_panel()]


def test_every_live_panel_is_a_panel_with_nothing_attached_after_construction():
    from lstm_classroom.panel import Panel
    own = None
    for panel in all_panels():
        assert type(panel) is Panel
        if own is None:
            own = set(vars(panel))
        assert set(vars(panel)) == own, type(panel).__name__


def test_a_dashboard_weight_move_computes_once_and_every_view_shows_that_result():
    panel = dashboard()
    calls = []
    compute = panel.compute
    panel.compute = lambda values: calls.append(1) or compute(values)
    panel.sliders["W_y"].value = 2.0
    want = seed_lstm(W_y=2.0)
    y = float(np.ravel(want.predict(want.run([1.0, 2.0, 3.0]).h[-1]))[0])
    assert len(calls) == 1
    assert f"<b>{y:.3f}</b>" in panel.readout.value
    assert f"ŷ_4 = {y:.3f}" in panel.description
    h_3 = float(np.ravel(want.run([1.0, 2.0, 3.0]).h)[-1])
    assert panel.diagram.values["h"] == pytest.approx(h_3)


@pytest.mark.parametrize("order", [("a", "b", "c"), ("c", "a", "b")])
def test_views_are_updated_in_their_declared_order_after_one_compute(order):
    from lstm_classroom.controls import Controls
    from lstm_classroom.panel import Panel
    from lstm_classroom.slider import NamedSlider
    seen = []

    class Record:                 # a view: what it shows, and what it does with a result
        def __init__(self, name):
            self.name, self.widgets = name, []

        def update(self, result):
            seen.append((self.name, result["x"]))

    slider = NamedSlider(0.0, -1.0, 1.0, 0.1, "x", "x, a number")
    panel = Panel(Controls({"x": slider}), lambda v: {"x": v["x"]},
                  {n: Record(n) for n in order}, layout=[slider])
    seen.clear()
    slider.value = 0.5
    assert seen == [(n, 0.5) for n in order]
    assert panel.x == 0.5                          # the result, as an attribute


def test_a_panel_part_or_result_entry_is_an_attribute_and_anything_else_is_named():
    panel = dashboard()
    assert panel.text is panel.parts["text"] and panel.trace is panel.result["trace"]
    with pytest.raises(AttributeError, match="no attribute 'wieghts'"):
        panel.wieghts


def test_a_typed_sequence_that_cannot_be_read_is_escaped_in_the_message_and_changes_nothing():
    panel = dashboard()
    before = panel.result
    panel.text.value = "1, <b>2</b>"
    assert "&lt;b&gt;2&lt;/b&gt;" in panel.message.value and "<b>2" not in panel.message.value
    assert panel.result is before


@pytest.mark.parametrize("make", [lambda: gate_panel("o"), lambda: gate_panel("c"), dashboard,
                                  backward_stepper, gradient_panel],
                         ids=["gate o", "gate c", "dashboard", "backward stepper", "gradient"])
def test_every_legend_fits_inside_its_figure(make):
    fig = make().live.fig
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        if ax.get_legend() is not None:
            box = ax.get_legend().get_window_extent(renderer)
            assert 0 <= box.x0 and box.x1 <= fig.bbox.width, (ax.get_title(), box.x1)

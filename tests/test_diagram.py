"""The live cell diagram (lstm_classroom.diagram): its numbers are the core's and the seed
document's, the time-step slider moves texts, fills and the picture, the text on every gate fill is
readable, and extreme values stay finite and inside an 800-pixel figure."""
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from conftest import PageCanvas
from lstm_classroom import diagram, live
from lstm_classroom.diagram import (
    KEYS,
    MIN_TEXT_CONTRAST,
    CellDiagram,
    contrast,
    diagram_panel,
    draw_cell,
    gate_fill,
    step_values,
    text_on,
)
from lstm_core import SEED_WEIGHTS, scalar_step, seed_lstm

SEED_T3 = dict(f=0.827, i=0.873, g=0.980, c=1.672, o=0.934, h=0.871)   # the seed document's step 3
EXTREMES = [dict(t=99, x=-1000.5, h_prev=-1.0, c_prev=-40.0, f=0.0, i=1.0, g=-1.0, c=40.0,
                 o=1.0, h=-1.0),
            dict(t=1, x=1e6, h_prev=1.0, c_prev=40.0, f=1.0, i=0.0, g=1.0, c=-40.0, o=0.0,
                 h=1.0)]


pytestmark = [pytest.mark.filterwarnings("error"),   # no warnings, from numpy or matplotlib
              pytest.mark.usefixtures("image_mode")]   # tests/conftest.py


def written(text):
    """The number a value text shows: '$f_t$ = 0.827' -> 0.827 (a true minus sign read too)."""
    found = re.findall(r"= (\S+)$", text.get_text().replace("\u2212", "-"))
    assert found, f"no '= number' in {text.get_text()!r}"
    return float(found[0])


def seed_values(t, xs=(1, 2, 3)):
    return step_values(seed_lstm().run(np.asarray(xs, float)), t)


# ---- the numbers --------------------------------------------------------------------------------

def test_step_values_are_the_traces_numbers_at_every_step():
    trace = seed_lstm().run(np.array([1.0, 2.0, 3.0]))
    for t in (1, 2, 3):
        v = step_values(trace, t)
        assert set(v) == set(KEYS) and v["t"] == t and v["x"] == t
        for s in ("f", "i", "g", "c", "o", "h"):
            assert v[s] == pytest.approx(getattr(trace, s)[t - 1], abs=1e-15)
        if t > 1:
            assert (v["h_prev"], v["c_prev"]) == pytest.approx((trace.h[t - 2], trace.c[t - 2]))


def test_step_one_starts_from_zero_states_as_scalar_step_does():
    v = seed_values(1)
    assert (v["h_prev"], v["c_prev"]) == (0.0, 0.0)
    expected = scalar_step(1.0, 0.0, 0.0, SEED_WEIGHTS)
    assert [v[s] for s in ("f", "i", "g", "c", "o", "h")] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("t", [0, 4, 1.5, True])
def test_step_values_refuses_a_step_outside_one_to_T_naming_it(t):
    with pytest.raises(ValueError, match="t must be a whole time step 1..T = 1..3"):
        seed_values(t)


def test_seed_cell_at_step_three_writes_the_seed_documents_numbers_on_the_diagram():
    panel = diagram_panel()
    panel.step.value = 3
    texts = panel.diagram.texts
    for key, expected in SEED_T3.items():
        assert written(texts[key]) == pytest.approx(expected, abs=5e-4), key
        assert re.search(r"= -?\d+\.\d{3}$", texts[key].get_text().replace("\u2212", "-"))
    assert texts["t"].get_text() == "time step $t$ = 3"
    assert written(texts["x"]) == 3
    assert written(texts["h_prev"]) == pytest.approx(0.640, abs=5e-4)   # the seed's h_2
    assert written(texts["c_prev"]) == pytest.approx(0.988, abs=5e-4)   # the seed's C_2


def test_the_notation_is_the_equations():
    panel = diagram_panel()
    shown = {k: t.get_text().split(" = ")[0] for k, t in panel.diagram.texts.items()}
    assert shown["x"] == "$x_t$" and shown["h_prev"] == "$h_{t-1}$"
    assert shown["c_prev"] == "$C_{t-1}$" and shown["c"] == "$C_t$" and shown["h"] == "$h_t$"
    assert [shown[g] for g in "figo"] == ["$f_t$", "$i_t$", "$g_t$", "$o_t$"]
    fixed = [t.get_text() for t in panel.diagram.ax.texts]
    assert r"$g_t = \tilde{C}_t$" in fixed


def test_description_says_the_step_and_its_numbers():
    panel = diagram_panel()
    panel.step.value = 2
    words = panel.description
    assert words.startswith("At t = 2: x_t = 2, h_{t-1} = 0.256, C_{t-1} = 0.390;")
    for part in ("f_t = 0.736", "i_t = 0.778", "g_t = 0.901", "C_t = 0.988", "o_t = 0.846",
                 "h_t = o_t·tanh(C_t) = 0.640"):
        assert part in words
    assert words.count(".") - len(re.findall(r"\d\.\d", words)) == 1, "one sentence"
    assert "aria-live='polite'" in panel.words.value and "0.640" in panel.words.value


# ---- the slider ---------------------------------------------------------------------------------

def test_moving_the_time_step_changes_the_texts_the_fills_and_the_picture():
    panel = diagram_panel()
    data = panel._repr_mimebundle_()
    assert panel.step.description == "time step <i>t</i>" and panel.step.max == 3
    before_png, before_words = panel.live.view.value, data["text/plain"]
    before_texts = {k: t.get_text() for k, t in panel.diagram.texts.items()}
    before_fills = {g: b.get_facecolor() for g, b in panel.diagram.boxes.items()}
    panel.step.value = 3
    assert panel.live.last_redraw == "image" and panel.live.view.value != before_png
    assert panel.shown == seed_values(3) and panel.description != before_words
    changed = [k for k, t in panel.diagram.texts.items() if t.get_text() != before_texts[k]]
    assert set(changed) == {"t", "x", "h_prev", "c_prev", "f", "i", "g", "c", "o", "h", "kept",
                            "written"}
    assert all(b.get_facecolor() != before_fills[g] for g, b in panel.diagram.boxes.items())


def test_show_only_changes_the_artists_it_already_has():
    panel = diagram_panel()
    ax = panel.diagram.ax
    children, artists = list(ax.get_children()), list(panel.diagram.artists)
    for t in (2, 3, 1):
        panel.step.value = t
    assert ax.get_children() == children and panel.diagram.artists == artists
    assert all(a.get_animated() for a in artists)


def test_weights_and_inputs_of_the_panel_are_the_seed_cells_with_those_changes():
    panel = diagram_panel({"b_f": 3.0}, xs=(0.5, -1, 2, 0))
    assert panel.step.max == 4
    panel.step.value = 4
    expected = step_values(seed_lstm(b_f=3.0).run(np.array([0.5, -1, 2, 0])), 4)
    assert panel.shown == expected
    assert written(panel.diagram.texts["f"]) == pytest.approx(expected["f"], abs=5e-4)


def test_display_data_is_the_widget_a_png_and_the_words():
    panel = diagram_panel()
    data = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == panel.description
    png = __import__("base64").b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width <= 800, "a figure wider than a laptop's notebook column is scaled down"


# ---- fills and text on them ---------------------------------------------------------------------

@pytest.mark.parametrize("gate", "figo")
def test_a_gate_near_zero_and_one_near_one_have_visibly_different_fills(gate):
    lo, hi = (-0.98, 0.98) if gate == "g" else (0.02, 0.98)
    assert contrast(gate_fill(gate, lo), gate_fill(gate, hi)) >= 3.0
    panel = diagram_panel()
    values = dict(panel.shown, **{gate: lo})
    panel.diagram.draw(values)
    light = panel.diagram.boxes[gate].get_facecolor()
    panel.diagram.draw(dict(values, **{gate: hi}))
    dark = panel.diagram.boxes[gate].get_facecolor()
    assert sum(light[:3]) - sum(dark[:3]) > 0.5    # lighter at 0, more saturated at 1


@pytest.mark.parametrize("gate", "figo")
def test_text_on_every_fill_is_readable(gate):
    for v in np.linspace(-1 if gate == "g" else 0, 1, 101):
        fill = gate_fill(gate, v)
        assert contrast(text_on(fill), fill) >= MIN_TEXT_CONTRAST, (gate, v, fill)
    assert text_on(gate_fill(gate, -1.0 if gate == "g" else 0.0)) == diagram.TEXT  # dark on light
    if gate != "o":
        assert text_on(gate_fill(gate, 1.0)) == diagram.WHITE                       # white on dark


def test_the_text_on_a_box_takes_the_colour_the_fill_asks_for():
    panel = diagram_panel()
    for values in EXTREMES + [seed_values(2)]:
        panel.diagram.draw(values)
        for g, box in panel.diagram.boxes.items():
            ink = text_on(gate_fill(g, values[g]))
            assert panel.diagram.texts[g].get_color() == ink == panel.diagram.names[g].get_color()


# ---- extremes, size -----------------------------------------------------------------------------

def inside_figure(fig):
    """Every visible text lies inside the figure, and none is under 10 pt."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    box = fig.bbox
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        if not text.get_visible() or not text.get_text():
            continue
        e = text.get_window_extent(r)
        assert (e.x0 >= box.x0 and e.y0 >= box.y0 and e.x1 <= box.x1 and e.y1 <= box.y1), \
            (text.get_text(), e, box)
        assert text.get_fontsize() >= 10, text.get_text()


@pytest.mark.parametrize("values", EXTREMES)
def test_extreme_values_stay_finite_and_their_text_stays_inside_the_figure(values):
    with np.errstate(all="raise"):
        panel = diagram_panel()
        words = panel.diagram.draw(values)
        assert "40.000" in words and "1e+06" in words or "x_t = -1000.500" in words
        assert "40.000" in words and "nan" not in words.lower()
        for g, box in panel.diagram.boxes.items():
            assert np.all(np.isfinite(box.get_facecolor()))
        inside_figure(panel.live.fig)
        assert panel.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_figure_fits_800_pixels_with_no_text_under_10_points():
    panel = diagram_panel()
    fig = panel.live.fig
    assert fig.dpi == 100 and fig.get_size_inches()[0] <= 8.0
    for t in (1, 2, 3):
        panel.step.value = t
        inside_figure(fig)


def test_draw_cell_draws_a_static_picture_on_a_new_or_given_axes():
    ax = draw_cell(seed_values(2))
    assert ax.figure.get_size_inches()[0] <= 8.0
    assert "$h_t$ = 0.640" in [t.get_text() for t in ax.texts]
    assert not hasattr(ax, "diagram")                  # nothing patched onto the Axes
    fig = plt.figure(figsize=diagram.FIGSIZE)
    given = fig.add_axes((0, 0, 1, 1))
    assert draw_cell(seed_values(1), ax=given) is given
    inside_figure(fig)


def test_show_needs_every_key_and_says_which_are_missing():
    d = CellDiagram(plt.figure(figsize=diagram.FIGSIZE).add_axes((0, 0, 1, 1)))
    with pytest.raises(KeyError, match="missing"):
        d.draw({"t": 1, "x": 1.0})


# ---- the live path: the page's canvas after a blitted move is what a full draw draws -----------

def test_a_blitted_time_step_shows_exactly_what_a_full_redraw_shows():
    live.use_live_figures("canvas", quiet=True)
    panel = diagram_panel()
    page = PageCanvas(panel.live)
    panel.step.value = 2
    assert panel.live.last_redraw == "blit" and not page.frames[-1]["full"]
    canvas = panel.live.fig.canvas
    canvas.draw()
    assert np.array_equal(page.rgba, np.asarray(canvas.buffer_rgba()))


# ---- ValueText: drawn in two parts, it looks like the one Text it replaces ---------------------

def text_canvas():
    """A 4 x 1 inch Agg figure (100 dpi) with one axes filling it, 0..40 by 0..10, no axis lines."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4, 1), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 40)
    ax.set_ylim(0, 10)
    return fig, ax


def ink_box(fig):
    """The bounding box (x0, y0, x1, y1) of the figure's dark pixels."""
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    ys, xs = np.nonzero(rgb.sum(-1) < 600)
    return xs.min(), ys.min(), xs.max(), ys.max()


@pytest.mark.parametrize("text", ["$C_{t-1}$ = −0.123", "time step $t$ = 12", "$f_t$ = 1e+06"])
@pytest.mark.parametrize("ha", ["left", "center", "right"])
@pytest.mark.parametrize("va", ["bottom", "center", "baseline", "top"])
def test_value_text_draws_where_and_as_large_as_one_text(text, ha, va):
    boxes = []
    for kind in ("Text", "ValueText"):
        fig, ax = text_canvas()
        kw = dict(ha=ha, va=va, fontsize=11)
        if kind == "Text":
            ax.text(20, 5, text, **kw)
        else:
            t = diagram.value_text(ax, 20, 5, **kw)
            t.set_text(text)
            assert t.get_text() == text and t in ax.texts
        boxes.append(ink_box(fig))
    (x0, y0, x1, y1), (u0, v0, u1, v1) = boxes
    # the same lines, and anchored at the same place: its left edge, centre or right edge
    assert abs(y0 - v0) <= 2 and abs(y1 - v1) <= 2, boxes
    anchor = {"left": (x0, u0), "center": ((x0 + x1) / 2, (u0 + u1) / 2), "right": (x1, u1)}[ha]
    assert abs(anchor[0] - anchor[1]) <= 2, boxes
    # as wide, to within 6 pixels (its number is plain text, which matplotlib 3.10 lays out up to
    # 5 pixels narrower than the same digits inside one mathtext string; 3.11, 1 or 2)
    assert abs((x1 - x0) - (u1 - u0)) <= 6, boxes


@pytest.mark.parametrize("text", ["$C_{t-1}$ = −0.123", "time step $t$ = 12"])
@pytest.mark.parametrize("ha", ["left", "center", "right"])
@pytest.mark.parametrize("va", ["bottom", "center", "baseline", "top"])
def test_value_text_drawn_from_images_has_the_pixels_of_its_glyphs(text, ha, va, monkeypatch):
    """The images of the head and the number (made once, then put in place) give exactly the
    pixels that drawing their glyphs gives, at a position that falls between pixels, in colour,
    on a coloured box."""
    pixels = []
    for as_image in (False, True, True):          # the second images are the cached ones
        monkeypatch.setattr(diagram.ValueText, "as_images", as_image)
        fig, ax = text_canvas()
        ax.axvspan(5, 35, color="#3b6e9a")
        t = diagram.value_text(ax, 20.037, 5.013, ha=ha, va=va, fontsize=11, color="white")
        t.set_text(text)
        fig.canvas.draw()
        pixels.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    assert (pixels[0] != pixels[0][0, 0]).any(), "nothing was drawn"
    assert np.array_equal(pixels[0], pixels[1]) and np.array_equal(pixels[0], pixels[2])

"""Notebook 10's control, figures and checks, in process: the unit/signal picker shows what
lstm_text.read_cells computes for the chosen unit and signal, its stored HTML follows the choice,
bad picks get a message, and the checks accept right answers (computed here by another route: the
cell run step by step with lstm_core and correlations by np.corrcoef) and name wrong ones."""
import numpy as np
import pytest

from lstm_classroom.checks.trained import (
    DEEP,
    check_10_deep_counter,
    check_10_line_position_unit,
    check_10_reset_character,
    check_10_rnn_quote,
)
from lstm_classroom.text_html import render_html
from lstm_classroom.text_panels import (
    CellReader,
    bracket_balance,
    coloured_text,
    compare_picture,
    counter_picture,
    gate_picture,
    ranking_table,
)
from lstm_text import (
    SHIPPED,
    best_unit,
    bracket_depth,
    counter_fit,
    heldout_text,
    in_quote,
    line_position,
    load_char_model,
    read_cells,
)

pytestmark = pytest.mark.usefixtures("image_mode")   # tests/conftest.py


@pytest.fixture(scope="module")
def lstm():
    return load_char_model(SHIPPED["lstm"])


@pytest.fixture(scope="module")
def rnn():
    return load_char_model(SHIPPED["rnn"])


@pytest.fixture(scope="module")
def text():
    return heldout_text()[:5000]


@pytest.fixture(scope="module")
def reading(lstm, text):
    return read_cells(lstm, text)


@pytest.fixture(scope="module")
def rnn_reading(rnn, text):
    return read_cells(rnn, text)


def step_by_step(model, text):
    """C_t, h_t and f_t of every unit after every character, one lstm_core step at a time."""
    cell = model.cell
    H = cell.hidden_size
    h, c = np.zeros((1, H), cell.dtype), np.zeros((1, H), cell.dtype)
    eye = np.eye(len(model.vocab), dtype=cell.dtype)
    cs, hs, fs = [], [], []
    for ch in text:
        tr = cell.run(eye[[model.vocab.index(ch)]][None], h, c)
        h, c = tr.h[-1], tr.c[-1]
        cs.append(c[0]), hs.append(h[0]), fs.append(tr.f[-1][0])
    return np.array(cs), np.array(hs), np.array(fs)


def pearson(x, y):
    return np.array([np.corrcoef(x[:, u], y)[0, 1] for u in range(x.shape[1])])


# ---- the picker ------------------------------------------------------------------------------

def test_picker_shows_what_read_cells_computes_for_the_chosen_unit_and_signal(lstm, text):
    short = read_cells(lstm, text[:200])
    c, h, f = step_by_step(lstm, text[:200])
    reader = CellReader(short, unit=4, signal="c")
    np.testing.assert_allclose(reader.values, c[:, 4], atol=1e-5)
    reader.pick(unit=50, signal="h")
    np.testing.assert_allclose(reader.values, h[:, 50], atol=1e-5)
    reader.controls.set(unit=7, signal="f")          # as the widgets would
    np.testing.assert_allclose(reader.values, f[:, 7], atol=1e-5)
    assert reader.html == render_html(short.text, short.f[:, 7], center=0.5, limit=0.5,
                                      label="f_t of unit 7")


def test_moving_the_unit_slider_recolours_the_text(lstm, text):
    reader = CellReader(read_cells(lstm, text[:120]), unit=4, signal="c")
    before = reader.html
    reader.unit_slider.value = 50
    assert reader.unit == 50 and reader.html != before
    assert "of unit 50" in reader.html and "of unit 50" in reader.description


def test_stored_html_follows_the_choice(lstm, text):
    reader = CellReader(read_cells(lstm, text[:120]), unit=4, signal="c")
    first = reader._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in first
    assert reader.html in first["text/html"] and "C_t of unit 4" in first["text/html"]
    reader.signal_picker.value = "o"
    second = reader._repr_mimebundle_()
    assert second["text/html"] != first["text/html"]
    assert "o_t of unit 4" in second["text/html"] and "o_t" in second["text/plain"]


def test_picker_words_give_the_correlation_with_each_property(reading):
    reader = CellReader(reading, unit=4, signal="c")
    r = np.corrcoef(reading.c[:, 4], bracket_depth(reading.text))[0, 1]
    assert f"bracket depth {r:+.3f}" in reader.description


def test_an_rnn_reading_offers_only_h(rnn, text):
    reader = CellReader(read_cells(rnn, text[:100]), unit=3, signal="h")
    assert [v for _, v in reader.signal_picker.options] == ["h"]
    with pytest.raises(ValueError, match="signal must be one of 'h'"):
        reader.pick(signal="c")


@pytest.mark.parametrize("unit, message", [(64, "from 0 to 63"), (-1, "from 0 to 63"),
                                           (2.5, "whole number"), ("4", "whole number")])
def test_a_bad_unit_gets_a_message_and_changes_nothing(lstm, text, unit, message):
    reader = CellReader(read_cells(lstm, text[:100]), unit=4, signal="c")
    html = reader.html
    with pytest.raises(ValueError, match=message):
        reader.pick(unit=unit)
    assert reader.unit == 4 and reader.html == html


def test_a_bad_reading_gets_a_message():
    with pytest.raises(TypeError, match="read_cells"):
        CellReader("some text")
    with pytest.raises(ValueError, match="signal must be one of"):
        coloured_text(read_cells(load_char_model(SHIPPED["lstm"]), "la."), 0, "x")


def test_gate_colouring_is_centred_at_one_half(reading):
    html = coloured_text(reading, 4, "f")
    assert "white = +0.50" in html and "blue = +0.00" in html and "red = +1.00" in html


# ---- the search table, figures and bracket balance ----------------------------------------------

def test_ranking_table_puts_the_depth_counter_first(reading):
    r = pearson(reading.c, bracket_depth(reading.text))
    top = int(np.argmax(np.abs(r)))
    first = ranking_table(reading, "bracket depth", top=1).splitlines()[2].split()
    assert first[:3] == ["1", "C_t", str(top)]
    assert float(first[3]) == pytest.approx(r[top], abs=1e-3)


def test_figures_have_words_with_their_numbers(reading, rnn_reading):
    fit = counter_fit(reading, "bracket depth", 4)
    pic = counter_picture(reading, fit)
    assert pic.png.startswith(b"\x89PNG") and f"{abs(fit.slope):.2f} per level" in pic.description
    assert "median" in gate_picture(reading, 4, 13).description
    pic = compare_picture("bracket depth", reading, best_unit(reading, "bracket depth"),
                          rnn_reading, best_unit(rnn_reading, "bracket depth"))
    assert "unit 4" in pic.description and "unit 79" in pic.description


def test_bracket_balance_counts_complete_lines():
    assert bracket_balance("(a).\n(a.\n)a(.\nb") == (1, 3)
    assert bracket_balance(heldout_text(2000)) == (heldout_text(2000).count("\n"),) * 2


# ---- the checks --------------------------------------------------------------------------------

def test_line_position_check_accepts_the_best_unit_found_by_corrcoef(reading):
    pos = line_position(reading.text)
    r = {s: pearson(reading.signal(s), pos) for s in ("c", "h")}
    s, u = max(((s, u) for s in r for u in range(64)), key=lambda p: abs(r[p[0]][p[1]]))
    verdict = check_10_line_position_unit(s, int(u), reading)
    assert verdict and repr(verdict).startswith("Right!")


def test_line_position_check_names_the_mistakes(reading, rnn_reading):
    assert "other signal" in repr(check_10_line_position_unit("h", 43, reading))
    assert "tracks the bracket depth" in repr(check_10_line_position_unit("c", 4, reading))
    assert "do better" in repr(check_10_line_position_unit("c", 3, reading))
    assert "RNN's reading" in repr(check_10_line_position_unit("c", 43, rnn_reading))
    assert "'c'" in repr(check_10_line_position_unit("C", 43, reading))
    assert "from 0 to 63" in repr(check_10_line_position_unit("c", 64, reading))


def test_deep_counter_check_accepts_the_step_by_step_value(lstm, reading):
    unit = int(np.argmax(np.abs(pearson(reading.c, bracket_depth(reading.text)))))
    c, h, _ = step_by_step(lstm, DEEP)
    assert check_10_deep_counter(float(c[5, unit]), lstm)
    assert "h_t = o_t tanh" in repr(check_10_deep_counter(float(h[5, unit]), lstm))
    assert "Python counts from 0" in repr(check_10_deep_counter(float(c[4, unit]), lstm))
    assert "wrong sign" in repr(check_10_deep_counter(-float(c[5, unit]), lstm))
    assert "it stops" in repr(check_10_deep_counter(float(c[3, unit]), lstm))   # the fourth "("
    assert "it stops" in repr(check_10_deep_counter(-3.40, lstm))   # the held-out depth-4 mean
    assert "Replace None" in repr(check_10_deep_counter(None, lstm))


def test_reset_character_check(reading):
    unit = int(np.argmax(np.abs(pearson(reading.c, bracket_depth(reading.text)))))
    chars = np.array(list(reading.text))
    means = {ch: reading.f[chars == ch, unit].mean() for ch in set(reading.text)}
    assert check_10_reset_character(min(means, key=means.get), reading)
    assert "half-forgets" in repr(check_10_reset_character(".", reading))
    assert "keep the count" in repr(check_10_reset_character("(", reading))
    assert "not its position" in repr(check_10_reset_character(3, reading))
    assert "never appears" in repr(check_10_reset_character("z", reading))


def test_rnn_quote_check(rnn_reading, reading):
    r = pearson(rnn_reading.h, in_quote(rnn_reading.text))
    best = float(r[np.argmax(np.abs(r))])
    assert check_10_rnn_quote(best, rnn_reading)
    assert "wrong sign" in repr(check_10_rnn_quote(-best, rnn_reading))
    depth = pearson(rnn_reading.h, bracket_depth(rnn_reading.text))
    assert "bracket depth" in repr(check_10_rnn_quote(float(depth[np.argmax(np.abs(depth))]),
                                                      rnn_reading))
    assert "LSTM's reading" in repr(check_10_rnn_quote(0.926, rnn_reading))
    assert not check_10_rnn_quote(best, reading)
    assert "one number" in repr(check_10_rnn_quote("0.5x", rnn_reading))

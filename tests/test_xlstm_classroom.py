"""Notebook 11's classroom code, in process: the sLSTM panel plots what lstm_xlstm computes for
its sliders, the static pictures carry the numbers they show, the experiment's task and gradients
are right, and the checks accept right answers (from lstm_xlstm, lstm_core or analytic facts) and
name wrong ones; bad input gets a message, never a traceback."""
import json
import math
import struct

import numpy as np
import pytest

from lstm_classroom.checks import xlstm as checks
from lstm_classroom.checks.xlstm import (
    check_11_h2_by_hand,
    check_11_keep_the_strongest,
    check_11_overlapping_read,
    check_11_stabiliser_shift,
)
from lstm_classroom.xlstm_panels import (
    RESULTS,
    attention_matrix,
    attention_picture,
    experiment_table,
    overwrite_picture,
    slstm_panel,
    slstm_step_code,
    why_one_number,
    why_revise,
    why_sequential,
)
from lstm_core import LSTMCell, seed_lstm
from lstm_learn import numerical_gradient, relative_error
from lstm_xlstm import (
    SLSTM_WEIGHTS,
    SLSTM_XS,
    SLSTMCell,
    markdown_table,
    max_score_task,
    mlstm_parallel,
    mlstm_store_and_read,
    random_slstm,
    slstm_from_scalars,
    slstm_loss_and_grads,
    slstm_parameters,
    summarise,
    train_max_score,
)

SIGNALS = ("i", "f", "z", "o", "c", "n", "m", "h")


pytestmark = pytest.mark.usefixtures("image_mode")   # tests/conftest.py


def stacked_cell(w):
    """The one-unit sLSTM for twelve named weights, built from stacked arrays (rows i, f, z, o)."""
    W = np.array([[w["W_i"]], [w["W_f"]], [w["W_z"]], [w["W_o"]]])
    R = np.array([[w["R_i"]], [w["R_f"]], [w["R_z"]], [w["R_o"]]])
    b = np.array([w["b_i"], w["b_f"], w["b_z"], w["b_o"]])
    return SLSTMCell(W, R, b)


def png_size(png):
    """(width, height) in pixels from a PNG's header."""
    return struct.unpack(">II", png[16:24])


def sig(z):
    return 1 / (1 + math.exp(-z))


# ---- the sLSTM panel -------------------------------------------------------------------------

def test_slstm_from_scalars_is_the_cell_with_stacked_rows_i_f_z_o():
    w = {name: 0.1 * (k + 1) * (-1) ** k for k, name in enumerate(SLSTM_WEIGHTS)}
    xs = [0.5, -1.0, 2.0, 0.3]
    a, b = slstm_from_scalars(**w).run(xs), stacked_cell(w).run(xs)
    for s in SIGNALS:
        np.testing.assert_array_equal(getattr(a, s), getattr(b, s))


def test_slstm_from_scalars_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="W_x"):
        slstm_from_scalars(W_x=1.0)


def test_panel_starts_at_its_weights_on_one_three_two_five_four_zero():
    panel = slstm_panel()
    assert panel.weights == SLSTM_WEIGHTS
    np.testing.assert_array_equal(panel.xs, SLSTM_XS)
    tr = stacked_cell(SLSTM_WEIGHTS).run(SLSTM_XS)
    for s in SIGNALS:
        np.testing.assert_allclose(panel.lines[s].get_ydata(), getattr(tr, s), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(panel.lines["x"].get_ydata(), SLSTM_XS)
    np.testing.assert_array_equal(panel.lines["h"].get_xdata(), np.arange(1, 7))


def test_panel_plots_what_lstm_xlstm_computes_for_its_sliders():
    panel = slstm_panel()
    moves = dict(W_i=2.5, R_i=-0.7, b_i=1.2, R_f=-1.0, W_f=0.4, W_z=-1.3, R_z=0.8, b_z=0.2,
                 W_o=1.1, R_o=-2.0, b_o=0.5)
    panel.controls.set(text="0.5, -2, 3, 1, -1, 2, 0.25", **moves)
    tr = stacked_cell({**SLSTM_WEIGHTS, **moves}).run([0.5, -2, 3, 1, -1, 2, 0.25])
    for s in SIGNALS:
        np.testing.assert_allclose(panel.lines[s].get_ydata(), getattr(tr, s), rtol=0,
                                   atol=1e-15, err_msg=s)
    assert f"ending at {tr.h[-1]:.3f}" in panel.live.description
    assert "T = 7 steps" in panel.live.description


def test_moving_b_i_shifts_m_by_as_much_and_leaves_h_unchanged():
    panel = slstm_panel()
    m0, h0 = panel.trace.m.copy(), panel.trace.h.copy()
    panel.sliders["b_i"].value = 5.0
    np.testing.assert_allclose(panel.trace.m - m0, 5.0, atol=1e-12)
    np.testing.assert_allclose(panel.trace.h, h0, atol=1e-15)


def test_a_bad_typed_sequence_is_refused_with_a_message_and_changes_nothing():
    panel = slstm_panel()
    before = panel.lines["h"].get_ydata().copy()
    panel.text.value = "1, two, 3"
    assert "'two' is not a number" in panel.message.value
    np.testing.assert_array_equal(panel.lines["h"].get_ydata(), before)


def test_the_reset_button_brings_every_slider_back():
    panel = slstm_panel()
    panel.controls.set(W_i=4.0, b_o=-3.0)
    panel.reset.click()
    assert panel.weights == SLSTM_WEIGHTS


def test_the_panel_figure_fits_the_column_and_is_shown_with_words():
    panel = slstm_panel()
    bundle = panel._repr_mimebundle_()
    assert png_size(panel.png())[0] <= 820
    assert bundle["text/plain"].startswith("Figure: a one-unit sLSTM over T = 6 steps")


def test_step_code_is_the_loop_of_slstmcell_run():
    text = slstm_step_code()
    assert "m_new = i_pre if t == 0 else np.maximum(i_pre, log_f_plus_m)" in text
    assert "h = o * c / n" in text


# ---- the pictures ------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [why_revise, why_one_number, why_sequential, overwrite_picture])
def test_every_picture_fits_the_column_and_has_words(make):
    picture = make()
    assert png_size(picture.png)[0] <= 820
    assert picture.description.startswith("Figure:")
    assert picture._repr_mimebundle_()["text/plain"] == picture.description


def test_why_revise_shows_lstm_cores_cell_states():
    words = why_revise().description
    for b_f in (3.0, -3.0):
        cell = LSTMCell.from_scalars(W_f=0, W_hf=0, b_f=b_f, W_i=5, W_hi=0, W_c=0.3, W_hc=0,
                                     W_o=0, W_ho=0, b_o=5)
        c = cell.run([1, 3, 2, 5, 4, 0]).c
        assert ", ".join(f"{v:.3f}" for v in c) in words


def test_why_one_number_histories_end_in_the_same_memory():
    words = why_one_number().description
    cell = LSTMCell.from_scalars(W_f=0, W_hf=0, b_f=8, W_i=0, W_hi=0, b_i=8, W_c=1, W_hc=0,
                                 W_o=0, W_ho=0)
    ends = {f"{cell.run(np.arctanh([a, b, 0.0])).c[-1]:.3f}" for a, b in
            [(0.5, 0.3), (0.3, 0.5), (0.8, 0.0)]}
    assert ends == {"0.799"}
    assert words.count(", 0.799;") + words.count(", 0.799.") == 3


def test_why_sequential_compares_the_run_with_the_first_step_formula():
    words = why_sequential().description
    x5 = math.sin(2 * math.pi * 4 / 8)                 # the sine at t = 5
    alone = sig(0.8 * x5)                              # seed W_o = 0.8, b_o = 0, h_prev = 0
    assert f"{alone:.3f}" in words
    o_run = seed_lstm(W_ho=2.0).run(np.sin(2 * np.pi * np.arange(12) / 8)).o
    assert f"{o_run[4]:.3f}" in words


def test_overwrite_picture_shows_the_slstm_average_and_the_lstm_sum():
    words = overwrite_picture(W_i=5.0).description
    tr = stacked_cell({**SLSTM_WEIGHTS, "W_i": 5.0}).run(SLSTM_XS)
    assert ", ".join(f"{v:.3f}" for v in tr.c / tr.n) in words
    assert "3.041" in words                              # the LSTM's C_5, a sum of writes


def test_attention_matrix_times_any_values_is_mlstm_parallel():
    rng = np.random.default_rng(3)
    T, d = 11, 4
    q, k, v = rng.standard_normal((3, T, d))
    i_pre, f_pre = rng.standard_normal(T), rng.standard_normal(T) + 1
    A = attention_matrix(q, k, i_pre, f_pre)
    np.testing.assert_allclose(A @ v, mlstm_parallel(q, k, v, i_pre, f_pre), atol=1e-12)
    assert not np.any(np.triu(A, 1))                   # causal: nothing above the diagonal
    picture = attention_picture(q, k, i_pre, f_pre)
    assert "Every entry above the diagonal is 0" in picture.description
    assert png_size(picture.png)[0] <= 820


# ---- the experiment ----------------------------------------------------------------------------

def test_max_score_task_answers_the_value_of_the_highest_score():
    x, target = max_score_task(50, 7, np.random.default_rng(0))
    assert x.shape == (7, 50, 2) and target.shape == (50, 1)
    for n in range(50):
        values, scores = x[:, n, 0], x[:, n, 1]
        assert target[n, 0] == values[list(scores).index(max(scores))]
    assert np.all(np.abs(x[..., 0]) <= 1) and np.all((x[..., 1] >= 0) & (x[..., 1] <= 1))


def test_slstm_loss_gradient_equals_centred_differences():
    rng = np.random.default_rng(1)
    cell, readout = random_slstm(2, 3, rng)
    for p in slstm_parameters(cell, readout).values():
        p[...] = rng.uniform(-1, 1, p.shape)
    x, y = max_score_task(4, 5, rng)
    _, grads = slstm_loss_and_grads(cell, readout, x, y)
    loss = lambda: slstm_loss_and_grads(cell, readout, x, y)[0]
    for name, p in slstm_parameters(cell, readout).items():
        assert relative_error(grads[name], numerical_gradient(loss, p)) < 1e-7, name


def test_training_is_deterministic_and_measures_the_held_out_error():
    a = train_max_score("slstm", 0, steps=40, eval_every=20, n_eval=64)
    b = train_max_score("slstm", 0, steps=40, eval_every=20, n_eval=64)
    assert a["curve"] == b["curve"] and len(a["curve"]) == 2
    assert a["final_mse"] == a["curve"][-1]
    lstm = train_max_score("lstm", 0, steps=40, eval_every=20, n_eval=64)
    assert lstm["curve"] != a["curve"] and all(0 < v < 2 for v in lstm["curve"])


def test_training_refuses_an_unknown_cell():
    with pytest.raises(ValueError, match="'lstm' or 'slstm'"):
        train_max_score("gru", 0, steps=1)


def test_summary_counts_solved_runs_and_takes_medians():
    runs = [dict(kind=k, seed=s, solved=sq is not None, sequences=sq, final_mse=f, best_mse=f)
            for k, s, sq, f in [("lstm", 0, None, 0.1), ("lstm", 1, None, 0.3),
                                ("slstm", 0, 100, 0.02), ("slstm", 1, 300, 0.04)]]
    summary = summarise(runs)
    assert summary[0]["solved"] == 0 and summary[0]["median_sequences"] is None
    assert summary[1]["solved"] == 2 and summary[1]["median_sequences"] == 200
    assert summary[1]["median_final_mse"] == pytest.approx(0.03)
    assert "| slstm | 2/2 | 200 |" in markdown_table(summary)


def test_experiment_table_reads_the_committed_results(tmp_path):
    table = experiment_table()
    record = json.loads(RESULTS.read_text())
    for s in record["summary"]:
        assert f"{s['median_final_mse']:10.4f}" in table
    assert "is missing" in experiment_table(tmp_path / "none.json")


# ---- the checks --------------------------------------------------------------------------------

def h2_by_formula(**changes):
    """h_2 on x = 1, 4 (exercise 2.1) from the unstabilised equations, written out."""
    w = {**SLSTM_WEIGHTS, **changes}
    i1, i2 = math.exp(w["W_i"] * 1 + w["b_i"]), math.exp(w["W_i"] * 4 + w["b_i"])
    f2 = sig(w["b_f"])
    z1, z2 = math.tanh(w["W_z"] * 1), math.tanh(w["W_z"] * 4)
    c2, n2 = f2 * i1 * z1 + i2 * z2, f2 * i1 + i2
    return sig(w["b_o"]) * c2 / n2, c2


def test_h2_check_accepts_the_unstabilised_formula():
    assert check_11_h2_by_hand(h2_by_formula()[0])
    assert check_11_h2_by_hand(np.float32(h2_by_formula()[0]))


@pytest.mark.parametrize("wrong, says", [
    (lambda h, c: sig(5.0) * c, "n_2"),
    (lambda h, c: h / sig(5.0), "no output gate"),
    (lambda h, c: h + 0.1, "Hint"),
])
def test_h2_check_names_the_mistake(wrong, says):
    verdict = check_11_h2_by_hand(wrong(*h2_by_formula()))
    assert not verdict and says in verdict.text


@pytest.mark.parametrize("bad, says", [(None, "Replace None"), ("0.66", "without quotes"),
                                       ([1, 2], "one number"), (float("nan"), "nan")])
def test_h2_check_answers_bad_input_with_a_message(bad, says):
    verdict = check_11_h2_by_hand(bad)
    assert not verdict and says in verdict.text


def test_keep_the_strongest_accepts_a_steep_input_gate():
    assert check_11_keep_the_strongest(**{**SLSTM_WEIGHTS, "W_i": 3.0})
    assert check_11_keep_the_strongest(W_i=5.0)


def test_keep_the_strongest_names_the_first_wrong_step_at_the_start():
    verdict = check_11_keep_the_strongest(**SLSTM_WEIGHTS)
    assert not verdict and "At t = 2" in verdict.text and "older, weaker" in verdict.text


def test_keep_the_strongest_names_a_fading_memory():
    verdict = check_11_keep_the_strongest(W_i=5.0, b_f=-8.0)     # f = sigma(-8): forgets at once
    assert not verdict and "At t = 3" in verdict.text


@pytest.mark.parametrize("weights, says", [({}, "Give your weights"), ({"W_z": 1.0}, "moves only"),
                                           ({"W_q": 1.0}, "Unknown"), ({"W_i": 1e6}, "-5 to 5"),
                                           ({"W_i": "3"}, "without quotes")])
def test_keep_the_strongest_answers_bad_weights_with_a_message(weights, says):
    verdict = check_11_keep_the_strongest(**weights)
    assert not verdict and says in verdict.text


def test_stabiliser_check_accepts_five_and_zero():
    assert check_11_stabiliser_shift(m_change=5.0, h_change=0.0)
    assert check_11_stabiliser_shift(5, 0)


@pytest.mark.parametrize("m, h, says", [(math.exp(5), 0.0, "e^5"), (5.0, 0.2, "h_change"),
                                        (2.0, 0.0, "m_change"), (None, 0.0, "both")])
def test_stabiliser_check_names_the_mistake(m, h, says):
    verdict = check_11_stabiliser_shift(m_change=m, h_change=h)
    assert not verdict and says in verdict.text


def test_overlapping_read_accepts_v1_plus_point_six_v2():
    assert check_11_overlapping_read(np.array([1.0, 0.0]) + 0.6 * np.array([0.0, 1.0]))
    _, read = mlstm_store_and_read(checks.OVERLAP_KEYS, checks.OVERLAP_VALUES,
                                   checks.OVERLAP_KEYS[0])
    assert check_11_overlapping_read(read)


@pytest.mark.parametrize("bad, says", [([1.0, 0.0], "v_1 exactly"), ([1.0, 0.6, 0.0], "shape"),
                                       (None, "Replace None"), ("1, 0.6", "text"),
                                       ([0.0, 1.0], "Hint")])
def test_overlapping_read_names_the_mistake(bad, says):
    verdict = check_11_overlapping_read(bad)
    assert not verdict and says in verdict.text

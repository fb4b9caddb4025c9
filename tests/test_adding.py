"""lstm_classroom.adding: reading a trained adding-problem LSTM (notebook 08, "Inside the trained
LSTM"). Small hand-built cells test the fits; one test trains notebook 08's LSTM twice."""

import numpy as np
import pytest

from lstm_classroom.adding import (
    cell_state_at_marks,
    fit_to_marked,
    input_gate_at_markers,
    marked_values,
    readout_shares,
    shares_table,
    unit_picture,
)
from lstm_core import LSTMCell
from lstm_learn import Adam, adding_problem, parameters, random_lstm, train


def batch(n=200, T=12, seed=3):
    return adding_problem(n, T, rng=np.random.default_rng(seed), dtype=np.float64)


def summing_cell():
    """One unit that writes the marked value (input gate open only on the marker), never forgets,
    and a second unit that does nothing; read-out y = 2 h_0."""
    H, D = 2, 2
    w_ih, w_hh, b = np.zeros((4 * H, D)), np.zeros((4 * H, H)), np.zeros(4 * H)
    i, f, g, o = (slice(k * H, (k + 1) * H) for k in range(4))   # the row blocks
    w_ih[i, 1], b[i] = [40.0, 0.0], [-20.0, -40.0]   # i_0 = sigma(40 m - 20): 1 on a mark; i_1 shut
    b[f] = 40.0                                       # f = 1: nothing forgotten
    w_ih[g, 0] = [0.1, 0.0]                           # g_0 = tanh(0.1 x), about 0.1 x
    b[o] = 40.0                                       # o = 1
    return LSTMCell(w_ih, w_hh, b, W_y=[[2.0, 0.0]], b_y=[0.5])


def test_marked_values_finds_both_marks_and_their_values():
    x, target = batch()
    first, second, X1, X2 = marked_values(x)
    assert np.all(first < len(x) // 2) and np.all(second >= len(x) // 2)
    assert np.allclose(X1 + X2, target[:, 0])


@pytest.mark.parametrize("bad, says", [
    (np.zeros((5, 3)), "shape"),
    (np.zeros((5, 3, 3)), r"\(T, N, 2\)"),
    (np.zeros((5, 3, 2)), "exactly two 1s"),
])
def test_marked_values_rejects_what_is_not_an_adding_batch(bad, says):
    with pytest.raises(ValueError, match=says):
        marked_values(bad)


def test_fit_recovers_a_known_combination_and_says_it_explains_all_of_it():
    x, _ = batch()
    _, _, X1, X2 = marked_values(x)
    a1, a2, a0, r2 = fit_to_marked(0.3 * X1 - 2 * X2 + 0.25, x)
    assert (a1, a2, a0, r2) == pytest.approx((0.3, -2, 0.25, 1))
    noisy = fit_to_marked(X1 + np.random.default_rng(0).normal(0, 1, len(X1)), x)
    assert noisy[3] < 0.5
    both = fit_to_marked(np.stack([X1, X2], axis=1), x)
    assert both.shape == (2, 4) and both[0, :3] == pytest.approx((1, 0, 0), abs=1e-12)


def test_fit_rejects_values_of_the_wrong_length_or_not_finite():
    x, _ = batch()
    with pytest.raises(ValueError, match="one per sequence"):
        fit_to_marked(np.ones(3), x)
    with pytest.raises(ValueError, match="finite"):
        fit_to_marked(np.full(x.shape[1], np.nan), x)


def test_a_summing_unit_is_found_with_its_gate_and_its_share():
    x, _ = batch()
    cell = summing_cell()
    shares = readout_shares(cell, x)
    # unit 0 keeps tanh(0.1 X1 + 0.1 X2) ~ 0.1 (X1 + X2): a share 2 h_0 of about 0.2 each
    assert shares[0, :2] == pytest.approx((0.2, 0.2), abs=0.01) and shares[0, 3] > 0.99
    assert shares[1, :3] == pytest.approx((0, 0, 0), abs=1e-12)
    marked, other = input_gate_at_markers(cell, x)
    assert marked[0] > 0.99 and other[0] < 0.01 and marked[1] < 0.01
    fits = cell_state_at_marks(cell, x, 0)
    assert list(fits) == ["after the first mark", "before the second mark", "after the second mark",
                          "after the last step"]
    assert fits["after the first mark"][:3] == pytest.approx((0.1, 0, 0), abs=0.01)
    assert fits["after the last step"][:3] == pytest.approx((0.1, 0.1, 0), abs=0.01)
    table = shares_table(cell, x, top=2)
    assert table.splitlines()[1].split()[0] == "0"
    assert table.endswith("prediction = 0.20 X1 + 0.20 X2 + 0.50")


def test_unit_picture_says_where_the_gate_opens():
    x, _ = batch(n=3)
    first, second, _, _ = marked_values(x)
    words = unit_picture(summing_cell(), x, 1, 0).description
    assert f"marked at t = {first[1] + 1} and t = {second[1] + 1}" in words
    assert "i_t is 1.00 and 1.00 at the two marks and at most 0.00 at every other step" in words


@pytest.mark.parametrize("call, says", [
    (lambda c, x: cell_state_at_marks(c, x, 2), "unit must be"),
    (lambda c, x: unit_picture(c, x, 99, 0), "n must be"),
    (lambda c, x: shares_table(c, x, top=0), "top must be"),
    (lambda c, x: readout_shares(LSTMCell(np.zeros((8, 3)), np.zeros((8, 2))), x), r"D = 2, K = 1"),
])
def test_bad_arguments_get_a_message_naming_what_was_expected(call, says):
    x, _ = batch(n=3)
    cell = summing_cell()
    before = {k: v.copy() for k, v in parameters(cell).items()}
    with pytest.raises(ValueError, match=says):
        call(cell, x)
    assert all(np.array_equal(before[k], v) for k, v in parameters(cell).items())


def notebook_08s_lstm(wobble):
    """Notebook 08's adding-problem LSTM, trained as there, with every weight multiplied by
    1 + wobble * (a seeded random number in [-1, 1]) after every step (test_learn's approach)."""
    T, H, n_batches = 100, 16, 625
    rng = np.random.default_rng(0)
    b_f = np.log(rng.uniform(1, T - 1, H))
    lstm = random_lstm(2, H, rng, forget_bias=b_f, input_bias=-b_f, dtype=np.float32)
    noise = np.random.default_rng(99)

    def nudge(step, loss):
        for p in parameters(lstm).values():
            p *= 1 + wobble * noise.uniform(-1, 1, p.shape)
    batches = (adding_problem(32, T, rng) for _ in range(n_batches))
    train(lstm, batches, Adam(parameters(lstm), lr=0.02), clip=1.0, callback=nudge)
    return lstm


def test_notebook_08s_inside_view_is_the_same_when_every_weight_moves_by_its_last_bit():
    # Notebook 08 prints the trained LSTM's read-out shares, gates and cell-state fits to 2-3
    # digits; they are the same on every machine only if training does not amplify rounding
    # differences. 1e-7 is float32's last bit.
    x, _ = adding_problem(1000, 100, rng=np.random.default_rng(1))
    seen = []
    for wobble in (0.0, 1e-7):
        lstm = notebook_08s_lstm(wobble)
        top = int(np.argmax(readout_shares(lstm, x)[:, :2].sum(axis=1)))
        fits = {m: tuple(round(a, 2) for a in fit[:3]) + (round(100 * fit[3]),)
                for m, fit in cell_state_at_marks(lstm, x, top).items()}
        seen.append((shares_table(lstm, x), top, fits, unit_picture(lstm, x, 0, top).description))
    assert seen[0] == seen[1]

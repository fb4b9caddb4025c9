"""Unit tests of lstm_core: the seed's numbers, PyTorch equality, gradients, bad and extreme
input."""
import inspect
import warnings
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from lstm_core import SEED_WEIGHTS, SIGNALS, Grads, LSTMCell, Trace, scalar_step, seed_lstm, sigmoid
from lstm_learn import numerical_gradient  # centred differences, eps = 1e-6

REFERENCE = Path(__file__).parents[1] / "lstm_classroom" / "data" / "torch_reference.npz"
CASES = ("scalar", "sequence", "batch", "wide")

# The seed document's printout: the end of its in-repo copy, from "Time Step 1:" on.
SEED_FILE = Path(__file__).parents[1] / "docs" / "seed" / "scalar_lstm_walkthrough.txt"
SEED_TEXT = SEED_FILE.read_text()
SEED_PRINTOUT = SEED_TEXT[SEED_TEXT.index("\nTime Step 1:") + 1:]



def torch_cell(ref, name):
    r = lambda k: ref[f"{name}/{k}"]
    return LSTMCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))


def random_cell(D, H, rng, dtype=np.float64):
    """A cell with standard-normal weights, stacked (4H, D), (4H, H), (4H,)."""
    shapes = [(4 * H, D), (4 * H, H), (4 * H,)]
    return LSTMCell(*(rng.standard_normal(s).astype(dtype) for s in shapes))


# ---- the seed document --------------------------------------------------------------------

def printout(signals_by_step, y_pred):
    """The seed document's printout of (f, i, g, c, o, h) for each step and the prediction."""
    lines = []
    for t, (f, i, g, c, o, h) in enumerate(signals_by_step):
        lines += [f"Time Step {t + 1}:",
                  f"  Forget gate (f_t): {f:.3f}",
                  f"  Input gate (i_t): {i:.3f}",
                  f"  Candidate cell state (C_tilde_t): {g:.3f}",
                  f"  Cell state (C_t): {c:.3f}",
                  f"  Output gate (o_t): {o:.3f}",
                  f"  Hidden state (h_t): {h:.3f}", ""]
    lines.append(f"Predicted next value (y_pred): {y_pred:.3f}")
    return "\n".join(lines) + "\n"


def test_seed_cell_reproduces_the_seed_printout_digit_for_digit():
    cell = seed_lstm()
    tr = cell.run([1, 2, 3])
    steps = [[getattr(tr, name)[t] for name in SIGNALS] for t in range(3)]
    assert tr.c_tilde is tr.g
    assert printout(steps, cell.predict(tr.h[-1])) == SEED_PRINTOUT


def test_scalar_step_reproduces_the_seed_printout_digit_for_digit():
    h, c, steps = 0.0, 0.0, []
    for x in (1, 2, 3):
        steps.append(scalar_step(x, h, c, SEED_WEIGHTS))
        *_, c, _, h = steps[-1]
    assert printout(steps, SEED_WEIGHTS["W_y"] * h + SEED_WEIGHTS["b_y"]) == SEED_PRINTOUT


def test_scalar_step_equals_the_stacked_step_on_random_cells_and_large_inputs():
    rng = np.random.default_rng(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # no overflow, however large z is
        for k in range(400):
            w = {name: float(rng.normal(0, 3)) for name in SEED_WEIGHTS}
            x = float(rng.normal(0, 2) if k % 2 else rng.choice([-1, 1]) * 10 ** rng.uniform(1, 4))
            h_prev, c_prev = float(rng.uniform(-1, 1)), float(rng.normal(0, 1))
            stacked = LSTMCell.from_scalars(**w).step(x, h_prev, c_prev)
            np.testing.assert_allclose(scalar_step(x, h_prev, c_prev, w), stacked, rtol=0,
                                       atol=1e-15, err_msg=f"case {k}: x={x}")


def test_trace_and_step_keep_the_seed_order_f_i_g_c_o_h():
    assert SIGNALS == ("f", "i", "g", "c", "o", "h")
    assert [f.name for f in fields(Trace)] == ["x", *SIGNALS, "h0", "c0"]
    cell = seed_lstm()
    tr = cell.run([1.0])
    assert cell.step(1.0) == tuple(getattr(tr, name)[0] for name in SIGNALS)


def test_public_signatures_have_no_private_keywords():
    for method in (LSTMCell.run, LSTMCell.step, LSTMCell.backward, LSTMCell.predict):
        assert not [p for p in inspect.signature(method).parameters if p.startswith("_")], method


def test_one_unit_cell_on_a_plain_list_gives_plain_floats_over_time():
    tr = seed_lstm().run([1, 2, 3])
    for name in SIGNALS:
        assert getattr(tr, name).shape == (3,)
    assert isinstance(tr.h[0], float)
    assert all(isinstance(s, float) for s in seed_lstm().step(1.0))


def test_from_scalars_puts_each_named_weight_in_its_gate_row():
    cell = LSTMCell.from_scalars(W_i=1, W_hi=2, b_i=3, W_f=4, W_hf=5, b_f=6, W_c=7, W_hc=8, b_c=9,
                                 W_o=10, W_ho=11, b_o=12, W_y=13, b_y=14)
    np.testing.assert_array_equal(cell.weight_ih[:, 0], [1, 4, 7, 10])   # rows i, f, g, o
    np.testing.assert_array_equal(cell.weight_hh[:, 0], [2, 5, 8, 11])
    np.testing.assert_array_equal(cell.bias, [3, 6, 9, 12])
    assert cell.predict(1.0) == 27.0


def test_seed_lstm_changes_only_the_named_weight():
    base, changed = seed_lstm(), seed_lstm(b_f=3.0)
    np.testing.assert_array_equal(changed.bias, [0, 3, 0, 0])
    np.testing.assert_array_equal(changed.weight_ih, base.weight_ih)
    with pytest.raises(TypeError, match="bf"):
        seed_lstm(bf=3.0)


def test_step_equals_the_first_step_of_run_and_chains():
    cell = seed_lstm()
    tr = cell.run([1, 2, 3])
    f, i, g, c, o, h = cell.step(1.0)
    np.testing.assert_allclose([f, i, g, c, o, h], [getattr(tr, s)[0] for s in SIGNALS])
    *_, c2, _, h2 = cell.step(2.0, h, c)
    assert (c2, h2) == (tr.c[1], tr.h[1])


def test_step_names_its_own_arguments_in_errors():
    cell = LSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=r"x must have shape \(D,\) or \(N, D\) with D = 3; "
                                         r"got \(2,\)"):
        cell.step(np.zeros(2))
    with pytest.raises(ValueError, match=r"h_prev must have the shape of one step of h, \(2,\)"):
        cell.step(np.zeros(3), h_prev=np.zeros(3))
    with pytest.raises(ValueError, match=r"c_prev must have the shape of one step of h, \(4, 2\)"):
        cell.step(np.zeros((4, 3)), c_prev=np.zeros(2))


# ---- sigmoid ------------------------------------------------------------------------------

def test_sigmoid_has_no_overflow_for_any_finite_input():
    z = np.array([-1e308, -1e4, -745.0, -40.0, 0.0, 40.0, 1e4, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
    assert np.all(np.isfinite(s)) and s[0] < 1e-30 and s[-1] == 1.0 and s[4] == 0.5


def test_sigmoid_equals_the_textbook_formula_and_is_accurate_in_the_tails():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    assert sigmoid(-50.0) == pytest.approx(np.exp(-50.0), rel=1e-12)   # sigma(z) ~ e^z far left
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)


def test_sigmoid_keeps_float32():
    assert sigmoid(np.ones(3, np.float32)).dtype == np.float32


# ---- PyTorch and Keras layouts ------------------------------------------------------------

@pytest.mark.parametrize("name", CASES)
def test_forward_equals_pytorch_in_float64(ref, name):
    tr = torch_cell(ref, name).run(ref[f"{name}/x"], ref[f"{name}/h0"], ref[f"{name}/c0"])
    assert tr.h.shape == ref[f"{name}/h"].shape
    np.testing.assert_allclose(tr.h, ref[f"{name}/h"], rtol=0, atol=1e-13)
    np.testing.assert_allclose(tr.c, ref[f"{name}/c"], rtol=0, atol=1e-13)


@pytest.mark.parametrize("name", CASES)
def test_keras_layout_gives_the_same_outputs(ref, name):
    r = lambda k: ref[f"{name}/{k}"]
    # Keras: kernel (D, 4H) and recurrent_kernel (H, 4H) multiply from the left; one bias;
    # gate order i, f, c, o
    cell = LSTMCell.from_keras(r("weight_ih").T.copy(), r("weight_hh").T.copy(),
                               r("bias_ih") + r("bias_hh"))
    tr = cell.run(r("x"), r("h0"), r("c0"))
    np.testing.assert_allclose(tr.h, r("h"), rtol=0, atol=1e-13)


@pytest.mark.parametrize("name", CASES)
def test_backward_equals_pytorch_gradients_in_float64(ref, name):
    cell = torch_cell(ref, name)
    tr = cell.run(ref[f"{name}/x"], ref[f"{name}/h0"], ref[f"{name}/c0"])
    grads = cell.backward(tr, ref[f"{name}/dh"], ref[f"{name}/dc"])
    for key in ("weight_ih", "weight_hh", "bias", "x", "h0", "c0"):
        expected = ref[f"{name}/grad_{key}"]
        assert getattr(grads, key).shape == expected.shape, key
        np.testing.assert_allclose(getattr(grads, key), expected, rtol=0, atol=1e-12, err_msg=key)


def test_to_torch_and_to_keras_round_trip_exactly(ref):
    cell = torch_cell(ref, "batch")
    theirs = cell.to_torch()
    assert {k: v.shape for k, v in theirs.items()} == {
        "weight_ih_l0": (16, 3), "weight_hh_l0": (16, 4), "bias_ih_l0": (16,), "bias_hh_l0": (16,)}
    np.testing.assert_array_equal(theirs["bias_hh_l0"], 0)      # the whole bias is in bias_ih_l0
    kernel, recurrent_kernel, bias = cell.to_keras()
    assert (kernel.shape, recurrent_kernel.shape, bias.shape) == ((3, 16), (4, 16), (16,))
    for back in (LSTMCell.from_torch(**{k[:-3]: v for k, v in theirs.items()}),
                 LSTMCell.from_keras(kernel, recurrent_kernel, bias)):
        for name in ("weight_ih", "weight_hh", "bias"):
            np.testing.assert_array_equal(getattr(back, name), getattr(cell, name))
    theirs["weight_ih_l0"][:] = 0                               # copies: the cell is untouched
    assert np.any(cell.weight_ih != 0)


def test_to_torch_loads_into_torch_nn_lstm_and_gives_the_same_outputs():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(5)
    cell = random_cell(3, 4, rng)
    lstm = torch.nn.LSTM(3, 4, dtype=torch.float64)
    lstm.load_state_dict({k: torch.from_numpy(v) for k, v in cell.to_torch().items()})
    xs, h0, c0 = (rng.standard_normal(s) for s in [(6, 2, 3), (2, 4), (2, 4)])
    with torch.no_grad():
        states = (torch.from_numpy(h0[None]), torch.from_numpy(c0[None]))   # (1, N, H) each
        out, (h_T, c_T) = lstm(torch.from_numpy(xs), states)
    tr = cell.run(xs, h0, c0)
    np.testing.assert_allclose(tr.h, out.numpy(), rtol=0, atol=1e-13)
    np.testing.assert_allclose(tr.c[-1], c_T[0].numpy(), rtol=0, atol=1e-13)


def test_a_torch_missing_bias_counts_as_zero(ref):
    r = lambda k: ref[f"sequence/{k}"]
    both = LSTMCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), None)
    np.testing.assert_array_equal(both.bias, r("bias_ih"))


# ---- batches, dtypes ----------------------------------------------------------------------

def test_a_batched_run_equals_n_single_runs():
    rng = np.random.default_rng(0)
    cell = random_cell(3, 5, rng)
    xs = rng.standard_normal((6, 4, 3))
    h0, c0 = rng.standard_normal((2, 4, 5))
    batch = cell.run(xs, h0, c0)
    for n in range(4):
        single = cell.run(xs[:, n], h0[n], c0[n])
        np.testing.assert_allclose(batch.h[:, n], single.h, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(batch.c[:, n], single.c, rtol=1e-12, atol=1e-14)


def test_float32_weights_stay_float32_through_run_and_backward():
    rng = np.random.default_rng(1)
    cell = random_cell(2, 3, rng, dtype=np.float32)
    assert cell.dtype == np.float32
    tr = cell.run(rng.standard_normal((4, 2)))    # float64 input is computed in the cell's dtype
    assert tr.h.dtype == tr.c.dtype == np.float32
    grads = cell.backward(tr, np.ones_like(tr.h))
    for k in ("weight_ih", "weight_hh", "bias", "x"):
        assert getattr(grads, k).dtype == np.float32, k


def test_grads_without_a_cell_state_leave_c0_out_of_their_repr():
    g = Grads(weight_ih=np.zeros((2, 1)), weight_hh=np.zeros((2, 2)), bias=np.zeros(2),
              x=np.zeros(3), h0=np.zeros(2))
    assert g.c0 is None
    assert repr(g) == "Grads(weight_ih(2, 1), weight_hh(2, 2), bias(2,), x(3,), h0(2,))"


def test_the_cell_copies_its_weights():
    w_ih, w_hh = np.ones((4, 1)), np.ones((4, 1))
    cell = LSTMCell(w_ih, w_hh)
    w_ih[:] = 5
    assert np.all(cell.weight_ih == 1)


# ---- gradients by centred differences -----------------------------------------------------

def _loss(cell, xs, h0, c0, dh, dc):
    tr = cell.run(xs, h0, c0)
    return np.sum(tr.h * dh) + np.sum(tr.c[-1] * dc)


def _rel_error(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), 1e-12)


@pytest.mark.parametrize("shape", [(5,), (5, 3), (5, 2, 3)], ids=["(T,)", "(T,D)", "(T,N,D)"])
def test_backward_passes_a_centred_difference_gradient_check(shape):
    rng = np.random.default_rng(2)
    D = 1 if len(shape) == 1 else shape[-1]
    H = 1 if len(shape) == 1 else 4
    cell = random_cell(D, H, rng)
    step_shape = () if len(shape) == 1 else ((H,) if len(shape) == 2 else (shape[1], H))
    xs, h0, c0 = (rng.standard_normal(s) for s in (shape, step_shape, step_shape))
    tr = cell.run(xs, h0, c0)
    dh, dc = rng.standard_normal(tr.h.shape), rng.standard_normal(step_shape)
    grads = cell.backward(tr, dh, dc)
    loss = lambda: _loss(cell, xs, h0, c0, dh, dc)
    for name in ("weight_ih", "weight_hh", "bias"):
        numeric = numerical_gradient(loss, getattr(cell, name))
        assert _rel_error(numeric, getattr(grads, name)) < 1e-7, name
    xs, h0, c0 = (np.array(a, ndmin=1) if a.ndim == 0 else a for a in (xs, h0, c0))
    for name, array in (("x", xs), ("h0", h0), ("c0", c0)):
        numeric = numerical_gradient(loss, array)
        assert _rel_error(numeric, np.reshape(getattr(grads, name), array.shape)) < 1e-7, name


# ---- bad input: a clear error, and nothing changed ----------------------------------------

BAD_XS = [
    ([1.0, np.nan, 3.0], ValueError, "xs must be finite"),
    ([1.0, np.inf], ValueError, "xs must be finite"),
    (["a", "b"], TypeError, "xs must hold real numbers"),
    ([1.0, None], TypeError, "xs must hold real numbers"),
    ([], ValueError, "xs is empty"),
    (np.zeros((3, 0, 1)), ValueError, "xs is empty"),
    ([[1.0, 2.0], [3.0]], ValueError, "xs must be an array"),
    (np.zeros((3, 2)), ValueError, r"xs must have shape .*D = 1"),
    (np.zeros((2, 3, 4, 1)), ValueError, r"xs must have shape"),
]


@pytest.mark.parametrize("xs, error, message", BAD_XS)
def test_bad_xs_gets_a_clear_error_and_changes_nothing(xs, error, message):
    cell = seed_lstm()
    before = [a.copy() for a in (cell.weight_ih, cell.weight_hh, cell.bias, cell.W_y, cell.b_y)]
    with pytest.raises(error, match=message):
        cell.run(xs)
    after = (cell.weight_ih, cell.weight_hh, cell.bias, cell.W_y, cell.b_y)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_wrong_input_width_names_the_expected_shape():
    cell = LSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=r"xs must have shape .*\(T, D\).*D = 3; got \(4, 2\)"):
        cell.run(np.zeros((4, 2)))


@pytest.mark.parametrize("h0, c0, name", [
    (np.zeros(3), None, "h0"), (None, np.zeros((2, 2)), "c0"), (np.zeros((5, 2)), None, "h0"),
    ([np.nan, 0.0], None, "h0")])
def test_states_of_the_wrong_shape_or_not_finite_are_refused(h0, c0, name):
    cell = LSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=name):
        cell.run(np.zeros((4, 3)), h0, c0)   # one step of h is (H,) = (2,)


def test_batched_states_must_be_n_by_h():
    cell = LSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=r"h0 must have the shape of one step of h, \(4, 2\)"):
        cell.run(np.zeros((5, 4, 3)), h0=np.zeros(2))


@pytest.mark.parametrize("kwargs, message", [
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 3))),
     r"weight_hh must have shape \(4H, H\)"),
    (dict(weight_ih=np.zeros((4, 3)), weight_hh=np.zeros((8, 2))),
     r"weight_ih must have shape \(4H, D\) = \(8, D\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 2)), bias=np.zeros(7)),
     r"bias must have shape \(4H,\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 2)), W_y=np.zeros((1, 3))),
     r"W_y must have shape \(K, H\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.full((8, 2), np.nan)),
     "weight_hh must be finite"),
    (dict(weight_ih=[["x"] * 3] * 8, weight_hh=np.zeros((8, 2))),
     "weight_ih must hold real numbers"),
])
def test_inconsistent_weights_are_refused_with_the_expected_shape(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        LSTMCell(**kwargs)


def test_framework_loaders_refuse_inconsistent_layouts():
    with pytest.raises(ValueError, match="bias_hh must have shape"):
        LSTMCell.from_torch(np.zeros((8, 3)), np.zeros((8, 2)), np.zeros(8), np.zeros(4))
    with pytest.raises(ValueError, match=r"kernel must have shape \(D, 4H\)"):
        LSTMCell.from_keras(np.zeros((3, 8)), np.zeros((2, 4)), np.zeros(8))
    with pytest.raises(ValueError, match="W_f"):
        LSTMCell.from_scalars(**{**dict(W_f=[1, 2]), **{k: 0 for k in
                                 ("W_hf", "W_i", "W_hi", "W_c", "W_hc", "W_o", "W_ho")}})


def test_backward_refuses_dh_of_the_wrong_shape():
    cell = seed_lstm()
    tr = cell.run([1, 2, 3])
    with pytest.raises(ValueError, match=r"dh must have shape trace.h.shape = \(3,\)"):
        cell.backward(tr, np.ones(2))


# ---- extreme but valid input --------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_weights_and_inputs_give_finite_gates_and_no_warnings(dtype):
    rng = np.random.default_rng(3)
    H, D, T = 4, 2, 200
    cell = LSTMCell(*(np.asarray(rng.choice([-60.0, 60.0], size=s), dtype)
                      for s in [(4 * H, D), (4 * H, H), (4 * H,)]))
    xs = rng.choice([-1e3, 1e3], size=(T, 3, D))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = cell.run(xs)
        grads = cell.backward(tr, np.ones_like(tr.h))
    for name in ("f", "i", "o"):
        gate = getattr(tr, name)
        assert np.all(np.isfinite(gate)) and gate.min() >= 0 and gate.max() <= 1
    assert np.all(np.abs(tr.g) <= 1) and np.all(np.abs(tr.h) <= 1)
    assert np.all(np.isfinite(tr.c)) and np.all(np.abs(tr.c) <= T)   # |C_t| grows <= 1 a step
    for k in ("weight_ih", "weight_hh", "bias", "x"):
        assert np.all(np.isfinite(getattr(grads, k))), k

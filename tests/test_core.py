"""Unit tests of lstm_core: the seed's numbers, PyTorch equality, gradients, bad and extreme input."""
import warnings
from pathlib import Path

import numpy as np
import pytest

from lstm_core import LSTMCell, seed_lstm, sigmoid
from lstm_learn import numerical_gradient  # centred differences, eps = 1e-6

REFERENCE = Path(__file__).parent / "data" / "torch_reference.npz"
CASES = ("scalar", "sequence", "batch", "wide")

# The seed document's printout (shared/seed/scalar_lstm_walkthrough.txt), transcribed verbatim.
SEED_PRINTOUT = """\
Time Step 1:
  Forget gate (f_t): 0.622
  Input gate (i_t): 0.646
  Candidate cell state (C_tilde_t): 0.604
  Cell state (C_t): 0.390
  Output gate (o_t): 0.690
  Hidden state (h_t): 0.256

Time Step 2:
  Forget gate (f_t): 0.736
  Input gate (i_t): 0.778
  Candidate cell state (C_tilde_t): 0.901
  Cell state (C_t): 0.988
  Output gate (o_t): 0.846
  Hidden state (h_t): 0.640

Time Step 3:
  Forget gate (f_t): 0.827
  Input gate (i_t): 0.873
  Candidate cell state (C_tilde_t): 0.980
  Cell state (C_t): 1.672
  Output gate (o_t): 0.934
  Hidden state (h_t): 0.871

Predicted next value (y_pred): 3.483
"""


@pytest.fixture(scope="module")
def ref():
    with np.load(REFERENCE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def torch_cell(ref, name):
    r = lambda k: ref[f"{name}/{k}"]
    return LSTMCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))


def random_cell(D, H, rng, dtype=np.float64):
    """A cell with standard-normal weights, stacked (4H, D), (4H, H), (4H,)."""
    return LSTMCell(*(rng.standard_normal(s).astype(dtype) for s in [(4 * H, D), (4 * H, H), (4 * H,)]))


# ---- the seed document --------------------------------------------------------------------

def test_seed_cell_reproduces_the_seed_printout_digit_for_digit():
    cell = seed_lstm()
    tr = cell.run([1, 2, 3])
    lines = []
    for t in range(3):
        lines += [f"Time Step {t + 1}:",
                  f"  Forget gate (f_t): {tr.f[t]:.3f}",
                  f"  Input gate (i_t): {tr.i[t]:.3f}",
                  f"  Candidate cell state (C_tilde_t): {tr.c_tilde[t]:.3f}",
                  f"  Cell state (C_t): {tr.c[t]:.3f}",
                  f"  Output gate (o_t): {tr.o[t]:.3f}",
                  f"  Hidden state (h_t): {tr.h[t]:.3f}", ""]
    lines.append(f"Predicted next value (y_pred): {cell.predict(tr.h[-1]):.3f}")
    assert "\n".join(lines) + "\n" == SEED_PRINTOUT


def test_one_unit_cell_on_a_plain_list_gives_plain_floats_over_time():
    tr = seed_lstm().run([1, 2, 3])
    for name in ("f", "i", "g", "c", "o", "h"):
        assert getattr(tr, name).shape == (3,)
    assert isinstance(tr.h[0], float)
    assert tr.c_tilde is tr.g


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
    np.testing.assert_allclose([f, i, g, c, o, h], [tr.f[0], tr.i[0], tr.g[0], tr.c[0], tr.o[0], tr.h[0]])
    *_, c2, _, h2 = cell.step(2.0, h, c)
    assert (c2, h2) == (tr.c[1], tr.h[1])


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
    # Keras: kernel (D, 4H) and recurrent_kernel (H, 4H) multiply from the left; one bias; i, f, c, o
    cell = LSTMCell.from_keras(r("weight_ih").T.copy(), r("weight_hh").T.copy(), r("bias_ih") + r("bias_hh"))
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
    tr = cell.run(rng.standard_normal((4, 2)))        # float64 input is computed in the cell's dtype
    assert tr.h.dtype == tr.c.dtype == np.float32
    grads = cell.backward(tr, np.ones_like(tr.h))
    assert all(getattr(grads, k).dtype == np.float32 for k in ("weight_ih", "weight_hh", "bias", "x"))


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
    state = () if len(shape) == 1 else ((H,) if len(shape) == 2 else (shape[1], H))
    xs, h0, c0 = rng.standard_normal(shape), rng.standard_normal(state), rng.standard_normal(state)
    tr = cell.run(xs, h0, c0)
    dh, dc = rng.standard_normal(tr.h.shape), rng.standard_normal(state)
    grads = cell.backward(tr, dh, dc)
    loss = lambda: _loss(cell, xs, h0, c0, dh, dc)
    for name in ("weight_ih", "weight_hh", "bias"):
        assert _rel_error(numerical_gradient(loss, getattr(cell, name)), getattr(grads, name)) < 1e-7, name
    xs, h0, c0 = (np.array(a, ndmin=1) if a.ndim == 0 else a for a in (xs, h0, c0))
    for name, array in (("x", xs), ("h0", h0), ("c0", c0)):
        assert _rel_error(numerical_gradient(loss, array), np.reshape(getattr(grads, name), array.shape)) < 1e-7, name


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
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 3))), r"weight_hh must have shape \(4H, H\)"),
    (dict(weight_ih=np.zeros((4, 3)), weight_hh=np.zeros((8, 2))), r"weight_ih must have shape \(4H, D\) = \(8, D\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 2)), bias=np.zeros(7)), r"bias must have shape \(4H,\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.zeros((8, 2)), W_y=np.zeros((1, 3))), r"W_y must have shape \(K, H\)"),
    (dict(weight_ih=np.zeros((8, 3)), weight_hh=np.full((8, 2), np.nan)), "weight_hh must be finite"),
    (dict(weight_ih=[["x"] * 3] * 8, weight_hh=np.zeros((8, 2))), "weight_ih must hold real numbers"),
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
    assert np.all(np.isfinite(tr.c)) and np.all(np.abs(tr.c) <= T)   # |C_t| grows by at most 1 a step
    assert all(np.all(np.isfinite(getattr(grads, k))) for k in ("weight_ih", "weight_hh", "bias", "x"))

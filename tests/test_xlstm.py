"""Unit tests of lstm_xlstm: equality with NX-AI's xlstm 2.0.6, gradients, the two mLSTM forms,
bad and extreme input. The reference arrays come from tests/make_xlstm_reference.py; no torch."""
import importlib.util
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from lstm_learn import numerical_gradient  # centred differences, eps = 1e-6
from lstm_xlstm import (
    SLSTMCell,
    _mlstm_parallel,
    _mlstm_recurrent,
    log_sigmoid,
    mlstm_parallel,
    mlstm_recurrent,
    mlstm_store_and_read,
    slstm_without_stabiliser,
)

REFERENCE = Path(__file__).parent / "data" / "xlstm_reference.npz"
SLSTM_CASES = ("scalar", "one_step", "sequence", "batch", "two_heads", "four_heads", "wide")
MLSTM_CASES = ("one_step_d1", "one_step_d4", "short_d2", "d4", "d8", "d16", "negative_input",
               "extreme")
TOLERANCE = 1e-10   # float64 against the reference; the measured errors are below 2e-15



def rel_error(a, b):
    """max |a - b| / max |b|, over the whole array (0 when both are all zeros)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = np.max(np.abs(b))
    return float(np.max(np.abs(a - b)) / scale) if scale else float(np.max(np.abs(a)))


def reference_cell(ref, name):
    r = lambda k: ref[f"slstm_{name}/{k}"]
    return SLSTMCell(r("W"), r("R"), r("b"), num_heads=int(r("num_heads"))), r


def mlstm_inputs(ref, name):
    return [ref[f"mlstm_{name}/{k}"] for k in ("q", "k", "v", "i_pre", "f_pre")]


def random_cell(D, H, rng, num_heads=1, scale=1.0):
    """Standard-normal W, b and a block-diagonal R for `num_heads` heads."""
    DH = H // num_heads
    R = rng.standard_normal((num_heads, 4 * DH, DH)) / np.sqrt(DH)
    return SLSTMCell(scale * rng.standard_normal((4 * H, D)), scale * R,
                     scale * rng.uniform(-2, 2, 4 * H), num_heads=num_heads)


@contextmanager
def no_warnings():
    """Inside it, any numpy warning is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---- equality with the reference ----------------------------------------------------------

def test_the_reference_arrays_come_from_xlstm_2_0_6(ref):
    assert str(ref["xlstm_version"]) == "2.0.6"


@pytest.mark.parametrize("name", SLSTM_CASES)
def test_slstm_trace_equals_the_reference_at_every_step(ref, name):
    cell, r = reference_cell(ref, name)
    tr = cell.run(r("x"))
    for k in ("i", "f", "z", "o", "c", "n", "m", "h"):
        assert getattr(tr, k).shape == r(k).shape, k
        assert rel_error(getattr(tr, k), r(k)) <= TOLERANCE, k


@pytest.mark.parametrize("name", SLSTM_CASES)
def test_slstm_backward_equals_the_reference_autograd(ref, name):
    cell, r = reference_cell(ref, name)
    grads = cell.backward(cell.run(r("x")), r("dh"))
    for k in ("W", "R", "b", "x"):
        assert rel_error(getattr(grads, k), r(f"grad_{k}")) <= TOLERANCE, k


@pytest.mark.parametrize("name", MLSTM_CASES)
def test_mlstm_recurrent_equals_the_reference_recurrent_step(ref, name):
    h = mlstm_recurrent(*mlstm_inputs(ref, name))
    assert rel_error(h, ref[f"mlstm_{name}/h_recurrent"]) <= TOLERANCE


@pytest.mark.parametrize("name", MLSTM_CASES)
def test_mlstm_parallel_equals_the_reference_parallel_form(ref, name):
    h = mlstm_parallel(*mlstm_inputs(ref, name))
    assert rel_error(h, ref[f"mlstm_{name}/h_parallel"]) <= TOLERANCE


def test_live_comparison_with_the_installed_reference():
    pytest.importorskip("torch")
    pytest.importorskip("xlstm")
    spec = importlib.util.spec_from_file_location(
        "make_xlstm_reference", Path(__file__).parent / "make_xlstm_reference.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    rng = np.random.default_rng(11)
    cell = random_cell(3, 6, rng, num_heads=3)
    x = rng.standard_normal((5, 2, 3))
    live = make.reference_slstm(cell.W, cell.R_heads, cell.b, x, 3)
    tr = cell.run(x)
    for k in ("i", "f", "z", "o", "c", "n", "m", "h"):
        assert rel_error(getattr(tr, k), live[k]) <= TOLERANCE, k
    q, k, v = rng.standard_normal((3, 9, 4))
    i_pre, f_pre = 3 * rng.standard_normal(9), rng.standard_normal(9)
    h_rec, h_par = make.reference_mlstm(q, k, v, i_pre, f_pre)
    assert rel_error(mlstm_recurrent(q, k, v, i_pre, f_pre), h_rec) <= TOLERANCE
    assert rel_error(mlstm_parallel(q, k, v, i_pre, f_pre), h_par) <= TOLERANCE


# ---- sLSTM behaviour ----------------------------------------------------------------------

def test_log_sigmoid_is_the_log_of_the_sigmoid_and_finite_in_the_tails():
    x = np.array([-800.0, -30.0, -1.0, 0.0, 2.0, 40.0, 800.0])
    with no_warnings():
        y = log_sigmoid(x)
    assert np.allclose(y[1:-1], -np.log1p(np.exp(-x[1:-1])), rtol=1e-15, atol=0)
    assert y[0] == -800.0 and y[-1] == 0.0


def test_first_step_sets_the_stabiliser_to_the_input_preactivation():
    rng = np.random.default_rng(1)
    tr = random_cell(2, 3, rng).run(rng.standard_normal((4, 2)))
    assert np.array_equal(tr.m[0], tr.i_pre[0]) and np.all(tr.i[0] == 1)
    assert np.array_equal(tr.n[0], np.ones(3)) and np.array_equal(tr.c[0], tr.z[0])
    assert np.allclose(tr.h[0], tr.o[0] * tr.z[0], rtol=1e-15)


def test_gates_stay_at_most_one_and_the_normaliser_at_least_one():
    rng = np.random.default_rng(2)
    tr = random_cell(3, 4, rng, scale=3.0).run(rng.standard_normal((30, 5, 3)))
    assert np.all((tr.i > 0) & (tr.i <= 1)) and np.all((tr.f >= 0) & (tr.f <= 1))
    assert np.all(tr.n >= 1)
    assert np.all(np.maximum(tr.i, tr.f)[1:] == 1)   # one of the two is exp(0) after step 1


def test_the_stabiliser_leaves_h_unchanged():
    rng = np.random.default_rng(3)
    cell = random_cell(3, 4, rng)
    xs = rng.standard_normal((12, 2, 3))
    assert rel_error(slstm_without_stabiliser(cell, xs), cell.run(xs).h) < 1e-13


def test_without_the_stabiliser_a_large_input_gate_overflows_to_nan():
    rng = np.random.default_rng(4)
    cell = random_cell(2, 3, rng)
    cell.b[:3] += 800.0                                  # i~ near 800 > log(float64 max) = 709.8
    xs = rng.standard_normal((5, 2))
    with no_warnings():
        h_raw, tr = slstm_without_stabiliser(cell, xs), cell.run(xs)
    assert np.all(np.isnan(h_raw)) and np.all(np.isfinite(tr.h)) and np.all(np.abs(tr.h) <= 1)


def test_a_batched_run_equals_n_single_runs():
    rng = np.random.default_rng(5)
    cell = random_cell(3, 4, rng, num_heads=2)
    xs = rng.standard_normal((6, 3, 3))
    tr = cell.run(xs)
    for j in range(3):
        assert np.allclose(cell.run(xs[:, j]).h, tr.h[:, j], rtol=1e-14, atol=0)


def test_r_per_head_equals_the_full_block_diagonal_r():
    rng = np.random.default_rng(6)
    cell = random_cell(2, 6, rng, num_heads=3)
    same = SLSTMCell(cell.W, cell.R_heads, cell.b)       # num_heads read from R (3, 8, 2)
    assert same.num_heads == 3 and np.array_equal(same.R, cell.R)
    assert np.array_equal(same.R_heads, cell.R_heads)
    H = 6
    assert np.all(cell.R.reshape(4, H, H)[:, :2, 2:] == 0)   # head 0's rows see only head 0


def test_float32_weights_stay_float32():
    rng = np.random.default_rng(7)
    cell = random_cell(2, 3, rng)
    cell32 = SLSTMCell(cell.W.astype(np.float32), cell.R.astype(np.float32), cell.b)
    tr = cell32.run(rng.standard_normal((4, 2)))
    assert tr.h.dtype == np.float32
    assert cell32.backward(tr, np.ones_like(tr.h)).W.dtype == np.float32


# ---- gradients by centred differences -----------------------------------------------------

def grad_error(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), 1e-12)


@pytest.mark.parametrize("shape, H, heads", [((5,), 1, 1), ((6, 3), 4, 1), ((5, 2, 3), 4, 2),
                                             ((4, 2, 2), 6, 3)],
                         ids=["(T,)", "(T,D)", "(T,N,D) 2 heads", "(T,N,D) 3 heads"])
def test_backward_passes_a_centred_difference_gradient_check(shape, H, heads):
    rng = np.random.default_rng(8)
    D = 1 if len(shape) == 1 else shape[-1]
    cell = random_cell(D, H, rng, num_heads=heads, scale=1.5)
    xs = rng.standard_normal(shape)
    tr = cell.run(xs)
    dh = rng.standard_normal(tr.h.shape)
    grads = cell.backward(tr, dh)
    loss = lambda: np.sum(cell.run(xs).h * dh)
    for name, array in (("W", cell.W), ("R", cell.R), ("b", cell.b), ("x", xs)):
        numeric, analytic = numerical_gradient(loss, array), getattr(grads, name)
        if name == "R":   # only R's entries inside the heads' blocks are free
            numeric, analytic = numeric[cell._mask], analytic[cell._mask]
        assert grad_error(numeric, analytic) < 1e-7, name
    assert np.all(grads.R[~cell._mask] == 0)


# ---- the two mLSTM forms ------------------------------------------------------------------

@pytest.mark.parametrize("name", MLSTM_CASES)
def test_the_two_mlstm_forms_differ_only_by_the_normalisers_eps(ref, name):
    """h_recurrent = h_parallel * r_t per step, 1 - 1e-6 <= r_t <= 1; with eps = 0 they agree."""
    args = mlstm_inputs(ref, name)
    h_rec, h_par = mlstm_recurrent(*args), mlstm_parallel(*args)
    scale = np.max(np.abs(h_par), axis=1)
    assert np.all(np.max(np.abs(h_rec - h_par), axis=1) <= 1e-6 * scale * (1 + 1e-9))
    assert np.all(np.sum(h_rec * h_par, axis=1) >= 0)           # same direction, same sign
    assert rel_error(_mlstm_recurrent(*args, eps=0)[0], _mlstm_parallel(*args, eps=0)[0]) < 1e-13


def test_the_forms_differ_visibly_when_the_initial_stabiliser_still_counts(ref):
    """When every i~ lies below the summed log sigma(f~), m_0 = 0 keeps the recurrent stabiliser
    above the parallel one: its normaliser's 1e-6 weighs up to e^(m_rec - m_par) times more."""
    args = mlstm_inputs(ref, "negative_input")
    (h_rec, m_rec), (h_par, m_par) = _mlstm_recurrent(*args), _mlstm_parallel(*args)
    assert np.all(m_rec > m_par)
    assert 1e-8 < rel_error(h_rec, h_par) <= 1e-6


def test_one_mlstm_step_by_hand():
    q, k, v = np.array([[1.0, 2.0]]), np.array([[0.5, -1.0]]), np.array([[3.0, 4.0]])
    i_pre, f_pre = np.array([0.7]), np.array([-0.2])
    m = max(log_sigmoid(-0.2), 0.7)                      # = 0.7, so i = 1
    qk = (q[0] @ k[0]) / np.sqrt(2)                      # -1.5 / sqrt(2)
    h = qk * v[0] / (max(abs(qk), np.exp(-m)) + 1e-6)
    assert np.allclose(mlstm_recurrent(q, k, v, i_pre, f_pre)[0], h, rtol=1e-15)
    assert np.allclose(mlstm_parallel(q, k, v, i_pre, f_pre)[0], h, rtol=1e-15)


def test_a_matrix_memory_returns_the_value_stored_under_a_key():
    rng = np.random.default_rng(9)
    keys = np.linalg.qr(rng.standard_normal((5, 5)))[0][:3]   # 3 orthonormal keys in 5-D
    values = rng.standard_normal((3, 2))
    C, read = mlstm_store_and_read(keys, values, keys[1])
    assert C.shape == (5, 2) and np.allclose(read, values[1], rtol=0, atol=1e-14)


# ---- extreme but valid input --------------------------------------------------------------

@pytest.mark.parametrize("T", [1, 3000])
def test_mlstm_extreme_preactivations_give_finite_h_and_no_warnings(T):
    rng = np.random.default_rng(10)
    q, k, v = 10 * rng.standard_normal((3, T, 4))
    signs = [(rng.choice([-1, 1], T), rng.choice([-1, 1], T)), (-1, 1), (1, -1), (-1, -1)]
    for i_sign, f_sign in signs:
        i_pre, f_pre = np.full(T, 50.0) * i_sign, np.full(T, 50.0) * f_sign
        with no_warnings():
            h_rec = mlstm_recurrent(q, k, v, i_pre, f_pre)
            h_par = mlstm_parallel(q[-1500:], k[-1500:], v[-1500:], i_pre[-1500:], f_pre[-1500:])
        assert np.all(np.isfinite(h_rec)) and np.all(np.isfinite(h_par))


def test_slstm_extreme_weights_and_inputs_give_finite_values_and_no_warnings():
    rng = np.random.default_rng(12)
    H, D, T = 4, 2, 200
    shapes = [(4 * H, D), (4 * H, H), (4 * H,)]
    cell = SLSTMCell(*(rng.choice([-60.0, 60.0], size=s) for s in shapes))
    xs = rng.choice([-1e3, 1e3], size=(T, 3, D))
    with no_warnings():
        tr = cell.run(xs)
    assert all(np.all(np.isfinite(getattr(tr, k))) for k in ("i", "f", "c", "n", "m", "h"))
    assert np.all(np.abs(tr.h) <= 1) and np.all(tr.n >= 1)
    small = random_cell(D, H, rng)                       # pre-activations near +-50, long T
    small.b[:] = rng.choice([-50.0, 50.0], 4 * H)
    xs = rng.standard_normal((2000, D))
    with no_warnings():
        tr = small.run(xs)
        grads = small.backward(tr, np.ones_like(tr.h))
    assert all(np.all(np.isfinite(getattr(grads, k))) for k in "WRbx")


# ---- bad input: a clear error naming the argument and the expected shape -------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(W=np.zeros((8, 3)), R=np.zeros((8, 3))), r"R must have shape \(4H, H\)"),
    (dict(W=np.zeros((4, 3)), R=np.zeros((8, 2))), r"W must have shape \(4H, D\) = \(8, D\)"),
    (dict(W=np.zeros((8, 3)), R=np.zeros((8, 2)), b=np.zeros(7)), r"b must have shape \(4H,\)"),
    (dict(W=np.zeros((16, 3)), R=np.zeros((16, 4)), num_heads=3), "num_heads .* divides H = 4"),
    (dict(W=np.zeros((16, 3)), R=np.ones((16, 4)), num_heads=2), "R must be block-diagonal"),
    (dict(W=np.zeros((16, 3)), R=np.zeros((2, 8, 3))), r"R given per head must have shape"),
    (dict(W=np.zeros((8, 3)), R=np.full((8, 2), np.nan)), "R must be finite"),
    (dict(W=[["x"] * 3] * 8, R=np.zeros((8, 2))), "W must hold real numbers"),
])
def test_inconsistent_slstm_weights_are_refused_with_the_expected_shape(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        SLSTMCell(**kwargs)


@pytest.mark.parametrize("xs, message", [
    (np.zeros((4, 2)), r"xs must have shape .*D = 3; got \(4, 2\)"),
    (np.zeros(4), r"xs must have shape .*\(T,\) \(only when D = 1\)"),
    (np.zeros((0, 3)), "xs is empty"),
    ([[1.0, np.nan, 0.0]], "xs must be finite"),
])
def test_bad_xs_gets_a_clear_error(xs, message):
    cell = SLSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match=message):
        cell.run(xs)


def test_backward_refuses_dh_of_the_wrong_shape():
    cell = SLSTMCell(np.zeros((8, 3)), np.zeros((8, 2)))
    tr = cell.run(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dh must have shape trace.h.shape = \(4, 2\)"):
        cell.backward(tr, np.ones(4))


GOOD = dict(q=np.zeros((5, 3)), k=np.zeros((5, 3)), v=np.zeros((5, 3)), i_pre=np.zeros(5),
            f_pre=np.zeros(5))


@pytest.mark.parametrize("name, value, message", [
    ("q", np.zeros(5), r"q must have shape \(T, d\)"),
    ("q", np.zeros((0, 3)), r"q must have shape \(T, d\) with T >= 1"),
    ("k", np.zeros((5, 2)), r"k must have shape \(T, d\) like q = \(5, 3\); got \(5, 2\)"),
    ("v", np.zeros((4, 3)), r"v must have shape \(T, d\) like q = \(5, 3\)"),
    ("i_pre", np.zeros((5, 1)), r"i_pre must have shape \(T,\) \(one per row of q\) = \(5,\)"),
    ("f_pre", np.zeros(4), r"f_pre must have shape \(T,\).* = \(5,\); got \(4,\)"),
    ("f_pre", np.full(5, np.inf), "f_pre must be finite"),
])
@pytest.mark.parametrize("form", [mlstm_recurrent, mlstm_parallel])
def test_bad_mlstm_input_gets_an_error_naming_the_argument_and_shape(form, name, value, message):
    with pytest.raises(ValueError, match=message):
        form(**{**GOOD, name: value})


def test_a_memory_refuses_a_query_of_the_wrong_size():
    message = r"query must have shape \(d,\) like one key = \(4,\); got \(3,\)"
    with pytest.raises(ValueError, match=message):
        mlstm_store_and_read(np.eye(4), np.eye(4), np.zeros(3))

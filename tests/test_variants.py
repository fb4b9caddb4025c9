"""Unit tests of lstm_variants: the GRU against PyTorch and centred differences, every LSTM
variant's backward pass against centred differences, the defaults against LSTMCell digit for
digit, each option's meaning, bad and extreme input, and the learning helpers."""
import warnings
from pathlib import Path

import numpy as np
import pytest

from lstm_core import LSTMCell
from lstm_learn import numerical_gradient  # centred differences, eps = 1e-6
from lstm_variants import (
    CELLS,
    VARIANTS,
    GRUCell,
    VariantLSTMCell,
    ablation_run,
    forget_gate_experiment,
    latch_problem,
    loss_and_grads,
    markdown_table,
    parameters,
    random_cell,
    summarise,
    task,
    train,
    variant,
)

REFERENCE = Path(__file__).parent / "data" / "gru_reference.npz"
CASES = ("scalar", "sequence", "batch", "wide")
SHAPES = {"(T,)": (5,), "(T, D)": (5, 3), "(T, N, D)": (5, 2, 3)}   # input shapes of run
GRU_GRADS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "x", "h0")



def sizes(shape):
    """D, H and the shape of one step of h for inputs of `shape` (a one-unit cell for (T,))."""
    D = 1 if len(shape) == 1 else shape[-1]
    H = 1 if len(shape) == 1 else 4
    step = () if len(shape) == 1 else ((H,) if len(shape) == 2 else (shape[1], H))
    return D, H, step


def rel_error(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(a)) + np.max(np.abs(b)), 1e-12)


def lstm_weights(D, H, rng, dtype=np.float64):
    return [rng.standard_normal(s).astype(dtype) for s in [(4 * H, D), (4 * H, H), (4 * H,)]]


def named(name, D, H, rng):
    """The variant `name` with standard-normal weights (and peepholes)."""
    p = rng.standard_normal((3, H)) if name == "peepholes" else None
    return variant(name, *lstm_weights(D, H, rng), peepholes=p)


def gru(D, H, rng, dtype=np.float64):
    return GRUCell(*(rng.standard_normal(s).astype(dtype)
                     for s in [(3 * H, D), (3 * H, H), (3 * H,), (3 * H,)]))


# ---- the GRU against PyTorch ------------------------------------------------------------------

def torch_gru(ref, name):
    r = lambda k: ref[f"{name}/{k}"]
    return GRUCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))


@pytest.mark.parametrize("name", CASES)
def test_gru_forward_equals_pytorch_in_float64(ref, name):
    tr = torch_gru(ref, name).run(ref[f"{name}/x"], ref[f"{name}/h0"])
    assert tr.h.shape == ref[f"{name}/h"].shape
    np.testing.assert_allclose(tr.h, ref[f"{name}/h"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_gru_backward_equals_every_pytorch_gradient_in_float64(ref, name):
    cell = torch_gru(ref, name)
    grads = cell.backward(cell.run(ref[f"{name}/x"], ref[f"{name}/h0"]), ref[f"{name}/dh"])
    for k in GRU_GRADS:
        expected = ref[f"{name}/grad_{k}"]
        assert getattr(grads, k).shape == expected.shape, k
        np.testing.assert_allclose(getattr(grads, k), expected, rtol=0, atol=1e-12, err_msg=k)


def test_gru_biases_get_the_same_gradient_except_in_the_n_rows(ref):
    cell = torch_gru(ref, "batch")
    g = cell.backward(cell.run(ref["batch/x"], ref["batch/h0"]), ref["batch/dh"])
    H = cell.hidden_size
    np.testing.assert_array_equal(g.bias_ih[:2 * H], g.bias_hh[:2 * H])
    assert not np.allclose(g.bias_ih[2 * H:], g.bias_hh[2 * H:])


def test_gru_from_torch_is_the_plain_constructor(ref):
    r = lambda k: ref[f"sequence/{k}"]
    a = GRUCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))
    b = GRUCell(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))
    np.testing.assert_array_equal(a.run(r("x")).h, b.run(r("x")).h)


# ---- the GRU: shapes and centred differences ---------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_gru_trace_is_shaped_like_the_lstm_trace(shape):
    rng = np.random.default_rng(0)
    D, H, step = sizes(shape)
    xs = rng.standard_normal(shape)
    tr = gru(D, H, rng).run(xs)
    lstm_tr = LSTMCell(*lstm_weights(D, H, rng)).run(xs)
    for k in ("r", "z", "n", "h"):
        assert getattr(tr, k).shape == lstm_tr.h.shape == (len(xs),) + step, k
    assert tr.h0.shape == step and tr.x.shape == shape


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_gru_backward_passes_a_centred_difference_gradient_check(shape):
    rng = np.random.default_rng(1)
    D, H, step = sizes(shape)
    cell = gru(D, H, rng)
    xs, h0 = rng.standard_normal(shape), rng.standard_normal(step)
    tr = cell.run(xs, h0)
    dh = rng.standard_normal(tr.h.shape)
    grads = cell.backward(tr, dh)
    loss = lambda: np.sum(cell.run(xs, h0).h * dh)
    for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        assert rel_error(numerical_gradient(loss, getattr(cell, k)), getattr(grads, k)) < 1e-7, k
    xs, h0 = (np.array(a, ndmin=1) if a.ndim == 0 else a for a in (xs, h0))
    for k, array in (("x", xs), ("h0", h0)):
        num = numerical_gradient(loss, array)
        assert rel_error(num, np.reshape(getattr(grads, k), array.shape)) < 1e-7, k


def test_gru_batched_run_equals_n_single_runs():
    rng = np.random.default_rng(2)
    cell = gru(3, 4, rng)
    xs, h0 = rng.standard_normal((6, 3, 3)), rng.standard_normal((3, 4))
    batched = cell.run(xs, h0).h
    for n in range(3):
        np.testing.assert_allclose(batched[:, n], cell.run(xs[:, n], h0[n]).h, rtol=0, atol=1e-14)


def test_gru_float32_weights_stay_float32_through_run_and_backward():
    rng = np.random.default_rng(3)
    cell = gru(3, 4, rng, np.float32)
    tr = cell.run(rng.standard_normal((5, 3)))
    g = cell.backward(tr, np.ones_like(tr.h))
    assert tr.h.dtype == np.float32
    assert all(getattr(g, k).dtype == np.float32 for k in GRU_GRADS)


def test_gru_with_update_gate_shut_keeps_its_starting_state():
    H = 2   # z = 1 everywhere: h_t = h_{t-1}, whatever the input
    b_ih = np.concatenate([np.zeros(H), np.full(H, 100.0), np.zeros(H)])
    cell = GRUCell(np.ones((3 * H, 1)), np.ones((3 * H, H)), b_ih)
    h0 = np.array([0.3, -0.7])
    np.testing.assert_allclose(cell.run(np.ones((4, 1)), h0).h, np.tile(h0, (4, 1)), atol=1e-12)


# ---- LSTM variants: centred differences for every variant and every input shape ------------------

@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("name", VARIANTS)
def test_variant_backward_passes_a_centred_difference_gradient_check(name, shape):
    rng = np.random.default_rng(4)
    D, H, step = sizes(shape)
    cell = named(name, D, H, rng)
    xs, h0, c0 = rng.standard_normal(shape), rng.standard_normal(step), rng.standard_normal(step)
    tr = cell.run(xs, h0, c0)
    dh, dc = rng.standard_normal(tr.h.shape), rng.standard_normal(step)
    grads = cell.backward(tr, dh, dc)

    def loss():
        t = cell.run(xs, h0, c0)
        return np.sum(t.h * dh) + np.sum(t.c[-1] * dc)

    learnable = [k for k in parameters(cell) if k not in ("W_y", "b_y")]
    assert ("peepholes" in learnable) == (name == "peepholes")
    for k in learnable:
        assert rel_error(numerical_gradient(loss, getattr(cell, k)), getattr(grads, k)) < 1e-7, k
    xs, h0, c0 = (np.array(a, ndmin=1) if a.ndim == 0 else a for a in (xs, h0, c0))
    for k, array in (("x", xs), ("h0", h0), ("c0", c0)):
        num = numerical_gradient(loss, array)
        assert rel_error(num, np.reshape(getattr(grads, k), array.shape)) < 1e-7, k


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_variant_with_every_option_off_is_lstmcell_digit_for_digit(shape):
    rng = np.random.default_rng(5)
    D, H, step = sizes(shape)
    w = lstm_weights(D, H, rng)
    xs, h0, c0 = rng.standard_normal(shape), rng.standard_normal(step), rng.standard_normal(step)
    a, b = LSTMCell(*w), VariantLSTMCell(*w)
    ta, tb = a.run(xs, h0, c0), b.run(xs, h0, c0)
    for k in ("f", "i", "g", "c", "o", "h", "h0", "c0"):
        np.testing.assert_array_equal(getattr(ta, k), getattr(tb, k), err_msg=k)
    dh, dc = rng.standard_normal(ta.h.shape), rng.standard_normal(step)
    ga, gb = a.backward(ta, dh, dc), b.backward(tb, dh, dc)
    for k in ("weight_ih", "weight_hh", "bias", "x", "h0", "c0"):
        np.testing.assert_array_equal(getattr(ga, k), getattr(gb, k), err_msg=k)
    for sa, sb in zip(a.step(xs[0], h0, c0), b.step(xs[0], h0, c0)):
        np.testing.assert_array_equal(sa, sb)


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_the_variant_equations_with_zero_peepholes_are_the_lstm(shape):
    """Zero peepholes run the options' own code with nothing switched off: LSTMCell's numbers,
    up to rounding in the last digit."""
    rng = np.random.default_rng(5)
    D, H, step = sizes(shape)
    w = lstm_weights(D, H, rng)
    xs, h0, c0 = rng.standard_normal(shape), rng.standard_normal(step), rng.standard_normal(step)
    a, b = LSTMCell(*w), VariantLSTMCell(*w, peepholes=np.zeros((3, H)))
    ta, tb = a.run(xs, h0, c0), b.run(xs, h0, c0)
    for k in ("f", "i", "g", "c", "o", "h"):
        np.testing.assert_allclose(getattr(tb, k), getattr(ta, k), rtol=1e-13, atol=1e-15,
                                   err_msg=k)
    dh, dc = rng.standard_normal(ta.h.shape), rng.standard_normal(step)
    ga, gb = a.backward(ta, dh, dc), b.backward(tb, dh, dc)
    for k in ("weight_ih", "weight_hh", "bias", "x", "h0", "c0"):
        np.testing.assert_allclose(getattr(gb, k), getattr(ga, k), rtol=1e-13, atol=1e-14,
                                   err_msg=k)


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_step_is_the_first_step_of_run(name):
    rng = np.random.default_rng(6)
    cell = named(name, 2, 3, rng)
    xs, h0, c0 = (rng.standard_normal(s) for s in [(3, 4, 2), (4, 3), (4, 3)])
    tr = cell.run(xs, h0, c0)
    for k, value in zip(("f", "i", "g", "c", "o", "h"), cell.step(xs[0], h0, c0)):
        np.testing.assert_allclose(value, getattr(tr, k)[0], rtol=0, atol=1e-15, err_msg=k)


def test_variant_is_an_lstmcell_and_loads_torch_layouts_with_options():
    rng = np.random.default_rng(6)
    w_ih, w_hh, b = lstm_weights(2, 3, rng)
    cell = VariantLSTMCell.from_torch(w_ih, w_hh, b, np.zeros(12), forget_gate=False)
    assert isinstance(cell, LSTMCell) and cell.name == "no_forget_gate"
    xs = rng.standard_normal((4, 2))
    same = variant("no_forget_gate", w_ih, w_hh, b)
    np.testing.assert_array_equal(cell.run(xs).h, same.run(xs).h)


# ---- what each option means ----------------------------------------------------------------------

def run_named(name, rng=None, shape=(8, 3, 2)):
    rng = np.random.default_rng(7) if rng is None else rng
    cell = named(name, shape[-1], 4, rng)
    return cell, cell.run(rng.standard_normal(shape), c0=rng.standard_normal((shape[1], 4)))


def test_without_a_forget_gate_the_cell_state_only_adds():
    cell, tr = run_named("no_forget_gate")
    assert np.all(tr.f == 1)
    c_prev = np.concatenate([tr.c0[None], tr.c[:-1]])
    np.testing.assert_allclose(tr.c, c_prev + tr.i * tr.g, rtol=0, atol=1e-15)


def test_without_an_input_gate_every_candidate_is_written():
    _, tr = run_named("no_input_gate")
    assert np.all(tr.i == 1)
    c_prev = np.concatenate([tr.c0[None], tr.c[:-1]])
    np.testing.assert_allclose(tr.c, tr.f * c_prev + tr.g, rtol=0, atol=1e-15)


def test_without_an_output_gate_the_whole_squashed_state_is_shown():
    _, tr = run_named("no_output_gate")
    assert np.all(tr.o == 1)
    np.testing.assert_array_equal(tr.h, np.tanh(tr.c))


def test_without_the_output_activation_h_is_the_gated_cell_state():
    _, tr = run_named("no_output_activation")
    np.testing.assert_array_equal(tr.h, tr.o * tr.c)


def test_coupled_gates_write_exactly_what_they_forget():
    _, tr = run_named("coupled")
    np.testing.assert_allclose(tr.i, 1 - tr.f, rtol=0, atol=1e-15)


def test_zero_peepholes_change_nothing_and_nonzero_peepholes_read_the_cell_state():
    rng = np.random.default_rng(8)
    w = lstm_weights(2, 4, rng)
    xs, c0 = rng.standard_normal((6, 2)), rng.standard_normal(4)
    plain = LSTMCell(*w).run(xs, c0=c0)
    np.testing.assert_allclose(variant("peepholes", *w).run(xs, c0=c0).h, plain.h, rtol=1e-13,
                               atol=1e-15)
    p = np.zeros((3, 4))
    p[1] = 50.0   # f looks at C_{t-1} only: where C_{t-1} > 0, f_t saturates at 1
    tr = variant("peepholes", *w, peepholes=p).run(xs, c0=np.abs(c0) + 1)
    assert np.all(tr.f[0] > 1 - 1e-12)


def test_unused_rows_get_zero_gradient():
    H = 4
    rows = {"no_forget_gate": slice(H, 2 * H), "no_input_gate": slice(0, H),
            "no_output_gate": slice(3 * H, 4 * H), "coupled": slice(0, H)}
    for name, unused in rows.items():
        cell, tr = run_named(name)
        g = cell.backward(tr, np.ones_like(tr.h))
        assert np.all(g.weight_ih[unused] == 0) and np.all(g.bias[unused] == 0), name
        used = np.ones(4 * H, bool)
        used[unused] = False
        assert np.all(g.bias[used] != 0), name


def test_every_name_makes_the_variant_it_names():
    rng = np.random.default_rng(9)
    assert VARIANTS == ("vanilla", "no_forget_gate", "no_input_gate", "no_output_gate",
                        "no_output_activation", "coupled", "peepholes")
    for name in VARIANTS:
        cell = named(name, 2, 3, rng)
        assert cell.name == name and name in repr(cell)
        again = VariantLSTMCell(cell.weight_ih, cell.weight_hh, cell.bias, **cell.options)
        assert again.name == name
    mixed = VariantLSTMCell(*lstm_weights(2, 3, rng), forget_gate=False, output_gate=False)
    assert mixed.name == "custom"


def test_random_cell_makes_every_kind_with_pytorchs_initialisation():
    for kind in CELLS:
        cell = random_cell(kind, 2, 5, np.random.default_rng(0))
        assert isinstance(cell, GRUCell if kind == "gru" else VariantLSTMCell)
        k = 1 / np.sqrt(5)
        assert np.all(np.abs(cell.weight_hh) <= k) and cell.W_y.shape == (1, 5)
    assert np.all(random_cell("vanilla", 2, 5, np.random.default_rng(0)).bias[5:10] == 1.0)


# ---- bad input: clear errors that name the argument ---------------------------------------------

@pytest.mark.parametrize("kwargs, error, message", [
    (dict(coupled=True, input_gate=False), ValueError, r"coupled=True .* input_gate=False"),
    (dict(coupled=True, forget_gate=False), ValueError, r"coupled=True .* forget_gate=False"),
    (dict(forget_gate="no"), TypeError, "forget_gate must be True or False; got 'no'"),
    (dict(output_activation=0), TypeError, "output_activation must be True or False"),
    (dict(peepholes=np.zeros(3)), ValueError, r"peepholes must have shape \(3, H\).* = \(3, 2\)"),
    (dict(peepholes=[[np.nan] * 2] * 3), ValueError, "peepholes must be finite"),
])
def test_inconsistent_options_are_refused_naming_the_option(kwargs, error, message):
    with pytest.raises(error, match=message):
        VariantLSTMCell(np.zeros((8, 3)), np.zeros((8, 2)), **kwargs)


def test_variant_refuses_an_unknown_name_and_stray_peepholes():
    with pytest.raises(ValueError, match="name must be one of vanilla, no_forget_gate"):
        variant("no_gates", np.zeros((8, 3)), np.zeros((8, 2)))
    with pytest.raises(ValueError, match="peepholes are only for the 'peepholes' variant"):
        variant("coupled", np.zeros((8, 3)), np.zeros((8, 2)), peepholes=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="kind must be one of"):
        random_cell("lstm", 1, 1, np.random.default_rng(0))


@pytest.mark.parametrize("args, message", [
    ((np.zeros((6, 3)), np.zeros((6, 3))), r"weight_hh must have shape \(3H, H\)"),
    ((np.zeros((4, 3)), np.zeros((6, 2))), r"weight_ih must have shape \(3H, D\) = \(6, D\)"),
    ((np.zeros((6, 3)), np.zeros((6, 2)), np.zeros(5)), r"bias_ih must have shape \(3H,\)"),
    ((np.zeros((6, 3)), np.zeros((6, 2)), None, np.zeros(4)), r"bias_hh must have shape \(3H,\)"),
    ((np.zeros((6, 3)), np.full((6, 2), np.inf)), "weight_hh must be finite"),
    ((np.zeros((6, 3)), np.zeros((6, 2)), None, None, np.zeros((1, 3))), r"W_y must have shape"),
])
def test_gru_refuses_inconsistent_weights_naming_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        GRUCell(*args)


@pytest.mark.parametrize("make", [lambda: GRUCell(np.zeros((6, 3)), np.zeros((6, 2))),
                                  lambda: variant("coupled", np.zeros((8, 3)), np.zeros((8, 2)))],
                         ids=["gru", "variant"])
def test_bad_sequences_and_states_get_clear_errors_and_change_nothing(make):
    cell = make()
    before = {k: v.copy() for k, v in parameters(cell).items()}
    with pytest.raises(ValueError, match="xs must be finite"):
        cell.run(np.array([[0.0, np.nan, 0.0]]))
    with pytest.raises(ValueError, match=r"xs must have shape .*D = 3; got \(4, 2\)"):
        cell.run(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"h0 must have the shape of one step of h, \(5, 2\)"):
        cell.run(np.zeros((4, 5, 3)), h0=np.zeros(2))
    tr = cell.run(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"dh must have shape trace.h.shape = \(4, 2\)"):
        cell.backward(tr, np.zeros((3, 2)))
    assert all(np.array_equal(before[k], v) for k, v in parameters(cell).items())


# ---- extreme but valid input ---------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", CELLS)
def test_extreme_weights_and_inputs_give_finite_numbers_and_no_warnings(kind, dtype):
    rng = np.random.default_rng(10)
    H, D, T = 4, 2, 200
    big = lambda *s: np.asarray(rng.choice([-60.0, 60.0], size=s), dtype)
    if kind == "gru":
        cell = GRUCell(big(3 * H, D), big(3 * H, H), big(3 * H), big(3 * H))
    else:
        cell = variant(kind, big(4 * H, D), big(4 * H, H), big(4 * H),
                       peepholes=big(3, H) if kind == "peepholes" else None)
    xs = rng.choice([-1e3, 1e3], size=(T, 3, D))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = cell.run(xs)
        grads = cell.backward(tr, np.ones_like(tr.h))
    gates = ("r", "z") if kind == "gru" else ("i", "f", "o")
    for name in gates:
        gate = getattr(tr, name)
        assert np.all(np.isfinite(gate)) and gate.min() >= 0 and gate.max() <= 1
    assert np.all(np.isfinite(tr.h))
    if kind != "gru":
        assert np.all(np.abs(tr.c) <= T)      # |C_t| grows by at most 1 a step
    assert all(np.all(np.isfinite(g)) for g in vars(grads).values() if g is not None)


# ---- learning ---------------------------------------------------------------------------------

@pytest.mark.parametrize("every_step", [False, True], ids=["last step", "every step"])
@pytest.mark.parametrize("kind", ["gru", "peepholes", "coupled"])
def test_loss_gradients_match_centred_differences(kind, every_step):
    rng = np.random.default_rng(11)
    cell = random_cell(kind, 2, 3, rng, K=2)
    xs = rng.standard_normal((5, 4, 2))
    target = rng.standard_normal((5, 4, 2) if every_step else (4, 2))
    _, grads = loss_and_grads(cell, xs, target, every_step=every_step)
    loss = lambda: loss_and_grads(cell, xs, target, every_step=every_step)[0]
    assert set(grads) == set(parameters(cell))
    for k, p in parameters(cell).items():
        assert rel_error(numerical_gradient(loss, p), grads[k]) < 1e-7, k


def test_latch_targets_the_last_marked_value():
    xs, target = latch_problem(50, 40, np.random.default_rng(12))
    assert xs.shape == (40, 50, 2) and target.shape == (40, 50, 1)
    assert np.all(xs[0, :, 1] == 1)
    for n in range(50):
        marks = np.flatnonzero(xs[:, n, 1])
        for t in range(40):
            assert target[t, n, 0] == xs[marks[marks <= t][-1], n, 0]
    big = latch_problem(4000, 20, np.random.default_rng(13))[1]
    assert abs(np.mean(big ** 2) - 1 / 3) < 0.01          # always answering 0 scores 1/3


@pytest.mark.parametrize("kind", CELLS)
def test_a_short_training_run_lowers_the_latch_loss(kind):
    make, every_step, baseline = task("latch", 10)
    cell = random_cell(kind, 2, 4, np.random.default_rng(14))
    out = train(cell, make, steps=150, every_step=every_step, rng=np.random.default_rng(15))
    first, last = out["losses"][:10].mean(), out["losses"][-10:].mean()
    assert last < 0.5 * first and last < 0.5 * baseline


def test_an_ablation_run_is_deterministic_from_its_seed():
    a = ablation_run("coupled", "adding", 3, T=8, steps=20, eval_every=10)
    b = ablation_run("coupled", "adding", 3, T=8, steps=20, eval_every=10)
    a.pop("seconds"), b.pop("seconds")
    assert a == b
    table = markdown_table(summarise([a, b]), {"adding": 1 / 6})
    assert "| coupled |" in table and "0/2" in table


def test_without_a_forget_gate_the_state_grows_on_a_stream_that_never_resets():
    out = forget_gate_experiment(T_stream=1000, T_train=20, H=4, steps=150)
    grows, kept = out["no_forget_gate"]["c_max"], out["vanilla"]["c_max"]
    assert grows[-100:].mean() > 3 * kept[-100:].mean()

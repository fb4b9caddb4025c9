"""Unit tests of lstm_learn: the vanilla RNN against PyTorch and centred differences, the loss
gradients, SGD and Adam, clipping, the adding problem, a short training run, and the checks of
notebooks 07 and 08. The full adding problem is trained (and its thresholds asserted) in
notebook 08 under nbval, not here."""
import warnings
from pathlib import Path

import numpy as np
import pytest

import lstm_exercises as ex
from lstm_core import SEED_WEIGHTS, seed_lstm
from lstm_learn import (SGD, Adam, RNNCell, adding_problem, clip_grad_norm, gradient_by_lag,
                        loss_and_grads, named_scalars, numerical_gradient, parameters, random_lstm,
                        random_rnn, readout_backward, relative_error, sensitivity, train)

REFERENCE = Path(__file__).parent / "data" / "torch_reference_rnn.npz"
CASES = ("scalar", "sequence", "batch")
SHAPES = {"(T,)": (6,), "(T, D)": (6, 3), "(T, N, D)": (6, 4, 3)}   # input shapes of run


@pytest.fixture(scope="module")
def ref():
    with np.load(REFERENCE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def rnn_for(shape, rng):
    """A float64 RNN with standard-normal weights sized for inputs of `shape`."""
    D = 1 if len(shape) == 1 else shape[-1]
    H = 1 if len(shape) == 1 else 4
    return RNNCell(*(rng.standard_normal(s) for s in [(H, D), (H, H), (H,), (2, H), (2,)]))


# ---- the vanilla RNN against PyTorch -----------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_rnn_run_matches_torch(ref, case):
    r = lambda k: ref[f"{case}/{k}"]
    cell = RNNCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))
    trace = cell.run(r("x"), r("h0"))
    assert trace.h.shape == r("h").shape
    np.testing.assert_allclose(trace.h, r("h"), rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_rnn_backward_matches_torch(ref, case):
    r = lambda k: ref[f"{case}/{k}"]
    cell = RNNCell.from_torch(r("weight_ih"), r("weight_hh"), r("bias_ih"), r("bias_hh"))
    grads = cell.backward(cell.run(r("x"), r("h0")), r("dh"))
    for name in ("weight_ih", "weight_hh", "bias", "x", "h0"):
        assert getattr(grads, name).shape == r(f"grad_{name}").shape, name
        np.testing.assert_allclose(getattr(grads, name), r(f"grad_{name}"), rtol=0, atol=1e-12,
                                   err_msg=name)


# ---- gradients against centred differences --------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_rnn_backward_matches_centred_differences(shape):
    rng = np.random.default_rng(1)
    cell = rnn_for(shape, rng)
    x = rng.standard_normal(shape)
    h0 = np.array(0.5 * rng.standard_normal(cell.run(x).h.shape[1:]))   # 0-d for (T,)
    dh = rng.standard_normal(cell.run(x).h.shape)
    loss = lambda: float(np.sum(cell.run(x, h0).h * dh))
    grads = cell.backward(cell.run(x, h0), dh)
    for name, array in dict(parameters(cell), x=x, h0=h0).items():
        if name in ("W_y", "b_y"):
            continue                                  # the read-out is not part of run
        numeric = numerical_gradient(loss, array)
        assert relative_error(getattr(grads, name), numeric) < 1e-7, name


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("every_step", [False, True], ids=["last step", "every step"])
def test_loss_gradients_match_centred_differences(kind, shape, every_step):
    rng = np.random.default_rng(2)
    D, H = (1, 1) if len(shape) == 1 else (shape[-1], 3)
    make = random_lstm if kind == "lstm" else random_rnn
    cell = make(D, H, rng, K=1 if len(shape) == 1 else 2)
    for p in parameters(cell).values():               # larger than the default, so every part matters
        p[...] = rng.uniform(-1.5, 1.5, p.shape)
    x = rng.standard_normal(shape)
    trace = cell.run(x)
    y = cell.predict(trace.h if every_step else trace.h[-1])
    target = rng.standard_normal(y.shape)
    loss, grads = loss_and_grads(cell, x, target, every_step=every_step)
    assert loss == pytest.approx(np.mean((y - target) ** 2), rel=1e-12)
    for name, array in parameters(cell).items():
        numeric = numerical_gradient(lambda: loss_and_grads(cell, x, target, every_step=every_step)[0], array)
        assert relative_error(grads[name], numeric) < 1e-7, name


def test_readout_backward_matches_centred_differences():
    rng = np.random.default_rng(3)
    W_y, b_y, h, dy = (rng.standard_normal(s) for s in [(2, 3), (2,), (5, 3), (5, 2)])
    loss = lambda: float(np.sum((h @ W_y.T + b_y) * dy))
    dW_y, db_y, dh = readout_backward(W_y, h, dy)
    for analytic, array in [(dW_y, W_y), (db_y, b_y), (dh, h)]:
        assert relative_error(analytic, numerical_gradient(loss, array)) < 1e-7


def test_sensitivity_is_the_norm_of_the_input_jacobian():
    rng = np.random.default_rng(4)
    cell = random_lstm(2, 3, rng, forget_bias=2.0)
    x = rng.standard_normal((7, 2))
    jacobian = np.stack([numerical_gradient(lambda: float(cell.run(x).h[-1, n]), x) for n in range(3)])
    expected = np.sqrt((jacobian ** 2).sum(axis=(0, 2)))          # Frobenius norm at every t
    np.testing.assert_allclose(sensitivity(cell, x), expected, rtol=1e-6)


def test_gradient_by_lag_follows_the_forget_gates_along_the_cell_state():
    curves = gradient_by_lag(recurrent_scale=1.0, forget_bias=2.0, T=12, H=3, seed=5)
    lstm = random_lstm(1, 3, np.random.default_rng(6), forget_bias=2.0)     # the same cell: seed + 1
    f = lstm.run(np.random.default_rng(5).standard_normal(12)).f           # (T, H)
    assert curves["forget"][0] == 1.0
    np.testing.assert_allclose(curves["forget"][3], np.mean(f[-1] * f[-2] * f[-3]), rtol=1e-12)
    assert all(curves[k].shape == (12,) for k in ("rnn", "lstm", "forget"))


def test_numerical_gradient_restores_the_array_exactly():
    a = np.array([0.1, 0.2, 0.3])
    before = a.copy()
    numerical_gradient(lambda: float(np.sum(np.sin(a))), a)
    assert np.array_equal(a, before)


# ---- optimisers and clipping ------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.05, momentum=0.9),
                                  lambda p: Adam(p, lr=0.1)], ids=["SGD", "SGD with momentum", "Adam"])
def test_optimiser_minimises_a_quadratic(make):
    target = np.array([1.0, -2.0, 3.0])
    params = {"w": np.zeros(3)}
    opt = make(params)
    for _ in range(300):
        opt.step({"w": 2 * (params["w"] - target)})                # L = |w - target|^2
    np.testing.assert_allclose(params["w"], target, atol=1e-2)


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.01), lambda p: Adam(p, lr=0.01)], ids=["SGD", "Adam"])
def test_optimiser_steps_lower_the_seed_cells_loss(make):
    cell = seed_lstm()
    opt = make(parameters(cell))
    before, _ = loss_and_grads(cell, [1, 2, 3], 4.0)
    for _ in range(5):
        opt.step(loss_and_grads(cell, [1, 2, 3], 4.0)[1])
    assert loss_and_grads(cell, [1, 2, 3], 4.0)[0] < before


def test_adam_first_step_moves_every_parameter_by_lr_against_its_gradient_sign():
    params = {"w": np.array([1.0, 1.0, 1.0])}
    Adam(params, lr=0.01).step({"w": np.array([5.0, -0.001, 300.0])})
    np.testing.assert_allclose(params["w"], [0.99, 1.01, 0.99], rtol=0, atol=1e-6)


def test_optimiser_rejects_mismatched_grads_without_changing_parameters():
    params = {"w": np.ones(3)}
    opt = Adam(params)
    with pytest.raises(ValueError, match=r"grads\['w'\].*\(3,\)"):
        opt.step({"w": np.ones(4)})
    with pytest.raises(ValueError, match="keys"):
        opt.step({"v": np.ones(3)})
    assert np.array_equal(params["w"], np.ones(3)) and opt.t == 0


def test_clipping_caps_the_global_norm_and_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, 4.0]])}   # global norm 5
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    total = np.sqrt(sum(np.sum(g ** 2) for g in clipped.values()))
    assert total == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0], atol=1e-6)
    np.testing.assert_allclose(clipped["b"], [[0.0, 0.8]], atol=1e-6)
    assert np.array_equal(grads["a"], [3.0, 0.0])                    # the input is left alone


def test_clipping_leaves_a_small_gradient_unchanged():
    grads = {"a": np.array([0.3, -0.4])}
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_allclose(clipped["a"], grads["a"], rtol=1e-5)


def test_clipping_rejects_a_non_positive_max_norm():
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm({"a": np.ones(2)}, 0.0)


# ---- the adding problem and training ----------------------------------------------------------------

def test_adding_problem_marks_one_value_in_each_half_and_targets_their_sum():
    x, target = adding_problem(200, T=20, rng=np.random.default_rng(5))
    assert x.shape == (20, 200, 2) and target.shape == (200, 1) and x.dtype == np.float32
    values, marker = x[..., 0], x[..., 1]
    assert np.all((values >= 0) & (values <= 1))
    assert np.all(marker[:10].sum(axis=0) == 1) and np.all(marker[10:].sum(axis=0) == 1)
    np.testing.assert_allclose(target[:, 0], (values * marker).sum(axis=0), rtol=1e-6)


def test_adding_problem_baseline_of_always_answering_one_is_a_sixth():
    _, target = adding_problem(200_000, T=4, rng=np.random.default_rng(6), dtype=np.float64)
    assert np.mean((target - 1) ** 2) == pytest.approx(1 / 6, abs=0.003)   # Var(X1 + X2) = 2/12


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_a_short_training_run_lowers_the_loss(kind):
    rng = np.random.default_rng(0)
    cell = (random_lstm if kind == "lstm" else random_rnn)(2, 8, rng)
    x_test, y_test = adding_problem(500, T=10, rng=np.random.default_rng(1), dtype=np.float64)
    before, _ = loss_and_grads(cell, x_test, y_test)
    batches = (adding_problem(32, T=10, rng=rng, dtype=np.float64) for _ in range(20))   # 640 sequences
    losses = train(cell, batches, Adam(parameters(cell), lr=3e-2), clip=1.0)
    after, _ = loss_and_grads(cell, x_test, y_test)
    assert losses.shape == (20,) and np.all(np.isfinite(losses))
    assert after < 0.5 * before


def test_random_lstm_sets_the_forget_bias_and_keeps_the_dtype():
    cell = random_lstm(2, 5, np.random.default_rng(7), forget_bias=3.0, dtype=np.float32)
    assert np.all(cell.bias[5:10] == 3.0) and np.all(np.abs(cell.bias[:5]) <= 1 / np.sqrt(5))
    assert cell.dtype == np.float32 and cell.run(np.zeros((4, 2))).h.dtype == np.float32


def test_named_scalars_reads_the_seed_cell_back_under_the_seed_documents_names():
    assert named_scalars(parameters(seed_lstm())) == pytest.approx(SEED_WEIGHTS)
    assert list(named_scalars(parameters(seed_lstm()))) == list(SEED_WEIGHTS)


# ---- bad and extreme input ----------------------------------------------------------------------------

def test_rnn_rejects_mismatched_weights_naming_the_argument():
    with pytest.raises(ValueError, match=r"weight_hh.*\(H, H\)"):
        RNNCell(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"weight_ih.*\(H, D\)"):
        RNNCell(np.ones((2, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"bias.*\(H,\)"):
        RNNCell(np.ones((3, 2)), np.ones((3, 3)), np.ones(4))
    with pytest.raises(TypeError, match="weight_ih"):
        RNNCell([["a"]], [[1.0]])


def test_rnn_rejects_bad_input_without_changing_the_cell():
    cell = rnn_for((6, 4, 3), np.random.default_rng(8))
    before = {k: v.copy() for k, v in parameters(cell).items()}
    with pytest.raises(ValueError, match=r"xs.*\(T, N, D\)"):
        cell.run(np.ones((5, 2)))
    with pytest.raises(ValueError, match="h0"):
        cell.run(np.ones((5, 3)), h0=np.ones(3))
    with pytest.raises(ValueError, match="finite"):
        cell.run(np.full((5, 3), np.nan))
    with pytest.raises(ValueError, match="dh"):
        cell.backward(cell.run(np.ones((5, 3))), np.ones((5, 3)))
    assert all(np.array_equal(before[k], v) for k, v in parameters(cell).items())


def test_loss_and_grads_rejects_a_target_of_the_wrong_shape():
    with pytest.raises(ValueError, match="target"):
        loss_and_grads(random_rnn(2, 3, np.random.default_rng(9)), np.ones((5, 4, 2)), np.ones(4))


def test_extreme_inputs_give_finite_gradients_without_warnings():
    rng = np.random.default_rng(10)
    x = 1e6 * rng.standard_normal((8, 3, 2))
    target = np.full((3, 1), 1e3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cell in (random_rnn(2, 4, rng), random_lstm(2, 4, rng, forget_bias=50.0)):
            loss, grads = loss_and_grads(cell, x, target)
            assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())
            assert np.all(np.isfinite(sensitivity(cell, x[:, 0])))
        clipped, norm = clip_grad_norm({"a": np.array([1e300, 1e300])}, 1.0)
        assert np.isfinite(norm) and np.all(np.isfinite(clipped["a"]))


# ---- the exercises of notebooks 07 and 08 -------------------------------------------------------------

def assert_check(check, right, wrong, *args, **kwargs):
    """check accepts `right`, rejects `wrong` and None, and never shows `right` when rejecting."""
    assert check(right, *args, **kwargs), check(right, *args, **kwargs)
    for answer in (wrong, None):
        verdict = check(answer, *args, **kwargs)
        assert not verdict and f"{right:.3f}" not in verdict.text, verdict


def test_check_07_output_bias_gradient_follows_the_chain_rule():
    cell = seed_lstm()
    tr = cell.run([1.0])
    y = cell.predict(tr.h[-1])
    by_hand = 2 * (y - 2) * SEED_WEIGHTS["W_y"] * np.tanh(tr.c[0]) * tr.o[0] * (1 - tr.o[0])
    assert_check(ex.check_07_output_bias_gradient, by_hand, by_hand + 0.1)


def test_check_07_one_sgd_step_matches_the_sgd_optimiser():
    cell = seed_lstm()
    SGD(parameters(cell), lr=0.1).step(loss_and_grads(cell, [1, 2, 3], 4.0)[1])
    y = cell.predict(cell.run([1, 2, 3]).h[-1])
    assert_check(ex.check_07_one_sgd_step, y, y - 0.05)


def test_check_07_forward_difference_error_wants_the_right_order_of_magnitude():
    cell = seed_lstm()
    exact = loss_and_grads(cell, [1, 2, 3], 4.0)[1]["W_y"][0, 0]
    loss = lambda w: loss_and_grads(seed_lstm(W_y=w), [1, 2, 3], 4.0)[0]
    forward = (loss(4.0 + 1e-4) - loss(4.0)) / 1e-4
    err = relative_error(forward, exact)
    assert ex.check_07_forward_difference_error(err)
    assert not ex.check_07_forward_difference_error(err / 100)
    assert not ex.check_07_forward_difference_error(None)


def test_check_07_best_epsilon_accepts_only_the_most_accurate_step():
    cell = seed_lstm()
    bias = parameters(cell)["bias"]
    exact = loss_and_grads(cell, [1, 2, 3], 4.0)[1]["bias"][1]
    loss = lambda: loss_and_grads(cell, [1, 2, 3], 4.0)[0]
    errors = {eps: relative_error(numerical_gradient(loss, bias, eps)[1], exact)
              for eps in (1e-1, 1e-4, 1e-8, 1e-12)}
    best = min(errors, key=errors.get)
    assert ex.check_07_best_epsilon(best)
    assert not any(ex.check_07_best_epsilon(eps) for eps in errors if eps != best)
    assert not ex.check_07_best_epsilon(1e-6)                 # not one of the choices


def test_check_07_rnn_shrink_factor():
    rnn = gradient_by_lag()["rnn"]
    factor = (rnn[50] / rnn[10]) ** (1 / 40)
    assert 0 < factor < 1                                    # it does vanish
    assert_check(ex.check_07_rnn_shrink_factor, factor, factor + 0.05)


def test_check_07_smallest_forget_bias_wants_the_smallest_on_the_grid():
    grid = np.arange(-2.0, 6.01, 0.5)
    enough = [b for b in grid if gradient_by_lag(1.0, b)["lstm"][50] >= 1e-3]
    smallest = min(enough)
    assert ex.check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=smallest)
    assert not ex.check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=smallest + 0.5)
    assert not ex.check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=smallest - 0.5)
    assert not ex.check_07_smallest_forget_bias(recurrent_scale=2.0, forget_bias=smallest)


def test_check_08_largest_prediction_is_the_read_outs_bound():
    cell = seed_lstm(W_y=-3.0, b_y=1.0)                     # y = -3 h + 1 with h in (-1, 1): below 4
    assert_check(ex.check_08_largest_prediction, 4.0, 2.0, cell)


def test_check_08_falling_ramp_reads_the_given_cell():
    cell = seed_lstm(b_f=-2.0)
    y = cell.predict(cell.run([5, 4, 3]).h[-1])
    assert_check(ex.check_08_falling_ramp, y, y + 0.1, cell)


def test_check_08_baseline_is_a_sixth():
    assert_check(ex.check_08_baseline, 1 / 6, 1 / 12)


def test_check_08_longer_sequences_counts_answers_within_the_tolerance():
    lstm = random_lstm(2, 4, np.random.default_rng(11), dtype=np.float32)
    x, y = adding_problem(1000, 200, np.random.default_rng(7))
    fraction = float(np.mean(np.abs(lstm.predict(lstm.run(x).h[-1]) - y) < 0.08))
    assert_check(ex.check_08_longer_sequences, fraction, fraction + 0.1, lstm)
    assert not ex.check_08_longer_sequences(100 * fraction + 1, lstm)          # a percentage


# ---- notebook 07's slider panel, driven from code ------------------------------------------------------

def notebook_namespace(name, *markers):
    """Run, in this process, the set-up cell of notebooks/<name> and the cells containing `markers`
    (IPython magics dropped), and return their namespace."""
    import json
    cells = json.loads((Path(__file__).parent.parent / "notebooks" / name).read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    chosen = [code[0]] + [c for c in code if any(m in c for m in markers)]
    namespace = {}
    for source in chosen:
        exec("\n".join(line for line in source.splitlines() if not line.startswith("%")), namespace)
    return namespace


def test_07_panel_redraws_what_lstm_learn_computes_for_its_sliders():
    panel = notebook_namespace("07_backprop_through_time.ipynb", "class GradientPanel")["GradientPanel"]()
    first = panel.image.value
    for scale, b_f in [(1.0, 4.0), (2.5, -2.0), (0.25, 6.0), (4.0, -2.0)]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            panel.scale.value, panel.b_f.value = scale, b_f
        expected = gradient_by_lag(scale, b_f)
        for key, line in panel.lines.items():
            np.testing.assert_allclose(line.get_ydata(), np.maximum(expected[key], 1e-300), rtol=1e-12)
        assert panel.values == dict(recurrent_scale=scale, forget_bias=b_f)
    assert bytes(panel.image.value) != bytes(first) and bytes(panel.image.value).startswith(b"\x89PNG")
    bundle = panel._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle

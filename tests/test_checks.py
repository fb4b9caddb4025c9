"""The exercises' checks (lstm_classroom.checks): a right answer passes, a wrong one does not, and
whatever a learner types gets a verdict, never a traceback.

Right answers come from independent sources: the seed document's printout and its own scalar loop
(transcribed below), analytic facts (transposes, slices, the sigmoid's inverse), lstm_core and
lstm_learn, and PyTorch's stored outputs; never from the checks themselves.
"""
import ast
import inspect
import math
from pathlib import Path

import numpy as np
import pytest

from lstm_classroom.checks import (
    backprop,
    cell_state,
    dashboard,
    forget_gate,
    frameworks,
    input_gate,
    output_gate,
    seed_walkthrough,
    training,
)
from lstm_classroom.checks.verdict import (
    NotYet,
    Verdict,
    check,
    close_to,
    percent,
    read_array,
    read_number,
)
from lstm_core import SEED_WEIGHTS, seed_lstm
from lstm_learn import (
    SGD,
    adding_problem,
    gradient_by_lag,
    loss_and_grads,
    numerical_gradient,
    parameters,
    random_lstm,
    relative_error,
)

PACKAGE = Path(__file__).resolve().parents[1] / "lstm_classroom"
# the seed document's printout on 1, 2, 3 (docs/seed/scalar_lstm_walkthrough.txt)
SEED_DOC = dict(f=[0.622, 0.736, 0.827], i=[0.646, 0.778, 0.873], g=[0.604, 0.901, 0.980],
                c=[0.390, 0.988, 1.672], o=[0.690, 0.846, 0.934], h=[0.256, 0.640, 0.871])
SEED_PREDICTION = 3.483
NAN = float("nan")


def sig(z):
    return 1 / (1 + math.exp(-z))


def seed_document_prediction(xs, **changes):
    """The seed document's scalar LSTM (its own code, transcribed): y after reading xs."""
    w = dict(SEED_WEIGHTS, **changes)
    steps = seed_document_steps(xs, **changes)
    h = steps[-1][5] if steps else 0.0
    return w["W_y"] * h + w["b_y"]


def strongest_bias_by_the_seed_documents_loop():
    base = seed_document_prediction([1, 2, 3])
    return max(["b_f", "b_i", "b_c", "b_o"],
               key=lambda b: abs(seed_document_prediction([1, 2, 3], **{b: 2.0}) - base))


def assert_check(check_fn, right, wrong, *args, **kwargs):
    """check_fn accepts `right`, rejects `wrong` and None, and never shows `right` in a
    rejection."""
    assert check_fn(right, *args, **kwargs), check_fn(right, *args, **kwargs)
    for answer in (wrong, None):
        verdict = check_fn(answer, *args, **kwargs)
        assert not verdict and f"{right:.3f}" not in verdict.text, verdict


# ---- the verdict core -------------------------------------------------------------------------

@check
def positive(answer):
    """A toy check: right for a positive number."""
    if read_number(answer) > 0:
        return "positive it is."
    raise NotYet("needs a number above 0.")


def test_a_check_turns_returned_text_into_a_right_verdict():
    verdict = positive(2)
    assert isinstance(verdict, Verdict) and verdict and verdict.ok
    assert repr(verdict) == "Right! positive it is."


def test_a_check_turns_not_yet_into_a_falsy_verdict_with_its_message():
    verdict = positive(-2)
    assert isinstance(verdict, Verdict) and not verdict
    assert verdict.text == "needs a number above 0."
    assert repr(verdict) == "Not yet. needs a number above 0."


def test_a_learner_value_that_raises_inside_gives_a_verdict_not_a_traceback():
    class Broken:
        def __float__(self):
            raise RuntimeError("this value breaks when read")

    verdict = positive(Broken())
    assert not verdict and "one number" in verdict.text and "Error" not in verdict.text
    verdict = training.check_08_falling_ramp(0.5, None)          # not a cell
    assert not verdict and "Pass the trained LSTM, `cell`" in verdict.text
    verdict = frameworks.check_06_batch(np.zeros((6, 3, 2)))     # an argument missing
    assert not verdict and "(batch, seqs)" in verdict.text and "Error" not in verdict.text
    verdict = frameworks.check_06_batch(np.zeros((6, 3, 2)), [1, 2])   # seqs not sequences
    assert not verdict and "check_06_batch(batch, seqs)" in verdict.text
    assert "Error" not in verdict.text


def test_not_yet_is_an_exception_carrying_the_learners_message():
    with pytest.raises(NotYet, match="Replace None"):
        read_number(None)


def test_the_checks_keep_their_names_and_signatures():
    expected = {  # what the notebooks call
        seed_walkthrough: ["check_00_forget_gate_step_2(answer)",
                           "check_00_cell_state_step_3(answer)",
                           "check_00_prediction_after_four(answer)"],
        forget_gate: ["check_01_forget_gate_step_1(answer)",
                      "check_01_forget_gate_open(**weights)",
                      "check_01_forget_the_pulse(**weights)",
                      "check_01_predict_forget_bias(answer)"],
        input_gate: ["check_02_written_step_1(answer)",
                     "check_02_write_only_the_pulse(**weights)",
                     "check_02_negative_candidate(**weights)"],
        cell_state: ["check_03_cell_state_step_2(answer)",
                     "check_03_conveyor_belt(**weights)",
                     "check_03_no_memory(**weights)"],
        output_gate: ["check_04_hidden_state_step_1(answer)",
                      "check_04_hide_the_memory(**weights)",
                      "check_04_predict_four(**weights)",
                      "check_04_predict_hidden_memory(answer)",
                      "check_04_show_on_cue(**weights)"],
        dashboard: ["check_05_negative_prediction(sequence)",
                    "check_05_predict_four_with_gates(**weights)",
                    "check_05_strongest_bias(answer)"],
        frameworks: ["check_06_forget_rows(rows)",
                     "check_06_stacked_shapes(weight_ih, weight_hh, bias)",
                     "check_06_batch(batch, seqs)",
                     "check_06_time_major(x, x_batch_first)",
                     "check_06_keras_to_torch(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, "
                     "keras)",
                     "check_06_half_life(b_f)",
                     "check_06_second_sequence(h_last)"],
        backprop: ["check_07_output_bias_gradient(answer)",
                   "check_07_one_sgd_step(answer)",
                   "check_07_forward_difference_error(answer)",
                   "check_07_best_epsilon(answer)",
                   "check_07_rnn_shrink_factor(answer)",
                   "check_07_smallest_forget_bias(recurrent_scale=1.0, forget_bias=None)"],
        training: ["check_08_largest_prediction(answer, cell)",
                   "check_08_falling_ramp(answer, cell)",
                   "check_08_baseline(answer)",
                   "check_08_longer_sequences(answer, lstm)"],
    }
    for module, signatures in expected.items():
        found = sorted(f"{n}{inspect.signature(f)}" for n, f in vars(module).items()
                       if n.startswith("check_"))
        assert found == sorted(signatures), module.__name__


def test_the_checks_import_no_widget_or_plotting_code():
    for path in sorted((PACKAGE / "checks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] not in {"ipywidgets", "matplotlib", "lstm_viz",
                                                  "IPython", "lstm_exercises"}, (path.name, name)


# ---- reading an answer ------------------------------------------------------------------------

def test_read_number_takes_numbers_and_one_element_arrays():
    assert read_number(0.5) == 0.5 and read_number(2) == 2.0
    assert read_number(np.float32(0.25)) == 0.25 and read_number(np.array([0.75])) == 0.75


@pytest.mark.parametrize("value, says", [
    (None, "Replace None with your answer, one number."),
    (NAN, "not a number"), (np.float64(NAN), "not a number"), (np.array([NAN]), "not a number"),
    (math.inf, "finite"),
    (True, "truth value"), (False, "truth value"), (np.True_, "truth value"),
    ("0.5", "without quotes"), ("half", "one number"),
    ([0.5, 0.6], "2 numbers"), ({"a": 1}, "one number"), (1j, "one number"),
])
def test_read_number_says_what_was_expected(value, says):
    with pytest.raises(NotYet, match=says):
        read_number(value)


def test_true_is_not_read_as_one():
    cell = seed_lstm(W_y=1.0, b_y=0.0)           # |W_y| + b_y = 1: the answer is 1
    assert training.check_08_largest_prediction(1.0, cell)
    verdict = training.check_08_largest_prediction(True, cell)
    assert not verdict and "truth value" in verdict.text
    assert not output_gate.check_04_predict_four(W_y=True)


def test_a_nan_answer_is_not_a_number_not_a_wrong_number():
    verdict = seed_walkthrough.check_00_forget_gate_step_2(NAN)
    assert not verdict and "not a number" in verdict.text
    verdict = forget_gate.check_01_forget_gate_open(b_f=NAN)
    assert not verdict and "not a number" in verdict.text and "slider" not in verdict.text
    verdict = dashboard.check_05_negative_prediction([-1.0, NAN])
    assert not verdict and "nan" in verdict.text


def test_a_text_answer_says_what_was_expected():
    verdict = seed_walkthrough.check_00_forget_gate_step_2("0.736")
    assert not verdict and "without quotes" in verdict.text
    verdict = seed_walkthrough.check_00_forget_gate_step_2("f_2")
    assert not verdict and "one number" in verdict.text
    verdict = frameworks.check_06_second_sequence("h")
    assert not verdict and "array of numbers" in verdict.text


def test_read_array_refuses_nan_and_text():
    np.testing.assert_array_equal(read_array([[1, 2]], "x"), [[1.0, 2.0]])
    for value, says in [(None, "Replace None with your x"), ([1.0, NAN], "nan"),
                        ("1, 2", "text"), ([[1], [2, 3]], "array of numbers")]:
        with pytest.raises(NotYet, match=says):
            read_array(value, "x")


def test_percent_never_rounds_a_miss_onto_the_limit():
    assert percent(0.0504, 0.05) == "5.04 %"
    assert percent(0.053, 0.01) == "5 %"
    assert percent(0.0499, 0.05) == "4.99 %"


def test_close_to_with_a_relative_tolerance():
    assert "within 1 %" in close_to(1.005, 1.0, "hint", rel=0.01)
    with pytest.raises(NotYet, match=r"is 5 % away from it \(needs within 1 %\)\. Hint: hint"):
        close_to(1.05, 1.0, "hint", rel=0.01)


def test_a_number_by_hand_that_is_close_or_a_common_slip_says_so():
    verdict = seed_walkthrough.check_00_forget_gate_step_2(0.27)      # 0.274 to two decimals
    assert not verdict and "close: give three decimals" in verdict.text
    verdict = seed_walkthrough.check_00_forget_gate_step_2(-0.974)    # sigma forgotten
    assert not verdict and "pre-activation" in verdict.text
    verdict = seed_walkthrough.check_00_forget_gate_step_2(round(sig(-1.0), 3))   # h_1 left out
    assert not verdict and "W_hf h_1 is left out" in verdict.text
    verdict = seed_walkthrough.check_00_cell_state_step_3(0.855)      # i_3 g_3 alone
    assert not verdict and "only the written part" in verdict.text
    for verdict in (seed_walkthrough.check_00_forget_gate_step_2(0.27),
                    seed_walkthrough.check_00_cell_state_step_3(0.855)):
        assert "0.274" not in verdict.text and "1.773" not in verdict.text


def test_a_gate_just_at_its_limit_does_not_read_like_a_pass():
    verdict = input_gate.check_02_write_only_the_pulse(W_i=4.0, b_i=-4.0)   # i_2 = sigma(0)
    assert not verdict and "just at 0.5, not above it" in verdict.text


# ---- 00-05: numbers by hand, then weights on the panels ---------------------------------------

@pytest.mark.parametrize("check_fn, right, wrong", [
    # the seed document's printout
    # exercise 1: f_2 with x_2 = -2 (h_1 = 0.256 as printed); exercise 2: step 3 with b_f = 1
    (seed_walkthrough.check_00_forget_gate_step_2, round(sig(-2 * 0.5 + 0.1 * 0.256), 3), 0.736),
    (seed_walkthrough.check_00_cell_state_step_3,
     sig(0.5 * 3 + 0.1 * 0.640 + 1) * 0.988 + 0.873 * 0.980, 1.672),
    (seed_walkthrough.check_00_prediction_after_four, "FOUR", SEED_PREDICTION),
    # by hand at t = 1 (h_0 = C_0 = 0, x_1 = 1): analytic values
    (forget_gate.check_01_forget_gate_step_1, round(sig(0.5 + 2), 3), 0.622),
    (input_gate.check_02_written_step_1, round(sig(0.6 - 1) * math.tanh(0.7), 3), 0.390),
    (output_gate.check_04_hidden_state_step_1, round(sig(0.8 - 1) * math.tanh(0.390), 3), 0.256),
    # C_2 had the belt carried C_1 = 1 into step 2: the printout's f_2, i_2, g_2
    (cell_state.check_03_cell_state_step_2, 0.736 * 1 + 0.778 * 0.901, 0.988),
    # which bias moves the prediction most: computed with the seed document's own loop
    (dashboard.check_05_strongest_bias, "STRONGEST", "b_f"),
])
def test_number_checks_accept_the_right_answer_and_reject_a_wrong_one(check_fn, right, wrong):
    if right == "FOUR":
        right = seed_document_prediction([1, 2, 3, 4])
    if right == "STRONGEST":
        right = strongest_bias_by_the_seed_documents_loop()
        wrong = "b_f" if right != "b_f" else "b_i"
    assert check_fn(right), check_fn(right)
    verdict = check_fn(wrong)
    assert not verdict
    shown = right if isinstance(right, str) else f"{right:.3f}"
    assert shown not in verdict.text, "a wrong answer's hint must not give the right one away"
    assert not check_fn(None)


@pytest.mark.parametrize("check_fn, right, why", [
    # sigma(z) > 0.95 needs z > 2.95; with b_f = 6, z >= 6 - 0.1 on the pulse for any |h| < 1
    (forget_gate.check_01_forget_gate_open, dict(b_f=6.0), "z_f >= 5.9 at every step"),
    # after the pulse f_t <= sigma(-8 + 0.1) ~ 4e-4 wipes C; what is written is tanh(0.3 h) i
    (forget_gate.check_01_forget_the_pulse, dict(b_f=-8.0), "f_t ~ 0"),
    # W_hi = 0: i_t = sigma(5 x_t - 4), sigma(1) = 0.73 at the pulse, sigma(-4) = 0.018 elsewhere
    (input_gate.check_02_write_only_the_pulse, dict(W_i=5.0, W_hi=0.0, b_i=-4.0), "5 x_t - 4"),
    # on the sine |x_t| <= 1, |h| < 1: z_c <= 0.7 + 0.3 - 2 < 0, whatever the sign of x_t
    (input_gate.check_02_negative_candidate, dict(b_c=-2.0), "z_c <= -1"),
    # f ~ 1 after the pulse; i ~ sigma(5 x - 4): open at x = 1, shut (0.018) at x = 0
    (cell_state.check_03_conveyor_belt, dict(b_f=8.0, W_i=5.0, W_hi=0.0, b_i=-4.0), "write once"),
    # f ~ 0 keeps nothing; the seed's i_t g_t >= 0.778 * 0.901 from t = 2 on
    (cell_state.check_03_no_memory, dict(b_f=-8.0, W_hf=0.0), "f_t ~ 0"),
    # W_o = 0, b_o = -8: |h_t| <= sigma(-8 + 0.4) < 0.001
    (output_gate.check_04_hide_the_memory, dict(W_o=0.0, b_o=-8.0), "o_t ~ 0"),
    # the seed document: 4 * h_3 = 3.483, so b_y = 4 - 3.483 makes it 4.000
    (output_gate.check_04_predict_four, dict(b_y=4 - SEED_PREDICTION), "y = 3.483 + 0.517"),
    # all gates open and g ~ 1: C_3 ~ 3, h_3 ~ tanh(3), y ~ 4 tanh(3) = 3.980
    (dashboard.check_05_predict_four_with_gates, dict(b_f=8.0, b_i=8.0, b_c=8.0, b_o=8.0),
     "4 tanh(3)"),
])
def test_weight_checks_accept_a_right_answer_and_reject_the_seed(check_fn, right, why):
    assert check_fn(**right), (why, check_fn(**right))
    assert check_fn(**dict(SEED_WEIGHTS, **right)), "the full set, as **panel.weights gives it"
    verdict = check_fn(**SEED_WEIGHTS)
    assert not verdict and "Hint" in verdict.text


def test_weight_checks_refuse_weights_the_exercise_does_not_move():
    verdict = forget_gate.check_01_forget_gate_open(b_f=6.0, b_o=1.0)
    assert not verdict and "b_o" in verdict.text
    verdict = forget_gate.check_01_forget_gate_open(b_f="six")
    assert not verdict and "'six'" in verdict.text
    verdict = forget_gate.check_01_forget_gate_open(W_q=1.0)
    assert not verdict and "W_q" in verdict.text
    assert not forget_gate.check_01_forget_gate_open()
    verdict = forget_gate.check_01_forget_gate_open(b_f=1e6)
    assert not verdict and "beyond its slider" in verdict.text and "-8 to 8" in verdict.text


def test_predict_four_is_reachable_with_the_sliders_step():
    # the seed document: y = 4 h_3 + b_y = 3.483 + b_y; on the sliders' 0.1 grid b_y = 0.5 is
    # the nearest, 3.983, and W_y = 4.6 gives 4.6 * 0.871 = 4.007
    assert output_gate.check_04_predict_four(b_y=0.5)
    assert output_gate.check_04_predict_four(W_y=4.6)
    assert not output_gate.check_04_predict_four(b_y=0.3)


def test_writing_only_the_pulse_needs_the_input_weight_and_a_negative_bias():
    # b_i alone shuts the gate at the pulse too: sigma(0.6 - 7) < 0.01
    verdict = input_gate.check_02_write_only_the_pulse(b_i=-7.0)
    assert not verdict and "at the pulse" in verdict.text
    # W_i alone leaves the gate half open where x_t = 0: sigma(0) = 0.5
    verdict = input_gate.check_02_write_only_the_pulse(W_i=5.0)
    assert not verdict and "where x_t = 0" in verdict.text


def test_a_negative_input_weight_alone_does_not_make_the_candidate_negative_on_the_sine():
    # W_c = -1 flips the sign of z_c with x_t, so g_t > 0 where the sine is negative
    verdict = input_gate.check_02_negative_candidate(W_c=-1.0)
    assert not verdict and "the same sign at every step" in verdict.text


def test_conveyor_belt_hint_names_the_gate_that_lets_c_drift():
    verdict = cell_state.check_03_conveyor_belt(b_f=5.0)            # kept, but still written
    assert not verdict and "grows after the pulse" in verdict.text
    verdict = cell_state.check_03_conveyor_belt(W_i=5.0, b_i=-4.0)  # written once, not kept
    assert not verdict and "shrinks after the pulse" in verdict.text


def test_conveyor_belt_says_how_far_c_drifts_and_how_far_it_may_drift():
    verdict = cell_state.check_03_conveyor_belt(**SEED_WEIGHTS)
    assert not verdict and "(it must stay within 5 %)" in verdict.text


def test_conveyor_belt_just_outside_the_tolerance_never_reads_like_a_pass():
    # bisect b_f (with the input gate writing only the pulse) until C_t drifts 5.0x % from C_2,
    # measured with lstm_core
    def drift(b_f):
        c = seed_lstm(b_f=b_f, W_i=5.0, W_hi=0.0, b_i=-4.0).run([0.0, 1.0] + [0.0] * 10).c
        return np.max(np.abs(c[1:] - c[1]) / c[1])

    lo, hi = 2.0, 8.0                                  # drift(lo) > 5 % > drift(hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if drift(mid) > 0.0502 else (lo, mid)
    assert 0.05 < drift(lo) < 0.051
    verdict = cell_state.check_03_conveyor_belt(b_f=lo, W_i=5.0, W_hi=0.0, b_i=-4.0)
    assert not verdict and "5 % away" not in verdict.text and "5.0" in verdict.text


def test_negative_prediction_check_reads_text_or_numbers():
    # all-negative inputs keep g_t, C_t and h_t negative, so the prediction 4 h_T is negative
    assert dashboard.check_05_negative_prediction("-1, -2, -3")
    assert dashboard.check_05_negative_prediction([-1.0, -2.0, -3.0])
    assert not dashboard.check_05_negative_prediction("1, 2, 3")   # the seed document: 3.483
    assert not dashboard.check_05_negative_prediction("1, two")
    verdict = dashboard.check_05_negative_prediction(None)
    assert not verdict and "Replace None" in verdict.text


# ---- 06 batches and frameworks ----------------------------------------------------------------

D, H = 16, 64


def test_forget_rows_are_the_second_block():
    check_fn = frameworks.check_06_forget_rows
    assert check_fn(slice(5, 10)) and check_fn(list(range(5, 10)))
    assert not check_fn(slice(0, 5)) and not check_fn(None)


def test_stacked_shapes_have_4h_rows():
    check_fn = frameworks.check_06_stacked_shapes
    assert check_fn((4 * H, D), (4 * H, H), (4 * H,))
    assert not check_fn((H, D), (4 * H, H), (4 * H,))
    assert not check_fn((4 * H, D), (4 * H, H), 4 * H)   # not a tuple


def test_batch_is_time_first_and_keeps_each_sequence():
    seqs = [np.arange(12.0).reshape(6, 2) + 100 * n for n in range(3)]
    assert frameworks.check_06_batch(np.stack(seqs, axis=1), seqs)
    assert not frameworks.check_06_batch(np.stack(seqs), seqs)                    # batch first
    assert not frameworks.check_06_batch(np.stack(seqs).reshape(6, 3, 2), seqs)   # reshaped


def test_time_major_swaps_the_first_two_axes():
    x = np.arange(84.0).reshape(4, 7, 3)
    assert frameworks.check_06_time_major(np.swapaxes(x, 0, 1), x)
    assert not frameworks.check_06_time_major(x.reshape(7, 4, 3), x)


def test_keras_to_torch_transposes_and_splits_the_bias_any_way():
    rng = np.random.default_rng(1)
    keras = dict(kernel=rng.standard_normal((3, 16)), recurrent_kernel=rng.standard_normal((4, 16)),
                 bias=rng.standard_normal(16))
    k, rk, b = keras["kernel"], keras["recurrent_kernel"], keras["bias"]
    check_fn = frameworks.check_06_keras_to_torch
    assert check_fn(k.T, rk.T, b, np.zeros(16), keras)
    assert check_fn(k.T, rk.T, b / 2, b / 2, keras)
    assert not check_fn(k.T, rk.T, b, b, keras)             # bias counted twice
    assert not check_fn(k.T[::-1], rk.T, b, 0 * b, keras)   # rows out of order


def test_half_life_of_ten_steps_inverts_the_sigmoid():
    f = 0.5 ** 0.1
    assert frameworks.check_06_half_life(np.log(f / (1 - f)))
    assert not frameworks.check_06_half_life(1.0)


def test_the_pytorch_reference_a_check_reads_lives_in_the_package():
    assert frameworks.TORCH_REFERENCE == PACKAGE / "data" / "torch_reference.npz"
    assert frameworks.TORCH_REFERENCE.is_file()


@pytest.fixture(scope="module")
def wide():
    with np.load(PACKAGE / "data" / "torch_reference.npz", allow_pickle=False) as ref:
        return {k.split("/")[1]: ref[k] for k in ref.files if k.startswith("wide/")}


def test_second_sequence_alone_ends_where_pytorch_does(wide):
    assert frameworks.check_06_second_sequence(wide["h"][-1, 1])
    assert not frameworks.check_06_second_sequence(wide["h"][-1, 0])


# ---- 07 backpropagation through time ----------------------------------------------------------

def test_check_07_output_bias_gradient_follows_the_chain_rule():
    cell = seed_lstm()
    tr = cell.run([1.0])
    y = cell.predict(tr.h[-1])
    by_hand = 2 * (y - 2) * SEED_WEIGHTS["W_y"] * np.tanh(tr.c[0]) * tr.o[0] * (1 - tr.o[0])
    assert_check(backprop.check_07_output_bias_gradient, by_hand, by_hand + 0.1)


def test_check_07_one_sgd_step_matches_the_sgd_optimiser():
    cell = seed_lstm()
    SGD(parameters(cell), lr=0.1).step(loss_and_grads(cell, [1, 2, 3], 4.0)[1])
    y = cell.predict(cell.run([1, 2, 3]).h[-1])
    assert_check(backprop.check_07_one_sgd_step, y, y - 0.05)


@pytest.fixture(scope="module")
def forward_difference():
    """(estimate, exact) of dL/dW_y for the seed cell on [1, 2, 3] -> 4, eps = 1e-4."""
    exact = loss_and_grads(seed_lstm(), [1, 2, 3], 4.0)[1]["W_y"][0, 0]

    def loss(w):
        return loss_and_grads(seed_lstm(W_y=w), [1, 2, 3], 4.0)[0]

    return (loss(4.0 + 1e-4) - loss(4.0)) / 1e-4, exact


def test_check_07_forward_difference_error_takes_either_relative_error_to_two_digits(
        forward_difference):
    estimate, exact = forward_difference
    check_fn = backprop.check_07_forward_difference_error
    for err in (relative_error(estimate, exact), abs(estimate - exact) / abs(exact)):
        assert check_fn(err) and check_fn(float(f"{err:.2g}")), err
        unit = 10.0 ** (math.floor(math.log10(err)) - 1)      # of the second significant digit
        verdict = check_fn(float(f"{err:.2g}") + unit)         # the second digit one off
        assert not verdict and "close, but not right to two significant digits" in verdict.text
        verdict = check_fn(1.5 * err)
        assert not verdict and "away from it" in verdict.text
    assert not check_fn(relative_error(estimate, exact) / 100)
    assert not check_fn(None)


def test_check_07_forward_difference_error_refuses_the_absolute_error(forward_difference):
    estimate, exact = forward_difference
    verdict = backprop.check_07_forward_difference_error(abs(estimate - exact))
    assert not verdict and "absolute error" in verdict.text
    assert not backprop.check_07_forward_difference_error(-relative_error(estimate, exact))


def test_check_07_best_epsilon_accepts_only_the_most_accurate_step():
    cell = seed_lstm()
    bias = parameters(cell)["bias"]
    exact = loss_and_grads(cell, [1, 2, 3], 4.0)[1]["bias"][1]

    def loss():
        return loss_and_grads(cell, [1, 2, 3], 4.0)[0]

    errors = {eps: relative_error(numerical_gradient(loss, bias, eps)[1], exact)
              for eps in (1e-1, 1e-4, 1e-8, 1e-12)}
    best = min(errors, key=errors.get)
    assert backprop.check_07_best_epsilon(best)
    assert not any(backprop.check_07_best_epsilon(eps) for eps in errors if eps != best)
    assert not backprop.check_07_best_epsilon(1e-6)                 # not one of the choices


def test_check_07_rnn_shrink_factor():
    rnn = gradient_by_lag()["rnn"]
    factor = (rnn[50] / rnn[10]) ** (1 / 40)
    assert 0 < factor < 1                                           # it does vanish
    assert_check(backprop.check_07_rnn_shrink_factor, factor, factor + 0.05)


def test_check_07_smallest_forget_bias_wants_the_smallest_on_the_grid():
    grid = np.arange(-2.0, 6.01, 0.5)
    smallest = min(b for b in grid if gradient_by_lag(1.0, b)["lstm"][50] >= 1e-3)
    check_fn = backprop.check_07_smallest_forget_bias
    assert check_fn(recurrent_scale=1.0, forget_bias=smallest)
    assert not check_fn(recurrent_scale=1.0, forget_bias=smallest + 0.5)
    assert not check_fn(recurrent_scale=1.0, forget_bias=smallest - 0.5)
    assert not check_fn(recurrent_scale=2.0, forget_bias=smallest)
    assert not check_fn(recurrent_scale=1.0)
    for off in (smallest - 0.2, smallest + 0.05, 6.5):     # not on the slider
        verdict = check_fn(recurrent_scale=1.0, forget_bias=off)
        assert not verdict and "not on the slider" in verdict.text
    verdict = check_fn(recurrent_scale=1.0, forget_bias=NAN)
    assert not verdict and "not a number" in verdict.text


# ---- 08 training ------------------------------------------------------------------------------

def test_check_08_largest_prediction_is_the_read_outs_bound():
    cell = seed_lstm(W_y=-3.0, b_y=1.0)              # y = -3 h + 1 with h in (-1, 1): below 4
    assert_check(training.check_08_largest_prediction, 4.0, 2.0, cell)


def test_check_08_falling_ramp_reads_the_given_cell():
    cell = seed_lstm(b_f=-2.0)
    y = cell.predict(cell.run([5, 4, 3]).h[-1])
    assert_check(training.check_08_falling_ramp, y, y + 0.1, cell)
    verdict = training.check_08_falling_ramp(round(float(np.squeeze(y)), 2), cell)
    assert not verdict and "close: give three decimals" in verdict.text
    # 2, where the pattern would continue, is named as the guess it is, not as a hint to try
    verdict = training.check_08_falling_ramp(2, cell)
    assert not verdict and "a guess" in verdict.text and "Is it 2" not in verdict.text


def test_check_08_baseline_is_a_sixth():
    assert_check(training.check_08_baseline, 1 / 6, 1 / 12)


def test_check_08_longer_sequences_counts_answers_within_the_tolerance():
    lstm = random_lstm(2, 4, np.random.default_rng(11), dtype=np.float32)
    x, y = adding_problem(1000, 200, np.random.default_rng(7))
    fraction = float(np.mean(np.abs(lstm.predict(lstm.run(x).h[-1]) - y) < 0.08))
    assert_check(training.check_08_longer_sequences, fraction, fraction + 0.1, lstm)
    assert not training.check_08_longer_sequences(100 * fraction + 1, lstm)   # a percentage
    # the verdict says the fraction as a whole percentage, the digits every processor agrees on
    text = training.check_08_longer_sequences(fraction, lstm).text
    assert f"about {100 * fraction:.0f} %" in text and f"{fraction:.3f}" not in text, text


def test_check_06_forget_rows_names_an_off_by_one_slice():
    for rows in (slice(5, 11), slice(4, 10), slice(6, 11), slice(4, 9), list(range(4, 9))):
        verdict = frameworks.check_06_forget_rows(rows)
        assert not verdict and "off by one" in verdict.text, rows
    verdict = frameworks.check_06_forget_rows([7])
    assert not verdict and "That row is the forget gate's" in verdict.text


def test_check_06_forget_rows_says_when_a_row_is_missing():
    verdict = frameworks.check_06_forget_rows([5, 6, 7, 8])
    assert not verdict and "H = 5" in verdict.text


def test_check_07_output_bias_gradient_names_a_flipped_sign():
    truth = loss_and_grads(seed_lstm(), [1.0], 2.0)[1]["bias"][3]
    verdict = backprop.check_07_output_bias_gradient(-truth)
    assert not verdict and "wrong sign" in verdict.text


def test_check_08_baseline_names_the_usual_mistakes():
    verdict = training.check_08_baseline(1 / 12)
    assert not verdict and "one value" in verdict.text
    verdict = training.check_08_baseline(0.173)               # the test set's own value
    assert not verdict and "scatters" in verdict.text
    assert training.check_08_baseline(1 / 6)


# ---- one rule for answers (issue 26's exercise findings) ---------------------------------------
# An answer asked to k decimals is right within half a unit of the k-th decimal of the truth (or
# of the value the notebook's own printed numbers give); a near miss says "close" in one of two
# sentences; a value beyond a slider is refused with the slider's range; garbage says what was
# expected; no verdict names an exception.

def seed_document_steps(xs, **changes):
    """The seed document's scalar loop (transcribed), every step's (f, i, g, C, o, h)."""
    w = dict(SEED_WEIGHTS, **changes)
    h = C = 0.0
    steps = []
    for x in xs:
        f = sig(w["W_f"] * x + w["W_hf"] * h + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h + w["b_c"])
        C = f * C + i * g
        o = sig(w["W_o"] * x + w["W_ho"] * h + w["b_o"])
        h = o * math.tanh(C)
        steps.append((f, i, g, C, o, h))
    return steps


def step_3_with_forget_bias_1():
    """C_3 redone with b_f = 1 from the seed's exact h_2, C_2 (the seed document's loop)."""
    _, (_, _, _, c2, _, h2), (_, i3, g3, _, _, _) = seed_document_steps([1, 2, 3])
    return sig(0.5 * 3 + 0.1 * h2 + 1) * c2 + i3 * g3


def no_exception_name(verdict):
    assert "Error" not in verdict.text and "Traceback" not in verdict.text, verdict.text


THREE_DECIMALS = [   # (check, the truth by an independent route, the printed route or None)
    (seed_walkthrough.check_00_forget_gate_step_2,
     sig(-2 * 0.5 + 0.1 * seed_document_steps([1])[0][5]), sig(-2 * 0.5 + 0.1 * 0.256)),
    (seed_walkthrough.check_00_cell_state_step_3, step_3_with_forget_bias_1(),
     sig(0.5 * 3 + 0.1 * 0.640 + 1) * 0.988 + 0.873 * 0.980),
    (seed_walkthrough.check_00_prediction_after_four, seed_document_prediction([1, 2, 3, 4]),
     None),
    (forget_gate.check_01_forget_gate_step_1, sig(0.5 + 2), None),
    (input_gate.check_02_written_step_1, sig(0.6 - 1) * math.tanh(0.7), None),
    (cell_state.check_03_cell_state_step_2,           # f_2 C_1 + i_2 g_2 with C_1 = 1
     (lambda f, i, g, *_: f * 1 + i * g)(*seed_document_steps([1, 2])[1]),
     0.736 * 1 + 0.778 * 0.901),
    (output_gate.check_04_hidden_state_step_1,
     sig(0.8 - 1) * math.tanh(seed_document_steps([1])[0][3]),
     sig(0.8 - 1) * math.tanh(0.390)),
]


@pytest.mark.parametrize("check_fn, truth, printed", THREE_DECIMALS)
def test_finding_46_three_decimals_means_the_third_decimal(check_fn, truth, printed):
    routes = [truth] + ([printed] if printed is not None else [])
    for t in routes:                                   # right: each route, to three decimals
        assert check_fn(round(t, 3)), (t, check_fn(round(t, 3)))
        assert check_fn(t)
    # wrong: the third decimal one off (0.275 for 0.27401), away from every route
    wrong = next(v for v in (round(truth, 3) + 0.001, round(truth, 3) - 0.001, round(truth, 3)
                             + 0.002) if all(abs(v - t) > 0.0005 for t in routes))
    verdict = check_fn(wrong)
    assert not verdict and "is close, but not right to three decimals" in verdict.text, verdict
    # partly right: two decimals
    if all(abs(round(truth, 2) - t) > 0.0005 for t in routes):
        verdict = check_fn(round(truth, 2))
        assert not verdict and "is close: give three decimals." in verdict.text, verdict
    # garbage
    for garbage, says in (("abc", "one number"), (10 ** 400, "too large"),
                          ([0.1, 0.2], "2 numbers"), (1e300, "far too large")):
        verdict = check_fn(garbage)
        assert not verdict and says in verdict.text, verdict
        no_exception_name(verdict)


def test_finding_46_the_examples_of_the_issue():
    assert not seed_walkthrough.check_00_forget_gate_step_2(0.275)     # 0.27401
    assert not forget_gate.check_01_forget_gate_step_1(0.925)          # 0.92414
    assert not input_gate.check_02_written_step_1(0.244)               # 0.24254
    assert input_gate.check_02_written_step_1(0.243)


def test_finding_46_four_decimals_in_notebook_11():
    from lstm_classroom.checks.xlstm import check_11_h2_by_hand
    # x = 1, 4 with W_i = 1, b_f = 3, W_z = 0.3, b_o = 5: h_2 = o_2 c_2 / n_2, unstabilised
    i1, i2, f2 = math.exp(1.0), math.exp(4.0), sig(3.0)
    h2 = sig(5.0) * (f2 * i1 * math.tanh(0.3) + i2 * math.tanh(1.2)) / (f2 * i1 + i2)
    assert check_11_h2_by_hand(round(h2, 4))
    verdict = check_11_h2_by_hand(round(h2, 4) + 0.0002)       # was right within 0.0005
    assert not verdict and "close, but not right to four decimals" in verdict.text
    verdict = check_11_h2_by_hand(round(h2, 3))
    assert not verdict and "close: give four decimals" in verdict.text
    assert not check_11_h2_by_hand("0.8")


def test_finding_47_a_tiny_negative_prediction_is_shown_as_what_it_is():
    for text in ("-50", "-20"):
        verdict = dashboard.check_05_negative_prediction(text)
        assert verdict and "-0.000 after" not in verdict.text and "e-" in verdict.text, verdict
    assert dashboard.check_05_negative_prediction("-1, -2, -3")       # right, and clearly so
    verdict = dashboard.check_05_negative_prediction("0, 0, 0")       # g_t = 0, so y is 0
    assert not verdict and "exactly 0" in verdict.text
    verdict = dashboard.check_05_negative_prediction("1, 2, 3")       # wrong: 3.483
    assert not verdict and "3.483" in verdict.text
    verdict = dashboard.check_05_negative_prediction("minus one")     # garbage
    assert not verdict and "not a number" in verdict.text


def test_finding_48_a_call_with_the_wrong_arguments_says_how_to_call():
    weights = dict(SEED_WEIGHTS, b_f=3.0)                             # panel.weights, no **
    verdict = forget_gate.check_01_forget_gate_open(weights)
    assert not verdict and "**panel.weights" in verdict.text
    no_exception_name(verdict)
    assert forget_gate.check_01_forget_gate_open(**weights)           # with ** it is right
    verdict = seed_walkthrough.check_00_forget_gate_step_2(0.274, 0.5)
    assert not verdict and "check_00_forget_gate_step_2(answer)" in verdict.text
    assert "trained cell" not in verdict.text
    no_exception_name(verdict)
    verdict = output_gate.check_04_predict_four(b_y=object())         # garbage in a weight
    assert not verdict and "one number" in verdict.text
    no_exception_name(verdict)


@pytest.mark.parametrize("value, says", [
    (100, "-8 to 8"), (8.5, "-8 to 8"), (1e308, "-8 to 8"),
    pytest.param(10 ** 400, "-8 to 8", id="10**400"),
    (NAN, "not a number"), ("8", "without quotes"),
])
def test_finding_49_a_weight_beyond_its_slider_is_refused_with_the_range(value, says):
    verdict = forget_gate.check_01_forget_gate_open(b_f=value)
    assert not verdict and says in verdict.text, verdict
    no_exception_name(verdict)


def test_finding_49_the_sliders_ends_are_in_and_every_slider_has_its_own_range():
    from lstm_classroom.controls import slider_range
    assert slider_range("b_f") == (-8.0, 8.0) and slider_range("W_f") == (-5.0, 5.0)
    assert forget_gate.check_01_forget_gate_open(b_f=8.0)             # right, at the slider's end
    verdict = forget_gate.check_01_forget_gate_open(W_f=6.0, b_f=6.0)   # b_f fine, W_f beyond
    assert not verdict and "W_f = 6" in verdict.text and "-5 to 5" in verdict.text
    verdict = output_gate.check_04_predict_four(W_y=10.5)            # the read-out's own range
    assert not verdict and "-10 to 10" in verdict.text
    from lstm_classroom.checks.xlstm import check_11_keep_the_strongest
    verdict = check_11_keep_the_strongest(W_i=5.5)                    # the sLSTM panel's sliders
    assert not verdict and "-5 to 5" in verdict.text


@pytest.mark.parametrize("sequence, says", [
    ("nan", "between -1000 and 1000"), ("1, inf", "between -1000 and 1000"),
    ([-1e308], "between -1000 and 1000"), ([-1.0, 1e4], "between -1000 and 1000"),
    ("1, " * 2000, "characters"), ([1.0] * 41, "1 to 40 numbers"), ([[-1.0]], "list of"),
])
def test_finding_50_the_sequence_refuses_what_a_panel_would(sequence, says):
    verdict = dashboard.check_05_negative_prediction(sequence)
    assert not verdict and says in verdict.text and "out of range" not in verdict.text, verdict
    assert len(verdict.text) < 300
    no_exception_name(verdict)
    assert dashboard.check_05_negative_prediction([-1.0, -2.0])       # right as a list


def test_finding_51_the_second_h_t_as_printed_or_in_float32_is_right(wide):
    cell = __import__("lstm_core").LSTMCell.from_torch(
        wide["weight_ih"], wide["weight_hh"], wide["bias_ih"], wide["bias_hh"])
    h = cell.run(wide["x"][:, 1], wide["h0"][1], wide["c0"][1]).h[-1]
    check_fn = frameworks.check_06_second_sequence
    assert check_fn(h) and check_fn(np.round(h, 4)) and check_fn(h.astype(np.float32))
    verdict = check_fn(np.round(h, 2))                                # partly right
    assert not verdict and "close: give four decimals" in verdict.text
    verdict = check_fn(cell.run(wide["x"][:, 0], wide["h0"][0], wide["c0"][0]).h[-1])   # wrong
    assert not verdict and "not the second sequence's" in verdict.text
    verdict = check_fn([NAN] * len(h))                                # garbage
    assert not verdict and "nan" in verdict.text


def test_finding_52_a_wrong_bias_shape_gets_a_bias_hint_and_rows_out_of_order_say_so():
    rng = np.random.default_rng(1)
    keras = dict(kernel=rng.standard_normal((3, 16)), recurrent_kernel=rng.standard_normal((4, 16)),
                 bias=rng.standard_normal(16))
    k, rk, b = keras["kernel"], keras["recurrent_kernel"], keras["bias"]
    check_fn = frameworks.check_06_keras_to_torch
    verdict = check_fn(k.T, rk.T, b[:, None], np.zeros(16), keras)     # a (16, 1) bias
    assert not verdict and "bias_ih_l0 is (16, 1), not (16,)" in verdict.text
    assert "transposes" not in verdict.text
    verdict = check_fn(k, rk.T, b, np.zeros(16), keras)               # a weight not transposed
    assert not verdict and "transposes" in verdict.text
    assert check_fn(k.T, rk.T, b, np.zeros(16), keras)
    f32 = [a.astype(np.float32) for a in (k.T, rk.T, b, np.zeros(16))]   # PyTorch's precision
    assert check_fn(*f32, keras)
    verdict = check_fn("k", rk.T, b, np.zeros(16), keras)
    assert not verdict and "array of numbers" in verdict.text
    rows = frameworks.check_06_forget_rows
    for order in ([9, 8, 7, 6, 5], [5, 6, 8, 7, 9], [5, 5, 6, 7, 8, 9]):
        verdict = rows(order)
        assert not verdict and "forget gate's rows, but" in verdict.text, order
    assert rows(list(range(5, 10)))
    for garbage in ("5:10", 10 ** 400, 5.5):
        verdict = rows(garbage)
        assert not verdict and "slice" in verdict.text
        no_exception_name(verdict)


NEAR_MISS = "is close, but not right to three decimals"


def test_finding_53_every_near_miss_says_close_the_same_way():
    cell = seed_lstm()                                      # 07 1.2, by lstm_learn's SGD
    SGD(parameters(cell), lr=0.1).step(loss_and_grads(cell, [1, 2, 3], 4.0)[1])
    y = float(cell.predict(cell.run([1, 2, 3]).h[-1]))
    rnn = gradient_by_lag()["rnn"]
    trained = seed_lstm(W_y=-3.0, b_y=1.0)                  # 08 2.1: |W_y| + b_y = 4
    ramp = seed_lstm(b_f=-2.0)
    y_ramp = float(ramp.predict(ramp.run([5, 4, 3]).h[-1]))
    from lstm_classroom.checks import variants
    c3 = sum(i * g for _, i, g, _, _, _ in seed_document_steps([1, 2, 3], b_f=1e9))   # f_t = 1
    near = [(backprop.check_07_one_sgd_step, (y + 0.002,)),
            (backprop.check_07_rnn_shrink_factor, ((rnn[50] / rnn[10]) ** (1 / 40) + 0.002,)),
            (training.check_08_largest_prediction, (4.002, trained)),
            (training.check_08_falling_ramp, (y_ramp + 0.002, ramp)),
            (training.check_08_baseline, (1 / 6 + 0.002,)),
            (variants.check_09_c3_without_forget_gate, (c3 + 0.002,))]
    for check_fn, args in near:
        verdict = check_fn(*args)
        assert not verdict and NEAR_MISS in verdict.text, (check_fn.__name__, verdict)
        assert check_fn(round(args[0] - 0.002, 3), *args[1:]), check_fn.__name__   # right
        assert not check_fn(args[0] + 1, *args[1:])                                 # wrong
        verdict = check_fn("x", *args[1:])                                          # garbage
        assert not verdict and "one number" in verdict.text


@pytest.fixture(scope="module")
def rnn_and_text():
    from lstm_text import SHIPPED, heldout_text, load_char_model
    return load_char_model(SHIPPED["rnn"]), heldout_text()


def test_finding_53_r_on_all_held_out_characters_is_a_near_miss_with_the_right_cause(
        rnn_and_text):
    from lstm_classroom.checks.trained import check_10_rnn_quote
    from lstm_text import in_quote, read_cells
    rnn, text = rnn_and_text

    def best_r(reading):
        prop = in_quote(reading.text)
        r = [np.corrcoef(reading.h[:, u], prop)[0, 1] if np.ptp(reading.h[:, u]) > 0 else 0.0
             for u in range(reading.h.shape[1])]
        return r[int(np.argmax(np.abs(r)))]

    reading = read_cells(rnn, text[:5000])                  # what the notebook passes
    everything = read_cells(rnn, text)                      # all 20,000 held-out characters
    assert check_10_rnn_quote(round(best_r(reading), 3), reading)
    verdict = check_10_rnn_quote(best_r(everything), reading)
    assert not verdict and "close, but not right" in verdict.text
    assert "rnn_reading itself" in verdict.text and "LSTM's reading" not in verdict.text
    verdict = check_10_rnn_quote(0.0, reading)
    assert not verdict and "Hint" in verdict.text
    verdict = check_10_rnn_quote("r", reading)
    assert not verdict and "one number" in verdict.text


def test_finding_41_one_returned_value_is_one_value():
    from lstm_classroom.checks.build import check_step
    verdict = check_step(lambda x, h_prev, c_prev, w: (0.5,))
    assert not verdict and "returned 1 value;" in verdict.text and "1 values" not in verdict.text


def test_finding_38_a_cell_without_memory_is_described_as_it_is():
    verdict = cell_state.check_03_no_memory(W_f=0.0, b_f=-6.0)
    assert verdict and "less than 0.01 of the past" in verdict.text
    assert "C_t = i_t g_t at every step" not in verdict.text


def test_no_verdict_names_an_exception():
    from lstm_classroom.checks.build import check_step, check_step_backward

    def raises(*args):
        return 1 / 0

    for verdict in (check_step(raises), check_step_backward(raises),
                    check_step(lambda x, h_prev, c_prev, w: w["W_x"]),
                    training.check_08_longer_sequences(0.5, "lstm"),
                    frameworks.check_06_time_major(np.zeros((2, 3, 4)), "x")):
        assert not verdict
        no_exception_name(verdict)
    assert "division by zero" in check_step(raises).text


def test_a_huge_paste_is_cut_in_every_message():
    from lstm_classroom.checks import variants
    paste = "0.5" * 5000
    for verdict in (seed_walkthrough.check_00_forget_gate_step_2(paste),
                    frameworks.check_06_forget_rows(paste),
                    frameworks.check_06_second_sequence(paste),
                    dashboard.check_05_negative_prediction(paste),
                    forget_gate.check_01_forget_gate_open(b_f=paste),
                    variants.check_09_adding_failures({paste})):
        assert not verdict and len(verdict.text) < 400, verdict.text[:200]


def test_a_shape_that_is_text_or_infinite_is_not_a_shape():
    check_fn = frameworks.check_06_stacked_shapes
    for bad in ("256", (math.inf, 16), (NAN, 16)):
        verdict = check_fn(bad, (256, 64), (256,))
        assert not verdict and "Not a shape: weight_ih" in verdict.text, bad
    assert check_fn((256.0, 16.0), (256, 64), (256,))


# ---- the second cold read: slips named, rounded answers, loose text ---------------------------
def test_common_slips_by_hand_are_named():
    from lstm_classroom.checks.forget_gate import check_01_forget_gate_step_1
    from lstm_classroom.checks.output_gate import check_04_hidden_state_step_1
    assert "sigma(b_f) alone" in check_01_forget_gate_step_1(0.881).text
    assert "tanh(C_1) alone" in check_04_hidden_state_step_1(0.372).text


def test_a_step_that_rounds_its_outputs_is_told_not_to_round():
    from lstm_classroom.checks.build import check_step
    from lstm_core import scalar_step
    verdict = check_step(lambda x, h, c, w: tuple(round(float(v), 3)
                                                  for v in scalar_step(x, h, c, w)))
    assert not verdict and "rounded to 3 decimals" in verdict.text


def test_the_strongest_bias_answer_is_read_whatever_its_case_and_spaces():
    assert dashboard.check_05_strongest_bias(" B_O ")
    assert "type at least one number" in dashboard.check_05_negative_prediction("").text


def test_a_forget_gate_just_above_its_bound_is_not_shown_as_at_it():
    from lstm_classroom.checks.forget_gate import check_01_forget_gate_open
    verdict = check_01_forget_gate_open(b_f=2.95)
    assert verdict and "lowest 0.950" in verdict.text and "(lowest 0.950)" not in verdict.text


def test_whole_numbers_written_as_floats_are_read_and_others_refused():
    from lstm_classroom.checks.frameworks import check_06_forget_rows, check_06_stacked_shapes
    assert check_06_forget_rows(np.arange(5.0, 10.0)) and check_06_forget_rows([5.0, 6, 7, 8, 9])
    assert not check_06_stacked_shapes((256.5, 16), (256, 64), (256,))
    from lstm_classroom.checks.verdict import NotYet, read_array
    with pytest.raises(NotYet, match="real numbers"):
        read_array(np.array([1 + 1j]), "x")


def test_second_cold_read_checks():
    from lstm_classroom.checks.frameworks import check_06_half_life
    from lstm_classroom.checks.trained import check_10_rnn_quote
    assert check_06_half_life(2.63) and not check_06_half_life(2.61)
    assert "not right to two decimals" in check_06_half_life(2.66).text
    assert "between -1 and 1" in check_10_rnn_quote(47.9, None).text
    verdict = backprop.check_07_forward_difference_error(4.25e-5)
    assert verdict and verdict.text.startswith("4.2e-05 it is")

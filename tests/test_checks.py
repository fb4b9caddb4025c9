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
    h = C = 0.0
    for x in xs:
        f = sig(w["W_f"] * x + w["W_hf"] * h + w["b_f"])
        i = sig(w["W_i"] * x + w["W_hi"] * h + w["b_i"])
        g = math.tanh(w["W_c"] * x + w["W_hc"] * h + w["b_c"])
        C = f * C + i * g
        o = sig(w["W_o"] * x + w["W_ho"] * h + w["b_o"])
        h = o * math.tanh(C)
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
    assert not verdict and "RuntimeError" in verdict.text and "breaks" in verdict.text
    verdict = training.check_08_falling_ramp(0.5, None)          # not a cell
    assert not verdict and "AttributeError" in verdict.text
    verdict = frameworks.check_06_batch(np.zeros((6, 3, 2)))     # an argument missing
    assert not verdict and "seqs" in verdict.text


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
    with pytest.raises(NotYet, match=r"1.0101 is off\. Hint: hint"):
        close_to(1.0101, 1.0, "hint", tol=0.01)


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
    # f ~ 1 after the pulse; i ~ sigma(8 x - 6): open at x = 1, shut (0.0025) at x = 0
    (cell_state.check_03_conveyor_belt, dict(b_f=8.0, W_i=8.0, W_hi=0.0, b_i=-6.0), "write once"),
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
    assert not verdict and "far outside any slider" in verdict.text


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
        c = seed_lstm(b_f=b_f, W_i=8.0, W_hi=0.0, b_i=-6.0).run([0.0, 1.0] + [0.0] * 10).c
        return np.max(np.abs(c[1:] - c[1]) / c[1])

    lo, hi = 2.0, 8.0                                  # drift(lo) > 5 % > drift(hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if drift(mid) > 0.0502 else (lo, mid)
    assert 0.05 < drift(lo) < 0.051
    verdict = cell_state.check_03_conveyor_belt(b_f=lo, W_i=8.0, W_hi=0.0, b_i=-6.0)
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


def test_check_07_forward_difference_error_takes_either_relative_error_within_5_percent(
        forward_difference):
    estimate, exact = forward_difference
    check_fn = backprop.check_07_forward_difference_error
    for err in (relative_error(estimate, exact), abs(estimate - exact) / abs(exact)):
        assert check_fn(err) and check_fn(1.04 * err) and check_fn(0.96 * err), err
        verdict = check_fn(1.1 * err)
        assert not verdict and "away from it (needs within 5 %)" in verdict.text
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
    whole = round(float(np.squeeze(y)))
    if 0.005 < abs(whole - float(np.squeeze(y))) <= 0.5:
        verdict = training.check_08_falling_ramp(whole, cell)
        assert not verdict and "to 3 decimals" in verdict.text
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

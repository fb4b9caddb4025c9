"""Notebook 07's backward stepper (lstm_classroom.backprop_panels): the gradients it plots are
LSTMCell.backward's, its step slider reveals one more step back, its weight sliders change the
numbers, and its setting round-trips."""
import warnings

import numpy as np
import pytest

from lstm_classroom.backprop_panels import backward_stepper, step_back_gradients
from lstm_core import seed_lstm


@pytest.fixture(autouse=True)
def warnings_are_errors(image_mode):
    """In image mode (tests/conftest.py), and any warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def core_gradients(cell, xs):
    """dL/dh_t, dL/dC_t for L = h_T from LSTMCell.backward alone: run the tail x_{t+1..T} from
    the full run's (h_t, C_t) and read Grads.h0, Grads.c0; dL/dC_t also counts h_t = o_t tanh C_t.
    Also dL/dx_t of the full run (Grads.x)."""
    trace = cell.run(xs)
    T = len(xs)
    dh, dC = np.zeros(T), np.zeros(T)
    for t in range(T):           # index t is step t + 1
        if t == T - 1:
            dh[t], dc_beyond = 1.0, 0.0
        else:
            tail = cell.run(xs[t + 1:], h0=trace.h[t], c0=trace.c[t])
            g = cell.backward(tail, np.eye(T - t - 1)[-1])
            dh[t], dc_beyond = float(g.h0), float(g.c0)
        dC[t] = dc_beyond + dh[t] * trace.o[t] * (1 - np.tanh(trace.c[t]) ** 2)
    dx = cell.backward(trace, np.eye(T)[-1]).x
    return dh, dC, dx


def test_plotted_gradients_are_lstm_cores():
    panel = backward_stepper()
    panel.step.value = panel.step.max                 # every step reached
    T = len(panel.xs)
    dh, dC, dx = core_gradients(seed_lstm(), panel.xs)
    np.testing.assert_allclose(panel.lines["dC"].get_xdata(), np.arange(1, T + 1))
    np.testing.assert_allclose(panel.lines["dC"].get_ydata(), dC, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(panel.lines["dh"].get_ydata(), dh, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(panel.result["grads"]["dx"], dx, rtol=1e-10, atol=1e-15)
    trace = panel.trace
    np.testing.assert_allclose(panel.lines["f"].get_ydata(), trace.f)
    np.testing.assert_allclose(panel.lines["into_c"].get_ydata(),
                               trace.o * (1 - np.tanh(trace.c) ** 2))
    assert "dL/dC_t = " in panel.live.description and "at t = 1" in panel.live.description


@pytest.mark.parametrize("changes", [dict(b_f=5.0), dict(b_f=-5.0, W_hc=-2.0, W_ho=1.5)])
def test_loop_equals_backward_for_other_weights_and_inputs(changes):
    for kind in ("ramp", "noise"):
        panel = backward_stepper(T=9, kind=kind, k=8)
        panel.controls.set(**changes)
        cell = seed_lstm(**changes)
        dh, dC, dx = core_gradients(cell, panel.xs)
        got = step_back_gradients(changes | {n: s.value for n, s in panel.sliders.items()
                                             if n not in changes}, cell.run(panel.xs))
        np.testing.assert_allclose(got["dh"], dh, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(got["dC"], dC, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(got["dx"], dx, rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(panel.lines["dC"].get_ydata(), dC, rtol=1e-10, atol=1e-15)


def test_the_step_slider_reveals_one_more_step():
    panel = backward_stepper()
    T = len(panel.xs)
    full = panel.result["grads"]["dC"]
    for k in range(T):
        panel.step.value = k
        x = panel.lines["dC"].get_xdata()
        np.testing.assert_array_equal(x, np.arange(T - k, T + 1))
        for name in ("dh", "f", "into_c"):
            assert len(panel.lines[name].get_xdata()) == k + 1
        np.testing.assert_allclose(panel.lines["dC"].get_ydata(), full[T - k - 1:])
        np.testing.assert_array_equal(panel.lines["at"].get_xdata(), [T - k])
        assert f"t = {T - k}" in panel.live.description
    assert "After 5 steps back" not in panel.live.description
    panel.step.value = 5
    words = panel.live.description
    f7 = panel.trace.f[6]
    assert "After 5 steps back" in words and "at t = 7" in words
    assert f"f_t there is {f7:.2f}, so {100 * f7:.0f} % of dL/dC_t goes on to t = 6" in words


def test_a_weight_slider_changes_the_numbers_and_the_image():
    panel = backward_stepper(k=11)
    bundle = panel._repr_mimebundle_()                        # shown, as in a notebook
    assert bundle["text/plain"].startswith("Figure: the gradient of L = h_12")
    before, png = panel.lines["dC"].get_ydata().copy(), panel.live.last_png
    panel.sliders["b_f"].value = 5.0
    after = panel.lines["dC"].get_ydata()
    assert not np.allclose(before, after)
    assert panel.live.last_png != png and panel.last_redraw == "image"
    assert np.all(panel.trace.f > 0.99)                       # the forget gate wide open
    assert after[0] / after[-1] > 100 * before[0] / before[-1]   # and the gradient survives
    panel.sliders["b_f"].value = -5.0
    assert panel.lines["dC"].get_ydata()[0] < 1e-6 * panel.lines["dC"].get_ydata()[-1]


def test_setting_round_trips():
    panel = backward_stepper()
    panel.controls.set(W_f=-1.5, b_f=3.0, k=7)
    setting = panel.setting
    assert setting.startswith("panel=backward; k=7;")
    other = backward_stepper()
    assert other.restore(setting)
    assert other.values == panel.values
    np.testing.assert_allclose(other.lines["dC"].get_ydata(), panel.lines["dC"].get_ydata())
    again = backward_stepper(setting=setting)
    assert again.values == panel.values
    assert not other.restore(setting.replace("k=7", "k=12"))   # beyond the slider
    assert "unchanged" in other.message.value and other.values == panel.values
    assert not other.restore("panel=f; W_f=0.5")


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="kind"):
        backward_stepper(kind="saw")
    with pytest.raises(ValueError, match="T must"):
        backward_stepper(T=1)

"""Every signal a panel plots, derived from one run of a one-unit cell. numpy only.

The six signals of the cell come in the seed document's order f, i, g, c, o, h everywhere a
learner sees them; x is the input, and a few signals are made from them (see `signals`).
"""
import numpy as np

ORDER = ("x", "f", "i", "g", "c", "o", "h")   # the input, then the seed document's order


def signals(cell, trace):
    """Every signal a panel can plot, by name, each a (T,) array, from a one-unit run.

    x, f, i, g, c, o, h as in the trace; h_prev = h_{t-1} and c_prev = C_{t-1} (h0, c0 first);
    kept = f_t C_{t-1} and written = i_t g_t, the two terms of C_t; tanh_c = tanh(C_t);
    y = the read-out after step t, W_y h_t + b_y, i.e. the prediction of x_{t+1}.
    """
    s = {k: np.ravel(getattr(trace, k)).astype(float) for k in ORDER}
    s["h_prev"] = np.concatenate([np.ravel(trace.h0), s["h"][:-1]])
    s["c_prev"] = np.concatenate([np.ravel(trace.c0), s["c"][:-1]])
    s["kept"] = s["f"] * s["c_prev"]
    s["written"] = s["i"] * s["g"]
    s["tanh_c"] = np.tanh(s["c"])
    s["y"] = np.ravel(cell.predict(trace.h)).astype(float)
    return s

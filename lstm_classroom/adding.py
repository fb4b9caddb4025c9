"""Inside a trained adding-problem LSTM (notebook 08): where the marked values are kept, when
the input gates open, and how the read-out adds them up.

x is a batch of the adding problem as `lstm_learn.adding_problem` makes it, (T, N, 2): channel 0
the values, channel 1 the marker (exactly two ones per sequence). cell is an `LSTMCell` with a
read-out of one output (K = 1), trained on that task.
"""
import numpy as np


def marked_values(x):
    """The two marked steps and values of every sequence in x (T, N, 2).

    Returns first, second (N,) step indices (counted from 0) and X1, X2 (N,) the marked values.
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[2] != 2:
        raise ValueError("x must be an adding-problem batch of shape (T, N, 2); "
                         f"got shape {x.shape}")
    marker = x[:, :, 1]
    if not np.all(np.isin(marker, (0, 1))) or not np.all(marker.sum(axis=0) == 2):
        raise ValueError("x[:, :, 1] must be a marker: 0 everywhere but exactly two 1s "
                         "per sequence")
    n = np.arange(x.shape[1])
    first = np.argmax(marker == 1, axis=0)
    second = len(marker) - 1 - np.argmax(marker[::-1] == 1, axis=0)
    return first, second, x[first, n, 0], x[second, n, 0]


def _check_cell(cell, x):
    if cell.input_size != 2 or np.shape(cell.W_y)[0] != 1:
        raise ValueError("cell must read 2 input channels and have a read-out of one output "
                         f"(D = 2, K = 1); got D = {cell.input_size}, K = {np.shape(cell.W_y)[0]}")


def fit_to_marked(values, x):
    """Least-squares fit of values (N,) or (N, H), one per sequence of x, as a1 X1 + a2 X2 + a0.

    Returns (a1, a2, a0, r2) for (N,) values, an (H, 4) array of them for (N, H): r2 is the share
    of the values' variance that the fit explains (1: the values are exactly a1 X1 + a2 X2 + a0).
    """
    _, _, X1, X2 = marked_values(x)
    v = np.asarray(values, dtype=np.float64)
    if v.shape[:1] != X1.shape or v.ndim > 2 or not np.all(np.isfinite(v)):
        raise ValueError(f"values must be finite numbers, one per sequence: shape ({len(X1)},) or "
                         f"({len(X1)}, H); got shape {v.shape}")
    A = np.stack([X1, X2, np.ones_like(X1)], axis=1).astype(np.float64)    # (N, 3)
    coef, *_ = np.linalg.lstsq(A, v, rcond=None)                           # (3,) or (3, H)
    spread = v.var(axis=0)
    r2 = 1 - (v - A @ coef).var(axis=0) / np.where(spread > 0, spread, 1)
    return np.append(coef, r2) if v.ndim == 1 else np.vstack([coef, r2]).T


def readout_shares(cell, x):
    """How much of each marked value each unit hands to the read-out.

    The prediction is y = W_y h_T + b_y = sum over units k of W_y[k] h_T[k], plus b_y. Each unit's
    share W_y[k] h_T[k] over the N sequences is fitted as a1 X1 + a2 X2 + a0 (`fit_to_marked`).
    Returns an (H, 4) array, row k = (a1, a2, a0, r2) of unit k. Least squares is linear, so the
    rows' a1, a2, a0 summed (b_y added to a0) are the same fit of the whole prediction.
    """
    _check_cell(cell, x)
    return fit_to_marked(cell.run(x).h[-1] * cell.W_y[0], x)


def cell_state_at_marks(cell, x, unit):
    """Unit `unit`'s cell state C_t just after the first mark, just before and just after the
    second, and after the last step, each fitted as a1 X1 + a2 X2 + a0 over the sequences of x.

    Returns a dict {moment: (a1, a2, a0, r2)} with the moments "after the first mark",
    "before the second mark", "after the second mark", "after the last step".
    """
    _check_cell(cell, x)
    if not (isinstance(unit, (int, np.integer)) and 0 <= unit < cell.hidden_size):
        raise ValueError(f"unit must be a unit index 0..{cell.hidden_size - 1}; got {unit!r}")
    first, second, _, _ = marked_values(x)
    c, n = cell.run(x).c[:, :, unit], np.arange(len(first))                # (T, N)
    at = {"after the first mark": c[first, n], "before the second mark": c[second - 1, n],
          "after the second mark": c[second, n], "after the last step": c[-1]}
    return {moment: tuple(float(a) for a in fit_to_marked(v, x)) for moment, v in at.items()}


def input_gate_at_markers(cell, x):
    """Each unit's input gate i_t, averaged over the marked steps and over all other steps.

    Returns two (H,) arrays: the mean of i_t where the marker is 1, and where it is 0.
    """
    _check_cell(cell, x)
    marked_values(x)                                               # checks the marker
    i = cell.run(x).i                                              # (T, N, H)
    at = x[:, :, 1] == 1                                           # (T, N)
    return i[at].mean(axis=0), i[~at].mean(axis=0)


def unit_picture(cell, x, n, unit):
    """A Picture of one unit on sequence n of x: its input gate i_t and cell state C_t over the
    steps, the two marked steps as dashed lines, with words that say what it shows."""
    import matplotlib.pyplot as plt

    from lstm_classroom.figures import Picture
    from lstm_classroom.style import NEUTRAL, line_style

    _check_cell(cell, x)
    first, second, X1, X2 = marked_values(x)
    H, N = cell.hidden_size, np.shape(x)[1]
    if not (isinstance(n, (int, np.integer)) and 0 <= n < N):
        raise ValueError(f"n must be a sequence index 0..{N - 1}; got {n!r}")
    if not (isinstance(unit, (int, np.integer)) and 0 <= unit < H):
        raise ValueError(f"unit must be a unit index 0..{H - 1}; got {unit!r}")
    trace = cell.run(x[:, n:n + 1])
    i, c = trace.i[:, 0, unit], trace.c[:, 0, unit]
    t = np.arange(1, len(i) + 1)
    marks = (int(first[n]) + 1, int(second[n]) + 1)
    fig, axes = plt.subplots(2, 1, figsize=(8, 4.4), sharex=True, layout="constrained")
    axes[0].plot(t, i, **{**line_style("i"), "marker": None})
    axes[0].set(ylim=(-0.05, 1.05), ylabel="$i_t$", title=f"unit {unit}: input gate $i_t$")
    axes[1].plot(t, c, **{**line_style("c"), "marker": None})
    axes[1].set(xlabel="time step t", ylabel="$C_t$", title=f"unit {unit}: cell state $C_t$")
    for ax in axes:
        for m in marks:
            ax.axvline(m, color=NEUTRAL, linestyle="--", linewidth=1)
    lo = lambda a: float(np.max(np.delete(a, np.array(marks) - 1)))
    words = (f"Figure: unit {unit} on one test sequence, marked at t = {marks[0]} and "
             f"t = {marks[1]} (dashed lines). Its input gate i_t is {i[marks[0] - 1]:.2f} and "
             f"{i[marks[1] - 1]:.2f} "
             f"at the two marks and at most {lo(i):.2f} at every other step; its cell state C_t is "
             f"{c[marks[0] - 2] if marks[0] > 1 else 0.0:.2f} before the first mark, "
             f"{c[marks[0] - 1]:.2f} after it, {c[marks[1] - 2]:.2f} just before the second and "
             f"{c[marks[1] - 1]:.2f} after it, and {c[-1]:.2f} at the last step.")
    return Picture.of(fig, words)


def shares_table(cell, x, top=4):
    """The units with the largest read-out shares a1 + a2 (`readout_shares`), one line each:
    W_y[k], a1, a2, the mean input gate at the marked steps and at the others, the mean forget
    gate; then the fit of the whole prediction. A str: the gates to 2 or 3 decimals, the rest
    to 2."""
    _check_cell(cell, x)
    if not (isinstance(top, (int, np.integer)) and 1 <= top <= cell.hidden_size):
        raise ValueError(f"top must be a whole number from 1 to {cell.hidden_size}; got {top!r}")
    shares = readout_shares(cell, x)
    i_marked, i_other = input_gate_at_markers(cell, x)
    f = cell.run(x).f.mean(axis=(0, 1))                            # (H,)
    order = np.argsort(-(shares[:, 0] + shares[:, 1]), kind="stable")[:top]
    lines = ["unit    W_y   share of X1   of X2   i_t at the marks   elsewhere   mean f_t"]
    for k in order:
        lines.append(f"{k:4d} {cell.W_y[0, k]:6.2f} {shares[k, 0]:11.2f} {shares[k, 1]:9.2f} "
                     f"{i_marked[k]:14.2f} {i_other[k]:13.3f} {f[k]:10.3f}")
    a1, a2, a0 = shares[:, :3].sum(axis=0) + [0, 0, float(cell.b_y[0])]
    a0 = 0.0 if round(a0, 2) == 0 else a0                          # no "-0.00"
    lines.append(f"all {cell.hidden_size} units and b_y: prediction = {a1:.2f} X1 + {a2:.2f} X2 "
                 f"{'+' if a0 >= 0 else '-'} {abs(a0):.2f}")
    return "\n".join(lines)

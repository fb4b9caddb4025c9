"""The xLSTM's two new cells in numpy: sLSTM (exponential gates) and mLSTM (a matrix memory).

Both compute exactly what NX-AI's reference implementation computes (xlstm 2.0.6, its vanilla
PyTorch backend): the sLSTM as `slstm_forward_pointwise` in
xlstm/blocks/slstm/src/vanilla/slstm.py, the mLSTM as `recurrent_step_stabilized_simple` and
`parallel_stabilized_simple` in xlstm/blocks/mlstm/backends.py. numpy is the only import besides
the input checks of lstm_core and lstm_learn.

sLSTM, one time step (sigma the logistic sigmoid, * element by element, z~ etc. pre-activations):

    [i~, f~, z~, o~] = W x_t + R h_{t-1} + b       four row blocks, in the order i, f, z, o
    m_t = max(log sigma(f~_t) + m_{t-1}, i~_t)     stabiliser; m_1 = i~_1 (first step: n_0 = 0)
    i_t = exp(i~_t - m_t)                          input gate: exponential, kept <= 1 by m_t
    f_t = exp(log sigma(f~_t) + m_{t-1} - m_t)     forget gate: sigma(f~_t), rescaled like i_t
    z_t = tanh(z~_t)                               cell input (the LSTM's candidate g_t)
    o_t = sigma(o~_t)                              output gate
    c_t = f_t * c_{t-1} + i_t * z_t                cell state
    n_t = f_t * n_{t-1} + i_t                      normaliser state: the sum of the gate weights
    h_t = o_t * c_t / n_t                          hidden state: a weighted average of the z's

m_t rescales c_t and n_t by the same factor exp(-m_t), so h_t equals the unstabilised cell's
(i_t = exp(i~_t), f_t = sigma(f~_t)) while no exp ever exceeds 1. With several heads R is
block-diagonal: head k's units see only head k's part of h_{t-1}.

mLSTM, one time step (q_t, k_t, v_t are (d,) vectors; i~_t, f~_t numbers):

    m_t = max(log sigma(f~_t) + m_{t-1}, i~_t)     from m_0 = 0, C_0 = 0, n_0 = 0
    i_t = exp(i~_t - m_t),  f_t = exp(log sigma(f~_t) + m_{t-1} - m_t)
    C_t = f_t C_{t-1} + i_t k_t v_t^T / sqrt(d)    (d, d) memory: a key -> value store
    n_t = f_t n_{t-1} + i_t k_t / sqrt(d)          (d,) normaliser
    h_t = C_t^T q_t / (max(|q_t . n_t|, exp(-m_t)) + 1e-6)

The parallel form computes all steps at once from the causal decay matrix
log D[t, j] = sum_{s=j+1..t} log sigma(f~_s) + i~_j (j <= t), stabilised by its row maximum.
The two forms agree up to the 1e-6: recurrent h_t = r_t * parallel h_t with 1 - 1e-6 <= r_t <= 1
(r_t < 1 only while m_0 = 0 still sets the recurrent stabiliser).

Symbols and sizes:

    T  time steps            x_t          sLSTM input at step t          (N, D)
    N  batch size            h_t, c_t, n_t, m_t, gates                   (N, H) each
    D  input size            q_t, k_t, v_t                               (d,) each
    H  hidden size           C_t                                         (d, d)
    d  mLSTM head size       i~_t, f~_t   mLSTM gate pre-activations     numbers

Weights: W (4H, D), R (4H, H), b (4H,); rows [0:H] belong to i, [H:2H] to f, [2H:3H] to z and
[3H:4H] to o (the reference's order; the LSTM's i, f, g, o with z for g). Within each block the
heads' units come one head after the other.

Only the cells are here. The reference's layers around them add what the cells do not: the
input projections (W lives in the sLSTM layer, as a headwise block-diagonal map), a causal
convolution, the mLSTM's i~ and f~ as linear maps of [q, k, v], its output gate SiLU(z) with a
learnable skip, and a per-head norm. The paper's mLSTM output gate o_t is not in the cell either.

Reference: Beck, Poeppel, Spanring, Auer, Prudnikova, Kopp, Klambauer, Brandstetter,
Hochreiter (2024), xLSTM: Extended Long Short-Term Memory, arXiv:2405.04517.
"""
import time
from dataclasses import dataclass

import numpy as np

from lstm_core import as_array, as_sequence, check_shape, sigmoid
from lstm_learn import (
    Adam,
    clip_grad_norm,
    loss_and_grads,
    per_step,
    random_lstm,
    readout_backward,
    stacked_weights,
)

EPS = 1e-6  # the reference's eps in the mLSTM's normaliser


def log_sigmoid(x):
    """log sigma(x) = min(x, 0) - log(1 + e^-|x|), element-wise, finite for any finite x.

    No exp of a positive number; it agrees with torch.nn.functional.logsigmoid to 5e-16 relative.
    """
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


# ---- sLSTM ---------------------------------------------------------------------------------

@dataclass
class SLSTMTrace:
    """Every quantity of an sLSTM run, over time.

    The arrays are shaped like the input of `run`, as the LSTM's trace: (T,) for a one-unit
    cell run on a (T,) sequence, (T, H) for input (T, D), (T, N, H) for input (T, N, D).
    i_pre, f_pre, z_pre, o_pre are the pre-activations i~, f~, z~, o~; z is tanh(z~).
    The run starts from zeros: h_0 = c_0 = n_0 = m_0 = 0.
    """
    x: np.ndarray
    i_pre: np.ndarray
    f_pre: np.ndarray
    z_pre: np.ndarray
    o_pre: np.ndarray
    i: np.ndarray
    f: np.ndarray
    z: np.ndarray
    o: np.ndarray
    c: np.ndarray
    n: np.ndarray
    m: np.ndarray
    h: np.ndarray

    def __repr__(self):
        return f"SLSTMTrace(T={len(self.h)}, shape of h per step={self.h.shape[1:]})"


@dataclass
class SLSTMGrads:
    """Gradients of a loss from `SLSTMCell.backward`: W (4H, D), R (4H, H) (zero outside the
    heads' blocks), b (4H,), and x shaped like the input of `run`."""
    W: np.ndarray
    R: np.ndarray
    b: np.ndarray
    x: np.ndarray

    def __repr__(self):
        return "SLSTMGrads(" + ", ".join(f"{k}{getattr(self, k).shape}" for k in "WRbx") + ")"


def _head_blocks(H, num_heads):
    """(4H, H) boolean mask: True where R may be non-zero, i.e. inside a head's block."""
    head = np.arange(H) // (H // num_heads)              # (H,) the head of each unit
    return np.tile(head[:, None] == head[None, :], (4, 1))


class SLSTMCell:
    """An sLSTM cell: stacked weights in the reference's gate order i, f, z, o.

    Parameters
    ----------
    W : array (4H, D)      input-to-gates weights, row blocks i, f, z, o
    R : array (4H, H)      recurrent weights, row blocks i, f, z, o; with several heads it
                           must be block-diagonal in every gate block. It may also be given
                           per head, (num_heads, 4 H/num_heads, H/num_heads): head k's rows
                           in the order i, f, z, o, as the reference's vanilla backend stores
                           its `_recurrent_kernel`.
    b : array (4H,)        gate biases; zeros if not given
    num_heads : int        heads of the block-diagonal R; it must divide H. Not given: 1 for a
                           (4H, H) R, R.shape[0] for a per-head R.

    The cell keeps the dtype of its weights (integers and lists become float64) and copies them.
    `R` is always kept as the full (4H, H) matrix; `R_heads` gives the per-head form.
    """

    def __init__(self, W, R, b=None, num_heads=None):
        r = as_array("R", R, "(4H, H) or (num_heads, 4H/num_heads, H/num_heads)")
        if r.ndim == 3:
            K, rows, DH = r.shape
            if DH == 0 or rows != 4 * DH or (num_heads is not None and num_heads != K):
                raise ValueError(f"R given per head must have shape (num_heads, 4 H/num_heads, "
                                 f"H/num_heads) with num_heads = {num_heads or K}; got {r.shape}")
            num_heads, H = K, K * DH
            full = np.zeros((4, H, H), r.dtype)               # (gate, row, column)
            for k in range(K):
                full[:, k * DH:(k + 1) * DH, k * DH:(k + 1) * DH] = r[k].reshape(4, DH, DH)
            r = full.reshape(4 * H, H)
        w, r, H, dtype = stacked_weights(W, r, 4, names=("W", "R"))    # (4H, D), (4H, H)
        num_heads = 1 if num_heads is None else num_heads
        if not isinstance(num_heads, (int, np.integer)) or num_heads < 1 or H % num_heads:
            raise ValueError(f"num_heads must be a whole number >= 1 that divides H = {H}; "
                             f"got {num_heads!r}")
        mask = _head_blocks(H, int(num_heads))
        if np.any(r[~mask]):
            row, col = np.argwhere((r != 0) & ~mask)[0]
            raise ValueError(f"R must be block-diagonal for num_heads = {num_heads} (blocks of "
                             f"{H // num_heads} units in each gate's rows); R[{row}, {col}] = "
                             f"{r[row, col]} lies outside every head's block")
        bb = np.zeros(4 * H, dtype) if b is None else as_array("b", b, "(4H,)")
        check_shape("b", bb, (4 * H,), "(4H,)")
        # all checks passed: only now does the cell take its weights
        self.W = w.astype(dtype)                 # (4H, D)
        self.R = r.astype(dtype)                 # (4H, H), zero outside the heads' blocks
        self.b = bb.astype(dtype)                # (4H,)
        self.num_heads = int(num_heads)
        self._mask = mask

    input_size = property(lambda self: self.W.shape[1], doc="D")
    hidden_size = property(lambda self: self.R.shape[1], doc="H")
    head_size = property(lambda self: self.hidden_size // self.num_heads, doc="H / num_heads")
    dtype = property(lambda self: self.W.dtype)

    @property
    def R_heads(self):
        """R per head, (num_heads, 4 DH, DH) with DH = H / num_heads: the layout of the vanilla
        backend's `_recurrent_kernel` (head k's rows in the order i, f, z, o)."""
        H, K, DH = self.hidden_size, self.num_heads, self.head_size
        r = self.R.reshape(4, H, H)
        return np.stack([r[:, k * DH:(k + 1) * DH, k * DH:(k + 1) * DH].reshape(4 * DH, DH)
                         for k in range(K)])

    def __repr__(self):
        return (f"SLSTMCell(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"num_heads={self.num_heads}, dtype={self.dtype})")

    def _input_share(self, xs):
        """xs checked; W x_t + b for every step (T, N, 4H); the shape of one step of h; N."""
        H, D = self.hidden_size, self.input_size
        x, step_shape, N = as_sequence(xs, D, H, self.dtype, "xs")
        T = len(x)
        wx = (x.reshape(T * N, D) @ self.W.T).reshape(T, N, 4 * H)   # (T, N, 4H)
        wx += self.b
        return x, wx, step_shape, N

    def run(self, xs):
        """Run the cell over a sequence from a zero state and keep everything at every step.

        xs : (T,) numbers for a one-unit input (D = 1), (T, D), or a batch (T, N, D)
        Returns an `SLSTMTrace`; its arrays are (T,) for a one-unit cell on (T,) input,
        (T, H) for (T, D) input and (T, N, H) for (T, N, D) input.

        The reference takes its first step when n_{t-1} is all zeros, which from a zero state
        is t = 1: there m_1 = i~_1 (so i_1 = 1), and f_1 = min(exp(log sigma(f~_1) - i~_1), 1)
        multiplies c_0 = n_0 = 0. It clips both gates at 1 with torch.minimum; exp(min(a, 0))
        is the same number without an overflow.
        """
        x, wx, step_shape, N = self._input_share(xs)
        T, H = len(x), self.hidden_size
        R_T = self.R.T.copy()                                # (H, 4H)
        h = c = n = m = np.zeros((N, H), self.dtype)
        out = {k: np.empty((T, N, H), self.dtype) for k in SLSTMTrace.__dataclass_fields__
               if k != "x"}
        for t in range(T):
            pre = wx[t] + h @ R_T                            # (N, 4H)
            i_pre, f_pre, z_pre, o_pre = (pre[:, g * H:(g + 1) * H] for g in range(4))
            log_f_plus_m = log_sigmoid(f_pre) + m
            m_new = i_pre if t == 0 else np.maximum(i_pre, log_f_plus_m)
            i = np.exp(np.minimum(i_pre - m_new, 0))
            f = np.exp(np.minimum(log_f_plus_m - m_new, 0))
            z, o = np.tanh(z_pre), sigmoid(o_pre)
            c = f * c + i * z
            n = f * n + i
            h = o * c / n
            m = m_new
            for k, v in dict(i_pre=i_pre, f_pre=f_pre, z_pre=z_pre, o_pre=o_pre, i=i, f=f,
                             z=z, o=o, c=c, n=n, m=m, h=h).items():
                out[k][t] = v
        return SLSTMTrace(x=x, **{k: a.reshape((T,) + step_shape) for k, a in out.items()})

    def backward(self, trace, dh):
        """Backpropagation through time over an `SLSTMTrace` from `run`.

        dh : dL/dh_t for every step, shaped like trace.h ((T,), (T, H) or (T, N, H))
        Returns `SLSTMGrads` with W (4H, D), R (4H, H), b (4H,) and x shaped like trace.x.

        h_t does not depend on the stabiliser (c_t and n_t both carry exp(-m_t)), so m_t is
        held fixed: the gradient is exact, and no derivative of a max is needed. Going back
        one step, with dh_t = dL/dh_t, dc_t = dL/dc_t, dn_t = dL/dn_t (all later steps in):
            dc_t += dh_t * o_t / n_t,   dn_t -= dh_t * h_t / n_t     through h_t = o_t c_t / n_t
            dz~_t = dc_t * i_t * (1 - z_t^2)                          through c_t and z_t = tanh
            di~_t = (dc_t * z_t + dn_t) * i_t                         i_t = exp(i~_t - m_t)
            df~_t = (dc_t * c_{t-1} + dn_t * n_{t-1}) * f_t * sigma(-f~_t)
                            through f_t = exp(log sigma(f~_t) + ...); (log sigma)' = sigma(-x)
            do~_t = dh_t * c_t / n_t * o_t (1 - o_t)                  through o_t = sigma(o~_t)
            dc_{t-1} = dc_t * f_t,  dn_{t-1} = dn_t * f_t,  dh_{t-1} = [di~ df~ dz~ do~]_t R
        """
        dh, _, N = per_step(dh, trace.h, self.dtype)                     # dh (T, N, H)
        T, H, D = len(trace.h), self.hidden_size, self.input_size
        f_pre, i, f, z, o, c, n, h = (getattr(trace, k).reshape(T, N, H)
                                      for k in ("f_pre", "i", "f", "z", "o", "c", "n", "h"))
        zeros = np.zeros((N, H), self.dtype)
        dpre = np.empty((T, N, 4 * H), self.dtype)       # dL/d[i~ f~ z~ o~]_t
        dh_next, dc_next, dn_next = zeros, zeros, zeros  # what comes back from step t+1
        for t in reversed(range(T)):
            c_prev, n_prev = (c[t - 1], n[t - 1]) if t > 0 else (zeros, zeros)
            dh_t = dh[t] + dh_next
            dc_t = dc_next + dh_t * o[t] / n[t]
            dn_t = dn_next - dh_t * h[t] / n[t]
            dpre[t, :, :H] = (dc_t * z[t] + dn_t) * i[t]
            dpre[t, :, H:2 * H] = (dc_t * c_prev + dn_t * n_prev) * f[t] * sigmoid(-f_pre[t])
            dpre[t, :, 2 * H:3 * H] = dc_t * i[t] * (1 - z[t] * z[t])
            dpre[t, :, 3 * H:] = dh_t * c[t] / n[t] * o[t] * (1 - o[t])
            dc_next, dn_next = dc_t * f[t], dn_t * f[t]
            dh_next = dpre[t] @ self.R
        flat = dpre.reshape(T * N, 4 * H)
        dR = np.zeros_like(self.R)
        if T > 1:  # h_0 = 0 adds nothing
            dR = dpre[1:].reshape(-1, 4 * H).T @ h[:-1].reshape(-1, H)
        return SLSTMGrads(W=flat.T @ trace.x.reshape(T * N, D),
                          R=np.where(self._mask, dR, 0),
                          b=flat.sum(axis=0),
                          x=(flat @ self.W).reshape(trace.x.shape))


def slstm_without_stabiliser(cell, xs):
    """The same sLSTM with m_t = 0 at every step: i_t = exp(i~_t), f_t = sigma(f~_t).

    cell : an `SLSTMCell`;  xs : as for `cell.run`
    Returns h shaped like `cell.run(xs).h`. It equals the stabilised h while exp(i~_t) fits
    in a float, and turns to nan (inf / inf) once i~_t passes about 709 in float64 (88 in
    float32): the overflow that m_t prevents. It raises no warning; the nan is the lesson.
    """
    x, wx, step_shape, N = cell._input_share(xs)
    T, H = len(x), cell.hidden_size
    h = c = n = np.zeros((N, H), cell.dtype)
    hs = np.empty((T, N, H), cell.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(T):
            pre = wx[t] + h @ cell.R.T                       # (N, 4H)
            i, f = np.exp(pre[:, :H]), sigmoid(pre[:, H:2 * H])
            z, o = np.tanh(pre[:, 2 * H:3 * H]), sigmoid(pre[:, 3 * H:])
            c = f * c + i * z
            n = f * n + i
            h = hs[t] = o * c / n
    return hs.reshape((T,) + step_shape)


# ---- mLSTM ---------------------------------------------------------------------------------

def _mlstm_inputs(q, k, v, i_pre, f_pre):
    """The five inputs checked: q, k, v (T, d) and i_pre, f_pre (T,), in one float dtype."""
    q = as_array("q", q, "(T, d)")
    if q.ndim != 2 or 0 in q.shape:
        raise ValueError(f"q must have shape (T, d) with T >= 1 and d >= 1; got {q.shape}")
    T, d = q.shape
    k, v = as_array("k", k, "(T, d)"), as_array("v", v, "(T, d)")
    check_shape("k", k, (T, d), "(T, d) like q")
    check_shape("v", v, (T, d), "(T, d) like q")
    i_pre, f_pre = as_array("i_pre", i_pre, "(T,)"), as_array("f_pre", f_pre, "(T,)")
    check_shape("i_pre", i_pre, (T,), "(T,) (one per row of q)")
    check_shape("f_pre", f_pre, (T,), "(T,) (one per row of q)")
    dtype = np.result_type(q, k, v, i_pre, f_pre)
    return (a.astype(dtype, copy=False) for a in (q, k, v, i_pre, f_pre))


def _mlstm_recurrent(q, k, v, i_pre, f_pre, eps=EPS):
    """mlstm_recurrent with the normaliser's eps as a parameter; also returns m (T,)."""
    q, k, v, i_pre, f_pre = _mlstm_inputs(q, k, v, i_pre, f_pre)
    T, d = q.shape
    k = k / np.sqrt(d)                                   # (T, d) keys scaled by 1/sqrt(d)
    log_f = log_sigmoid(f_pre)                           # (T,)
    C, n, m = np.zeros((d, d), q.dtype), np.zeros(d, q.dtype), q.dtype.type(0)
    h, ms = np.empty((T, d), q.dtype), np.empty(T, q.dtype)
    with np.errstate(over="ignore"):  # exp(-m) = inf only when i~ < -709: then h = 0, as torch
        for t in range(T):
            m_new = max(log_f[t] + m, i_pre[t])
            f = np.exp(log_f[t] + m - m_new)             # <= 1
            i = np.exp(i_pre[t] - m_new)                 # <= 1
            C = f * C + i * np.outer(k[t], v[t])         # (d, d)
            n = f * n + i * k[t]                         # (d,)
            h[t] = (q[t] @ C) / (max(abs(q[t] @ n), np.exp(-m_new)) + eps)
            m = ms[t] = m_new
    return h, ms


def mlstm_recurrent(q, k, v, i_pre, f_pre):
    """The mLSTM one step at a time, as the reference's `recurrent_step_stabilized_simple`.

    q, k, v : (T, d) queries, keys, values;  i_pre, f_pre : (T,) gate pre-activations i~, f~
    Returns h (T, d). The state starts at C_0 = 0 (d, d), n_0 = 0 (d,), m_0 = 0 (as the
    reference's mLSTMCell.step), and every step runs the module docstring's equations.
    It equals `mlstm_parallel` up to the 1e-6 in the normaliser: each row h_t of this form is
    the parallel form's row times a factor in [1 - 1e-6, 1] (they differ only where m_0 = 0
    still sets the stabiliser, i.e. sum of log sigma(f~) exceeds every i~ term).
    """
    return _mlstm_recurrent(q, k, v, i_pre, f_pre)[0]


def _mlstm_parallel(q, k, v, i_pre, f_pre, eps=EPS):
    """mlstm_parallel with the normaliser's eps as a parameter; also returns m (T,)."""
    q, k, v, i_pre, f_pre = _mlstm_inputs(q, k, v, i_pre, f_pre)
    T, d = q.shape
    cum = np.concatenate([[0], np.cumsum(log_sigmoid(f_pre))])      # (T+1,)
    log_f = cum[1:, None] - cum[None, 1:]                # (T, T): sum_{s=j+1..t} log sigma(f~_s)
    causal = np.tri(T, dtype=bool)                       # j <= t
    log_D = np.where(causal, log_f, -np.inf) + i_pre     # (T, T), -inf above the diagonal
    m = log_D.max(axis=1, keepdims=True)                 # (T, 1) row maxima: the stabiliser
    D = np.exp(log_D - m)                                # (T, T), entries in [0, 1]
    S = (q @ (k / np.sqrt(d)).T) * D                     # (T, T) weight of step j's value at t
    with np.errstate(over="ignore"):  # as in the recurrent form
        normaliser = np.maximum(np.abs(S.sum(axis=1, keepdims=True)), np.exp(-m))   # (T, 1)
    return (S / (normaliser + eps)) @ v, m[:, 0]


def mlstm_parallel(q, k, v, i_pre, f_pre):
    """The mLSTM for all steps at once, as the reference's `parallel_stabilized_simple`.

    q, k, v : (T, d) queries, keys, values;  i_pre, f_pre : (T,) gate pre-activations i~, f~
    Returns h (T, d):

        log D[t, j] = sum_{s=j+1..t} log sigma(f~_s) + i~_j  for j <= t, -inf above
        m_t = max_j log D[t, j],   S = (q k^T / sqrt(d)) * exp(log D - m)      (T, T)
        h = (S / (max(|S 1|, exp(-m)) + 1e-6)) v

    The recurrent form's h_t is this h_t times a factor in [1 - 1e-6, 1]: see
    `mlstm_recurrent`. Memory and time grow as T^2.
    """
    return _mlstm_parallel(q, k, v, i_pre, f_pre)[0]


def mlstm_store_and_read(keys, values, query):
    """A matrix memory as a key -> value store: the mLSTM's C with every gate open.

    keys : (M, d), values : (M, d_v), query : (d,)
    Returns (C, read): C = sum_j k_j v_j^T, (d, d_v), and read = C^T query = sum_j (query . k_j)
    v_j, (d_v,). With orthonormal keys, reading with key j returns value j exactly.
    """
    keys = as_array("keys", keys, "(M, d)")
    if keys.ndim != 2 or 0 in keys.shape:
        raise ValueError(f"keys must have shape (M, d) with M >= 1 and d >= 1; got {keys.shape}")
    M, d = keys.shape
    values = as_array("values", values, "(M, d_v)")
    if values.ndim != 2 or values.shape[0] != M or values.shape[1] == 0:
        raise ValueError(f"values must have shape (M, d_v) with M = {M} (one per key); "
                         f"got {values.shape}")
    query = as_array("query", query, "(d,)")
    check_shape("query", query, (d,), "(d,) like one key")
    C = keys.T @ values                                  # (d, d_v): the sum of outer products
    return C, query @ C


# ---- the notebook's one-unit sLSTM ------------------------------------------------------------
# the panel's one-unit sLSTM: W_* multiplies x_t, R_* multiplies h_{t-1}, b_* is the bias;
# i input gate, f forget gate, z cell input, o output gate
SLSTM_WEIGHTS = dict(
    W_i=1.0, R_i=0.0, b_i=0.0,
    W_f=0.0, R_f=0.0, b_f=3.0,
    W_z=0.3, R_z=0.0, b_z=0.0,
    W_o=0.0, R_o=0.0, b_o=5.0,
)
SLSTM_TEXT = "1, 3, 2, 5, 4, 0"                 # the panel's input
SLSTM_XS = np.array([1.0, 3.0, 2.0, 5.0, 4.0, 0.0])


def slstm_from_scalars(**weights):
    """A one-unit sLSTM (D = H = 1) from the twelve names of SLSTM_WEIGHTS; a name not given
    keeps its SLSTM_WEIGHTS value. Rows in lstm_xlstm's order i, f, z, o."""
    unknown = sorted(set(weights) - set(SLSTM_WEIGHTS))
    if unknown:
        raise ValueError(f"unknown weight name(s) {unknown}; the names are "
                         f"{', '.join(SLSTM_WEIGHTS)}")
    w = {**SLSTM_WEIGHTS, **weights}
    return SLSTMCell(W=[[w[f"W_{g}"]] for g in "ifzo"], R=[[w[f"R_{g}"]] for g in "ifzo"],
                     b=[w[f"b_{g}"] for g in "ifzo"])


# ---- notebook 11's experiment: keep the value whose score is highest ---------------------------

EXPERIMENT = dict(T=12, H=8, steps=8000, batch=32, lr=1e-2, clip=1.0, eval_every=200,
                  n_eval=512, solved_below=0.05)
BASELINE = 1 / 3    # always answering 0: the variance of a value from U[-1, 1]


def max_score_task(n, T, rng):
    """n streams of T (value, score) pairs, values from U[-1, 1], scores from U[0, 1], and for
    each the value whose score is the highest of the stream. Returns x (T, n, 2), channel 0 the
    values and 1 the scores, and target (n, 1)."""
    values = rng.uniform(-1, 1, (T, n))
    scores = rng.uniform(0, 1, (T, n))
    target = values[np.argmax(scores, axis=0), np.arange(n)]
    return np.stack([values, scores], axis=-1), target[:, None]


def random_slstm(D, H, rng, *, forget_bias=1.0):
    """An sLSTM with a linear read-out, initialised as random_lstm initialises an LSTM: every
    weight from U(-1/sqrt(H), 1/sqrt(H)), the forget gate's bias `forget_bias`.
    Returns (cell, readout) with readout = {"W_y": (1, H), "b_y": (1,)}."""
    k = 1 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape)
    b = u(4 * H)
    b[H:2 * H] = forget_bias                   # rows [H:2H] are the forget gate's
    cell = SLSTMCell(u(4 * H, D), u(4 * H, H), b)
    return cell, {"W_y": u(1, H), "b_y": np.zeros(1)}


def slstm_parameters(cell, readout):
    """The sLSTM's learnable arrays by name, the cell's own: updating them updates the cell."""
    return {"W": cell.W, "R": cell.R, "b": cell.b, **readout}


def slstm_predict(cell, readout, xs):
    """The read-out after the last step, W_y h_T + b_y, (N, 1) for xs (T, N, D)."""
    return cell.run(xs).h[-1] @ readout["W_y"].T + readout["b_y"]


def slstm_loss_and_grads(cell, readout, xs, target):
    """Mean squared error of the read-out at the last step and its gradient, named like
    slstm_parameters: xs (T, N, D), target (N, 1)."""
    trace = cell.run(xs)
    h = trace.h[-1]                                            # (N, H)
    err = h @ readout["W_y"].T + readout["b_y"] - target        # (N, 1)
    dW_y, db_y, dh_last = readout_backward(readout["W_y"], h, 2 * err / err.size)
    dh = np.zeros_like(trace.h)
    dh[-1] = dh_last                                           # only h_T reaches the loss
    g = cell.backward(trace, dh)
    return float(np.mean(err ** 2)), {"W": g.W, "R": g.R, "b": g.b, "W_y": dW_y, "b_y": db_y}


def train_max_score(kind, seed, *, T=12, H=8, steps=8000, batch=32, lr=1e-2, clip=1.0,
                    eval_every=200, n_eval=512, solved_below=0.05, callback=None):
    """Train an 'lstm' or an 'slstm' of H units on max_score_task, Adam on fresh batches, the
    gradient norm clipped; every `eval_every` steps measure the MSE on n_eval held-out streams.

    Weights and batches come from np.random.default_rng(seed), the held-out streams from
    np.random.default_rng(10_000 + seed), so both cells of one seed see the same held-out data.
    Returns a dict: kind, seed, curve (the held-out MSE after every eval_every steps), solved,
    sequences (trained on when the held-out MSE first fell below solved_below, or None),
    final_mse, best_mse, seconds.
    """
    if kind not in ("lstm", "slstm"):
        raise ValueError(f"kind must be 'lstm' or 'slstm'; got {kind!r}")
    rng = np.random.default_rng(seed)
    x_test, y_test = max_score_task(n_eval, T, np.random.default_rng(10_000 + seed))
    if kind == "lstm":
        cell = random_lstm(2, H, rng)
        params = {"weight_ih": cell.weight_ih, "weight_hh": cell.weight_hh, "bias": cell.bias,
                  "W_y": cell.W_y, "b_y": cell.b_y}
        loss_grads = lambda x, y: loss_and_grads(cell, x, y)
        held_out = lambda: float(np.mean((cell.predict(cell.run(x_test).h[-1]) - y_test) ** 2))
    else:
        cell, readout = random_slstm(2, H, rng)
        params = slstm_parameters(cell, readout)
        loss_grads = lambda x, y: slstm_loss_and_grads(cell, readout, x, y)
        held_out = lambda: float(np.mean((slstm_predict(cell, readout, x_test) - y_test) ** 2))
    opt = Adam(params, lr=lr)
    curve, sequences = [], None
    start = time.perf_counter()
    for step in range(steps):
        x, y = max_score_task(batch, T, rng)
        loss, grads = loss_grads(x, y)
        grads, _ = clip_grad_norm(grads, clip)
        opt.step(grads)
        if callback is not None:
            callback(step, loss)
        if (step + 1) % eval_every == 0:
            curve.append(held_out())
            if sequences is None and curve[-1] < solved_below:
                sequences = (step + 1) * batch
    return dict(kind=kind, seed=seed, curve=curve, solved=sequences is not None,
                sequences=sequences, final_mse=curve[-1] if curve else held_out(),
                best_mse=min(curve) if curve else held_out(),
                seconds=time.perf_counter() - start)


def summarise(runs):
    """Per cell: runs, solved, success rate, median sequences to solve (over the solved runs),
    median final and best held-out MSE."""
    out = []
    for kind in ("lstm", "slstm"):
        rs = [r for r in runs if r["kind"] == kind]
        solved = [r["sequences"] for r in rs if r["solved"]]
        out.append(dict(kind=kind, runs=len(rs), solved=len(solved),
                        success_rate=len(solved) / len(rs),
                        median_sequences=float(np.median(solved)) if solved else None,
                        median_final_mse=float(np.median([r["final_mse"] for r in rs])),
                        median_best_mse=float(np.median([r["best_mse"] for r in rs]))))
    return out


def markdown_table(summary):
    """The summary as a markdown table."""
    rows = ["| cell | solved | sequences to solve (median) | median final MSE | "
            "median best MSE |", "|---|---:|---:|---:|---:|"]
    for s in summary:
        seqs = "-" if s["median_sequences"] is None else f"{s['median_sequences']:,.0f}"
        rows.append(f"| {s['kind']} | {s['solved']}/{s['runs']} | {seqs} | "
                    f"{s['median_final_mse']:.4f} | {s['median_best_mse']:.4f} |")
    return "\n".join(rows)

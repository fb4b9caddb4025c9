"""One LSTM cell in numpy: forward, backward, and the PyTorch and Keras weight layouts.

Everything the notebooks compute comes from this file, and numpy is its only import.

The cell, one time step (sigma is the logistic sigmoid, * multiplies element by element):

    i_t = sigma(W_ii x_t + W_hi h_{t-1} + b_i)    input gate: how much of g_t to write
    f_t = sigma(W_if x_t + W_hf h_{t-1} + b_f)    forget gate: how much of C_{t-1} to keep
    g_t =  tanh(W_ig x_t + W_hg h_{t-1} + b_g)    candidate, also written C~_t: what could be written
    o_t = sigma(W_io x_t + W_ho h_{t-1} + b_o)    output gate: how much of the cell to show
    C_t = f_t * C_{t-1} + i_t * g_t               cell state (the "conveyor belt")
    h_t = o_t * tanh(C_t)                         hidden state, the cell's output
    y   = W_y h_t + b_y                           linear read-out, e.g. the next value

Symbols and sizes:

    T  time steps          x_t      input at step t           (N, D)
    N  batch size          h_{t-1}  previous hidden state     (N, H)
    D  input size          C_{t-1}  previous cell state       (N, H)
    H  hidden size         f_t, i_t, g_t, o_t, C_t, h_t       (N, H) each

Inside, the four gates share one stacked weight layout, in PyTorch's gate order i, f, g, o:
weight_ih (4H, D), weight_hh (4H, H) and bias (4H,); rows [0:H] belong to i, [H:2H] to f,
[2H:3H] to g and [3H:4H] to o. The one-unit cell of the seed document names its twelve numbers
W_f, W_hf, b_f (forget), W_i, W_hi, b_i (input), W_c, W_hc, b_c (candidate), W_o, W_ho, b_o
(output); `LSTMCell.from_scalars` takes exactly those names.

References: Hochreiter & Schmidhuber (1997), Long Short-Term Memory; Gers, Schmidhuber & Cummins
(2000), Learning to Forget; the layouts of torch.nn.LSTM and keras.layers.LSTM.
"""
from dataclasses import dataclass

import numpy as np

GATES = ("i", "f", "g", "o")  # the order of the four row blocks of the stacked weights

SEED_WEIGHTS = dict(  # the seed document's cell (shared/seed/scalar_lstm_walkthrough.txt)
    W_f=0.5, W_hf=0.1, b_f=0.0,
    W_i=0.6, W_hi=0.2, b_i=0.0,
    W_c=0.7, W_hc=0.3, b_c=0.0,
    W_o=0.8, W_ho=0.4, b_o=0.0,
    W_y=4.0, b_y=0.0,
)


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), element-wise, for any finite z without overflow.

    e^-z overflows for z below about -88 in float32 (-709 in float64); clipping z at -80
    first keeps it finite and changes no visible digit: sigma(-80) = 1.8e-35, 0 next to 1.
    """
    return 1 / (1 + np.exp(-np.maximum(z, -80)))


@dataclass
class Trace:
    """Every activation of a run, over time.

    The arrays are shaped like the input of `run`: (T,) for a one-unit cell run on a 1-D
    sequence, (T, H) for input (T, D), (T, N, H) for input (T, N, D). h0 and c0 are the
    starting states, shaped like one step of h.
    """
    x: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray
    h0: np.ndarray
    c0: np.ndarray

    @property
    def c_tilde(self):
        """The candidate g_t under its other name, C~_t."""
        return self.g

    def __repr__(self):
        return f"Trace(T={len(self.h)}, shape of h per step={self.h.shape[1:]})"


@dataclass
class Grads:
    """Gradients of a loss, from `LSTMCell.backward`, shaped like what they belong to.

    weight_ih (4H, D), weight_hh (4H, H), bias (4H,) in PyTorch's layout (bias is the
    gradient of either of PyTorch's two biases, since they add); x like the input of `run`;
    h0 and c0 like one step of h.
    """
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias: np.ndarray
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray

    def __repr__(self):
        return "Grads(" + ", ".join(f"{k}{getattr(self, k).shape}" for k in
                                    ("weight_ih", "weight_hh", "bias", "x", "h0", "c0")) + ")"


def _array(name, value, expected, dtype=None):
    """value as a finite numeric array, or a ValueError/TypeError naming `name` and `expected`."""
    if hasattr(value, "detach"):  # a torch tensor; numpy stays the only import
        value = value.detach().cpu().numpy()
    try:
        a = np.asarray(value)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{name} must be an array of shape {expected}; got a ragged "
                         f"or unreadable value ({err})") from None
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, shape {expected}; got dtype {a.dtype}")
    if dtype is not None:
        a = a.astype(dtype, copy=False)
    elif a.dtype.kind != "f":
        a = a.astype(np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite (no NaN or inf), shape {expected}")
    return a


def _check_shape(name, a, shape, expected):
    if a.shape != shape:
        raise ValueError(f"{name} must have shape {expected} = {shape}; got {a.shape}")


def _sequence(xs, D, H, dtype, name="xs"):
    """xs in the cell's dtype, the shape of one step of h, and the batch size N.

    (T,) is a sequence of numbers (only when D = 1), (T, D) one sequence, (T, N, D) a batch;
    one step of h is then () or (H,), (H,), and (N, H).
    """
    expected = f"(T,) (only when D = 1), (T, D) or (T, N, D) with D = {D}"
    x = _array(name, xs, expected, dtype)
    if x.ndim == 1 and D == 1:
        state = () if H == 1 else (H,)
    elif x.ndim == 2 and x.shape[1] == D:
        state = (H,)
    elif x.ndim == 3 and x.shape[2] == D:
        state = (x.shape[1], H)
    else:
        raise ValueError(f"{name} must have shape {expected}; got {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}); it needs at least one time "
                         f"step and one sequence: shape {expected}")
    return x, state, (state[0] if len(state) == 2 else 1)


def _start(name, value, state, N, H, dtype):
    """A starting state (h0, c0) shaped like one step of h, as an (N, H) array; zeros when None."""
    if value is None:
        return np.zeros((N, H), dtype)
    a = _array(name, value, state, dtype)
    if a.shape != state and not (state == () and a.shape == (1,)):
        raise ValueError(f"{name} must have the shape of one step of h, {state}; got {a.shape}")
    return a.reshape(N, H)


def _torch_bias(bias_ih, bias_hh, rows, dtype, expected):
    """PyTorch's two biases (each `rows` long; None counts as zeros), checked, as one sum."""
    zeros = np.zeros(rows, dtype)
    b_ih = zeros if bias_ih is None else _array("bias_ih", bias_ih, expected)
    b_hh = zeros if bias_hh is None else _array("bias_hh", bias_hh, expected)
    _check_shape("bias_ih", b_ih, (rows,), expected)
    _check_shape("bias_hh", b_hh, (rows,), expected)
    return b_ih + b_hh


def _readout(W_y, b_y, H, dtype):
    """The read-out's W_y (K, H) and b_y (K,), checked; zeros (1, H) and (1,) when not given."""
    wy = np.zeros((1, H), dtype) if W_y is None else _array("W_y", W_y, "(K, H)")
    if wy.ndim != 2 or wy.shape[1] != H or wy.shape[0] == 0:
        raise ValueError(f"W_y must have shape (K, H) = (K, {H}); got {wy.shape}")
    by = np.zeros(wy.shape[0], dtype) if b_y is None else _array("b_y", b_y, "(K,)")
    _check_shape("b_y", by, (wy.shape[0],), "(K,)")
    return wy, by


class LSTMCell:
    """An LSTM cell with stacked weights in PyTorch's layout and a linear read-out.

    Parameters
    ----------
    weight_ih : array (4H, D)   input-to-gates weights, row blocks i, f, g, o
    weight_hh : array (4H, H)   hidden-to-gates weights, row blocks i, f, g, o
    bias      : array (4H,)     gate biases; zeros if not given
    W_y       : array (K, H)    read-out weights for `predict`; zeros (1, H) if not given
    b_y       : array (K,)      read-out bias; zeros if not given

    The cell keeps the dtype of the weights it is given (float32 stays float32; integers
    and lists become float64) and copies them, so the caller's arrays are never changed.
    """

    def __init__(self, weight_ih, weight_hh, bias=None, W_y=None, b_y=None):
        w_ih = _array("weight_ih", weight_ih, "(4H, D)")
        w_hh = _array("weight_hh", weight_hh, "(4H, H)")
        if w_hh.ndim != 2 or w_hh.shape[0] == 0 or w_hh.shape[0] % 4 or w_hh.shape[1] * 4 != w_hh.shape[0]:
            raise ValueError(f"weight_hh must have shape (4H, H) with H >= 1; got {w_hh.shape}")
        H = w_hh.shape[1]
        if w_ih.ndim != 2 or w_ih.shape[0] != 4 * H or w_ih.shape[1] == 0:
            raise ValueError(f"weight_ih must have shape (4H, D) = ({4 * H}, D) with D >= 1 "
                             f"to match weight_hh {w_hh.shape}; got {w_ih.shape}")
        dtype = np.result_type(w_ih, w_hh)
        b = np.zeros(4 * H, dtype) if bias is None else _array("bias", bias, "(4H,)")
        _check_shape("bias", b, (4 * H,), "(4H,)")
        wy, by = _readout(W_y, b_y, H, dtype)
        # all checks passed: only now does the cell take its weights
        self.weight_ih = w_ih.astype(dtype)   # (4H, D)
        self.weight_hh = w_hh.astype(dtype)   # (4H, H)
        self.bias = b.astype(dtype)           # (4H,)
        self.W_y = wy.astype(dtype)           # (K, H)
        self.b_y = by.astype(dtype)           # (K,)

    # ---- constructors ------------------------------------------------------------------
    @classmethod
    def from_scalars(cls, *, W_f, W_hf, W_i, W_hi, W_c, W_hc, W_o, W_ho,
                     b_f=0.0, b_i=0.0, b_c=0.0, b_o=0.0, W_y=0.0, b_y=0.0):
        """A one-unit cell (D = H = 1) from the seed document's twelve named numbers.

        W_* multiplies x_t, W_h* multiplies h_{t-1}, b_* is the bias; f forget, i input,
        c candidate (g_t), o output. W_y and b_y make the read-out y = W_y h_t + b_y.
        """
        names = dict(W_f=W_f, W_hf=W_hf, W_i=W_i, W_hi=W_hi, W_c=W_c, W_hc=W_hc, W_o=W_o,
                     W_ho=W_ho, b_f=b_f, b_i=b_i, b_c=b_c, b_o=b_o, W_y=W_y, b_y=b_y)
        v = {}
        for k, val in names.items():
            a = _array(k, val, "() (one number)")
            _check_shape(k, a, (), "() (one number)")
            v[k] = float(a)
        return cls(weight_ih=[[v["W_i"]], [v["W_f"]], [v["W_c"]], [v["W_o"]]],
                   weight_hh=[[v["W_hi"]], [v["W_hf"]], [v["W_hc"]], [v["W_ho"]]],
                   bias=[v["b_i"], v["b_f"], v["b_c"], v["b_o"]],
                   W_y=[[v["W_y"]]], b_y=[v["b_y"]])

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
        """From torch.nn.LSTM's layout: weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), and two
        biases bias_ih_l0, bias_hh_l0 (4H,) that simply add. Gate order i, f, g, o, as here."""
        w_hh = _array("weight_hh", weight_hh, "(4H, H)")
        rows = w_hh.shape[0] if w_hh.ndim == 2 else 0
        return cls(weight_ih, w_hh, _torch_bias(bias_ih, bias_hh, rows, w_hh.dtype, "(4H,)"))

    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias=None):
        """From keras.layers.LSTM's layout: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,).

        Keras multiplies inputs from the left (x_t @ kernel), so its matrices are the
        transposes of ours; its gate order i, f, c, o is ours (c is the candidate g).
        """
        k = _array("kernel", kernel, "(D, 4H)")
        rk = _array("recurrent_kernel", recurrent_kernel, "(H, 4H)")
        if k.ndim != 2 or rk.ndim != 2 or rk.shape[1] != 4 * rk.shape[0] or k.shape[1] != rk.shape[1]:
            raise ValueError(f"kernel must have shape (D, 4H) and recurrent_kernel (H, 4H); "
                             f"got kernel {k.shape}, recurrent_kernel {rk.shape}")
        return cls(k.T, rk.T, bias)

    # ---- sizes ---------------------------------------------------------------------------
    @property
    def input_size(self):
        """D"""
        return self.weight_ih.shape[1]

    @property
    def hidden_size(self):
        """H"""
        return self.weight_hh.shape[1]

    @property
    def dtype(self):
        return self.weight_ih.dtype

    def __repr__(self):
        return (f"LSTMCell(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.dtype})")

    # ---- forward -------------------------------------------------------------------------
    def _gates(self, zx, h_prev, c_prev, W_hh_T):
        """One step, given the input's share of the pre-activations zx = x_t W_ih^T + b.

        zx (N, 4H), h_prev (N, H), c_prev (N, H), W_hh_T = weight_hh.T (H, 4H)
        -> i, f, g, o, c, h, each (N, H).
        """
        H = self.hidden_size
        z = zx + h_prev @ W_hh_T              # (N, 4H): all four gates in one product
        s = sigmoid(z)                        # one call for i, f and o (the g block is unused)
        i, f, o = s[:, :H], s[:, H:2 * H], s[:, 3 * H:]
        g = np.tanh(z[:, 2 * H:3 * H])
        c = f * c_prev + i * g
        h = o * np.tanh(c)
        return i, f, g, o, c, h

    def run(self, xs, h0=None, c0=None, *, _names=("xs", "h0", "c0")):
        """Run the cell over a sequence and keep every gate at every step.

        xs : (T,) numbers for a one-unit input (D = 1), (T, D), or a batch (T, N, D)
        h0, c0 : starting states shaped like one step of h: () or (H,) for (T,) input,
                 (H,) for (T, D), (N, H) for (T, N, D); zeros when not given
        Returns a `Trace` whose f, i, g, c, o, h are (T,) for a one-unit cell on (T,) input,
        (T, H) for (T, D) input and (T, N, H) for (T, N, D) input.
        """
        H = self.hidden_size
        xs, state, N = _sequence(xs, self.input_size, H, self.dtype, _names[0])
        T = len(xs)
        h = h0 = _start(_names[1], h0, state, N, H, self.dtype)    # (N, H)
        c = c0 = _start(_names[2], c0, state, N, H, self.dtype)    # (N, H)
        x = xs.reshape(T, N, self.input_size)            # (T, N, D)
        zx = (x.reshape(T * N, -1) @ self.weight_ih.T).reshape(T, N, -1)   # (T, N, 4H): every
        zx += self.bias                                  # step's input share in one product
        W_hh_T = self.weight_hh.T.copy()                 # (H, 4H); contiguous, h @ W_hh_T is faster
        out = {name: np.empty((T, N, H), self.dtype) for name in "ifgoch"}
        for t in range(T):
            i, f, g, o, c, h = self._gates(zx[t], h, c, W_hh_T)
            for name, value in zip("ifgoch", (i, f, g, o, c, h)):
                out[name][t] = value
        over_time = {name: a.reshape((T,) + state) for name, a in out.items()}
        return Trace(x=xs, **over_time, h0=h0.reshape(state), c0=c0.reshape(state))

    def step(self, x, h_prev=None, c_prev=None):
        """One time step: x (D,) or (N, D) -- a plain number when D = 1 -- and states shaped
        like one step of h (zeros when not given). Returns (f, i, g, c, o, h) in that order,
        the seed document's, each shaped like h_prev."""
        x = _array("x", x, f"(D,) or (N, D) with D = {self.input_size}")
        tr = self.run(x[None], h_prev, c_prev, _names=("x", "h_prev", "c_prev"))
        return tr.f[0], tr.i[0], tr.g[0], tr.c[0], tr.o[0], tr.h[0]

    def predict(self, h):
        """The read-out y = W_y h + b_y: h (..., H) -> (..., K). For a one-unit cell with one
        output (H = K = 1) h may be any array of hidden states, e.g. a (T,) trace.h."""
        h = _array("h", h, "(..., H)", self.dtype)
        if self.W_y.shape == (1, 1):
            return self.W_y[0, 0] * h + self.b_y[0]
        if h.ndim == 0 or h.shape[-1] != self.hidden_size:
            raise ValueError(f"h must have shape (..., H) with H = {self.hidden_size}; got {h.shape}")
        return h @ self.W_y.T + self.b_y

    # ---- backward ------------------------------------------------------------------------
    def backward(self, trace, dh, dc=None):
        """Backpropagation through time over a `Trace` from `run`.

        dh : dL/dh_t for every step, shaped like trace.h ((T,), (T, H) or (T, N, H))
        dc : optional dL/dC_T for the last cell state, shaped like one step of h
        Returns `Grads` with weight_ih (4H, D), weight_hh (4H, H), bias (4H,), x shaped like
        trace.x, and h0, c0 shaped like one step of h.

        Going back one step, with dh_t = dL/dh_t and dC_t = dL/dC_t (everything after t included):
            dC_t += dh_t * o_t * (1 - tanh(C_t)^2)           through h_t = o_t tanh(C_t)
            dz_i = dC_t * g_t     * i_t (1 - i_t)            through i_t = sigma(z_i)
            dz_f = dC_t * C_{t-1} * f_t (1 - f_t)            through f_t = sigma(z_f)
            dz_g = dC_t * i_t     * (1 - g_t^2)              through g_t = tanh(z_g)
            dz_o = dh_t * tanh(C_t) * o_t (1 - o_t)          through o_t = sigma(z_o)
            dC_{t-1} = dC_t * f_t,   dh_{t-1} = dz_t W_hh    into the step before
        with the derivatives written from the outputs: sigma' = s (1 - s), tanh' = 1 - g^2.
        """
        state = trace.h.shape[1:]
        T, H, D = len(trace.h), self.hidden_size, self.input_size
        N = state[0] if len(state) == 2 else 1
        dh = _array("dh", dh, f"like trace.h {trace.h.shape}", self.dtype)
        _check_shape("dh", dh, trace.h.shape, "trace.h.shape")
        dC_next = _start("dc", dc, state, N, H, self.dtype)   # dL/dC_T from beyond the last step
        dh = dh.reshape(T, N, H)
        i, f, g, o, c, h = (a.reshape(T, N, H) for a in (trace.i, trace.f, trace.g, trace.o, trace.c, trace.h))
        c0, h0 = trace.c0.reshape(N, H), trace.h0.reshape(N, H)

        dz = np.empty((T, N, 4 * H), self.dtype)      # dL/dz_t, z_t the gates' pre-activations
        dh_next = np.zeros((N, H), self.dtype)        # dL/dh_t that comes back from step t+1
        for t in reversed(range(T)):
            c_prev = c[t - 1] if t > 0 else c0
            tanh_c = np.tanh(c[t])
            dh_t = dh[t] + dh_next
            dC_t = dC_next + dh_t * o[t] * (1 - tanh_c * tanh_c)
            dz[t, :, :H] = dC_t * g[t] * i[t] * (1 - i[t])
            dz[t, :, H:2 * H] = dC_t * c_prev * f[t] * (1 - f[t])
            dz[t, :, 2 * H:3 * H] = dC_t * i[t] * (1 - g[t] * g[t])
            dz[t, :, 3 * H:] = dh_t * tanh_c * o[t] * (1 - o[t])
            dC_next = dC_t * f[t]
            dh_next = dz[t] @ self.weight_hh
        # the weight gradients: one product over all steps (h_{t-1} is h0 at t = 0)
        dz_all = dz.reshape(T * N, 4 * H)
        dW_hh = dz[0].T @ h0
        if T > 1:
            dW_hh += dz[1:].reshape(-1, 4 * H).T @ h[:-1].reshape(-1, H)
        return Grads(weight_ih=dz_all.T @ trace.x.reshape(T * N, D),
                     weight_hh=dW_hh,
                     bias=dz_all.sum(axis=0),
                     x=(dz_all @ self.weight_ih).reshape(trace.x.shape),
                     h0=dh_next.reshape(state), c0=dC_next.reshape(state))


def seed_lstm(**changes):
    """The seed document's cell: its twelve weights, read-out W_y = 4, b_y = 0.

    Name any of them to change it, e.g. seed_lstm(b_f=3.0) is the seed cell with a forget bias of 3.
    """
    unknown = sorted(set(changes) - set(SEED_WEIGHTS))
    if unknown:
        raise TypeError(f"seed_lstm() got unknown weight name(s) {unknown}; "
                        f"the names are {', '.join(SEED_WEIGHTS)}")
    return LSTMCell.from_scalars(**{**SEED_WEIGHTS, **changes})

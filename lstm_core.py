"""One LSTM cell in numpy: forward, backward, and the PyTorch and Keras weight layouts.

Everything the notebooks compute comes from this file, and numpy is its only import.

The cell, one time step, in the order of the seed document (docs/seed/scalar_lstm_walkthrough.txt);
sigma is the logistic sigmoid and * multiplies element by element:

    f_t = sigma(W_if x_t + W_hf h_{t-1} + b_f)    forget gate: how much of C_{t-1} to keep
    i_t = sigma(W_ii x_t + W_hi h_{t-1} + b_i)    input gate: how much of g_t to write
    g_t =  tanh(W_ig x_t + W_hg h_{t-1} + b_g)    candidate, also written C~_t: what may be written
    C_t = f_t * C_{t-1} + i_t * g_t               cell state (the "conveyor belt")
    o_t = sigma(W_io x_t + W_ho h_{t-1} + b_o)    output gate: how much of the cell to show
    h_t = o_t * tanh(C_t)                         hidden state, the cell's output
    y   = W_y h_t + b_y                           linear read-out, e.g. the next value

The weights above carry PyTorch's names (W_if: from the input to the forget gate; W_hf: from
h_{t-1} to the forget gate; g for the candidate; each b is PyTorch's b_i* + b_h*, added). Notebooks
00-05 and `scalar_step` call the same numbers by the seed document's names: W_if = W_f, W_ii = W_i,
W_ig = W_c, W_io = W_o for x_t; W_hf, W_hi, W_ho alike and W_hg = W_hc for h_{t-1}; b_g = b_c.
notebooks/notation.md has the whole table.

Symbols and sizes:

    T  time steps          x_t      input at step t           (N, D)
    N  batch size          h_{t-1}  previous hidden state     (N, H)
    D  input size          C_{t-1}  previous cell state       (N, H)
    H  hidden size         f_t, i_t, g_t, C_t, o_t, h_t       (N, H) each

`scalar_step` writes that step for one unit with plain numbers and the seed document's twelve
weight names: W_f, W_hf, b_f (forget), W_i, W_hi, b_i (input), W_c, W_hc, b_c (candidate),
W_o, W_ho, b_o (output). `LSTMCell` computes all H units and all four gates at once: its weights
are stacked, weight_ih (4H, D), weight_hh (4H, H) and bias (4H,), in PyTorch's row order
i, f, g, o (rows [0:H] belong to i, [H:2H] to f, [2H:3H] to g, [3H:4H] to o).

References: Hochreiter & Schmidhuber (1997), Long Short-Term Memory; Gers, Schmidhuber & Cummins
(2000), Learning to Forget; the layouts of torch.nn.LSTM and keras.layers.LSTM.
"""
from dataclasses import dataclass

import numpy as np

SIGNALS = ("f", "i", "g", "c", "o", "h")   # one step's signals, in the seed's order, everywhere
GATES = ("i", "f", "g", "o")   # only a memory layout: the stacked weights' row blocks, as PyTorch

SEED_WEIGHTS = dict(  # the seed document's cell (docs/seed/scalar_lstm_walkthrough.txt)
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


def scalar_step(x, h_prev, c_prev, w):
    """One time step of a one-unit cell (D = H = 1), one equation a line.

    x, h_prev, c_prev are numbers; w is a dict with the seed document's twelve weight names,
    like SEED_WEIGHTS. Returns (f, i, g, c, o, h): the same numbers as LSTMCell.step, which
    computes every unit and all four gates at once from the stacked weights.
    """
    f = sigmoid(w["W_f"] * x + w["W_hf"] * h_prev + w["b_f"])    # forget gate f_t
    i = sigmoid(w["W_i"] * x + w["W_hi"] * h_prev + w["b_i"])    # input gate i_t
    g = np.tanh(w["W_c"] * x + w["W_hc"] * h_prev + w["b_c"])    # candidate g_t = C~_t
    c = f * c_prev + i * g                                       # cell state C_t
    o = sigmoid(w["W_o"] * x + w["W_ho"] * h_prev + w["b_o"])    # output gate o_t
    h = o * np.tanh(c)                                           # hidden state h_t
    return f, i, g, c, o, h


@dataclass
class Trace:
    """Every signal of a run, over time, in the seed's order f, i, g, c, o, h.

    The arrays are shaped like the input of `run`: (T,) for a one-unit cell run on a 1-D
    sequence, (T, H) for input (T, D), (T, N, H) for input (T, N, D). h0 and c0 are the
    starting states, shaped like one step of h.
    """
    x: np.ndarray
    f: np.ndarray
    i: np.ndarray
    g: np.ndarray
    c: np.ndarray
    o: np.ndarray
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
    h0 and c0 like one step of h. lstm_learn's RNNCell returns them too, with its own
    weight shapes (H, D), (H, H), (H,) and c0 None: it has no cell state.
    """
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias: np.ndarray
    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray = None

    def __repr__(self):
        names = ("weight_ih", "weight_hh", "bias", "x", "h0", "c0")
        return "Grads(" + ", ".join(f"{k}{getattr(self, k).shape}" for k in names
                                    if getattr(self, k) is not None) + ")"


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
        w_ih = as_array("weight_ih", weight_ih, "(4H, D)")
        w_hh = as_array("weight_hh", weight_hh, "(4H, H)")
        if (w_hh.ndim != 2 or w_hh.shape[0] == 0 or w_hh.shape[0] % 4
                or w_hh.shape[1] * 4 != w_hh.shape[0]):
            raise ValueError(f"weight_hh must have shape (4H, H) with H >= 1; got {w_hh.shape}")
        H = w_hh.shape[1]
        if w_ih.ndim != 2 or w_ih.shape[0] != 4 * H or w_ih.shape[1] == 0:
            raise ValueError(f"weight_ih must have shape (4H, D) = ({4 * H}, D) with D >= 1 "
                             f"to match weight_hh {w_hh.shape}; got {w_ih.shape}")
        dtype = np.result_type(w_ih, w_hh)
        b = np.zeros(4 * H, dtype) if bias is None else as_array("bias", bias, "(4H,)")
        check_shape("bias", b, (4 * H,), "(4H,)")
        wy, by = readout_weights(W_y, b_y, H, dtype)
        # all checks passed: only now does the cell take its weights
        self.weight_ih = w_ih.astype(dtype)   # (4H, D)
        self.weight_hh = w_hh.astype(dtype)   # (4H, H)
        self.bias = b.astype(dtype)           # (4H,)
        self.W_y = wy.astype(dtype)           # (K, H)
        self.b_y = by.astype(dtype)           # (K,)

    # ---- constructors and framework layouts --------------------------------------------------
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
            a = as_array(k, val, "() (one number)")
            check_shape(k, a, (), "() (one number)")
            v[k] = float(a)
        return cls(weight_ih=[[v["W_i"]], [v["W_f"]], [v["W_c"]], [v["W_o"]]],   # rows i, f, g, o
                   weight_hh=[[v["W_hi"]], [v["W_hf"]], [v["W_hc"]], [v["W_ho"]]],
                   bias=[v["b_i"], v["b_f"], v["b_c"], v["b_o"]],
                   W_y=[[v["W_y"]]], b_y=[v["b_y"]])

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
        """From torch.nn.LSTM's layout: weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), and two
        biases bias_ih_l0, bias_hh_l0 (4H,) that simply add. Gate order i, f, g, o, as here."""
        w_hh = as_array("weight_hh", weight_hh, "(4H, H)")
        rows = w_hh.shape[0] if w_hh.ndim == 2 else 0
        return cls(weight_ih, w_hh, torch_bias(bias_ih, bias_hh, rows, w_hh.dtype, "(4H,)"))

    @classmethod
    def from_keras(cls, kernel, recurrent_kernel, bias=None):
        """From keras.layers.LSTM's layout: kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,).

        Keras multiplies inputs from the left (x_t @ kernel), so its matrices are the
        transposes of ours; its gate order i, f, c, o is ours (c is the candidate g).
        """
        k = as_array("kernel", kernel, "(D, 4H)")
        rk = as_array("recurrent_kernel", recurrent_kernel, "(H, 4H)")
        if (k.ndim != 2 or rk.ndim != 2 or rk.shape[1] != 4 * rk.shape[0]
                or k.shape[1] != rk.shape[1]):
            raise ValueError(f"kernel must have shape (D, 4H) and recurrent_kernel (H, 4H); "
                             f"got kernel {k.shape}, recurrent_kernel {rk.shape}")
        return cls(k.T, rk.T, bias)

    def to_torch(self):
        """The weights as torch.nn.LSTM's state_dict() names them, as numpy arrays (copies):
        weight_ih_l0 (4H, D), weight_hh_l0 (4H, H), bias_ih_l0 (4H,), bias_hh_l0 (4H,).

        PyTorch adds its two biases, so the whole bias goes in bias_ih_l0 and bias_hh_l0 is
        zeros. Load it with lstm.load_state_dict({k: torch.from_numpy(v) for k, v in ...}).
        """
        return {"weight_ih_l0": self.weight_ih.copy(), "weight_hh_l0": self.weight_hh.copy(),
                "bias_ih_l0": self.bias.copy(), "bias_hh_l0": np.zeros_like(self.bias)}

    def to_keras(self):
        """The weights in keras.layers.LSTM's layout, as numpy arrays (copies):
        (kernel (D, 4H), recurrent_kernel (H, 4H), bias (4H,)), for layer.set_weights(...)."""
        return self.weight_ih.T.copy(), self.weight_hh.T.copy(), self.bias.copy()

    # ---- sizes -----------------------------------------------------------------------------
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

    # ---- forward ---------------------------------------------------------------------------
    def _input_share(self, x):
        """x (T, N, D) -> x_t W_ih^T + b, the input's share of every step's pre-activations,
        (T, 4, N, H): one (N, H) block per gate, in the weights' order i, f, g, o."""
        H, D = self.hidden_size, self.input_size
        W_ih_T = self.weight_ih.reshape(4, H, D).transpose(0, 2, 1).copy()   # (4, D, H)
        z = x[:, None] @ W_ih_T                                              # (T, 4, N, H)
        z += self.bias.reshape(4, 1, H)
        return z

    def _gates(self, z, h_prev, c_prev, W_hh_T, c, h):
        """One time step, its equations in the order the seed document writes them.

        z (4, N, H) holds the input's share of the pre-activations on entry, one (N, H) block
        per gate in the weights' order i, f, g, o, and the gates themselves on return (`run`
        keeps them there); h_prev, c_prev (N, H); W_hh_T (4, H, H) the transposed blocks of
        weight_hh; C_t and h_t are written into c and h (N, H). Returns (f, i, g, c, o, h).
        """
        z += h_prev @ W_hh_T                  # + h_{t-1} W_hh^T: (N, H) @ (4, H, H) -> (4, N, H)
        f = sigmoid(z[1])                     # forget gate f_t
        i = sigmoid(z[0])                     # input gate i_t
        g = np.tanh(z[2])                     # candidate g_t = C~_t
        np.multiply(f, c_prev, out=c)         # C_t = f_t * C_{t-1} + i_t * g_t
        c += i * g
        o = sigmoid(z[3])                     # output gate o_t
        np.tanh(c, out=h)                     # h_t = o_t * tanh(C_t)
        h *= o
        z[0], z[1], z[2], z[3] = i, f, g, o   # the gates, kept in the weights' order
        return f, i, g, c, o, h

    def run(self, xs, h0=None, c0=None):
        """Run the cell over a sequence and keep every gate at every step.

        xs : (T,) numbers for a one-unit input (D = 1), (T, D), or a batch (T, N, D)
        h0, c0 : starting states shaped like one step of h: () or (H,) for (T,) input,
                 (H,) for (T, D), (N, H) for (T, N, D); zeros when not given
        Returns a `Trace` whose f, i, g, c, o, h are (T,) for a one-unit cell on (T,) input,
        (T, H) for (T, D) input and (T, N, H) for (T, N, D) input.
        """
        D, H = self.input_size, self.hidden_size
        xs, step_shape, N = as_sequence(xs, D, H, self.dtype)
        T = len(xs)
        h = h0 = start_state("h0", h0, step_shape, N, H, self.dtype)    # (N, H)
        c = c0 = start_state("c0", c0, step_shape, N, H, self.dtype)    # (N, H)
        gates = self._input_share(xs.reshape(T, N, D))     # (T, 4, N, H); gates[t] becomes
        cs, hs = np.empty((2, T, N, H), self.dtype)        # step t's gates in place
        W_hh_T = self.weight_hh.reshape(4, H, H).transpose(0, 2, 1).copy()   # (4, H, H)
        for t in range(T):
            _, _, _, c, _, h = self._gates(gates[t], h, c, W_hh_T, cs[t], hs[t])
        over_time = lambda a: a.reshape((T,) + step_shape)
        i, f, g, o = (over_time(gates[:, k]) for k in range(4))
        return Trace(x=xs, f=f, i=i, g=g, c=over_time(cs), o=o, h=over_time(hs),
                     h0=h0.reshape(step_shape), c0=c0.reshape(step_shape))

    def step(self, x, h_prev=None, c_prev=None):
        """One time step: x (D,) or (N, D) -- a plain number when D = 1 -- and states shaped
        like one step of h (zeros when not given). Returns (f, i, g, c, o, h) in that order,
        the seed document's, each shaped like h_prev."""
        D, H = self.input_size, self.hidden_size
        expected = f"(D,) or (N, D) with D = {D}" + (", or one number" if D == 1 else "")
        x = as_array("x", x, expected, self.dtype)
        if not (x.ndim in (1, 2) and x.shape[-1] == D and x.size or x.ndim == 0 and D == 1):
            raise ValueError(f"x must have shape {expected}; got {x.shape}")
        _, step_shape, N = as_sequence(x[None], D, H, self.dtype, "x")
        h_prev = start_state("h_prev", h_prev, step_shape, N, H, self.dtype)   # (N, H)
        c_prev = start_state("c_prev", c_prev, step_shape, N, H, self.dtype)   # (N, H)
        z = self._input_share(x.reshape(1, N, D))[0]                            # (4, N, H)
        c, h = np.empty((2, N, H), self.dtype)
        W_hh_T = self.weight_hh.reshape(4, H, H).transpose(0, 2, 1)
        signals = self._gates(z, h_prev, c_prev, W_hh_T, c, h)
        return tuple(s.reshape(step_shape)[()] for s in signals)   # [()]: a number for ()

    def predict(self, h):
        """The read-out y = W_y h + b_y: h (..., H) -> (..., K). For a one-unit cell with one
        output (H = K = 1) h may be any array of hidden states, e.g. a (T,) trace.h."""
        h = as_array("h", h, "(..., H)", self.dtype)
        if self.W_y.shape == (1, 1):
            return self.W_y[0, 0] * h + self.b_y[0]
        if h.ndim == 0 or h.shape[-1] != self.hidden_size:
            raise ValueError(f"h must have shape (..., H) with H = {self.hidden_size}; "
                             f"got {h.shape}")
        return h @ self.W_y.T + self.b_y

    # ---- backward --------------------------------------------------------------------------
    def backward(self, trace, dh, dc=None):
        """Backpropagation through time over a `Trace` from `run`.

        dh : dL/dh_t for every step, shaped like trace.h ((T,), (T, H) or (T, N, H))
        dc : optional dL/dC_T for the last cell state, shaped like one step of h
        Returns `Grads` with weight_ih (4H, D), weight_hh (4H, H), bias (4H,), x shaped like
        trace.x, and h0, c0 shaped like one step of h.

        Going back one step, with dh_t = dL/dh_t and dC_t = dL/dC_t (everything after t included):
            dC_t += dh_t * o_t * (1 - tanh(C_t)^2)           through h_t = o_t tanh(C_t)
            dz_f = dC_t * C_{t-1} * f_t (1 - f_t)            through f_t = sigma(z_f)
            dz_i = dC_t * g_t     * i_t (1 - i_t)            through i_t = sigma(z_i)
            dz_g = dC_t * i_t     * (1 - g_t^2)              through g_t = tanh(z_g)
            dz_o = dh_t * tanh(C_t) * o_t (1 - o_t)          through o_t = sigma(z_o)
            dC_{t-1} = dC_t * f_t,   dh_{t-1} = dz_t W_hh    into the step before
        with the derivatives written from the outputs: sigma' = s (1 - s), tanh' = 1 - g^2.
        Every step has a share in the gradients of z_t = x_t W_ih^T + h_{t-1} W_hh^T + b; once
        every dz_t is known they are summed over the steps in one product each:
            dW_ih = sum_t dz_t^T x_t,   dW_hh = sum_t dz_t^T h_{t-1},   db = sum_t dz_t,
            dx_t = dz_t W_ih
        """
        step_shape = trace.h.shape[1:]
        T, H, D = len(trace.h), self.hidden_size, self.input_size
        N = step_shape[0] if len(step_shape) == 2 else 1
        dh = as_array("dh", dh, f"like trace.h {trace.h.shape}", self.dtype)
        check_shape("dh", dh, trace.h.shape, "trace.h.shape")
        dC_next = start_state("dc", dc, step_shape, N, H, self.dtype)   # dL/dC_T from later on
        dh = dh.reshape(T, N, H)
        f, i, g, c, o, h = (getattr(trace, s).reshape(T, N, H) for s in SIGNALS)
        x = trace.x.reshape(T, N, D)
        c0, h0 = trace.c0.reshape(N, H), trace.h0.reshape(N, H)

        # dL/dz_t, the gradients of every step's pre-activations, (T, N, 4H): blocks i, f, g, o
        dz = np.empty((T, N, 4 * H), self.dtype)
        dh_next = np.zeros((N, H), self.dtype)    # dL/dh_t that comes back from step t+1
        for t in reversed(range(T)):
            c_prev = c[t - 1] if t > 0 else c0
            tanh_c = np.tanh(c[t])
            dh_t = dh[t] + dh_next
            dC_t = dC_next + dh_t * o[t] * (1 - tanh_c * tanh_c)
            dz_t = dz[t]                                      # (N, 4H), written in place
            dz_t[:, :H] = dC_t * g[t] * i[t] * (1 - i[t])
            dz_t[:, H:2 * H] = dC_t * c_prev * f[t] * (1 - f[t])
            dz_t[:, 2 * H:3 * H] = dC_t * i[t] * (1 - g[t] * g[t])
            dz_t[:, 3 * H:] = dh_t * tanh_c * o[t] * (1 - o[t])
            dC_next = dC_t * f[t]
            dh_next = dz_t @ self.weight_hh
        # the weights' gradients: every step's share at once. With one row per step and sequence,
        # (T*N, 4H), one product sums over the steps and the batch
        h_prev = np.concatenate((h0[None], h[:-1]))           # each step's h_{t-1}: h0, h_1, ...
        dz_all = dz.reshape(T * N, 4 * H)
        dW_ih = dz_all.T @ x.reshape(T * N, D)                 # sum_t dz_t^T x_t
        dW_hh = dz_all.T @ h_prev.reshape(T * N, H)            # sum_t dz_t^T h_{t-1}
        db = dz_all.sum(axis=0)                                # sum_t dz_t
        dx = dz @ self.weight_ih                               # dz_t W_ih, every t
        # after the loop, dh_next and dC_next are what reaches the starting states: dL/dh0, dL/dC0
        return Grads(weight_ih=dW_ih, weight_hh=dW_hh, bias=db, x=dx.reshape(trace.x.shape),
                     h0=dh_next.reshape(step_shape), c0=dC_next.reshape(step_shape))


def seed_lstm(**changes):
    """The seed document's cell: its twelve weights, read-out W_y = 4, b_y = 0.

    Name any of them to change it, e.g. seed_lstm(b_f=3.0) is the seed cell with a forget bias of 3.
    """
    unknown = sorted(set(changes) - set(SEED_WEIGHTS))
    if unknown:
        raise TypeError(f"seed_lstm() got unknown weight name(s) {unknown}; "
                        f"the names are {', '.join(SEED_WEIGHTS)}")
    return LSTMCell.from_scalars(**{**SEED_WEIGHTS, **changes})


# ---- checking input: clear errors that name the argument and the expected shape -------------

def as_array(name, value, expected, dtype=None):
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


def check_shape(name, a, shape, expected):
    """A ValueError naming `name`, the `expected` shape and the one that arrived, unless equal."""
    if a.shape != shape:
        raise ValueError(f"{name} must have shape {expected} = {shape}; got {a.shape}")


def as_sequence(xs, D, H, dtype, name="xs"):
    """xs in the cell's dtype, step_shape (the shape of one step of h), and the batch size N.

    (T,) is a sequence of numbers (only when D = 1), (T, D) one sequence, (T, N, D) a batch;
    step_shape is then () or (H,), (H,), and (N, H).
    """
    expected = f"(T,) (only when D = 1), (T, D) or (T, N, D) with D = {D}"
    x = as_array(name, xs, expected, dtype)
    if x.ndim == 1 and D == 1:
        step_shape = () if H == 1 else (H,)
    elif x.ndim == 2 and x.shape[1] == D:
        step_shape = (H,)
    elif x.ndim == 3 and x.shape[2] == D:
        step_shape = (x.shape[1], H)
    else:
        raise ValueError(f"{name} must have shape {expected}; got {x.shape}")
    if x.size == 0:
        raise ValueError(f"{name} is empty (shape {x.shape}); it needs at least one time "
                         f"step and one sequence: shape {expected}")
    return x, step_shape, (step_shape[0] if len(step_shape) == 2 else 1)


def start_state(name, value, step_shape, N, H, dtype):
    """A starting state (h0, c0) of shape step_shape, as an (N, H) array; zeros when None."""
    if value is None:
        return np.zeros((N, H), dtype)
    a = as_array(name, value, step_shape, dtype)
    if a.shape != step_shape and not (step_shape == () and a.shape == (1,)):
        raise ValueError(f"{name} must have the shape of one step of h, {step_shape}; "
                         f"got {a.shape}")
    return a.reshape(N, H)


def torch_bias(bias_ih, bias_hh, rows, dtype, expected):
    """PyTorch's two biases (each `rows` long; None counts as zeros), checked, as one sum."""
    zeros = np.zeros(rows, dtype)
    b_ih = zeros if bias_ih is None else as_array("bias_ih", bias_ih, expected)
    b_hh = zeros if bias_hh is None else as_array("bias_hh", bias_hh, expected)
    check_shape("bias_ih", b_ih, (rows,), expected)
    check_shape("bias_hh", b_hh, (rows,), expected)
    return b_ih + b_hh


def readout_weights(W_y, b_y, H, dtype):
    """The read-out's W_y (K, H) and b_y (K,), checked; zeros (1, H) and (1,) when not given."""
    wy = np.zeros((1, H), dtype) if W_y is None else as_array("W_y", W_y, "(K, H)")
    if wy.ndim != 2 or wy.shape[1] != H or wy.shape[0] == 0:
        raise ValueError(f"W_y must have shape (K, H) = (K, {H}); got {wy.shape}")
    by = np.zeros(wy.shape[0], dtype) if b_y is None else as_array("b_y", b_y, "(K,)")
    check_shape("b_y", by, (wy.shape[0],), "(K,)")
    return wy, by

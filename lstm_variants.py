"""The LSTM's relatives: the GRU, and the LSTM with a gate (or more) taken away or added.

Which parts of the LSTM matter? Greff et al. (2017) took the cell apart one piece at a time;
this file lets a notebook do the same, with the same shapes and names as lstm_core. numpy is
its only import besides lstm_core (the cell, the checks) and lstm_learn (the weights' checks,
the loss and its gradients, the training loop, Adam, the adding problem).

The GRU, one time step, as torch.nn.GRU (sigma the logistic sigmoid, * element by element):

    r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
    z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
    n_t =  tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))  candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}                       no separate cell state

weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,) and bias_hh (3H,) hold the row blocks
r, z, n in that order, PyTorch's layout. The two biases do not simply add: b_hn sits inside
r_t * (...), so the GRU keeps both (and has a gradient for each).

The LSTM and its variants, one cell with options (lstm_core's equations, plus the optional parts
in brackets; row blocks i, f, g, o of one stacked weight_ih (4H, D), weight_hh (4H, H), bias (4H,)):

    i_t = sigma(W_ii x_t + W_hi h_{t-1} + b_i [+ p_i * C_{t-1}])   input_gate=False: i_t = 1
    f_t = sigma(W_if x_t + W_hf h_{t-1} + b_f [+ p_f * C_{t-1}])   forget_gate=False: f_t = 1
    g_t =  tanh(W_ig x_t + W_hg h_{t-1} + b_g)                      coupled=True: i_t = 1 - f_t
    C_t = f_t * C_{t-1} + i_t * g_t
    o_t = sigma(W_io x_t + W_ho h_{t-1} + b_o [+ p_o * C_t])       output_gate=False: o_t = 1
    h_t = o_t * tanh(C_t)                                           output_activation=False:
                                                                    h_t = o_t * C_t
The bracketed peephole terms (Gers & Schmidhuber 2000) let the gates look at the cell state;
p_i, p_f, p_o (H,) are diagonal weights, one per unit, as in Greff et al. A gate that is switched
off keeps its rows in the stacked weights; they are simply not used (their gradient is zero).

    VARIANTS               the named variants of the ablation: vanilla (LSTMCell itself),
                           no_forget_gate (the 1997 cell), no_input_gate, no_output_gate,
                           no_output_activation, coupled (CIFG), peepholes
    T, N, D, H, K          time steps, batch size, input size, hidden size, read-out size

Learning: `loss_and_grads` and `train` work for the LSTM, every variant and the GRU alike;
`ablation` is a small version of Greff et al.'s study and `forget_gate_experiment` is Gers,
Schmidhuber & Cummins's: on a stream that never resets, the 1997 cell's state grows.

References: Hochreiter & Schmidhuber (1997), Long Short-Term Memory; Gers, Schmidhuber &
Cummins (2000), Learning to Forget; Gers & Schmidhuber (2000), Recurrent Nets that Time and
Count (peepholes); Cho et al. (2014), Learning Phrase Representations using RNN Encoder-Decoder
(the GRU); Greff, Srivastava, Koutnik, Steunebrink & Schmidhuber (2017), LSTM: A Search Space
Odyssey; the layouts of torch.nn.GRU and torch.nn.LSTM.
"""
import time
from dataclasses import dataclass

import numpy as np

import lstm_learn
from lstm_core import (
    SIGNALS,
    Grads,
    LSTMCell,
    Trace,
    as_array,
    as_sequence,
    check_shape,
    readout_weights,
    seed_lstm,
    sigmoid,
    start_state,
)
from lstm_learn import (
    Adam,
    adding_problem,
    loss_and_grads,  # noqa: F401 - lstm_variants.loss_and_grads, for any of these cells
    parameters,
    per_step,
    stacked_weights,
)

# name: the options of VariantLSTMCell that make it; "vanilla" is LSTMCell itself
VARIANT_OPTIONS = {
    "vanilla": {},
    "no_forget_gate": dict(forget_gate=False),          # the 1997 cell: C_t = C_{t-1} + i_t g_t
    "no_input_gate": dict(input_gate=False),
    "no_output_gate": dict(output_gate=False),
    "no_output_activation": dict(output_activation=False),
    "coupled": dict(coupled=True),                      # i_t = 1 - f_t
    "peepholes": dict(peepholes=True),                  # gates read C_{t-1} (i, f) and C_t (o)
}
VARIANTS = tuple(VARIANT_OPTIONS)
CELLS = VARIANTS + ("gru",)        # everything `random_cell` makes and `ablation` compares


def _trace_repr(self):
    return f"{type(self).__name__}(T={len(self.h)}, shape of h per step={self.h.shape[1:]})"


def _grads_repr(self):
    return f"{type(self).__name__}(" + ", ".join(
        f"{k}{getattr(self, k).shape}" for k in self.__dataclass_fields__
        if getattr(self, k) is not None) + ")"


# ---- the GRU ------------------------------------------------------------------------------------

@dataclass(repr=False)
class GRUTrace:
    """Every activation of a GRU run, over time: r, z, n and h shaped like lstm_core's trace,
    (T,) for a one-unit cell on (T,) input, (T, H) for (T, D), (T, N, H) for (T, N, D); x the
    input; h0 the starting state, shaped like one step of h."""
    x: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    h: np.ndarray
    h0: np.ndarray
    __repr__ = _trace_repr


@dataclass(repr=False)
class GRUGrads:
    """Gradients from `GRUCell.backward`, in torch.nn.GRU's layout: weight_ih (3H, D),
    weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,); x shaped like the input; h0 like one step
    of h. bias_ih and bias_hh differ in their n rows: b_hn is multiplied by r_t."""
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    bias_ih: np.ndarray
    bias_hh: np.ndarray
    x: np.ndarray
    h0: np.ndarray
    __repr__ = _grads_repr


class GRUCell:
    """A GRU cell in torch.nn.GRU's layout (row blocks r, z, n) and a linear read-out.

    Parameters
    ----------
    weight_ih : array (3H, D)   input-to-gates weights W_ir, W_iz, W_in stacked
    weight_hh : array (3H, H)   hidden-to-gates weights W_hr, W_hz, W_hn stacked
    bias_ih   : array (3H,)     b_ir, b_iz, b_in; zeros if not given
    bias_hh   : array (3H,)     b_hr, b_hz, b_hn; zeros if not given
    W_y       : array (K, H)    read-out weights for `predict`; zeros (1, H) if not given
    b_y       : array (K,)      read-out bias; zeros if not given

    As LSTMCell, it keeps the weights' dtype and copies them.
    """
    PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "W_y", "b_y")

    def __init__(self, weight_ih, weight_hh, bias_ih=None, bias_hh=None, W_y=None, b_y=None):
        w_ih, w_hh, H, dtype = stacked_weights(weight_ih, weight_hh, 3)   # (3H, D), (3H, H)
        biases = []
        for name, b in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
            b = np.zeros(3 * H, dtype) if b is None else as_array(name, b, "(3H,)")
            check_shape(name, b, (3 * H,), "(3H,)")
            biases.append(b)
        wy, by = readout_weights(W_y, b_y, H, dtype)
        self.weight_ih = w_ih.astype(dtype)       # (3H, D)
        self.weight_hh = w_hh.astype(dtype)       # (3H, H)
        self.bias_ih = biases[0].astype(dtype)    # (3H,)
        self.bias_hh = biases[1].astype(dtype)    # (3H,)
        self.W_y = wy.astype(dtype)               # (K, H)
        self.b_y = by.astype(dtype)               # (K,)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
        """From torch.nn.GRU's weight_ih_l0 (3H, D), weight_hh_l0 (3H, H), bias_ih_l0 and
        bias_hh_l0 (3H,): the same layout as here, row blocks r, z, n."""
        return cls(weight_ih, weight_hh, bias_ih, bias_hh)

    # D, H and the dtype are read from the weights as LSTMCell reads them: weight_ih (3H, D),
    # weight_hh (3H, H)
    input_size, hidden_size, dtype = LSTMCell.input_size, LSTMCell.hidden_size, LSTMCell.dtype

    def __repr__(self):
        return (f"GRUCell(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.dtype})")

    def run(self, xs, h0=None):
        """Run over a sequence and keep every gate at every step.

        xs : (T,) when D = 1, (T, D), or a batch (T, N, D)
        h0 : the starting state shaped like one step of h (() or (H,), (H,), (N, H)); zeros
             when not given
        Returns a `GRUTrace` with r, z, n, h of shape (T,), (T, H) or (T, N, H).
        """
        D, H = self.input_size, self.hidden_size
        xs, step_shape, N = as_sequence(xs, D, H, self.dtype)
        T = len(xs)
        h = h0 = start_state("h0", h0, step_shape, N, H, self.dtype)       # (N, H)
        zx = (xs.reshape(T * N, D) @ self.weight_ih.T).reshape(T, N, 3 * H)   # every step's
        zx += self.bias_ih                               # input share, W_i x_t + b_i, at once
        W_hh_T = self.weight_hh.T.copy()                 # (H, 3H)
        out = {name: np.empty((T, N, H), self.dtype) for name in "rznh"}
        for t in range(T):
            zh = h @ W_hh_T + self.bias_hh               # (N, 3H): W_h h_{t-1} + b_h
            rz = sigmoid(zx[t, :, :2 * H] + zh[:, :2 * H])
            r, z = rz[:, :H], rz[:, H:]
            n = np.tanh(zx[t, :, 2 * H:] + r * zh[:, 2 * H:])
            h = (1 - z) * n + z * h
            for name, value in zip("rznh", (r, z, n, h)):
                out[name][t] = value
        over_time = {name: a.reshape((T,) + step_shape) for name, a in out.items()}
        return GRUTrace(x=xs, **over_time, h0=h0.reshape(step_shape))

    predict = LSTMCell.predict   # the same read-out y = W_y h + b_y

    def backward(self, trace, dh):
        """Backpropagation through time over a `GRUTrace` from `run`.

        dh : dL/dh_t for every step, shaped like trace.h
        Returns `GRUGrads`: weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,),
        x shaped like trace.x, h0 like one step of h.

        One step back, with dh_t = dL/dh_t (everything after t included), hn_t = W_hn h_{t-1} + b_hn
        and the derivatives written from the outputs (sigma' = s (1 - s), tanh' = 1 - n^2):
            da_n = dh_t * (1 - z_t) * (1 - n_t^2)          through h_t, then n_t = tanh(a_n)
            da_z = dh_t * (h_{t-1} - n_t) * z_t (1 - z_t)  through h_t, then z_t = sigma(a_z)
            da_r = da_n * hn_t * r_t (1 - r_t)             through a_n = ... + r_t hn_t
            dhn  = da_n * r_t                              the n rows of the hidden side
            dh_{t-1} = dh_t * z_t + [da_r, da_z, dhn] W_hh
        The input side's pre-activation gradient is [da_r, da_z, da_n], the hidden side's
        [da_r, da_z, dhn]: they differ only in the n rows.
        """
        dh, step_shape, N = per_step(dh, trace.h, self.dtype)          # dh (T, N, H)
        T, D, H = len(trace.h), self.input_size, self.hidden_size
        r, z, n, h = (a.reshape(T, N, H) for a in (trace.r, trace.z, trace.n, trace.h))
        h_prev = np.concatenate([trace.h0.reshape(1, N, H), h[:-1]])          # (T, N, H)
        hn = h_prev @ self.weight_hh[2 * H:].T + self.bias_hh[2 * H:]          # (T, N, H)
        dzx = np.empty((T, N, 3 * H), self.dtype)    # dL/d(input side), rows r, z, n
        dzh = np.empty((T, N, 3 * H), self.dtype)    # dL/d(hidden side), rows r, z, n
        dh_next = np.zeros((N, H), self.dtype)       # dL/dh_t arriving from step t + 1
        for t in reversed(range(T)):
            dh_t = dh[t] + dh_next
            da_n = dh_t * (1 - z[t]) * (1 - n[t] * n[t])
            dzx[t, :, H:2 * H] = dh_t * (h_prev[t] - n[t]) * z[t] * (1 - z[t])
            dzx[t, :, :H] = da_n * hn[t] * r[t] * (1 - r[t])
            dzx[t, :, 2 * H:] = da_n
            dzh[t, :, :2 * H] = dzx[t, :, :2 * H]
            dzh[t, :, 2 * H:] = da_n * r[t]
            dh_next = dh_t * z[t] + dzh[t] @ self.weight_hh
        dzx2, dzh2 = dzx.reshape(T * N, 3 * H), dzh.reshape(T * N, 3 * H)
        return GRUGrads(weight_ih=dzx2.T @ trace.x.reshape(T * N, D),
                        weight_hh=dzh2.T @ h_prev.reshape(T * N, H),
                        bias_ih=dzx2.sum(axis=0), bias_hh=dzh2.sum(axis=0),
                        x=(dzx2 @ self.weight_ih).reshape(trace.x.shape),
                        h0=dh_next.reshape(step_shape))


# ---- the LSTM with options ---------------------------------------------------------------------

class VariantTrace(Trace):
    """Every signal of a `VariantLSTMCell` run: lstm_core's Trace, its fields and shapes,
    f, i, g, c, o, h (T,), (T, H) or (T, N, H); x the input; h0, c0 the starting states.
    A gate that is switched off is stored as ones (and coupled, i = 1 - f)."""
    __repr__ = _trace_repr


@dataclass(repr=False)
class VariantGrads(Grads):
    """Gradients from `VariantLSTMCell.backward`: lstm_core's Grads, weight_ih (4H, D),
    weight_hh (4H, H), bias (4H,), x like the input, h0 and c0 like one step of h; and
    peepholes (3, H), rows p_i, p_f, p_o, or None for a cell without peepholes."""
    peepholes: np.ndarray = None
    __repr__ = _grads_repr


class VariantLSTMCell(LSTMCell):
    """An LSTMCell whose parts can be switched off (or peepholes added), one option each.

    Parameters
    ----------
    weight_ih, weight_hh, bias, W_y, b_y : as LSTMCell: (4H, D), (4H, H), (4H,), (K, H), (K,)
    forget_gate       : False for f_t = 1, the 1997 cell (its f rows are unused)
    input_gate        : False for i_t = 1 (its i rows are unused)
    output_gate       : False for o_t = 1 (its o rows are unused)
    output_activation : False for h_t = o_t * C_t instead of o_t * tanh(C_t)
    peepholes         : None, or (3, H) -- p_i, p_f, p_o, e.g. a tuple of three (H,) arrays --
                        diagonal weights from the cell state into the gates; True means zeros
    coupled           : True for i_t = 1 - f_t (its i rows are unused)

    With every option at its default the cell *is* LSTMCell: run, step and backward are
    LSTMCell's own, so the two cannot drift apart. Any option on, the equations above run.
    """

    def __init__(self, weight_ih, weight_hh, bias=None, W_y=None, b_y=None, *, forget_gate=True,
                 input_gate=True, output_gate=True, output_activation=True, peepholes=None,
                 coupled=False):
        flags = dict(forget_gate=forget_gate, input_gate=input_gate, output_gate=output_gate,
                     output_activation=output_activation, coupled=coupled)
        for name, value in flags.items():
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{name} must be True or False; got {value!r}")
        if coupled and not (forget_gate and input_gate):
            raise ValueError("coupled=True sets i_t = 1 - f_t, so it needs both gates: "
                             f"got forget_gate={forget_gate}, input_gate={input_gate}")
        super().__init__(weight_ih, weight_hh, bias, W_y, b_y)
        H = self.hidden_size
        if peepholes is True:
            peepholes = np.zeros((3, H), self.dtype)
        elif peepholes is not None and peepholes is not False:
            p = as_array("peepholes", peepholes, "(3, H): p_i, p_f, p_o")
            check_shape("peepholes", p, (3, H), "(3, H): p_i, p_f, p_o")
            peepholes = p.astype(self.dtype)                  # a copy, as the weights
        else:
            peepholes = None
        for name, value in flags.items():
            setattr(self, name, bool(value))
        self.peepholes = peepholes                            # (3, H) or None

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None, **options):
        """From torch.nn.LSTM's layout, as LSTMCell.from_torch, with the options by name."""
        base = LSTMCell.from_torch(weight_ih, weight_hh, bias_ih, bias_hh)
        return cls(base.weight_ih, base.weight_hh, base.bias, **options)

    @property
    def PARAMETERS(self):
        """What this cell learns, by name: LSTMCell's five, and peepholes when it has them."""
        extra = () if self.peepholes is None else ("peepholes",)
        return ("weight_ih", "weight_hh", "bias", "W_y", "b_y") + extra

    @property
    def options(self):
        """The options as a dict, e.g. for VariantLSTMCell(..., **cell.options)."""
        return dict(forget_gate=self.forget_gate, input_gate=self.input_gate,
                    output_gate=self.output_gate, output_activation=self.output_activation,
                    peepholes=None if self.peepholes is None else self.peepholes.copy(),
                    coupled=self.coupled)

    @property
    def _is_lstm(self):
        """True when every option is at its default: the cell is LSTMCell."""
        return (self.forget_gate and self.input_gate and self.output_gate and
                self.output_activation and self.peepholes is None and not self.coupled)

    @property
    def name(self):
        """The variant's name in VARIANTS, or 'custom' for any other mix of options."""
        on = dict(self.options, peepholes=self.peepholes is not None)
        default = dict(forget_gate=True, input_gate=True, output_gate=True,
                       output_activation=True, peepholes=False, coupled=False)
        for name, opts in VARIANT_OPTIONS.items():
            if {**default, **opts} == on:
                return name
        return "custom"

    def __repr__(self):
        return (f"VariantLSTMCell({self.name}, input_size={self.input_size}, "
                f"hidden_size={self.hidden_size}, dtype={self.dtype})")

    # ---- forward ---------------------------------------------------------------------------
    def _variant_step(self, z, h_prev, c_prev):
        """One step: z = x_t W_ih^T + b + h_{t-1} W_hh^T (N, 4H), h_prev, c_prev (N, H)
        -> f, i, g, c, o, h, each (N, H); a gate switched off is ones."""
        H, p = self.hidden_size, self.peepholes
        if p is not None:                     # i and f look at C_{t-1}
            z[:, :H] += p[0] * c_prev
            z[:, H:2 * H] += p[1] * c_prev
        ones = np.ones_like(c_prev)
        f = sigmoid(z[:, H:2 * H]) if self.forget_gate else ones
        if self.coupled:
            i = 1 - f
        else:
            i = sigmoid(z[:, :H]) if self.input_gate else ones
        g = np.tanh(z[:, 2 * H:3 * H])
        c = f * c_prev + i * g
        if not self.output_gate:
            o = ones
        elif p is not None:                   # o looks at C_t, known only now
            o = sigmoid(z[:, 3 * H:] + p[2] * c)
        else:
            o = sigmoid(z[:, 3 * H:])
        h = o * (np.tanh(c) if self.output_activation else c)
        return f, i, g, c, o, h

    def run(self, xs, h0=None, c0=None):
        """Run the cell over a sequence and keep every gate at every step, as LSTMCell.run.

        xs : (T,) when D = 1, (T, D), or a batch (T, N, D)
        h0, c0 : starting states shaped like one step of h; zeros when not given
        Returns a trace whose f, i, g, c, o, h are (T,), (T, H) or (T, N, H): a `VariantTrace`,
        or LSTMCell's own trace when every option is at its default.
        """
        if self._is_lstm:
            return super().run(xs, h0, c0)
        D, H = self.input_size, self.hidden_size
        xs, step_shape, N = as_sequence(xs, D, H, self.dtype)
        T = len(xs)
        h = h0 = start_state("h0", h0, step_shape, N, H, self.dtype)       # (N, H)
        c = c0 = start_state("c0", c0, step_shape, N, H, self.dtype)       # (N, H)
        zx = (xs.reshape(T * N, D) @ self.weight_ih.T).reshape(T, N, 4 * H)   # every step's
        zx += self.bias                                  # input share x_t W_ih^T + b at once
        W_hh_T = self.weight_hh.T.copy()                 # (H, 4H)
        out = {name: np.empty((T, N, H), self.dtype) for name in "figcoh"}
        for t in range(T):
            signals = self._variant_step(zx[t] + h @ W_hh_T, h, c)
            for name, value in zip("figcoh", signals):
                out[name][t] = value
            h, c = out["h"][t], out["c"][t]
        over_time = {name: a.reshape((T,) + step_shape) for name, a in out.items()}
        return VariantTrace(x=xs, **over_time, h0=h0.reshape(step_shape),
                            c0=c0.reshape(step_shape))

    def step(self, x, h_prev=None, c_prev=None):
        """One time step, as LSTMCell.step: x (D,) or (N, D) -- a number when D = 1 -- and
        states shaped like one step of h. Returns (f, i, g, c, o, h), each shaped like h_prev.

        It is the first step of `run` over the one-step sequence x[None] (from h0 = h_prev,
        c0 = c_prev; a wrong shape is reported under run's names, xs, h0 and c0)."""
        if self._is_lstm:
            return super().step(x, h_prev, c_prev)
        trace = self.run(as_array("x", x, "(D,) or (N, D)", self.dtype)[None], h_prev, c_prev)
        return tuple(getattr(trace, s)[0] for s in SIGNALS)

    # ---- backward --------------------------------------------------------------------------
    def backward(self, trace, dh, dc=None):
        """Backpropagation through time over a trace from `run`.

        dh : dL/dh_t for every step, shaped like trace.h; dc : optional dL/dC_T, like one step of h
        Returns `VariantGrads` (LSTMCell's own grads when every option is at its default):
        weight_ih (4H, D), weight_hh (4H, H), bias (4H,), x like trace.x, h0 and c0 like one
        step of h, peepholes (3, H) or None.

        LSTMCell.backward's steps, with each option's change (a = tanh(C_t), or C_t itself
        without the output activation; a' its derivative, 1 - a^2 or 1):
            dC_t += dh_t * o_t * a'                       through h_t = o_t a
            dz_o = dh_t * a * o_t (1 - o_t);  dC_t += dz_o * p_o     (o_t = 1: dz_o = 0)
            dz_f = dC_t * C_{t-1} * f_t (1 - f_t)                     (f_t = 1: 0)
                   coupled: dC_t * (C_{t-1} - g_t) * f_t (1 - f_t), as i_t = 1 - f_t
            dz_i = dC_t * g_t * i_t (1 - i_t)                         (i_t = 1 or coupled: 0)
            dz_g = dC_t * i_t * (1 - g_t^2)
            dC_{t-1} = dC_t * f_t + dz_i * p_i + dz_f * p_f,   dh_{t-1} = dz_t W_hh
        """
        if self._is_lstm:
            return super().backward(trace, dh, dc)
        dh, step_shape, N = per_step(dh, trace.h, self.dtype)          # dh (T, N, H)
        T, H, D = len(trace.h), self.hidden_size, self.input_size
        dC_next = start_state("dc", dc, step_shape, N, H, self.dtype)
        f, i, g, c, o, h = (getattr(trace, s).reshape(T, N, H) for s in SIGNALS)
        c0, h0 = trace.c0.reshape(N, H), trace.h0.reshape(N, H)
        p = self.peepholes
        dz = np.zeros((T, N, 4 * H), self.dtype)      # dL/dz_t; unused rows stay zero
        dh_next = np.zeros((N, H), self.dtype)        # dL/dh_t arriving from step t + 1
        for t in reversed(range(T)):
            c_prev = c[t - 1] if t > 0 else c0
            act_c = np.tanh(c[t]) if self.output_activation else c[t]
            dh_t = dh[t] + dh_next
            if self.output_activation:
                dC_t = dC_next + dh_t * o[t] * (1 - act_c * act_c)
            else:
                dC_t = dC_next + dh_t * o[t]
            if self.output_gate:
                dz[t, :, 3 * H:] = dh_t * act_c * o[t] * (1 - o[t])
                if p is not None:                 # o_t read C_t: its share joins dC_t
                    dC_t = dC_t + dz[t, :, 3 * H:] * p[2]
            if self.coupled:
                dz[t, :, H:2 * H] = dC_t * (c_prev - g[t]) * f[t] * (1 - f[t])
            else:
                if self.forget_gate:
                    dz[t, :, H:2 * H] = dC_t * c_prev * f[t] * (1 - f[t])
                if self.input_gate:
                    dz[t, :, :H] = dC_t * g[t] * i[t] * (1 - i[t])
            dz[t, :, 2 * H:3 * H] = dC_t * i[t] * (1 - g[t] * g[t])
            dC_next = dC_t * f[t]                 # f_t = 1 without a forget gate
            if p is not None:                     # i_t and f_t read C_{t-1}
                dC_next += dz[t, :, :H] * p[0] + dz[t, :, H:2 * H] * p[1]
            dh_next = dz[t] @ self.weight_hh
        dz_all = dz.reshape(T * N, 4 * H)
        h_prev = np.concatenate([h0[None], h[:-1]]).reshape(T * N, H)    # h_{t-1} for every t
        dp = None
        if p is not None:
            c_prev_all = np.concatenate([c0[None], c[:-1]])               # (T, N, H)
            dp = np.stack([(dz[..., :H] * c_prev_all).sum(axis=(0, 1)),
                           (dz[..., H:2 * H] * c_prev_all).sum(axis=(0, 1)),
                           (dz[..., 3 * H:] * c).sum(axis=(0, 1))])
        return VariantGrads(weight_ih=dz_all.T @ trace.x.reshape(T * N, D),
                            weight_hh=dz_all.T @ h_prev, bias=dz_all.sum(axis=0),
                            x=(dz_all @ self.weight_ih).reshape(trace.x.shape),
                            h0=dh_next.reshape(step_shape), c0=dC_next.reshape(step_shape),
                            peepholes=dp)


def variant(name, weight_ih, weight_hh, bias=None, W_y=None, b_y=None, *, peepholes=None):
    """The named variant (one of VARIANTS) with these weights, shaped as LSTMCell's.

    e.g. variant("no_forget_gate", w_ih, w_hh, b) is the 1997 cell. "peepholes" takes the
    peephole weights (3, H) as `peepholes` (zeros when not given); the other names refuse them.
    """
    if name not in VARIANT_OPTIONS:
        raise ValueError(f"name must be one of {', '.join(VARIANTS)}; got {name!r}")
    options = dict(VARIANT_OPTIONS[name])
    if name == "peepholes":
        options["peepholes"] = True if peepholes is None else peepholes
    elif peepholes is not None:
        raise ValueError(f"peepholes are only for the 'peepholes' variant; got name={name!r}")
    return VariantLSTMCell(weight_ih, weight_hh, bias, W_y, b_y, **options)


def random_cell(kind, D, H, rng, *, K=1, forget_bias=1.0, dtype=np.float64):
    """A cell of `kind` (one of CELLS: a variant's name or "gru") with PyTorch's initialisation,
    every weight from U(-1/sqrt(H), 1/sqrt(H)), read-out W_y (K, H) the same and b_y zero.
    Cells with a forget gate get its bias set to `forget_bias` (Jozefowicz et al. 2015);
    peepholes start from the same uniform distribution."""
    if kind not in CELLS:
        raise ValueError(f"kind must be one of {', '.join(CELLS)}; got {kind!r}")
    k = 1 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape).astype(dtype)
    if kind == "gru":
        return GRUCell(u(3 * H, D), u(3 * H, H), u(3 * H), u(3 * H), u(K, H), np.zeros(K, dtype))
    w_ih, w_hh, bias = u(4 * H, D), u(4 * H, H), u(4 * H)
    if kind != "no_forget_gate":
        bias[H:2 * H] = forget_bias               # rows [H:2H] are the forget gate's
    p = u(3, H) if kind == "peepholes" else None
    return variant(kind, w_ih, w_hh, bias, u(K, H), np.zeros(K, dtype), peepholes=p)


# ---- learning, for any of these cells ----------------------------------------------------------
# parameters(cell) and loss_and_grads(cell, xs, target, every_step=...) are lstm_learn's: they
# read the names a cell learns from its PARAMETERS (the GRU's two biases, the peepholes).

def evaluate(cell, xs, target, *, every_step=False):
    """The mean squared error of the read-out on (xs, target), without gradients."""
    h = cell.run(xs).h
    y = cell.predict(h if every_step else h[-1])
    return float(np.mean((y - target) ** 2))


# ---- tasks -------------------------------------------------------------------------------------

def latch_problem(n, T=40, rng=None, *, p_write=0.1, dtype=np.float64):
    """n sequences of the latch task: remember the last marked value, and overwrite it.

    Channel 0 holds values from U[-1, 1]; channel 1 marks a "write" at step 0 and then at each
    step with probability p_write. The target at every step is the most recently marked value,
    so a cell must hold it for many steps and replace it when a new mark comes. A cell with a
    forget gate can empty C_t and write anew; the 1997 cell can only add, so it must write the
    difference new - old, and its C_t drifts when nothing ever resets it. Always answering 0
    scores MSE 1/3.
    Returns x (T, n, 2) and target (T, n, 1), for loss_and_grads(..., every_step=True).
    """
    if int(n) != n or n < 1 or int(T) != T or T < 1:
        raise ValueError(f"n must be an integer >= 1 and T an integer >= 1; got n={n!r}, T={T!r}")
    rng = np.random.default_rng() if rng is None else rng
    values = rng.uniform(-1, 1, (int(T), int(n)))
    marker = (rng.random((int(T), int(n))) < p_write).astype(float)
    marker[0] = 1
    held = values.copy()
    for t in range(1, int(T)):
        held[t] = np.where(marker[t] == 1, values[t], held[t - 1])
    return np.stack([values, marker], axis=-1).astype(dtype), held[..., None].astype(dtype)


def task(name, T):
    """The ablation's tasks by name: "adding" (lstm_learn.adding_problem, target at the end) and
    "latch" (`latch_problem`, a target at every step). Returns (make, every_step, baseline):
    make(n, rng) -> (xs (T, n, 2), target), and the MSE of always answering the mean."""
    if name == "adding":
        return (lambda n, rng: adding_problem(n, T, rng, dtype=np.float64)), False, 1 / 6
    if name == "latch":
        return (lambda n, rng: latch_problem(n, T, rng)), True, 1 / 3
    raise ValueError(f"task name must be 'adding' or 'latch'; got {name!r}")


def train(cell, make_batch, *, steps, batch=32, lr=1e-2, clip=1.0, every_step=False, rng=None,
          eval_every=50, eval_set=None, solved_below=None, callback=None):
    """Adam on the read-out's mean squared error, one fresh batch a step.

    make_batch : make_batch(n, rng) -> (xs, target), as `task` gives
    eval_set   : (xs, target) to measure every `eval_every` steps; solved_below stops training
                 the first time its MSE falls below this
    callback   : called as callback(step, loss) after every update
    Returns a dict: losses (steps run,), evals [(sequences seen, eval MSE), ...], solved_at
    (sequences seen when solved, or None), seconds.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    evals, solved, start = [], [], time.perf_counter()

    def batches():                      # fresh batches until `steps` or until solved
        for _ in range(steps):
            if solved:
                return
            yield make_batch(batch, rng)

    def after_update(step, loss):       # measure on eval_set every eval_every steps
        if callback is not None:
            callback(step, loss)
        if eval_set is not None and (step + 1) % eval_every == 0:
            mse = evaluate(cell, *eval_set, every_step=every_step)
            evals.append(((step + 1) * batch, mse))
            if solved_below is not None and mse < solved_below:
                solved.append((step + 1) * batch)

    # lstm_learn's loop: loss_and_grads, clip_grad_norm, one Adam step, a batch at a time
    losses = lstm_learn.train(cell, batches(), Adam(parameters(cell), lr), clip=clip,
                              every_step=every_step, callback=after_update)
    return dict(losses=losses, evals=evals, solved_at=solved[0] if solved else None,
                seconds=time.perf_counter() - start)


def stream_mse(cell, T_stream=2000, n=8, seed=0):
    """The latch task's MSE on n streams of T_stream steps that never reset: Gers et al.'s test
    of whether a cell trained on short sequences keeps working when nothing resets it."""
    xs, target = latch_problem(n, T_stream, np.random.default_rng(30_000 + seed))
    return evaluate(cell, xs, target, every_step=True)


def ablation_run(kind, task_name, seed, *, T=30, H=8, steps=1500, batch=32, lr=1e-2, clip=1.0,
                 eval_every=50, solved_below=0.01, n_eval=256, stream_T=2000):
    """Train one cell of `kind` on one task from one seed; returns a dict of plain numbers:
    kind, task, seed, solved (bool), sequences (seen when solved, or None), final_mse (on a fixed
    evaluation set of n_eval sequences), stream_mse (latch only: `stream_mse` on streams of
    stream_T steps, or None), seconds. Deterministic from the seed."""
    make, every_step, _ = task(task_name, T)
    eval_set = make(n_eval, np.random.default_rng(10_000 + seed))   # the same for every kind
    cell = random_cell(kind, 2, H, np.random.default_rng(seed))
    out = train(cell, make, steps=steps, batch=batch, lr=lr, clip=clip, every_step=every_step,
                rng=np.random.default_rng(20_000 + seed), eval_every=eval_every,
                eval_set=eval_set, solved_below=solved_below)
    final = (out["evals"][-1][1] if out["evals"]
             else evaluate(cell, *eval_set, every_step=every_step))
    stream = stream_mse(cell, stream_T, seed=seed) if task_name == "latch" and stream_T else None
    return dict(kind=kind, task=task_name, seed=seed, solved=out["solved_at"] is not None,
                sequences=out["solved_at"], final_mse=final, stream_mse=stream,
                seconds=out["seconds"])


def summarise(runs):
    """Per (task, kind): runs, solved, success rate, median sequences to solve over the solved
    runs (None if none), median final MSE, median stream MSE (None when not measured).
    `runs` is a list of ablation_run results."""
    rows = {}
    for r in runs:
        rows.setdefault((r["task"], r["kind"]), []).append(r)
    out = []
    for (task_name, kind), rs in rows.items():
        solved = [r["sequences"] for r in rs if r["solved"]]
        streams = [r["stream_mse"] for r in rs if r.get("stream_mse") is not None]
        out.append(dict(task=task_name, kind=kind, runs=len(rs), solved=len(solved),
                        success_rate=len(solved) / len(rs),
                        median_sequences=float(np.median(solved)) if solved else None,
                        median_final_mse=float(np.median([r["final_mse"] for r in rs])),
                        median_stream_mse=float(np.median(streams)) if streams else None))
    return out


def ablation(kinds=CELLS, tasks=("latch",), seeds=(0,), **settings):
    """A small live ablation (Greff et al. 2017): every kind on every task from every seed.

    kinds    : names from CELLS; tasks: "adding" and/or "latch"; seeds: ints
    settings : passed to `ablation_run` (T, H, steps, batch, lr, clip, solved_below, ...)
    Returns (runs, summary): the list of `ablation_run` dicts and `summarise(runs)`. The default,
    eight cells on the latch task with T = 30 and one seed, takes some seconds; scripts/ablation.py
    runs the full study.
    """
    runs = [ablation_run(k, t, s, **settings) for t in tasks for s in seeds for k in kinds]
    return runs, summarise(runs)


def markdown_table(summary, baselines=None):
    """The summary as a markdown table, one row per cell and, per task, columns solved,
    sequences to solve (median over the solved runs), median MSE (and median stream MSE when
    measured); `baselines` maps a task to the MSE of always answering the mean, for a note."""
    tasks = list(dict.fromkeys(r["task"] for r in summary))
    kinds = list(dict.fromkeys(r["kind"] for r in summary))
    by = {(r["task"], r["kind"]): r for r in summary}
    streams = {t: any(by.get((t, k), {}).get("median_stream_mse") is not None for k in kinds)
               for t in tasks}
    head, rule = "| cell |", "|---|"
    for t in tasks:
        head += f" {t}: solved | {t}: sequences to solve | {t}: median MSE |"
        rule += "---:|---:|---:|"
        if streams[t]:
            head += f" {t}: median MSE on a stream without reset |"
            rule += "---:|"
    lines = [head, rule]
    for k in kinds:
        cells = []
        for t in tasks:
            r = by.get((t, k))
            if r is None:
                cells += [""] * (4 if streams[t] else 3)
                continue
            seq = "-" if r["median_sequences"] is None else f"{r['median_sequences']:,.0f}"
            cells += [f"{r['solved']}/{r['runs']}", seq, f"{r['median_final_mse']:.4f}"]
            if streams[t]:
                cells.append(f"{r['median_stream_mse']:.4f}")
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    if baselines:
        lines += ["", "Always answering the mean scores MSE " + ", ".join(
            f"{baselines[t]:.3f} ({t})" for t in tasks if t in baselines) + "."]
    return "\n".join(lines)


# ---- why the forget gate was added --------------------------------------------------------------

def forget_gate_experiment(T_stream=3000, *, T_train=30, H=8, steps=400, seed=0, window=100):
    """Gers, Schmidhuber & Cummins (2000): on a stream that never resets, the 1997 cell's
    state grows, and a forget gate keeps it in range.

    Trains a cell without a forget gate (no_forget_gate, the 1997 cell) and one with it
    (vanilla) on the latch task, sequences of T_train steps each starting from zero state, with
    the same seed; then runs both, without a reset, over one latch stream of T_stream steps.
    Returns a dict with, for "no_forget_gate" and "vanilla":
        c        (T_stream, H) the cell state over the stream
        c_max    (T_stream,) max over units of |C_t|
        mse      (T_stream // window,) the task's MSE in consecutive windows of `window` steps
        stream_mse   the task's MSE over the whole stream
        train_mse    the MSE on fresh T_train-step sequences after training
    and t, the (T_stream,) step numbers; seconds, the time it took.
    """
    start = time.perf_counter()
    make, every_step, _ = task("latch", T_train)
    xs, target = latch_problem(1, T_stream, np.random.default_rng(seed + 1))
    out = dict(t=np.arange(T_stream))
    for kind in ("no_forget_gate", "vanilla"):
        cell = random_cell(kind, 2, H, np.random.default_rng(seed))
        train(cell, make, steps=steps, every_step=True, rng=np.random.default_rng(seed + 2))
        fresh = make(256, np.random.default_rng(seed + 3))
        tr = cell.run(xs)
        y = cell.predict(tr.h)                                   # (T_stream, 1, 1)
        sq = ((y - target) ** 2)[:, 0, 0]
        W = T_stream // window
        out[kind] = dict(c=tr.c[:, 0], c_max=np.abs(tr.c[:, 0]).max(axis=1),
                         mse=sq[:W * window].reshape(W, window).mean(axis=1),
                         stream_mse=float(sq.mean()),
                         train_mse=evaluate(cell, *fresh, every_step=True))
    out["seconds"] = time.perf_counter() - start
    return out


# ---- the notebooks' one-unit starting cells ------------------------------------------------
PEEPHOLES = dict(p_i=0.0, p_f=0.0, p_o=0.0)      # the peephole weights a one-unit cell starts with

# a one-unit GRU in torch.nn.GRU's names: W_i* multiplies x_t, W_h* multiplies h_{t-1},
# b_i* and b_h* are the two biases; r reset gate, z update gate, n candidate
GRU_WEIGHTS = dict(
    W_ir=0.5, W_hr=0.1, b_ir=0.0, b_hr=0.0,
    W_iz=0.6, W_hz=0.2, b_iz=0.0, b_hz=0.0,
    W_in=0.7, W_hn=0.3, b_in=0.0, b_hn=0.0,
)
def seed_variant(name, *, p_i=0.0, p_f=0.0, p_o=0.0, **weights):
    """The seed cell (lstm_core.seed_lstm, with `weights` changed) as the variant `name` (one of
    lstm_variants.VARIANTS); p_i, p_f, p_o are the peephole weights of the "peepholes" variant
    and must stay 0 for the others. A one-unit VariantLSTMCell (D = H = 1)."""
    if name not in VARIANTS:
        raise ValueError(f"name must be one of {', '.join(VARIANTS)}; got {name!r}")
    base = seed_lstm(**weights)
    p = np.array([[p_i], [p_f], [p_o]], dtype=float)
    if name != "peepholes" and np.any(p != 0):
        raise ValueError(f"p_i, p_f, p_o are the peepholes' weights; the variant {name!r} has "
                         "none (choose 'peepholes')")
    return variant(name, base.weight_ih, base.weight_hh, base.bias, base.W_y, base.b_y,
                   peepholes=p if name == "peepholes" else None)


def gru_from_scalars(**weights):
    """A one-unit GRU (D = H = 1) from the twelve names of GRU_WEIGHTS; a name not given keeps
    its GRU_WEIGHTS value. Rows in torch.nn.GRU's order r, z, n."""
    unknown = sorted(set(weights) - set(GRU_WEIGHTS))
    if unknown:
        raise ValueError(f"unknown weight name(s) {unknown}; the names are "
                         f"{', '.join(GRU_WEIGHTS)}")
    w = {**GRU_WEIGHTS, **weights}
    return GRUCell([[w[f"W_i{g}"]] for g in "rzn"], [[w[f"W_h{g}"]] for g in "rzn"],
                   [w[f"b_i{g}"] for g in "rzn"], [w[f"b_h{g}"] for g in "rzn"])

"""How a cell learns: a vanilla RNN to compare with, the loss and its gradients, SGD and Adam,
gradient clipping, the adding problem and a small training loop. Notebooks 07 and 08 use it.

The LSTM itself, forward and backward, lives in lstm_core.py; this file only calls it. numpy is
its only import besides lstm_core.

The vanilla (Elman) RNN, one time step, in the shapes of lstm_core:

    h_t = tanh(W_ih x_t + W_hh h_{t-1} + b)      x_t (N, D), h_{t-1} and h_t (N, H)
    y   = W_y h_t + b_y                            the same linear read-out as the LSTM

weight_ih (H, D), weight_hh (H, H) and bias (H,) are torch.nn.RNN's layout (its two biases add).

Learning, for either cell: run it, read out y at the last step (or at every step), take the mean
squared error L = mean((y - target)^2), backpropagate through time (`loss_and_grads`), optionally
clip the gradient's global norm, and let an optimiser update every parameter in place (`train`).

References: Elman (1990), Finding structure in time; Bengio, Simard & Frasconi (1994), Learning
long-term dependencies with gradient descent is difficult; Hochreiter & Schmidhuber (1997), Long
Short-Term Memory (the adding problem); Pascanu, Mikolov & Bengio (2013), On the difficulty of
training recurrent neural networks (clipping); Kingma & Ba (2015), Adam; Jozefowicz, Zaremba &
Sutskever (2015), An empirical exploration of recurrent network architectures (forget bias 1).
"""
from dataclasses import dataclass

import numpy as np

from lstm_core import (
    SEED_WEIGHTS,
    Grads,
    LSTMCell,
    as_array,
    as_sequence,
    check_shape,
    readout_weights,
    start_state,
    torch_bias,
)

PARAMETERS = ("weight_ih", "weight_hh", "bias", "W_y", "b_y")   # what a cell learns, by name


# ---- what every recurrent cell checks -------------------------------------------------------

def stacked_weights(weight_ih, weight_hh, blocks, names=("weight_ih", "weight_hh")):
    """A cell's input and recurrent weights, weight_ih (blocks H, D) and weight_hh (blocks H, H)
    with H >= 1 and D >= 1, checked against each other: (w_ih, w_hh, H, their common dtype).
    blocks is the number of stacked row blocks: 1 for the RNN, 3 for the GRU, 4 for the LSTM;
    `names` are the two arguments' names in the errors."""
    rows = "H" if blocks == 1 else f"{blocks}H"
    w_ih = as_array(names[0], weight_ih, f"({rows}, D)")
    w_hh = as_array(names[1], weight_hh, f"({rows}, H)")
    if w_hh.ndim != 2 or w_hh.shape[0] == 0 or w_hh.shape[0] != blocks * w_hh.shape[1]:
        raise ValueError(f"{names[1]} must have shape ({rows}, H) with H >= 1; got {w_hh.shape}")
    H = w_hh.shape[1]
    if w_ih.ndim != 2 or w_ih.shape[0] != blocks * H or w_ih.shape[1] == 0:
        raise ValueError(f"{names[0]} must have shape ({rows}, D) = ({blocks * H}, D) with D >= 1 "
                         f"to match {names[1]} {w_hh.shape}; got {w_ih.shape}")
    return w_ih, w_hh, H, np.result_type(w_ih, w_hh)


def per_step(dh, h, dtype):
    """dL/dh_t for every step, checked to be shaped like a trace's h ((T,), (T, H) or (T, N, H)):
    (dh as (T, N, H) in `dtype`, the shape of one step of h, N)."""
    step_shape = h.shape[1:]
    N = step_shape[0] if len(step_shape) == 2 else 1
    dh = as_array("dh", dh, f"like trace.h {h.shape}", dtype)
    check_shape("dh", dh, h.shape, "trace.h.shape")
    return dh.reshape(len(h), N, -1), step_shape, N


# ---- the vanilla RNN -----------------------------------------------------------------------

@dataclass
class RNNTrace:
    """Every hidden state of an RNN run: h shaped like the input of `run` ((T,), (T, H) or
    (T, N, H)), x the input, h0 the starting state shaped like one step of h."""
    x: np.ndarray
    h: np.ndarray
    h0: np.ndarray

    def __repr__(self):
        return f"RNNTrace(T={len(self.h)}, shape of h per step={self.h.shape[1:]})"


class RNNCell:
    """A vanilla tanh RNN cell in torch.nn.RNN's layout, with the LSTMCell's interface.

    Parameters
    ----------
    weight_ih : array (H, D)   input-to-hidden weights W_ih
    weight_hh : array (H, H)   hidden-to-hidden weights W_hh
    bias      : array (H,)     b; zeros if not given
    W_y       : array (K, H)   read-out weights for `predict`; zeros (1, H) if not given
    b_y       : array (K,)     read-out bias; zeros if not given
    """

    def __init__(self, weight_ih, weight_hh, bias=None, W_y=None, b_y=None):
        w_ih, w_hh, H, dtype = stacked_weights(weight_ih, weight_hh, 1)
        b = np.zeros(H, dtype) if bias is None else as_array("bias", bias, "(H,)")
        check_shape("bias", b, (H,), "(H,)")
        wy, by = readout_weights(W_y, b_y, H, dtype)
        self.weight_ih = w_ih.astype(dtype)   # (H, D)
        self.weight_hh = w_hh.astype(dtype)   # (H, H)
        self.bias = b.astype(dtype)           # (H,)
        self.W_y = wy.astype(dtype)           # (K, H)
        self.b_y = by.astype(dtype)           # (K,)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
        """From torch.nn.RNN's layout: weight_ih_l0 (H, D), weight_hh_l0 (H, H) and two biases
        bias_ih_l0, bias_hh_l0 (H,) that simply add."""
        w_hh = as_array("weight_hh", weight_hh, "(H, H)")
        rows = w_hh.shape[0] if w_hh.ndim == 2 else 0
        return cls(weight_ih, w_hh, torch_bias(bias_ih, bias_hh, rows, w_hh.dtype, "(H,)"))

    input_size = property(lambda self: self.weight_ih.shape[1], doc="D")
    hidden_size = property(lambda self: self.weight_hh.shape[0], doc="H")
    dtype = property(lambda self: self.weight_ih.dtype)

    def __repr__(self):
        return (f"RNNCell(input_size={self.input_size}, hidden_size={self.hidden_size}, "
                f"dtype={self.dtype})")

    def run(self, xs, h0=None):
        """Run over a sequence: xs (T,) when D = 1, (T, D) or (T, N, D); h0 shaped like one step
        of h, zeros when not given. Returns an `RNNTrace` with h (T,), (T, H) or (T, N, H)."""
        xs, step_shape, N = as_sequence(xs, self.input_size, self.hidden_size, self.dtype)
        T, D, H = len(xs), self.input_size, self.hidden_size
        h = h0 = start_state("h0", h0, step_shape, N, H, self.dtype)   # (N, H)
        zx = (xs.reshape(T * N, D) @ self.weight_ih.T).reshape(T, N, H)   # every step's input
        zx += self.bias                           # share at once, the bias added in place
        W_hh_T = self.weight_hh.T.copy()          # (H, H); contiguous, h @ W_hh_T is faster
        hs = np.empty((T, N, H), self.dtype)
        for t in range(T):
            h = hs[t] = np.tanh(zx[t] + h @ W_hh_T)
        return RNNTrace(x=xs, h=hs.reshape((T,) + step_shape), h0=h0.reshape(step_shape))

    def backward(self, trace, dh):
        """Backpropagation through time: dh = dL/dh_t for every step, shaped like trace.h.
        Returns `Grads` with c0 None. With da_t = dL/d(pre-activation), tanh' from its output:
            da_t = (dh_t + da_{t+1} W_hh) * (1 - h_t^2)
        """
        dh, step_shape, N = per_step(dh, trace.h, self.dtype)          # dh (T, N, H)
        T, D, H = len(trace.h), self.input_size, self.hidden_size
        h = trace.h.reshape(T, N, H)
        h_prev = np.concatenate([trace.h0.reshape(1, N, H), h[:-1]])   # h_{t-1} for every t
        da = np.empty((T, N, H), self.dtype)
        dh_next = np.zeros((N, H), self.dtype)      # dL/dh_t arriving from step t + 1
        for t in reversed(range(T)):
            da[t] = (dh[t] + dh_next) * (1 - h[t] ** 2)
            dh_next = da[t] @ self.weight_hh
        da2 = da.reshape(T * N, H)                  # weight gradients: one product over all steps
        return Grads(weight_ih=da2.T @ trace.x.reshape(T * N, D),
                     weight_hh=da2.T @ h_prev.reshape(T * N, H),
                     bias=da2.sum(axis=0),
                     x=(da @ self.weight_ih).reshape(trace.x.shape),
                     h0=dh_next.reshape(step_shape))

    predict = LSTMCell.predict   # the same read-out y = W_y h + b_y


# ---- initialisation ---------------------------------------------------------------------------

def random_lstm(D, H, rng, *, forget_bias=1.0, input_bias=None, recurrent_scale=1.0, K=1,
                dtype=np.float64):
    """An LSTMCell with torch.nn.LSTM's initialisation: every weight from U(-1/sqrt(H), 1/sqrt(H)),
    except the forget gate's bias, set to `forget_bias` (a number or an (H,) array; 1 after
    Jozefowicz et al. 2015), the input gate's bias, set to `input_bias` when given, and
    weight_hh, multiplied by `recurrent_scale`. Read-out W_y (K, H) initialised the same way."""
    k = 1 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape)
    bias = u(4 * H)
    bias[H:2 * H] = forget_bias                 # rows [H:2H] are the forget gate's
    if input_bias is not None:
        bias[:H] = input_bias                   # rows [0:H] are the input gate's
    return LSTMCell(u(4 * H, D).astype(dtype), (recurrent_scale * u(4 * H, H)).astype(dtype),
                    bias.astype(dtype), u(K, H).astype(dtype), np.zeros(K, dtype))


def random_rnn(D, H, rng, *, recurrent_scale=1.0, K=1, dtype=np.float64):
    """An RNNCell with torch.nn.RNN's initialisation U(-1/sqrt(H), 1/sqrt(H)), weight_hh
    multiplied by `recurrent_scale`; read-out W_y (K, H) initialised the same way."""
    k = 1 / np.sqrt(H)
    u = lambda *shape: rng.uniform(-k, k, shape)
    return RNNCell(u(H, D).astype(dtype), (recurrent_scale * u(H, H)).astype(dtype),
                   u(H).astype(dtype), u(K, H).astype(dtype), np.zeros(K, dtype))


# ---- loss and gradients -------------------------------------------------------------------------

def parameters(cell):
    """The cell's learnable arrays by name (PARAMETERS, or the cell's own PARAMETERS when it
    names them, as lstm_variants' cells do), the cell's own: updating them in place updates
    the cell."""
    return {name: getattr(cell, name) for name in getattr(cell, "PARAMETERS", PARAMETERS)}


def readout_backward(W_y, h, dy):
    """Gradients of y = W_y h + b_y: h (..., H), dy = dL/dy (..., K) -> (dW_y (K, H), db_y (K,),
    dh shaped like h). A one-unit read-out (H = K = 1) takes h and dy of any one shape."""
    K, H = W_y.shape
    h2, dy2 = h.reshape(-1, H), dy.reshape(-1, K)
    return dy2.T @ h2, dy2.sum(axis=0), (dy2 @ W_y).reshape(h.shape)


def loss_and_grads(cell, xs, target, *, every_step=False):
    """Mean squared error of the read-out, and its gradient for every parameter.

    xs     : the input of cell.run: (T,), (T, D) or (T, N, D)
    target : shaped like the read-out of the last step, cell.predict(trace.h[-1]), e.g. (N, K);
             with every_step=True shaped like the read-out of every step, cell.predict(trace.h)
    Returns (L, grads) with L = mean((y - target)^2) a float and grads a dict of arrays named
    and shaped like `parameters(cell)`.
    """
    trace = cell.run(xs)
    h = trace.h if every_step else trace.h[-1]
    y = cell.predict(h)
    target = as_array("target", target, f"like the read-out {y.shape}", cell.dtype)
    check_shape("target", target, y.shape, "the read-out's shape" +
                 (" at every step" if every_step else " at the last step"))
    err = y - target
    dy = 2 * err / err.size                                       # dL/dy
    dW_y, db_y, dh_read = readout_backward(cell.W_y, h, dy)
    dh = dh_read if every_step else np.zeros_like(trace.h)
    if not every_step:
        dh[-1] = dh_read                                          # only h_T reaches the loss
    g = cell.backward(trace, dh)                                  # every parameter but W_y, b_y
    grads = {name: getattr(g, name) for name in parameters(cell) if name not in ("W_y", "b_y")}
    return float(np.mean(err ** 2)), dict(grads, W_y=dW_y, b_y=db_y)


def numerical_gradient(f, a, eps=1e-6):
    """Centred differences (f(a + eps) - f(a - eps)) / (2 eps), one entry of the array `a` at a
    time; f() takes no argument and reads `a`, which is restored exactly afterwards."""
    grad = np.zeros_like(a, dtype=np.float64)
    for k in np.ndindex(a.shape):
        old = a[k]
        a[k] = old + eps
        up = f()
        a[k] = old - eps
        down = f()
        a[k] = old
        grad[k] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    """|a - b| / (|a| + |b|) with Euclidean norms over whole arrays; 0 when both are 0."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    size = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if size == 0 else float(np.linalg.norm(a - b) / size)


def sensitivity(cell, xs):
    """How much the last hidden state depends on each input: the Frobenius norm of the Jacobian
    dh_T/dx_t for t = 1..T, a (T,) array, for one sequence xs (T,) or (T, D).

    One backward pass gives every row of the Jacobian at once: run H copies of the sequence
    side by side and let copy n start the backward pass from unit n of h_T alone.
    """
    D, H = cell.input_size, cell.hidden_size
    x = as_array("xs", xs, f"(T,) or (T, D) with D = {D}", cell.dtype)
    if not (x.ndim == 2 and x.shape[1] == D or x.ndim == 1 and D == 1) or len(x) == 0:
        raise ValueError(f"xs must be one sequence, shape (T,) or (T, D) with D = {D}; "
                         f"got {x.shape}")
    T = len(x)
    copies = np.broadcast_to(x.reshape(T, 1, D), (T, H, D))       # (T, H, D)
    trace = cell.run(copies)
    dh = np.zeros((T, H, H), cell.dtype)
    dh[-1] = np.eye(H)                                            # copy n: dL/dh_T = e_n
    dx = cell.backward(trace, dh).x                               # (T, H, D): [t, n] = dh_T[n]/dx_t
    return np.sqrt((dx.astype(np.float64) ** 2).sum(axis=(1, 2)))


def gradient_by_lag(recurrent_scale=1.0, forget_bias=1.0, T=60, H=8, seed=0):
    """Notebook 07's experiment: how far back does the gradient reach, RNN against LSTM?

    A vanilla RNN and an LSTM of H units, both with PyTorch's initialisation and weight_hh
    multiplied by recurrent_scale, the LSTM's forget-gate bias set to forget_bias, read the same
    T random numbers. Returns a dict of (T,) arrays indexed by the lag T - t = 0, 1, ..., T - 1:
    'rnn' and 'lstm', the `sensitivity` ||dh_T/dx_t||; 'forget', the product of the LSTM's last
    `lag` forget gates f_T f_{T-1} ... f_{t+1} (mean over units), which is dC_T/dC_t along the
    cell state's own path.
    """
    xs = np.random.default_rng(seed).standard_normal(T)                 # (T,)
    rnn = random_rnn(1, H, np.random.default_rng(seed + 1), recurrent_scale=recurrent_scale)
    lstm = random_lstm(1, H, np.random.default_rng(seed + 1), recurrent_scale=recurrent_scale,
                       forget_bias=forget_bias)
    f_back = lstm.run(xs).f[::-1]                                        # (T, H): f_T, f_{T-1}, ...
    # kept[lag] = f_T ... f_{T-lag+1}
    kept = np.vstack([np.ones((1, H)), np.cumprod(f_back, axis=0)[:-1]])
    return dict(rnn=sensitivity(rnn, xs)[::-1], lstm=sensitivity(lstm, xs)[::-1],
                forget=kept.mean(axis=1))


def named_scalars(params):
    """The fourteen numbers of a one-unit LSTM (D = H = K = 1) under the seed document's names
    W_f, W_hf, b_f, ..., W_y, b_y, from a dict like `parameters(cell)` or the grads of
    `loss_and_grads`."""
    w_ih, w_hh, b = (np.ravel(params[k]) for k in ("weight_ih", "weight_hh", "bias"))
    if w_ih.shape != (4,) or w_hh.shape != (4,) or np.size(params["W_y"]) != 1:
        raise ValueError("named_scalars needs a one-unit LSTM: weight_ih (4, 1), weight_hh (4, 1), "
                         f"W_y (1, 1); got {np.shape(params['weight_ih'])}, "
                         f"{np.shape(params['weight_hh'])}, {np.shape(params['W_y'])}")
    out = {}
    for k, gate in enumerate("ifco"):                             # lstm_core's row order i, f, g, o
        out[f"W_{gate}"], out[f"W_h{gate}"], out[f"b_{gate}"] = (float(w_ih[k]), float(w_hh[k]),
                                                                 float(b[k]))
    out["W_y"], out["b_y"] = float(np.ravel(params["W_y"])[0]), float(np.ravel(params["b_y"])[0])
    return {name: out[name] for name in SEED_WEIGHTS}


# ---- optimisers and clipping --------------------------------------------------------------------

def _check_grads(params, grads):
    if not isinstance(grads, dict) or set(grads) != set(params):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must be a dict with the keys {sorted(params)}; got {got}")
    for k, p in params.items():
        check_shape(f"grads[{k!r}]", np.asarray(grads[k]), p.shape, f"like the parameter {k}")


class SGD:
    """Stochastic gradient descent, theta <- theta - lr * v with v <- momentum * v + grad.

    params : dict of arrays, updated in place by `step`, e.g. parameters(cell)
    """

    def __init__(self, params, lr=0.1, momentum=0.0):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.velocity = {k: np.zeros_like(p) for k, p in params.items()}

    def step(self, grads):
        """One update from grads, a dict shaped like params."""
        _check_grads(self.params, grads)
        for k, p in self.params.items():
            v = self.velocity[k]
            v *= self.momentum
            v += grads[k]
            p -= self.lr * v


class Adam:
    """Adam (Kingma & Ba 2015): a step of about lr per parameter, scaled by running averages
    of the gradient (m) and of its square (v), both corrected for starting at zero.

    params : dict of arrays, updated in place by `step`, e.g. parameters(cell)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.t = 0

    def step(self, grads):
        """One update from grads, a dict shaped like params."""
        _check_grads(self.params, grads)
        self.t += 1
        b1, b2 = self.betas
        for k, p in self.params.items():
            g, m, v = grads[k], self.m[k], self.v[k]
            m *= b1
            m += (1 - b1) * g                  # m <- b1 m + (1 - b1) g
            v *= b2
            v += (1 - b2) * g * g              # v <- b2 v + (1 - b2) g^2
            m_hat = m / (1 - b1 ** self.t)     # corrected for starting at zero
            v_hat = v / (1 - b2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def clip_grad_norm(grads, max_norm):
    """Scale all gradients together so their global norm sqrt(sum of squares of every entry) is
    at most max_norm; their direction is kept. Returns (clipped grads as a new dict, the norm
    before clipping). As torch.nn.utils.clip_grad_norm_, without changing grads in place."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be a positive number; got {max_norm!r}")
    top = max(float(np.max(np.abs(g), initial=0.0)) for g in grads.values()) or 1.0
    squares = sum(np.sum(np.square(g / top), dtype=np.float64) for g in grads.values())
    norm = top * float(np.sqrt(squares))     # divided by the largest entry first: no overflow
    scale = min(1.0, max_norm / (norm + 1e-6))
    return {k: g * np.asarray(scale, np.asarray(g).dtype) for k, g in grads.items()}, norm


# ---- the adding problem and the training loop ---------------------------------------------------

def adding_problem(n, T=100, rng=None, dtype=np.float32):
    """n sequences of the adding problem (Hochreiter & Schmidhuber 1997), batched for `run`.

    Channel 0 holds values from U[0, 1]; channel 1 is a marker with exactly two ones, one at a
    random step of the first half and one in the second half. The target is the sum of the two
    marked values, so it lies in [0, 2]; always answering its mean, 1, scores MSE 1/6 ~ 0.167.
    Returns x (T, n, 2) and target (n, 1).
    """
    if int(n) != n or n < 1 or int(T) != T or T < 2:
        raise ValueError(f"n must be an integer >= 1 and T an integer >= 2; got n={n!r}, T={T!r}")
    rng = np.random.default_rng() if rng is None else rng
    n, T = int(n), int(T)
    values = rng.uniform(0, 1, (T, n))
    first = rng.integers(0, T // 2, n)
    second = rng.integers(T // 2, T, n)
    marker = np.zeros((T, n))
    marker[first, np.arange(n)] = 1
    marker[second, np.arange(n)] = 1
    target = values[first, np.arange(n)] + values[second, np.arange(n)]
    return np.stack([values, marker], axis=-1).astype(dtype), target[:, None].astype(dtype)


def train(cell, batches, optimizer, *, clip=None, every_step=False, lr_final=None, callback=None):
    """Gradient descent on the mean squared error of the read-out.

    batches   : an iterable of (xs, target) pairs, as `loss_and_grads` takes them
    optimizer : SGD or Adam built on parameters(cell)
    clip      : clip the gradient's global norm to this, or None
    lr_final  : if given, the optimiser's step size falls in a straight line from its lr at the
                first batch to lr_final at the last (batches must then be a list, not a generator)
    callback  : called as callback(step, loss) after every update, e.g. to draw progress
    Returns the training loss of every batch, a (steps,) array.
    """
    if lr_final is not None and not hasattr(batches, "__len__"):
        raise TypeError("lr_final needs to know the number of batches: give batches as a list, "
                        f"not a {type(batches).__name__}")
    lr = optimizer.lr
    losses = []
    for step, (xs, target) in enumerate(batches):
        if lr_final is not None:
            optimizer.lr = lr + (lr_final - lr) * step / max(len(batches) - 1, 1)
        loss, grads = loss_and_grads(cell, xs, target, every_step=every_step)
        if clip is not None:
            grads, _ = clip_grad_norm(grads, clip)
        optimizer.step(grads)
        losses.append(loss)
        if callback is not None:
            callback(step, loss)
    return np.array(losses)


# ---- characters: softmax read-out, cross-entropy and a character-level language model -----------
#
# A character model reads one-hot characters x_t (N, V) and reads out one logit per character of
# the vocabulary, z_t = W_y h_t + b_y (N, V), W_y (V, H); p_t = softmax(z_t) is its guess for the
# next character and the loss is the mean cross-entropy -log p_t[next id]. Training runs truncated
# backpropagation through time: the text is cut into `batch` parallel streams, read `seq_len`
# characters at a time, and each chunk starts from the state the previous chunk ended in.
# The same functions train an LSTMCell and an RNNCell; a cell's carried state is (h, C) for the
# LSTM and (h,) for the RNN.

def softmax(logits):
    """p_k = e^{z_k} / sum_j e^{z_j} over the last axis: logits (..., V) -> (..., V).

    The largest logit is subtracted first: the same p, and no e^z can overflow.
    """
    z = np.asarray(logits, dtype=np.result_type(logits, np.float32))
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def check_ids(name, ids, V, shape=None):
    """ids as an integer array, every entry in [0, V), or a ValueError/TypeError naming `name`."""
    a = np.asarray(ids)
    if a.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer character ids in [0, {V}); got dtype {a.dtype}")
    if shape is not None and a.shape != shape:
        raise ValueError(f"{name} must have shape {shape}; got {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= V):
        bad = a[(a < 0) | (a >= V)].flat[0]
        raise ValueError(f"{name} must hold ids in [0, {V}) (the vocabulary has {V} characters); "
                         f"found {bad}")
    return a


def one_hot(ids, V, dtype=np.float64):
    """Integer ids (...) -> one-hot vectors (..., V): x[..., ids] = 1, zeros elsewhere."""
    ids = check_ids("ids", ids, V)
    return np.eye(V, dtype=dtype)[ids]


def cross_entropy(logits, targets):
    """Mean cross-entropy of the softmax, in nats, and its gradient.

    logits  : (..., V) read-out z
    targets : (...) integer ids of the right characters
    Returns (L, dlogits) with L = mean(-log softmax(z)[target]) a float and dlogits (..., V).
    Written from the softmax's output, dL/dz = (softmax(z) - onehot(target)) / (number of
    predictions): log-sum-exp's derivative is the softmax, and -z_target's is -onehot.
    """
    z = as_array("logits", logits, "(..., V)")
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"logits must have shape (..., V) with V >= 1; got {z.shape}")
    t = check_ids("targets", targets, z.shape[-1], z.shape[:-1])
    z_max = np.max(z, axis=-1, keepdims=True)
    e = np.exp(z - z_max)
    total = e.sum(axis=-1, keepdims=True)
    log_p = (z - z_max - np.log(total))                              # log softmax, stable
    n = max(t.size, 1)
    loss = -float(np.take_along_axis(log_p, t[..., None], axis=-1).sum()) / n
    dz = e / total
    np.put_along_axis(dz, t[..., None], np.take_along_axis(dz, t[..., None], axis=-1) - 1, axis=-1)
    return loss, dz / n


def start_carry(cell, N):
    """The zero state a character model starts from: (h, C) for an LSTMCell, (h,) for an RNNCell,
    each (N, H) in the cell's dtype."""
    zeros = np.zeros((N, cell.hidden_size), cell.dtype)
    return (zeros, zeros.copy()) if isinstance(cell, LSTMCell) else (zeros,)


def run_chars(cell, ids, carry=None):
    """Run a cell on character ids (T, N) from `carry` (zeros when None).

    Returns (trace, logits (T, N, V), the carry after the last step). The vocabulary size V is
    the read-out's K = W_y.shape[0], which is also the cell's input size D.
    """
    V = cell.W_y.shape[0]
    if cell.input_size != V:
        raise ValueError(f"a character model reads and predicts the same vocabulary: input size "
                         f"D = {cell.input_size} must equal the read-out's K = {V}")
    ids = check_ids("ids", ids, V)
    if ids.ndim != 2 or ids.size == 0:
        raise ValueError(f"ids must have shape (T, N) with T, N >= 1; got {ids.shape}")
    carry = start_carry(cell, ids.shape[1]) if carry is None else carry
    trace = cell.run(one_hot(ids, V, cell.dtype), *carry)           # x (T, N, V)
    logits = cell.predict(trace.h)                                   # (T, N, V)
    after = (trace.h[-1], trace.c[-1]) if isinstance(cell, LSTMCell) else (trace.h[-1],)
    return trace, logits, after


def char_loss_and_grads(cell, ids, targets, carry=None):
    """Cross-entropy of predicting targets (T, N) from ids (T, N), and its gradient.

    Returns (L, grads, carry): L the mean cross-entropy in nats, grads a dict named and shaped
    like parameters(cell), carry the state after the last step, to start the next chunk from.
    The gradient stops at the chunk's start (truncated backpropagation through time).
    """
    trace, logits, after = run_chars(cell, ids, carry)
    loss, dlogits = cross_entropy(logits, targets)                  # (T, N, V)
    dW_y, db_y, dh = readout_backward(cell.W_y, trace.h, dlogits)
    g = cell.backward(trace, dh)
    grads = {"weight_ih": g.weight_ih, "weight_hh": g.weight_hh, "bias": g.bias,
             "W_y": dW_y, "b_y": db_y}
    return loss, grads, after


def text_chunks(ids, batch, seq_len, rng):
    """Endless (inputs, targets, fresh) chunks of a text of ids for truncated BPTT.

    Each pass over the text starts at a random offset below seq_len, cuts it into `batch`
    contiguous streams and yields them seq_len characters at a time: inputs and targets (seq_len,
    batch), targets one character ahead; fresh is True on a pass's first chunk (start from zeros).
    """
    ids = np.asarray(ids)
    per_stream = (len(ids) - seq_len - 1) // batch
    if ids.ndim != 1 or per_stream < seq_len:
        raise ValueError(f"the text is too short for batch={batch} streams of seq_len={seq_len}: "
                         f"it needs at least {batch * seq_len + seq_len + 1} characters; "
                         f"got {len(ids)}")
    chunks = per_stream // seq_len
    L = chunks * seq_len                                              # characters per stream
    while True:
        start = int(rng.integers(seq_len))
        x = ids[start:start + batch * L].reshape(batch, L).T          # (L, batch)
        y = ids[start + 1:start + 1 + batch * L].reshape(batch, L).T  # one character ahead
        for k in range(chunks):
            yield x[k * seq_len:(k + 1) * seq_len], y[k * seq_len:(k + 1) * seq_len], k == 0


def train_chars(cell, ids, *, steps, batch=32, seq_len=64, lr=3e-3, lr_final=None, clip=1.0,
                seed=0, callback=None):
    """Train a character model (an LSTMCell or an RNNCell with read-out W_y (V, H)) in place.

    ids      : (L,) the training text as character ids
    steps    : number of Adam updates, each on one (seq_len, batch) chunk
    lr       : Adam's step size; falls linearly to lr_final over the run when lr_final is given
    clip     : clip the gradient's global norm to this (None: no clipping)
    seed     : the chunks' random offsets; the same cell, text and seed give the same run
    callback : called as callback(step, loss) after every update, e.g. for a live loss curve
    Returns the training loss (mean cross-entropy in nats) of every step, a (steps,) array.
    """
    V = cell.W_y.shape[0]
    ids = check_ids("ids", ids, V)
    opt = Adam(parameters(cell), lr=lr)
    chunks = text_chunks(ids, batch, seq_len, np.random.default_rng(seed))
    losses = np.empty(steps)
    carry = None
    for step in range(steps):
        if lr_final is not None:
            opt.lr = lr + (lr_final - lr) * step / max(steps - 1, 1)
        inputs, targets, fresh = next(chunks)
        loss, grads, carry = char_loss_and_grads(cell, inputs, targets, None if fresh else carry)
        if clip is not None:
            grads, _ = clip_grad_norm(grads, clip)
        opt.step(grads)
        losses[step] = loss
        if callback is not None:
            callback(step, loss)
    return losses


def char_loss(cell, ids, chunk=1000):
    """The mean cross-entropy in nats of predicting ids[1:] from ids[:-1], read as one stream
    from a zero state (in chunks of `chunk` characters, the state carried across)."""
    ids = check_ids("ids", ids, cell.W_y.shape[0])
    if ids.ndim != 1 or len(ids) < 2:
        raise ValueError(f"ids must be one text of at least 2 characters, shape (L,); "
                         f"got {ids.shape}")
    total, carry = 0.0, None
    for k in range(0, len(ids) - 1, chunk):
        x, y = ids[k:k + chunk][:, None], ids[k + 1:k + chunk + 1][:, None]
        x = x[:len(y)]
        _, logits, carry = run_chars(cell, x, carry)
        total += cross_entropy(logits, y)[0] * len(y)
    return total / (len(ids) - 1)


def sample_ids(cell, start_ids, n, *, temperature=1.0, rng=None):
    """n character ids drawn one at a time from the model, after reading start_ids (at least one).

    temperature divides the logits before the softmax: 1 samples the model as it is, below 1
    sharpens it towards the likeliest character, above 1 flattens it. Returns an (n,) int array.
    """
    V = cell.W_y.shape[0]
    start = check_ids("start_ids", start_ids, V)
    if start.ndim != 1 or len(start) == 0:
        raise ValueError(f"start_ids must be a non-empty (L,) array of ids; "
                         f"got shape {start.shape}")
    if not (np.isscalar(temperature) and temperature > 0 and np.isfinite(temperature)):
        raise ValueError(f"temperature must be a positive number; got {temperature!r}")
    rng = np.random.default_rng() if rng is None else rng
    _, logits, carry = run_chars(cell, start[:, None])
    out = np.empty(int(n), np.int64)
    for k in range(int(n)):
        p = softmax(np.asarray(logits[-1, 0], np.float64) / temperature)
        out[k] = rng.choice(V, p=p / p.sum())
        _, logits, carry = run_chars(cell, out[k:k + 1, None], carry)
    return out

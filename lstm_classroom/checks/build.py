"""Checks for "build it yourself": the learner writes one step of the one-unit cell, forward
(notebook 00) and backward (notebook 07), and the check runs it on many cases against lstm_core.

    check_step(my_step)
        my_step(x, h_prev, c_prev, w) -> (f, i, g, c, o, h), the seed's order
    check_step_backward(my_step_backward)
        my_step_backward(dh, dc, x, h_prev, c_prev, w) -> (dh_prev, dc_prev, dw)
        dh = dL/dh_t (from above), dc = dL/dC_t (from the step after), dw = {name: dL/dname}

x, h_prev, c_prev, dh, dc are numbers; w is a dict with the seed's twelve weight names (NAMES).
The cases: the seed's three steps, random weights, negative and large values, non-zero states.

A wrong attempt gets the first output that is wrong, on which case, with that case's inputs and
the expected and received values; and when it behaves exactly like one of the usual mistakes
(a reference implementation of each is below, run on the same cases), the mistake's name in the
learner's words, with a hint.
"""
import inspect
import linecache
import math

import numpy as np

from lstm_classroom.checks.verdict import NotYet, check, cut, read_number
from lstm_core import SEED_WEIGHTS, LSTMCell, scalar_step, seed_lstm, sigmoid
from lstm_learn import numerical_gradient, relative_error

NAMES = ("W_f", "W_hf", "b_f", "W_i", "W_hi", "b_i", "W_c", "W_hc", "b_c", "W_o", "W_ho", "b_o")
OUTPUTS = ("f_t", "i_t", "g_t", "C_t", "o_t", "h_t")            # what my_step returns, in order
RETURNS = "f, i, g, c, o, h"                                      # ... as the line of code says it
# the backward step's outputs, in the order the chain rule reaches them
GRADIENTS = ("dc_prev",) + tuple(f"dw['{n}']" for n in NAMES) + ("dh_prev",)
RTOL, ATOL = 1e-6, 1e-9          # the learner's float arithmetic may add its sums in another order
GATE_NAMES = {"f": "forget gate f_t", "i": "input gate i_t", "c": "candidate g_t",
              "o": "output gate o_t"}


# ---- the cases ---------------------------------------------------------------------------------

def _seed_weights():
    return {n: SEED_WEIGHTS[n] for n in NAMES}


def _random_weights(rng, low=-2.0, high=2.0):
    """Twelve weights rounded to 2 decimals, so the message shows them exactly."""
    return {n: round(float(rng.uniform(low, high)), 2) for n in NAMES}


def _forward_cases():
    """[(label, x, h_prev, c_prev, w)]: the seed's three steps, then harder ones."""
    tr = seed_lstm().run([1.0, 2.0, 3.0])
    cases = [("the seed's step 1", 1.0, 0.0, 0.0, _seed_weights()),
             ("the seed's step 2", 2.0, float(tr.h[0]), float(tr.c[0]), _seed_weights()),
             ("the seed's step 3", 3.0, float(tr.h[1]), float(tr.c[1]), _seed_weights())]
    rng = np.random.default_rng(2024)
    for _ in range(5):
        w = _random_weights(rng)
        x, h, c = (round(float(v), 2) for v in (rng.uniform(-3, 3), rng.uniform(-0.95, 0.95),
                                                rng.uniform(-3, 3)))
        cases.append(("random weights, non-zero states", x, h, c, w))
    cases.append(("negative values", -2.5, -0.8, -1.7, {n: -abs(v) for n, v in
                                                          _random_weights(rng).items()}))
    cases.append(("large values", 9.0, 0.9, 15.0, _random_weights(rng, -3.0, 3.0)))
    return cases


def _backward_cases():
    """[(label, dh, dc, x, h_prev, c_prev, w)]: a forward case each, with dL/dh_t and dL/dC_t."""
    rng = np.random.default_rng(7)
    cases = []
    for k, (label, x, h, c, w) in enumerate(_forward_cases()):
        dh, dc = (1.0, 0.5) if k == 0 else (round(float(v), 2) for v in rng.uniform(-2, 2, 2))
        cases.append((label, dh, dc, x, h, c, w))
    return cases


def _shown(value):
    return f"{value:.6g}" if isinstance(value, float) else repr(value)


def _inputs(names, values, w):
    """'x = 1, h_prev = 0, c_prev = 0, w = the seed's weights' for a message."""
    text = ", ".join(f"{n} = {_shown(v)}" for n, v in zip(names, values))
    if w == _seed_weights():
        return f"{text}, w = the seed's twelve weights"
    return f"{text},\n    w = {{{', '.join(f'{n!r}: {v:g}' for n, v in w.items())}}}"


# ---- calling the learner's function ----------------------------------------------------------

def _learner_line(err, fn):
    """' in my_step, at `f = ...`' for the learner's innermost line in the traceback, or ''."""
    filename = getattr(getattr(fn, "__code__", None), "co_filename", None)
    where, tb = "", err.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == filename:
            text = linecache.getline(code.co_filename, tb.tb_lineno).strip()
            where = f" in {code.co_name}" + (f", at `{text}`" if text else "")
        tb = tb.tb_next
    return where


def _error_text(err):
    """What went wrong, in words, without the exception's name: its message, or for a missing
    key the key."""
    if isinstance(err, KeyError):
        return f"there is no key {err}"
    message = str(err).strip()
    return message if message else "an error with no message"


def _call(fn, fname, args, case_text):
    """fn(*args); an exception of the learner's becomes NotYet with its message and line."""
    try:
        return fn(*args)
    except Exception as err:  # noqa: BLE001 - the learner's code; shown as a message, never a traceback
        hint = ""
        if isinstance(err, KeyError):
            hint = f"\nHint: w's names are {', '.join(NAMES)}."
        raise NotYet(f"{fname} stopped with an error{_learner_line(err, fn)}: {_error_text(err)}"
                     f"\n  on {case_text}.{hint}") from None


def _callable(fn, fname, params, check_name):
    """NotYet unless fn is a function that takes len(params) arguments."""
    if not callable(fn):
        raise NotYet(f"Pass your function itself, without calling it: {check_name}({fname}), "
                     f"not {check_name}({fname}(...)); got {type(fn).__name__} {cut(fn)}.")
    try:
        inspect.signature(fn).bind(*params)
    except TypeError:
        raise NotYet(f"{fname} should take {len(params)} arguments, "
                     f"{fname}({', '.join(params)}); yours is "
                     f"{getattr(fn, '__name__', fname)}{inspect.signature(fn)}.") from None
    except ValueError:   # no signature to read (a builtin): let the call tell
        pass


def _values(result, fname, names, case_text, listed):
    """The learner's return value as a tuple of len(names) values, or NotYet saying what came;
    `listed` is the return line as code, e.g. 'f, i, g, c, o, h'."""
    n = len(names)
    if result is None:
        raise NotYet(f"{fname} returned None on {case_text}. Hint: end it with "
                     f"`return {listed}`.")
    try:
        values = (None if isinstance(result, (str, dict)) or not hasattr(result, "__len__")
                  else tuple(result))
    except Exception:  # noqa: BLE001 - not a sequence (a number, a 0-d array, an object)
        values = None
    if values is None:
        raise NotYet(f"{fname} returned one {type(result).__name__}, {cut(result)}; it should "
                     f"return {n} values, `return {listed}`.")
    if len(values) != n:
        got = f"{len(values)} value" + ("" if len(values) == 1 else "s")
        raise NotYet(f"{fname} returned {got}; it should return {n}, in this order: "
                     f"{', '.join(names)}.")
    return values


def _number(value, name, case_text):
    """One returned value as a float; NotYet naming the value and the case otherwise."""
    if value is None:
        raise NotYet(f"{name} is still None, on {case_text}.\nHint: replace each None with "
                     "its formula, in the order of the equations.")
    try:
        return read_number(value, name, largest=math.inf,
                           expected="return a number a float can hold")
    except NotYet as not_yet:
        raise NotYet(f"{not_yet}\n  That was on {case_text}.") from None


def _first_wrong(got, want):
    """(case index, output index) of the first value of `got` (cases, outputs) that is not close
    to `want`, or None."""
    bad = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    if not bad.any():
        return None
    k = int(np.flatnonzero(bad.any(axis=1))[0])
    return k, int(np.flatnonzero(bad[k])[0])


def _wrong_text(got, want, labels, case_texts, k, j, hint):
    """The first wrong value (case k, output j): its case, expected and got, the others wrong
    on that case, and the hint."""
    others = [labels[m] for m in np.flatnonzero(~np.isclose(got[k], want[k], rtol=RTOL, atol=ATOL))
              if m != j]
    also = f"\n  also wrong on this case: {', '.join(others)}" if others else ""
    return (f"{labels[j]} is first wrong on {case_texts[k]}:\n"
            f"  expected {labels[j]} = {want[k, j]:.6g}\n"
            f"  got      {labels[j]} = {got[k, j]:.6g}{also}\n{hint}")


def _matches(got, want):
    return bool(np.all(np.isclose(got, want, rtol=RTOL, atol=ATOL)))


# ---- the forward step and its usual mistakes ----------------------------------------------------

def _z(w, gate, x, h_prev, recurrent=True):
    return w["W_" + gate] * x + (w["W_h" + gate] * h_prev if recurrent else 0.0) + w["b_" + gate]


def _step(x, h_prev, c_prev, w, *, recurrent=True, acts="ssts", cell="f*c_prev+i*g",
          h_from="tanh(c)", swap_weights=False):
    """One forward step with a mistake switched in: acts gives the nonlinearity of f, i, g, o
    ('s' sigma, 't' tanh); cell and h_from name the formulas used."""
    act = {"s": sigmoid, "t": np.tanh}
    fg, ig = ("i", "f") if swap_weights else ("f", "i")
    f = act[acts[0]](_z(w, fg, x, h_prev, recurrent))
    i = act[acts[1]](_z(w, ig, x, h_prev, recurrent))
    g = act[acts[2]](_z(w, "c", x, h_prev, recurrent))
    o = act[acts[3]](_z(w, "o", x, h_prev, recurrent))
    c = {"f*c_prev+i*g": f * c_prev + i * g,
         "c_prev+i*g": c_prev + i * g,
         "i*c_prev+f*g": i * c_prev + f * g,
         "f*(i*g)+i*g": f * (i * g) + i * g,
         "i*g": i * g}[cell]
    h = {"tanh(c)": o * np.tanh(c), "c": o * c, "tanh(c_prev)": o * np.tanh(c_prev)}[h_from]
    return f, i, g, c, o, h


_FORWARD_MISTAKES = [   # (reference of the mistake, what it is in the learner's words, hint)
    (dict(recurrent=False),
     "the h_{t-1} terms are left out: each gate reads only W x_t + b.",
     "every gate and the candidate also read the cell's last output h_{t-1}, through its own "
     "W_h* weight. At the seed's step 1, h_0 = 0 hides the mistake; from step 2 on it shows."),
    (dict(cell="i*c_prev+f*g"),
     "f_t and i_t are swapped in the cell update: you wrote C_t = i_t C_{t-1} + f_t g_t.",
     "which gate decides how much of the old memory is kept, and which how much of the "
     "candidate is written?"),
    (dict(swap_weights=True),
     "f_t and i_t are swapped: your f_t is made with the input gate's weights (W_i, W_hi, b_i) "
     "and your i_t with the forget gate's (W_f, W_hf, b_f).",
     "each gate has its own three weights, named after it: f with W_f, W_hf, b_f."),
    (dict(acts="ssss"),
     "the candidate g_t goes through sigma instead of tanh.",
     "a gate is a fraction in (0, 1), so it uses sigma; the candidate is a new memory that may "
     "also be negative, in (-1, 1)."),
    (dict(acts="tsts"), "the forget gate f_t goes through tanh instead of sigma.",
     "a gate is a fraction between 0 and 1 (how much to keep); tanh can be negative."),
    (dict(acts="stts"), "the input gate i_t goes through tanh instead of sigma.",
     "a gate is a fraction between 0 and 1 (how much to write); tanh can be negative."),
    (dict(acts="sstt"), "the output gate o_t goes through tanh instead of sigma.",
     "a gate is a fraction between 0 and 1 (how much to show); tanh can be negative."),
    (dict(acts="tttt"), "the three gates go through tanh instead of sigma.",
     "a gate is a fraction between 0 and 1; only the candidate g_t uses tanh."),
    (dict(acts="ttst"), "sigma and tanh are swapped: tanh for the gates, sigma for the candidate.",
     "the gates f, i, o are fractions in (0, 1): sigma; the candidate is in (-1, 1): tanh."),
    (dict(cell="c_prev+i*g"),
     "C_t is made without the forget gate: you wrote C_t = C_{t-1} + i_t g_t.",
     "the old memory does not pass untouched: something decides how much of C_{t-1} is kept."),
    (dict(h_from="c"), "the tanh is missing in h_t: you wrote h_t = o_t C_t.",
     "C_t can grow beyond 1, but h_t must stay in (-1, 1): squash the cell state before the "
     "output gate scales it."),
    (dict(cell="f*(i*g)+i*g"),
     "C_t is used where C_{t-1} belongs: your kept part is f_t times the new write i_t g_t, "
     "as when a running variable c is overwritten before the cell update reads it.",
     "the kept part is f_t times the OLD cell state, the argument c_prev; compute C_t in one "
     "line from c_prev."),
    (dict(cell="i*g"), "C_{t-1} is left out: your C_t = i_t g_t forgets everything at once.",
     "the cell state is kept memory plus written memory; where does c_prev come in?"),
    (dict(h_from="tanh(c_prev)"),
     "C_{t-1} is used where C_t belongs: your h_t = o_t tanh(C_{t-1}).",
     "h_t shows the memory as it is after this step's update."),
]

_FORWARD_HINTS = {
    "f_t": "f_t = sigma(W_f x_t + W_hf h_{t-1} + b_f); compare each of your three terms.",
    "i_t": "i_t = sigma(W_i x_t + W_hi h_{t-1} + b_i); compare each of your three terms.",
    "g_t": "g_t = tanh(W_c x_t + W_hc h_{t-1} + b_c); the candidate's weights are named with c.",
    "C_t": "C_t is the kept part of C_{t-1} plus the written part of g_t.",
    "o_t": "o_t = sigma(W_o x_t + W_ho h_{t-1} + b_o); compare each of your three terms.",
    "h_t": "h_t is the output gate times the squashed new cell state.",
}


def _case_text(k, n, label, names, values, w):
    return f"case {k + 1} of {n} ({label}):\n    {_inputs(names, values, w)}"


@check
def check_step(my_step):
    """my_step(x, h_prev, c_prev, w) -> (f, i, g, c, o, h) for the one-unit cell, against
    lstm_core.scalar_step on the seed's steps, random weights, negative and large values."""
    fname = getattr(my_step, "__name__", "my_step")
    _callable(my_step, fname, ("x", "h_prev", "c_prev", "w"), "check_step")
    cases = _forward_cases()
    texts = [_case_text(k, len(cases), label, ("x", "h_prev", "c_prev"), (x, h, c), w)
             for k, (label, x, h, c, w) in enumerate(cases)]
    got = []
    for (_, x, h, c, w), text in zip(cases, texts):
        values = _values(_call(my_step, fname, (x, h, c, dict(w)), text), fname, OUTPUTS, text,
                         RETURNS)
        got.append([_number(v, name, text) for v, name in zip(values, OUTPUTS)])
    got = np.array(got)
    again = [_number(v, n, texts[1]) for v, n in zip(
        _values(_call(my_step, fname, cases[1][1:4] + (dict(cases[1][4]),), texts[1]),
                fname, OUTPUTS, texts[1], RETURNS), OUTPUTS)]
    if not np.allclose(again, got[1], rtol=RTOL, atol=ATOL):
        raise NotYet(f"{fname} gave another answer the second time it was called with the same "
                     f"inputs ({texts[1]}).\nIt reads or changes something outside its "
                     "arguments, e.g. a running C kept from the previous call: C_t used where "
                     "C_{t-1} belongs.\nHint: use only x, h_prev, c_prev and w; C_{t-1} is the "
                     "argument c_prev.")
    want = np.array([scalar_step(x, h, c, w) for _, x, h, c, w in cases])
    wrong = _first_wrong(got, want)
    if wrong is None:
        return (f"{fname} gives lstm_core's f_t, i_t, g_t, C_t, o_t, h_t on all {len(cases)} "
                "cases: the seed's three steps, random weights, negative and large values. "
                "You have written an LSTM cell.")
    k, j = wrong
    for changes, mistake, hint in _FORWARD_MISTAKES:
        if _matches(got, [_step(x, h, c, w, **changes) for _, x, h, c, w in cases]):
            _named(mistake, hint, got, want, OUTPUTS, texts, k, j)
    rounded = [d for d in range(1, 7) if np.allclose(got, np.round(want, d), rtol=0, atol=1e-12)]
    if rounded:
        raise NotYet(f"{fname} returns the right numbers rounded to {rounded[0]} decimal"
                     f"{'s' if rounded[0] > 1 else ''} ({OUTPUTS[j]} = {got[k, j]:.6g} where "
                     f"{want[k, j]:.6g} is expected).\nHint: do not round inside {fname}; return "
                     "the full numbers (round only what you print).")
    order = _permutation(got, want)
    if order is not None:
        raise NotYet(f"{fname} computes the right six numbers but returns them in the order "
                     f"{', '.join(OUTPUTS[m] for m in order)}.\nHint: return them in the seed's "
                     "order, `return f, i, g, c, o, h`" +
                     (" (f and i swapped)." if order[:2] == (1, 0) else "."))
    raise NotYet(_wrong_text(got, want, OUTPUTS, texts, k, j,
                             "Hint: " + _FORWARD_HINTS[OUTPUTS[j]]))


def _named(mistake, hint, got, want, labels, texts, k, j):
    """Raise NotYet naming a recognised mistake, then the first wrong value."""
    raise NotYet(f"It looks like {mistake}\n"
                 + _wrong_text(got, want, labels, texts, k, j, f"Hint: {hint}"))


def _permutation(got, want):
    """The order in which `got`'s columns hold `want`'s, when it is a reordering; else None."""
    order = []
    for j in range(got.shape[1]):
        same = [m for m in range(want.shape[1]) if m not in order
                and np.allclose(got[:, j], want[:, m], rtol=RTOL, atol=ATOL)]
        if not same:
            return None
        order.append(same[0])
    return tuple(order) if order != list(range(want.shape[1])) else None


# ---- the backward step and its usual mistakes -----------------------------------------------

def _step_backward(dh, dc, x, h_prev, c_prev, w, *, tanh_prime=True, add_dc=True, f_into_dc=True,
                   sigma_prime="s(1-s)", wh_times="h_prev", df_times="c_prev"):
    """One backward step with a mistake switched in; returns (dh_prev, dc_prev, dw)."""
    f, i, g, c, o, h = scalar_step(x, h_prev, c_prev, w)
    tanh_c = np.tanh(c)
    sp = {"s(1-s)": lambda s: s * (1 - s), "s(1+s)": lambda s: s * (1 + s)}[sigma_prime]
    dC = (dc if add_dc else 0.0) + dh * o * ((1 - tanh_c ** 2) if tanh_prime else 1.0)
    dz = {"f": dC * {"c_prev": c_prev, "c": c}[df_times] * sp(f),
          "i": dC * g * sp(i),
          "c": dC * i * (1 - g * g),
          "o": dh * tanh_c * sp(o)}
    h_in = {"h_prev": h_prev, "h": h}[wh_times]
    dw = {}
    for gate in "fico":
        dw.update({"W_" + gate: dz[gate] * x, "W_h" + gate: dz[gate] * h_in, "b_" + gate: dz[gate]})
    dh_prev = sum(w["W_h" + gate] * dz[gate] for gate in "fico")
    return dh_prev, (dC * f if f_into_dc else dC), {n: dw[n] for n in NAMES}


def _lstm_core_backward(dh, dc, x, h_prev, c_prev, w):
    """(dh_prev, dc_prev, dw) from LSTMCell.backward on a one-step trace with these states."""
    cell = LSTMCell.from_scalars(**w)
    grads = cell.backward(cell.run([x], h0=h_prev, c0=c_prev), [dh], dc=dc)
    rows = {"i": 0, "f": 1, "c": 2, "o": 3}     # lstm_core's row blocks i, f, g, o
    dw = {}
    for gate, r in rows.items():
        dw.update({"W_" + gate: grads.weight_ih[r, 0], "W_h" + gate: grads.weight_hh[r, 0],
                   "b_" + gate: grads.bias[r]})
    return float(grads.h0), float(grads.c0), {n: float(dw[n]) for n in NAMES}


def _centred_difference(dh, dc, x, h_prev, c_prev, w):
    """The same 14 gradients (GRADIENTS' order) by centred differences of L = dh h_t + dc C_t
    through scalar_step."""
    a = np.array([c_prev] + [w[n] for n in NAMES] + [h_prev], dtype=float)

    def loss():
        _, _, _, c, _, h = scalar_step(x, a[-1], a[0], dict(zip(NAMES, a[1:-1])))
        return dh * h + dc * c

    return numerical_gradient(loss, a, eps=1e-6)


def _flat(result):
    dh_prev, dc_prev, dw = result
    return [dc_prev] + [dw[n] for n in NAMES] + [dh_prev]


_BACKWARD_MISTAKES = [
    (dict(tanh_prime=False),
     "the tanh' factor through h_t is missing: your dC_t = dc + dh o_t, without "
     "(1 - tanh(C_t)^2).",
     "h_t = o_t tanh(C_t): on its way from h_t to C_t the gradient also passes the tanh."),
    (dict(add_dc=False),
     "the gradient dc from the next step is not added: your dC_t comes only through h_t.",
     "C_t reaches the loss two ways, through h_t and through C_{t+1}; dc is the second one."),
    (dict(f_into_dc=False),
     "dc_prev is not multiplied by f_t: you passed dC_t back to C_{t-1} unchanged.",
     "C_t = f_t C_{t-1} + i_t g_t, so dC_t/dC_{t-1} is ... ?"),
    (dict(sigma_prime="s(1+s)"),
     "sigma' is written as sigma (1 + sigma).",
     "the sigmoid's derivative, from its output s, is s (1 - s): largest at s = 1/2, zero when "
     "the gate is fully open or shut."),
    (dict(wh_times="h"),
     "the gradients of the W_h* weights are taken with h_t instead of h_{t-1}.",
     "W_hf multiplies h_{t-1} in z_f = W_f x_t + W_hf h_{t-1} + b_f, so dW_hf = dz_f times the "
     "state that came in, h_prev."),
    (dict(df_times="c"),
     "C_t is used where C_{t-1} belongs in the forget gate's gradient: df_t = dC_t C_t.",
     "f_t multiplies the OLD cell state in C_t = f_t C_{t-1} + i_t g_t."),
]


def _backward_hint(label):
    if label == "dh_prev":
        return ("h_{t-1} feeds all four gates: dh_prev sums, over f, i, g, o, the W_h* weight "
                "times that gate's dz.")
    if label == "dc_prev":
        return "C_{t-1} reaches the loss only through C_t = f_t C_{t-1} + i_t g_t."
    name = label[4:-2]
    gate = name[-1]
    times = {"W_h": "h_{t-1}", "W_": "x_t", "b_": "1"}[name[:-1]]
    return (f"{label} = dz_{gate} times {times}, with dz_{gate} the gradient at the "
            f"{GATE_NAMES[gate]}'s pre-activation: the gradient arriving at its output times "
            "its nonlinearity's derivative.")


def _gradients(result, fname, text):
    dh_prev, dc_prev, dw = _values(result, fname, ("dh_prev", "dc_prev", "dw"), text,
                                   "dh_prev, dc_prev, dw")
    if not isinstance(dw, dict):
        raise NotYet(f"dw should be a dict {{name: gradient}} with the twelve weights' names; "
                     f"got {type(dw).__name__} {cut(dw)} (on {text}).")
    missing = [n for n in NAMES if n not in dw]
    extra = sorted(map(str, set(dw) - set(NAMES)))
    if missing or extra:
        parts = ([f"it has no {', '.join(map(repr, missing))}"] if missing else []) + (
            [f"it has names that are not among the twelve weights: {', '.join(map(repr, extra))}"]
            if extra else [])
        raise NotYet(f"dw should have exactly the twelve names {', '.join(NAMES)}; "
                     f"{'; '.join(parts)}.")
    values = [dc_prev] + [dw[n] for n in NAMES] + [dh_prev]
    return [_number(v, label, text) for v, label in zip(values, GRADIENTS)]


@check
def check_step_backward(my_step_backward):
    """my_step_backward(dh, dc, x, h_prev, c_prev, w) -> (dh_prev, dc_prev, dw), against
    lstm_core's backward on a one-step trace and against centred differences."""
    fname = getattr(my_step_backward, "__name__", "my_step_backward")
    _callable(my_step_backward, fname, ("dh", "dc", "x", "h_prev", "c_prev", "w"),
              "check_step_backward")
    cases = _backward_cases()
    names = ("dh", "dc", "x", "h_prev", "c_prev")
    texts = [_case_text(k, len(cases), case[0], names, case[1:6], case[6])
             for k, case in enumerate(cases)]
    got = []
    for (_, *args, w), text in zip(cases, texts):
        got.append(_gradients(_call(my_step_backward, fname, (*args, dict(w)), text), fname,
                              text))
    got = np.array(got)
    want = np.array([_flat(_lstm_core_backward(*case[1:])) for case in cases])
    numeric = np.array([_centred_difference(*case[1:]) for case in cases])
    wrong = _first_wrong(got, want)
    if wrong is None:
        error = max(relative_error(g, n) for g, n in zip(got, numeric))
        agree = "below 1e-6" if error < 1e-6 else f"{error:.0e}"
        return (f"{fname} gives lstm_core's dh_prev, dc_prev and all twelve weight gradients on "
                f"all {len(cases)} cases, and agrees with centred differences (relative error "
                f"{agree}). You have backpropagated through one LSTM step.")
    k, j = wrong
    for changes, mistake, hint in _BACKWARD_MISTAKES:
        reference = [_flat(_step_backward(*case[1:], **changes)) for case in cases]
        if _matches(got, reference):
            _named(mistake, hint, got, want, GRADIENTS, texts, k, j)
    raise NotYet(_wrong_text(got, want, GRADIENTS, texts, k, j,
                             "Hint: " + _backward_hint(GRADIENTS[j]))
                 + "\n(Centred differences of L = dh h_t + dc C_t agree with the expected value "
                 f"here: {numeric[k, j]:.6g}.)")

"""Checks for notebook 09, variants and history: the 1997 cell's cell state, one GRU step by hand,
the GRU's parameter count in PyTorch, and reading the committed ablation.

The one-unit cells of the notebook (`seed_variant`, `gru_from_scalars`) live in lstm_variants,
so that the checks, the notebook's panel and its pictures compute the same cells.
"""
import json
from pathlib import Path

import numpy as np

from lstm_classroom.checks.verdict import NotYet, check, cut, read_number, to_decimals
from lstm_core import seed_lstm
from lstm_variants import VARIANTS, gru_from_scalars, seed_variant

RESULTS = Path(__file__).resolve().parents[1] / "data" / "ablation.json"   # shipped

# exercise 2: one step of this GRU from x_1 = 1 and h_0 = 0.5
GRU_EXERCISE = dict(W_ir=1.0, W_hr=-3.0, b_ir=0.0, b_hr=0.0,
                    W_iz=0.5, W_hz=1.0, b_iz=0.5, b_hz=0.0,
                    W_in=0.2, W_hn=2.0, b_in=0.0, b_hn=1.5)
GRU_X1, GRU_H0 = 1.0, 0.5
TORCH_GRU = dict(input_size=10, hidden_size=20)   # exercise 3


def committed_summary():
    """The summary rows of data/ablation.json (from scripts/ablation.py), by (task, kind)."""
    doc = json.loads(RESULTS.read_text(encoding="utf-8"))
    return {(r["task"], r["kind"]): r for r in doc["summary"]}


# ---- exercise 1: the 1997 cell on 1, 2, 3 ------------------------------------------------------

@check
def check_09_c3_without_forget_gate(answer):
    """C_3 of the seed cell without its forget gate (the 1997 cell), on the input 1, 2, 3, to
    three decimals."""
    value = read_number(answer)
    truth = float(seed_variant("no_forget_gate").run([1.0, 2.0, 3.0]).c[-1])
    with_gate = float(seed_lstm().run([1.0, 2.0, 3.0]).c[-1])
    if abs(value - with_gate) <= 0.001:
        raise NotYet(f"{value:.4g} is C_3 of the seed cell *with* its forget gate. Hint: the "
                     "1997 cell has f_t = 1, so C_t = C_{t-1} + i_t g_t: nothing is ever "
                     "multiplied away.")
    run = seed_lstm().run([1.0, 2.0, 3.0])
    summed = float(np.sum(run.i * run.g))          # 1.9460 against the truth 1.9471
    if abs(value - summed) <= 5e-4 < abs(value - truth):
        raise NotYet(f"{value:.4g} is i_1 g_1 + i_2 g_2 + i_3 g_3 read off the seed cell *with* "
                     "its forget gate. Hint: without f_t, C_1 and so h_1 differ, and with them "
                     "every gate at t = 2 and 3; run the 1997 cell itself, "
                     "seed_variant('no_forget_gate').run([1, 2, 3]).")
    last = seed_variant("no_forget_gate").run([1.0, 2.0, 3.0])
    if abs(value - float(last.i[-1] * last.g[-1])) <= 0.001:
        raise NotYet(f"{value:.4g} is only what step 3 writes, i_3 g_3. Hint: C_3 = C_2 + i_3 "
                     "g_3, and C_2 = C_1 + i_2 g_2: the 1997 cell adds every write to the old "
                     "state.")
    return to_decimals(value, truth, 3, "C_3 = i_1 g_1 + i_2 g_2 + i_3 g_3 (C_0 = 0 and f_t = 1); "
                       "note that h_{t-1}, and so every gate after t = 1, differs from the seed "
                       "cell's: run the variant, seed_variant('no_forget_gate').run([1, 2, 3]), or "
                       "compute each step in turn.")


# ---- exercise 2: one GRU step by hand ----------------------------------------------------------

def _gru_step(w, x, h, *, swap_z=False, bias_outside=False, no_reset=False):
    """One scalar GRU step as torch.nn.GRU, or with one of the usual mistakes."""
    sig = lambda v: 1 / (1 + np.exp(-v))
    r = sig(w["W_ir"] * x + w["b_ir"] + w["W_hr"] * h + w["b_hr"])
    z = sig(w["W_iz"] * x + w["b_iz"] + w["W_hz"] * h + w["b_hz"])
    if no_reset:
        r = 1.0
    hidden = r * w["W_hn"] * h + (w["b_hn"] if bias_outside else r * w["b_hn"])
    n = np.tanh(w["W_in"] * x + w["b_in"] + hidden)
    return z * n + (1 - z) * h if swap_z else (1 - z) * n + z * h


@check
def check_09_gru_step(answer):
    """h_1 of the one-unit GRU with GRU_EXERCISE's weights, from x_1 = GRU_X1 and h_0 = GRU_H0,
    to three decimals."""
    value = read_number(answer)
    cell = gru_from_scalars(**GRU_EXERCISE)
    truth = float(cell.run([GRU_X1], h0=GRU_H0).h[0])
    w = GRU_EXERCISE
    mistakes = (
        (dict(swap_z=True), "z_t and 1 - z_t are swapped: in PyTorch's GRU z_t multiplies the "
                            "old state, h_t = (1 - z_t) n_t + z_t h_{t-1}."),
        (dict(bias_outside=True), "b_hn is outside the reset gate: in PyTorch's GRU it sits "
                                  "inside, r_t * (W_hn h_{t-1} + b_hn)."),
        (dict(no_reset=True), "the reset gate is missing: n_t reads r_t * (W_hn h_{t-1} + b_hn), "
                              "not W_hn h_{t-1} + b_hn."),
    )
    if abs(value - truth) > 0.0005:
        for options, why in mistakes:
            if abs(value - _gru_step(w, GRU_X1, GRU_H0, **options)) <= 0.0005:
                raise NotYet(f"{value:.4g} is what you get when {why}")
    return to_decimals(value, truth, 3, "compute r_1 and z_1 first (sigma of input part + bias + "
                       "hidden part + bias), then n_1 = tanh(W_in x_1 + b_in + r_1 (W_hn h_0 + "
                       "b_hn)), then h_1 = (1 - z_1) n_1 + z_1 h_0.")


# ---- exercise 3: the GRU's parameters in PyTorch -----------------------------------------------

@check
def check_09_gru_parameters(answer):
    """The number of parameters of torch.nn.GRU(input_size=10, hidden_size=20) (one layer, with
    its two biases)."""
    value = read_number(answer, "count")
    D, H = TORCH_GRU["input_size"], TORCH_GRU["hidden_size"]
    if value != int(value) or value < 0:
        raise NotYet(f"A parameter count is a whole number >= 0; got {value:g}.")
    truth = 3 * H * (D + H + 2)
    if value == truth:
        return (f"{truth:,} parameters: weight_ih (3H, D) = ({3 * H}, {D}), weight_hh (3H, H) = "
                f"({3 * H}, {H}) and two biases of {3 * H}. The LSTM of the same size has "
                f"{4 * H * (D + H + 2):,}: a third more (the GRU has a quarter fewer).")
    known = {4 * H * (D + H + 2): "that is the LSTM's count: the LSTM has four row blocks "
                                  "(i, f, g, o), the GRU three (r, z, n).",
             3 * H * (D + H + 1): "that counts one bias; torch.nn.GRU keeps two, bias_ih and "
                                  "bias_hh, because b_hn sits inside r_t * (...) and cannot be "
                                  "merged with b_in.",
             3 * H * (D + H): "that leaves out the biases (bias_ih and bias_hh, 3H each).",
             H * (D + H + 2): "that is one block; there are three stacked: r, z and n.",
             3 * (D + H + 2): "that is for one unit; each of the H = 20 units has its own rows."}
    if value in known:
        raise NotYet(f"{value:,.0f}: {known[value]}")
    raise NotYet(f"{value:,.0f} is not it. Hint: count the shapes of weight_ih (3H, D), weight_hh "
                 "(3H, H), bias_ih (3H,) and bias_hh (3H,) with D = 10, H = 20.")


# ---- exercise 4: reading the committed ablation ------------------------------------------------

def _read_names(answer):
    if answer is None:
        raise NotYet("Replace None with the names of the cells, e.g. {'coupled', 'gru'}.")
    if isinstance(answer, str):
        answer = [answer]
    try:
        names = set(answer)
    except TypeError:
        raise NotYet(f"Give the cells' names as a set or list of texts, e.g. {{'coupled'}}; got "
                     f"{type(answer).__name__}.") from None
    cells = set(VARIANTS) | {"gru"}
    bad = sorted(map(str, names - cells))
    if bad:
        raise NotYet(f"Unknown name(s) {', '.join(cut(b) for b in bad[:5])}; the cells in the "
                     f"table are {', '.join(sorted(cells))}.")
    return names


@check
def check_09_adding_failures(answer):
    """The cells that solved the adding problem in fewer than half of the seeds in the committed
    ablation (lstm_classroom/data/ablation.json)."""
    names = _read_names(answer)
    summary = committed_summary()
    truth = {kind for (task, kind), r in summary.items()
             if task == "adding" and r["solved"] < r["runs"] / 2}
    if names == truth:
        return (f"{' and '.join(sorted(truth))}: "
                + "; ".join(f"{k} solved {summary[('adding', k)]['solved']} of "
                            f"{summary[('adding', k)]['runs']}" for k in sorted(truth))
                + ". Without i_t every candidate enters C_t in full, so the cell cannot let in "
                "only the two marked numbers; without f_t most seeds did not finish learning "
                "within the budget.")
    extra, missing = sorted(names - truth), sorted(truth - names)
    said = []
    for k in extra:
        r = summary[("adding", k)]
        said.append(f"{k} solved {r['solved']} of {r['runs']} seeds")
    if missing:
        said.append(f"{len(missing)} cell(s) that failed in most seeds are missing")
    hint = ""
    if "no_output_activation" in extra:
        hint = (" Greff et al. found that removing the output activation hurts; on this small "
                "task, here, it did not.")
    raise NotYet("; ".join(said) + f". Hint: read the column 'adding: solved'.{hint}")

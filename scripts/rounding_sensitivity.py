"""How much the notebooks' training results move when the last bits of exp and tanh move.

Another processor, numpy version or BLAS runs other loops, whose results differ in the last bit.
This script imitates that, more strongly: every np.exp and np.tanh result is multiplied by
1 + k * eps * u, with eps the machine epsilon of its dtype and u uniform in [-1, 1] (seeded),
for k = 1 and 4 ulps, and prints each training result the notebooks print, with as many digits as
they print and with all of them, next to the unperturbed run. A result whose printed digits never
change is the same on every machine; one whose printed digits change is not, and its notebook
must print fewer digits or say it in words.

    python scripts/rounding_sensitivity.py          # about a minute
"""
import _common  # noqa: F401  (first: one BLAS thread)
import numpy as np  # noqa: E402

from lstm_core import seed_lstm  # noqa: E402
from lstm_learn import Adam, adding_problem, named_scalars, parameters, random_lstm, train  # noqa: E402
from lstm_variants import forget_gate_experiment  # noqa: E402
from lstm_xlstm import train_max_score  # noqa: E402

ORIGINAL = {name: getattr(np, name) for name in ("exp", "tanh")}


def perturb(ulps, seed=0):
    """np.exp and np.tanh, each result multiplied by 1 + ulps * eps * u (ulps = 0: as they are)."""
    rng = np.random.default_rng(seed)
    for name, fn in ORIGINAL.items():
        if ulps == 0:
            setattr(np, name, fn)
            continue

        def wobbled(*args, _fn=fn, **kw):
            out = _fn(*args, **kw)
            a = np.asarray(out)
            eps = np.finfo(a.dtype).eps if a.dtype.kind == "f" else 0.0
            factor = 1 + ulps * eps * rng.uniform(-1, 1, a.shape)
            if isinstance(out, np.ndarray):
                out *= factor.astype(out.dtype)
                return out
            return type(out)(out * factor)
        setattr(np, name, wobbled)


def ramp():
    """Notebook 08, part 2: the seed cell trained on 8 ramps, its step size falling to 0."""
    starts = np.array([0, 0.5, 1.5, 2, 2.5, 3, 3.5, 4])
    x = (starts + np.arange(3)[:, None])[:, :, None]
    cell = seed_lstm()
    losses = train(cell, [(x, x + 1)] * 2000, Adam(parameters(cell), lr=0.03), every_step=True,
                   lr_final=0.0)
    w = named_scalars(parameters(cell))
    after = float(np.squeeze(cell.predict(cell.run([1.0, 2.0, 3.0]).h[-1])))
    return {"final loss (.4f)": (losses[-1], ".4f"), "b_f (.2f)": (w["b_f"], ".2f"),
            "after 1, 2, 3 (.3f)": (after, ".3f"),
            "largest prediction (.6g)": (abs(w["W_y"]) + w["b_y"], ".6g")}


def adding():
    """Notebook 08, part 3: the 16-unit LSTM on the adding problem (float32, 625 batches)."""
    T, H = 100, 16
    rng = np.random.default_rng(0)
    b_f = np.log(rng.uniform(1, T - 1, H))
    lstm = random_lstm(2, H, rng, forget_bias=b_f, input_bias=-b_f, dtype=np.float32)
    losses = train(lstm, (adding_problem(32, T, rng) for _ in range(625)),
                   Adam(parameters(lstm), lr=0.02), clip=1.0)
    x, y = adding_problem(1000, T, rng=np.random.default_rng(1))
    err = lstm.predict(lstm.run(x).h[-1]) - y
    smooth = np.convolve(losses, np.ones(25) / 25, mode="valid")
    x2, y2 = adding_problem(1000, 200, np.random.default_rng(7))
    err2 = lstm.predict(lstm.run(x2).h[-1]) - y2
    return {"test MSE (.3f)": (np.mean(err ** 2), ".3f"),
            "within 0.08 (.0f %)": (100 * np.mean(np.abs(err) < 0.08), ".0f"),
            "batch below 0.15": (np.argmax(smooth < 0.15) + 25, "d"),
            "batch below 0.01": (np.argmax(smooth < 0.01) + 25, "d"),
            "T = 200 within 0.08 (.0f %)": (100 * np.mean(np.abs(err2) < 0.08), ".0f"),
            "T = 200 within 0.08 (.3f)": (np.mean(np.abs(err2) < 0.08), ".3f")}


def forget_gate():
    """Notebook 09, part 4: the 1997 cell and the cell with a forget gate on a long stream."""
    out = forget_gate_experiment()
    return {f"{kind} {what} (.4f)": (out[kind][what], ".4f")
            for kind in ("no_forget_gate", "vanilla") for what in ("train_mse", "stream_mse")}


def max_score():
    """Notebook 11: the small LSTM and sLSTM after 1,000 batches of the max-score task."""
    return {f"{kind} held-out MSE (.4f)": (train_max_score(kind, 0, steps=1000)["curve"][-1],
                                           ".4f")
            for kind in ("lstm", "slstm")}


def main():
    for experiment in (ramp, adding, forget_gate, max_score):
        print(f"\n{experiment.__doc__}")
        runs = {}
        for ulps in (0, 1, 4):
            perturb(ulps)
            runs[ulps] = experiment()
        perturb(0)
        for key, (value, fmt) in runs[0].items():
            shown = {ulps: format(runs[ulps][key][0], fmt) for ulps in runs}
            moved = max(abs(float(runs[ulps][key][0]) - float(value)) for ulps in runs)
            same = "same" if len(set(shown.values())) == 1 else "CHANGES"
            print(f"  {key:32s} printed {shown[0]:>9s} ({same} at 1 and 4 ulps); moved by at most "
                  f"{moved:.1e}")


if __name__ == "__main__":
    main()

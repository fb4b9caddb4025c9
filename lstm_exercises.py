"""Check functions for the notebooks' exercises: each answers right or wrong, with a hint.

A check returns a `Verdict`: it shows as one line in the notebook and is truthy when right,
so the tests can assert on it. The answers are not written here, only what makes one right.
"""
from lstm_core import seed_lstm


class Verdict:
    """The answer to an exercise: `ok` is True when right; the text says why, or gives a hint."""

    def __init__(self, ok, text):
        self.ok, self.text = bool(ok), text

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Right! " if self.ok else "Not yet. ") + self.text


def _number(answer, name="answer"):
    """answer as a float, or a Verdict explaining what was expected."""
    if answer is None:
        return Verdict(False, f"Replace None with your {name}, one number.")
    try:
        return float(answer)
    except (TypeError, ValueError):
        return Verdict(False, f"{name} should be one number, e.g. 0.5; got {answer!r}.")


def _close(answer, truth, tol, hint):
    value = _number(answer)
    if isinstance(value, Verdict):
        return value
    if abs(value - truth) <= tol:
        return Verdict(True, f"{value:.3f} is it (to within {tol}).")
    return Verdict(False, f"{value:.3f} is off. Hint: {hint}")


# ---- 00 the seed walkthrough ----------------------------------------------------------------

def check_00_forget_gate_step_2(answer):
    """f_2 of the seed cell on [1, 2, 3], computed by hand to 3 decimals."""
    f2 = seed_lstm().run([1, 2, 3]).f[1]
    return _close(answer, f2, 0.0015, "f_2 = sigma(W_f * x_2 + W_hf * h_1 + b_f) with x_2 = 2 and h_1 "
                  "from step 1; then sigma(z) = 1 / (1 + e^-z).")


def check_00_cell_state_step_3(answer):
    """C_3 of the seed cell, from the rounded table values f_3, C_2, i_3, g_3."""
    c3 = seed_lstm().run([1, 2, 3]).c[2]
    return _close(answer, c3, 0.005, "C_3 = f_3 * C_2 + i_3 * g_3: what the forget gate keeps of the "
                  "old cell state plus what the input gate writes of the candidate.")


def check_00_prediction_after_four(answer):
    """The seed cell's prediction y after reading [1, 2, 3, 4]."""
    cell = seed_lstm()
    y = cell.predict(cell.run([1, 2, 3, 4]).h[-1])
    return _close(answer, y, 0.0005, "run the cell on [1, 2, 3, 4] and apply cell.predict to the last "
                  "hidden state h_4.")

"""The shared core of every check: the verdict, the "not yet" signal, and reading an answer.

A check is a function decorated with `@check`. Its body returns the text for a right answer, or
raises `NotYet` with the text for a wrong one; `@check` turns either into a `Verdict`, and turns
anything else the learner's input makes go wrong into a Verdict too, never a traceback:

    @check
    def check_99_example(answer):
        value = read_number(answer)          # raises NotYet for None, True, "0.5", nan, ...
        return close_to(value, 0.5, "think about ...", tol=0.001)

The readers here raise NotYet in the learner's words: what was expected, what arrived, the fix.
"""
import functools
import math

import numpy as np

from lstm_core import SEED_WEIGHTS, seed_lstm

LARGEST_WEIGHT = 1e3   # beyond any slider (they reach +-10); larger weights only saturate


class Verdict:
    """The answer to an exercise: truthy only when right; shows as one line, "Right! ..." or
    "Not yet. ...", with the reason or a hint in `text`."""

    __slots__ = ("ok", "text")

    def __init__(self, ok, text):
        self.ok, self.text = bool(ok), text

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Right! " if self.ok else "Not yet. ") + self.text


class NotYet(Exception):
    """Raised inside a check when the answer is not right yet; the message is the learner's."""


def check(fn):
    """Make `fn` a check: its returned text becomes a right Verdict, a NotYet a wrong one, and
    any other exception (from a value the learner passed) a wrong one that names it."""
    @functools.wraps(fn)
    def answer(*args, **kwargs):
        try:
            return Verdict(True, fn(*args, **kwargs))
        except NotYet as not_yet:
            return Verdict(False, str(not_yet))
        except Exception as err:  # noqa: BLE001 - a learner's input never ends in a traceback
            return Verdict(False, f"Could not check this: {type(err).__name__}: {err}. Hint: is "
                                  "each argument what the exercise asks for (a number, an array, "
                                  "the trained cell)?")
    return answer


def _shown(value, limit=60):
    """repr(value), cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def read_number(value, name="answer"):
    """`value` as a float; raises NotYet for None, True/False, text, several numbers, nan or inf."""
    if value is None:
        raise NotYet(f"Replace None with your {name}, one number.")
    if isinstance(value, (bool, np.bool_)):
        raise NotYet(f"{name} is {value}, a truth value; give a number, e.g. 0.5.")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            raise NotYet(f"{name} should be one number, e.g. 0.5; got the text "
                         f"{_shown(value)}.") from None
        raise NotYet(f"{name} is the text {value!r}; write the number without quotes.")
    if np.ndim(value) > 0:
        if np.size(value) != 1:
            raise NotYet(f"{name} should be one number, e.g. 0.5; got {np.size(value)} numbers "
                         f"(shape {np.shape(value)}).")
        value = np.ravel(value)[0]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NotYet(f"{name} should be one number, e.g. 0.5; got {_shown(value)}.") from None
    if math.isnan(number):
        raise NotYet(f"{name} is nan, 'not a number': something in its computation went wrong "
                     "(0/0, or inf - inf); check each step.")
    if math.isinf(number):
        raise NotYet(f"{name} is {number}; give a finite number.")
    return number


def read_array(value, name):
    """`value` as a float array of finite numbers; raises NotYet for None, text or anything that
    is not numbers."""
    if value is None:
        raise NotYet(f"Replace None with your {name}.")
    if isinstance(value, str):
        raise NotYet(f"{name} should be an array of numbers; got the text {_shown(value)}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise NotYet(f"{name} should be an array of numbers; got {type(value).__name__}.") from None
    if not np.all(np.isfinite(array)):
        raise NotYet(f"{name} holds nan or inf; every entry must be a finite number.")
    return array


def percent(fraction, limit):
    """fraction as a percentage, with as many decimals as it takes to differ from `limit`'s:
    percent(0.0504, 0.05) == '5.04 %', never a '5 %' that reads like a pass."""
    for decimals in range(4):
        shown = f"{100 * fraction:.{decimals}f}"
        if shown != f"{100 * limit:.{decimals}f}":
            return shown + " %"
    return f"{100 * fraction:.6g} %"


def close_to(value, truth, hint, *, tol=None, rel=None):
    """The success text when `value` is within `tol` of `truth` (absolute) or within the fraction
    `rel` of it (relative); raises NotYet with `hint` otherwise. Never shows `truth`."""
    truth = float(np.squeeze(truth))
    if (tol is None) == (rel is None):
        raise ValueError("give exactly one of tol (absolute) and rel (relative)")
    if tol is not None:
        if abs(value - truth) <= tol:
            return f"{value:.6g} is it (to within {tol})."
        raise NotYet(f"{value:.6g} is off. Hint: {hint}")
    gap = abs(value - truth) / abs(truth)
    if gap <= rel:
        return f"{value:.3g} is it (to within {percent(rel, 0)})."
    raise NotYet(f"{value:.3g} is {percent(gap, rel)} away from it (needs within "
                 f"{percent(rel, 0)}). Hint: {hint}")


def read_weights(weights, moves, start, *, example, reach, back):
    """The learner's weights as numbers, by name, for an exercise that moves only the names in
    `moves` of a cell that starts at `start` (name: value). Unknown names, none given, values
    that are not numbers or are far outside the sliders, and other weights moved away from
    `start` raise NotYet: `example` is the sentence for none given, `reach` the sliders' reach
    (for "try values within +-reach"), `back` where the other weights go back to."""
    unknown = sorted(set(weights) - set(start))
    if unknown:
        raise NotYet(f"Unknown weight name(s) {unknown}; the names are {', '.join(start)}.")
    if not weights:
        raise NotYet(example)
    values = {name: read_number(value, name) for name, value in weights.items()}
    for name, value in values.items():
        if abs(value) > LARGEST_WEIGHT:
            raise NotYet(f"{name} = {value:g} is far outside any slider; try values within "
                         f"+-{reach}.")
    moved = sorted(name for name, value in values.items()
                   if name not in moves and abs(value - start[name]) > 1e-6)
    if moved:
        raise NotYet(f"This exercise moves only {', '.join(moves)}; put {', '.join(moved)} back "
                     f"{back}.")
    return values


def seed_cell_with(weights, moves):
    """seed_lstm(**weights) after checking the learner's weights (`read_weights`) for an exercise
    that moves only the names in `moves`."""
    return seed_lstm(**read_weights(
        weights, moves, SEED_WEIGHTS,
        example=f"Give your weights by name, e.g. {moves[0]}=1.0 "
                f"(this exercise moves {', '.join(moves)}).",
        reach=10, back="to the seed's value (the panel's reset button does it)"))


def time_steps(mask):
    """'1, 4' for a (T,) boolean mask true at t = 1 and t = 4."""
    return ", ".join(str(t + 1) for t in np.flatnonzero(mask))

"""The shared core of every check: the verdict, the "not yet" signal, reading an answer, and
the one rule for numbers.

A check is a function decorated with `@check`. Its body returns the text for a right answer, or
raises `NotYet` with the text for a wrong one; `@check` turns either into a `Verdict`, and turns
a call with the wrong arguments, or anything else the learner's input makes go wrong, into a
Verdict too, never a traceback (and never an exception's name):

    @check
    def check_99_example(answer):
        value = read_number(answer)          # raises NotYet for None, True, "0.5", nan, 10**400
        return to_decimals(value, 0.5, 3, "think about ...")

One rule for answers (`within_decimals`, behind `to_decimals` and every check of a number or an
array; `within_significant` is the same rule for significant digits): an answer asked to k
decimals is right when it lies within half a unit of the k-th decimal of the true value,
|answer - truth| <= 0.5 * 10^-k. So the true value rounded to k decimals is always
right, and so is the unrounded value; any other answer given to k decimals (a wrong k-th digit)
never is, except at an exact tie (truth ...5), where both neighbours are. A check may also
accept the value the exercise's own printed (rounded) numbers give, as a second truth. A near
miss gets one of two sentences, the same in every notebook: too few decimals ("close: give
three decimals") or the k-th decimal wrong ("close, but not right to three decimals").

The readers here raise NotYet in the learner's words: what was expected, what arrived, the fix.
"""
import functools
import inspect
import math

import numpy as np

from lstm_core import SEED_WEIGHTS, seed_lstm

LARGEST_ANSWER = 1e6   # no exercise's answer comes near it; larger is a paste or a slip
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
SLACK = 1e-9           # of the half unit: at a tie (truth ...5) an answer typed as the rounded
                       # value may sit a float's width beyond it


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


def _call_text(fn):
    """'check_06_batch(batch, seqs)': how a check is called."""
    return f"{fn.__name__}{inspect.signature(fn)}"


def _wrong_call(fn, args):
    """What to say when `fn` was called with arguments its signature cannot take."""
    params = inspect.signature(fn).parameters.values()
    if args and all(p.kind is p.VAR_KEYWORD for p in params):
        return (f"{fn.__name__} takes the weights by name: put two stars before a dict, "
                f"{fn.__name__}(**panel.weights), or name them, e.g. {fn.__name__}(b_f=1.0).")
    return (f"{fn.__name__} is called as {_call_text(fn)}; compare your call with the one in "
            "the exercise cell.")


def check(fn):
    """Make `fn` a check: its returned text becomes a right Verdict, a NotYet a wrong one; a call
    with the wrong arguments, and any other exception (from a value the learner passed), a wrong
    one that says what the check takes."""
    @functools.wraps(fn)
    def answer(*args, **kwargs):
        try:
            inspect.signature(fn).bind(*args, **kwargs)
        except TypeError:
            return Verdict(False, _wrong_call(fn, args))
        try:
            return Verdict(True, fn(*args, **kwargs))
        except NotYet as not_yet:
            return Verdict(False, str(not_yet))
        except Exception:  # noqa: BLE001 - a learner's input never ends in a traceback
            return Verdict(False, "Could not check this: one of the arguments is not what the "
                                  f"exercise asks for. Hint: the check is {_call_text(fn)}; "
                                  "compare each argument with the exercise cell's.")
    return answer


def cut(value, limit=60):
    """repr(value), cut to `limit` characters."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a learner's object whose repr fails
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def read_number(value, name="answer", *, largest=LARGEST_ANSWER,
                expected="give the number the exercise asks for"):
    """`value` as a float; raises NotYet for None, True/False, text, several numbers, nan, inf or
    a number beyond +-largest (saying `expected`)."""
    if value is None:
        raise NotYet(f"Replace None with your {name}, one number.")
    if isinstance(value, (bool, np.bool_)):
        raise NotYet(f"{name} is {value}, a truth value; give a number, e.g. 0.5.")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            raise NotYet(f"{name} should be one number, e.g. 0.5; got the text "
                         f"{cut(value)}.") from None
        raise NotYet(f"{name} is the text {cut(value)}; write the number without quotes.")
    try:
        if np.ndim(value) > 0:
            if np.size(value) != 1:
                raise NotYet(f"{name} should be one number, e.g. 0.5; got {np.size(value)} "
                             f"numbers (shape {np.shape(value)}).")
            value = np.ravel(value)[0]
        number = float(value)
    except NotYet:
        raise
    except OverflowError:
        raise NotYet(f"{name} is too large a number to compute with; {expected}.") from None
    except Exception:  # noqa: BLE001 - anything that is not a number
        raise NotYet(f"{name} should be one number, e.g. 0.5; got {cut(value)}.") from None
    if math.isnan(number):
        raise NotYet(f"{name} is nan, 'not a number': something in its computation went wrong "
                     "(0/0, or inf - inf); check each step.")
    if math.isinf(number):
        raise NotYet(f"{name} is {number}; give a finite number.")
    if abs(number) > largest:
        raise NotYet(f"{name} = {number:.3g} is far too large (beyond +-{largest:g}); "
                     f"{expected}.")
    return number


def read_array(value, name, *, largest=LARGEST_ANSWER):
    """`value` as a float array of finite numbers within +-largest; raises NotYet for None,
    text or anything that is not numbers."""
    if value is None:
        raise NotYet(f"Replace None with your {name}.")
    if isinstance(value, str):
        raise NotYet(f"{name} should be an array of numbers; got the text {cut(value)}.")
    try:
        if np.iscomplexobj(value):
            raise NotYet(f"{name} should be an array of real numbers; got complex numbers.")
        array = np.asarray(value, dtype=float)
    except NotYet:
        raise
    except Exception:  # noqa: BLE001 - ragged lists, objects, too large integers
        raise NotYet(f"{name} should be an array of numbers; got {type(value).__name__}.") from None
    if not np.all(np.isfinite(array)):
        raise NotYet(f"{name} holds nan or inf; every entry must be a finite number.")
    if array.size and np.max(np.abs(array)) > largest:
        raise NotYet(f"{name} holds a number of size {np.max(np.abs(array)):.3g}; every entry "
                     f"must lie between {-largest:g} and {largest:g}.")
    return array


def percent(fraction, limit):
    """fraction as a percentage, with as many decimals as it takes to differ from `limit`'s:
    percent(0.0504, 0.05) == '5.04 %', never a '5 %' that reads like a pass."""
    for decimals in range(4):
        shown = f"{100 * fraction:.{decimals}f}"
        if shown != f"{100 * limit:.{decimals}f}":
            return shown + " %"
    return f"{100 * fraction:.6g} %"


def close_to(value, truth, hint, *, rel):
    """The success text when `value` is within the fraction `rel` of `truth`; raises NotYet with
    `hint` otherwise. Never shows `truth`. (Numbers asked to k decimals use `to_decimals`.)"""
    truth = float(np.squeeze(truth))
    gap = abs(value - truth) / abs(truth)
    if gap <= rel:
        return f"{value:.3g} is it (to within {percent(rel, 0)})."
    raise NotYet(f"{value:.3g} is {percent(gap, rel)} away from it (needs within "
                 f"{percent(rel, 0)}). Hint: {hint}")


# ---- the one rule for numbers asked to k decimals ---------------------------------------------

def decimals_words(k):
    """'three decimals' for k = 3."""
    return f"{WORDS.get(k, k)} decimal" + ("" if k == 1 else "s")


def within_decimals(value, truth, k):
    """True when `value` (a number or an array) lies within half a unit of the k-th decimal of
    `truth` everywhere: the one rule for an answer asked to k decimals."""
    gap = np.max(np.abs(np.asarray(value, dtype=float) - np.asarray(truth, dtype=float)))
    return bool(gap <= 0.5 * 10.0 ** -k * (1 + SLACK))


def within_significant(value, truth, n):
    """True when `value` lies within half a unit of the n-th significant digit of `truth`: the
    one rule for an answer asked to n significant digits."""
    unit = 10.0 ** (math.floor(math.log10(abs(truth))) - n + 1)
    return bool(abs(value - truth) <= 0.5 * unit * (1 + SLACK))


def _too_few_decimals(value, truths, k):
    """True when `value` is given to d < k decimals (d >= 1) and is right to those d decimals."""
    value = np.asarray(value, dtype=float)
    for d in range(1, k):
        if np.all(np.round(value, d) == value):
            return any(within_decimals(value, t, d) for t in truths)
    return False


ROUND_ONLY_THE_ANSWER = ("round only the answer, not the numbers along the way, and check the "
                         "last step.")


def near_miss(value, truths, k, shown, advice=ROUND_ONLY_THE_ANSWER, *, band=None):
    """Raise the one near-miss NotYet when `value` (a number or an array) is close to one of
    `truths` but not right to k decimals: given to fewer decimals and right to those ("close:
    give three decimals"), or within `band` of it (2.5 units of the k-th decimal unless given:
    "close, but not right to three decimals", then `advice`). Returns quietly otherwise."""
    if _too_few_decimals(value, truths, k):
        raise NotYet(f"{shown} is close: give {decimals_words(k)}.")
    band = 2.5 * 10.0 ** -k if band is None else band   # what rounding along the way can do
    if any(np.max(np.abs(np.asarray(value, dtype=float) - t)) <= band for t in truths):
        raise NotYet(f"{shown} is close, but not right to {decimals_words(k)}: {advice}")


def to_decimals(value, truth, k, hint, *, printed=(), slips=()):
    """The success text when the number `value` is right to k decimals (`within_decimals`) of
    `truth`, or of one of `printed` (the values the notebook's own rounded numbers give); raises
    NotYet otherwise: for a near miss (`near_miss`), for one of `slips` ((wrong value, what it
    is) pairs, named when `value` is within two units of its k-th decimal), or "off" with
    `hint`. Never shows a truth."""
    truths = [float(np.squeeze(truth))] + [float(np.squeeze(p)) for p in printed]
    shown = f"{value:.6g}"
    if any(within_decimals(value, t, k) for t in truths):
        return f"{shown} is it, to {decimals_words(k)}."
    if not _too_few_decimals(value, truths, k):
        nearest = min(abs(value - t) for t in truths)
        for wrong, what in slips:            # named when nearer the slip than the truth
            gap = abs(value - float(np.squeeze(wrong)))
            if gap <= 2 * 10.0 ** -k and gap < nearest:
                raise NotYet(f"{shown} is {what}. Hint: {hint}")
    near_miss(value, truths, k, shown)
    raise NotYet(f"{shown} is off. Hint: {hint}")


# ---- the seed cell's weights ----------------------------------------------------------------

def read_weights(weights, moves, start, *, example, back):
    """The learner's weights as numbers, by name, for an exercise that moves only the names in
    `moves` of a cell that starts at `start` (name: value). Unknown names, none given, values
    that are not numbers or lie beyond their slider (controls.slider_range), and other weights
    moved away from `start` raise NotYet: `example` is the sentence for none given, `back` where
    the other weights go back to."""
    # imported here: controls is widget code, which the checks otherwise never load
    from lstm_classroom.controls import slider_range

    unknown = sorted(map(str, set(weights) - set(start)))
    if unknown:
        raise NotYet(f"Unknown weight name(s) {unknown}; the names are {', '.join(start)}.")
    if not weights:
        raise NotYet(example)
    values = {}
    for name, value in weights.items():
        lo, hi = slider_range(name)
        expected = f"its slider goes from {lo:g} to {hi:g}: give a value in that range"
        values[name] = read_number(value, name, largest=math.inf, expected=expected)
        if not lo - 1e-9 <= values[name] <= hi + 1e-9:     # a slider's steps may land a hair off
            raise NotYet(f"{name} = {values[name]:.15g} is beyond its slider; {expected}.")
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
        back="to the seed's value (the panel's reset button does it)"))


def time_steps(mask):
    """'1, 4' for a (T,) boolean mask true at t = 1 and t = 4."""
    return ", ".join(str(t + 1) for t in np.flatnonzero(mask))

"""Checks for notebook 12, inside an LSTM trained on real text (Python source): finding the unit
that tracks a property of code, and what the prose unit's forget gate does where a string or a
comment opens.

Each check recomputes what it needs from the reading it is given, with numpy's own np.corrcoef
for correlations and its own loop for the openings, so a right answer is right by an
independent route.
"""
import numpy as np

from lstm_classroom.checks.trained import NAMES, checked_reading, checked_unit, unit_correlations
from lstm_classroom.checks.verdict import NotYet, check, near_miss, read_number, within_decimals
from lstm_text import CODE_PROPERTIES

EXERCISE_PROPERTY = "indentation"   # exercise 12.1: the learner finds its unit
def _openings(text):
    """The positions of the characters that open a string literal (a ' or " outside any string
    and comment; the first of three for a triple quote) or a comment (a '#' outside a string),
    by a loop of its own."""
    opens, t, quote, comment = [], 0, "", False
    while t < len(text):
        ch = text[t]
        if comment:
            comment = ch != "\n"
        elif quote:
            if ch == "\\":
                t += 1
            elif text[t:t + len(quote)] == quote:
                t += len(quote) - 1
                quote = ""
            elif ch == "\n" and len(quote) == 1:
                quote = ""
        elif ch == "#":
            comment = True
            opens.append(t)
        elif ch in "'\"":
            quote = ch * 3 if text[t:t + 3] == ch * 3 else ch
            opens.append(t)
            t += len(quote) - 1
        t += 1
    return np.array(opens, np.int64)


def prose_unit(reading):
    """The unit whose C_t follows 'string or comment' best (largest |r|)."""
    prop = CODE_PROPERTIES["string or comment"](reading.text)
    return int(np.argmax(np.abs(unit_correlations(reading.c, prop))))


@check
def check_12_property_unit(signal, unit, reading):
    """The (signal, unit), signal 'c' or 'h', that tracks EXERCISE_PROPERTY best in the LSTM's
    `reading` (largest |Pearson r|)."""
    reading = checked_reading(reading)
    if signal not in NAMES:
        raise NotYet(f"signal should be 'c' (the cell state C_t) or 'h' (the hidden state h_t); "
                     f"got {signal!r}.")
    H = reading.h.shape[1]
    unit = checked_unit(unit, H)
    name = EXERCISE_PROPERTY
    prop = CODE_PROPERTIES[name](reading.text)
    r = {s: unit_correlations(reading.signal(s), prop) for s in NAMES}
    pairs = [(s, u) for s in NAMES for u in range(H)]
    best_s, best_u = max(pairs, key=lambda p: abs(r[p[0]][p[1]]))
    mine = r[signal][unit]
    if (signal, unit) == (best_s, best_u):
        return (f"{NAMES[signal]} of unit {unit} follows the {name} with r = {mine:+.2f}, the "
                f"largest |r| of the {2 * H} (signal, unit) pairs.")
    if unit == best_u:
        raise NotYet(f"Right unit, other signal: {NAMES[signal]} of unit {unit} has r = "
                     f"{mine:+.2f}; the same unit's other signal follows the {name} more closely.")
    for other, fn in CODE_PROPERTIES.items():
        if other == name:
            continue
        r_other = unit_correlations(reading.signal(signal)[:, [unit]], fn(reading.text))[0]
        if abs(r_other) > 0.8 and abs(r_other) > abs(mine):
            raise NotYet(f"{NAMES[signal]} of unit {unit} tracks the {other} (r = "
                         f"{r_other:+.2f}), not the {name} (r = {mine:+.2f}). Rank the units by "
                         f"the {name!r} property instead.")
    better = sum(abs(r[s][u]) > abs(mine) for s in NAMES for u in range(H))
    raise NotYet(f"{NAMES[signal]} of unit {unit} has r = {mine:+.2f} with the {name}; {better} "
                 f"(signal, unit) pairs do better. Hint: rank by |r|, the size of the "
                 f"correlation whatever its sign (best_units(reading)[{name!r}]).")


@check
def check_12_forget_gate_at_opening(answer, reading):
    """The mean forget gate f_t of the prose unit (prose_unit) over the characters that open a
    string or a comment, in the LSTM's `reading`."""
    value = read_number(answer, "mean f_t")
    reading = checked_reading(reading)
    unit = prose_unit(reading)
    opens = _openings(reading.text)
    if len(opens) == 0:
        raise NotYet("This text opens no string or comment; use the held-out reading of the "
                     "notebook.")
    f = reading.f[:, unit]
    truth = float(f[opens].mean())
    if within_decimals(value, truth, 3):
        elsewhere = float(np.delete(f, opens).mean())
        return (f"{value:.3f} is it, to three decimals: at the {len(opens)} openings unit "
                f"{unit}'s forget gate is {truth:.2f} on average, against {elsewhere:.2f} at "
                "the other characters: it forgets there.")
    if not 0 <= value <= 1:
        raise NotYet(f"{value:.3f} cannot be a mean of f_t: a sigmoid gate lies between 0 and 1.")
    slips = [(float(reading.signal(s)[opens, unit].mean()),
              f"the mean {name} there; the exercise asks for the forget gate, reading.f")
             for name, s in (("input gate i_t", "i"), ("output gate o_t", "o"))]
    slips += [(float(f[np.minimum(opens + 1, len(f) - 1)].mean()),
               "the gate one character after the opening; take it at the opening itself (the "
               "positions switches(text, 'string or comment'))"),
              (float(f[np.maximum(opens - 1, 0)].mean()),
               "the gate one character before the opening; take it at the opening itself"),
              (float(f.mean()), "the mean over every character; the exercise asks only at the "
               "characters that open a string or a comment")]
    if opens[0] == 0:
        slips.append((float(f[opens[1:]].mean()), "the mean without the opening at character 0 "
                      "(the text starts with a comment): np.diff misses it"))
    gap = abs(value - truth)
    for wrong, what in sorted(slips, key=lambda s: abs(value - s[0])):
        if abs(value - wrong) < gap and within_decimals(value, wrong, 3):
            raise NotYet(f"{value:.3f} is {what}.")
    near_miss(value, [truth], 3, f"{value:.6g}")
    raise NotYet(f"{value:.3f} is off. Hint: take reading.f[opens, {unit}].mean(), with opens "
                 f"the positions where 'string or comment' turns on.")

"""The input sequences the panels offer, and reading one a learner types. numpy only."""
import re

import numpy as np

SEQUENCES = {  # kind: label in the panels' drop-down
    "ramp": "ramp 1, 2, 3, …",
    "step": "step 0, …, 0, 1, …, 1",
    "sine": "sine, period 8",
    "pulse": "single pulse at t = 2",
    "noise": "noise (seeded)",
    "cue": "value 2, zeros, cue −3 at t = T",
}
CUE_VALUE, CUE = 2.0, -3.0   # the 'cue' sequence: a value to store at t = 1, the cue at t = T
MAX_T = 40        # longest sequence a panel shows
MAX_ABS_X = 1000  # largest |x_t| a panel accepts
MAX_TEXT = 2000   # longest typed sequence, in characters (40 numbers of up to 50 characters)


def input_sequence(kind, T):
    """The input x_1..x_T of kind 'ramp' (1, 2, 3, ...), 'step' (0 for t <= T//2, then 1),
    'sine' (sin 2 pi (t-1)/8), 'pulse' (1 at t = 2, else 0; at t = 1 when T = 1) or 'noise'
    (standard normal from np.random.default_rng(0)) or 'cue' (CUE_VALUE = 2 at t = 1, zeros, then
    CUE = -3 at t = T: a value to keep hidden and show on the cue; [2] when T = 1).
    Returns a float array (T,)."""
    if kind not in SEQUENCES:
        raise ValueError(f"kind must be one of {', '.join(map(repr, SEQUENCES))}; got {kind!r}")
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ValueError(f"T must be a whole number of time steps >= 1; got {T!r}")
    t = np.arange(1, T + 1)
    if kind == "ramp":
        return t.astype(float)
    if kind == "step":
        return (t > T // 2).astype(float)
    if kind == "sine":
        return np.sin(2 * np.pi * (t - 1) / 8)
    if kind == "pulse":
        return (t == min(2, T)).astype(float)
    if kind == "cue":
        xs = np.zeros(T)
        xs[-1] = CUE
        xs[0] = CUE_VALUE
        return xs
    return np.random.default_rng(0).standard_normal(T)


def parse_sequence(text):
    """The numbers in `text`, e.g. "1, 2, 3" -> array([1., 2., 3.]) (T,).

    Commas or semicolons (with or without spaces), or spaces alone, separate the numbers. Raises
    ValueError with a message for a learner when the text is longer than MAX_TEXT characters, a
    piece is not a number (nan included), two separators have nothing between them, there
    is no number, more than MAX_T of them, or one beyond +-MAX_ABS_X; TypeError when `text` is
    not a string. A message quotes at most 20 characters of what was typed.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string such as '1, 2, 3'; got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ValueError(f"That text is {len(text):,} characters long; type at most {MAX_T} "
                         f"numbers ({MAX_TEXT:,} characters), e.g. 1, 2, 3.")
    body = text.strip().strip(",;").strip()
    pieces = re.split(r"\s*[,;]\s*|\s+", body) if body else []
    if not pieces:
        raise ValueError("Type at least one number, e.g. 1, 2, 3.")
    if "" in pieces:
        raise ValueError("Two commas (or semicolons) with no number between them: type one "
                         "number between each two, e.g. 1, 2, 3.")
    values = []
    for p in pieces:
        shown = p if len(p) <= 20 else p[:20] + "…"
        try:
            v = float(p)
        except ValueError:
            raise ValueError(f"'{shown}' is not a number. Type numbers separated by commas, "
                             f"e.g. 1, 2, 3.") from None
        if np.isnan(v):
            raise ValueError(f"'{shown}' is not a number. Type numbers between {-MAX_ABS_X} "
                             f"and {MAX_ABS_X}, separated by commas, e.g. 1, 2, 3.")
        if abs(v) > MAX_ABS_X:
            raise ValueError(f"'{shown}' is out of range: use numbers between {-MAX_ABS_X} "
                             f"and {MAX_ABS_X}.")
        values.append(v)
    if len(values) > MAX_T:
        raise ValueError(f"That is {len(values)} numbers; a panel shows at most {MAX_T}.")
    return np.array(values)

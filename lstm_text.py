"""Reading the cells of a character model: a small language with structure a person can name, a
character-level LSTM (and a vanilla RNN) trained on it, and tools to find the units that track it.

The language (`generate_text`, seeded, nothing downloaded) has lines of made-up words that end in
"." and a line break; words may be grouped in brackets "( ... )" nested up to depth 4, or quoted
'" ... "' (a quote holds only words). Properties of every character that can be named and
computed (`PROPERTIES`): its bracket depth, whether it is inside a quote, its column in the line
and how far the line's end is.

The training itself (softmax read-out, cross-entropy, truncated BPTT, sampling) lives in
lstm_learn.py; this file holds the language, the recipe of the shipped models
(lstm_classroom/data/char_lstm.npz and char_rnn.npz, written by scripts/train_char_model.py),
their loader, and the reading (lstm_classroom.text_html colours a text by one signal):

    read_cells(model, text)          every unit's C_t, h_t and gates i, f, g, o per character
    rank_units / best_unit           units ranked by |Pearson r| with a named property
    gate_saturation, dead_units,     a gate stuck near 0 or 1, a unit that never moves,
    find_counters                    a cell state that counts (linear in depth or column)

Symbols: T characters, V the vocabulary size, H hidden units; every per-character array is (T,)
and every per-unit-per-character array (T, H). Signal t is the state after reading character t,
and a property at t is what could be known after reading it.

References: Karpathy, Johnson & Fei-Fei (2015), Visualizing and Understanding Recurrent Networks;
Graves (2013), Generating Sequences with Recurrent Neural Networks.
"""
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lstm_core import LSTMCell
from lstm_learn import (
    RNNCell,
    char_loss,
    random_lstm,
    random_rnn,
    run_chars,
    sample_ids,
    train_chars,
)

# ---- the language -----------------------------------------------------------------------------

CONSONANTS, VOWELS = "klmnprst", "aeiou"
VOCAB = "\n \"(),." + "".join(sorted(CONSONANTS + VOWELS))   # 20 characters, "\n" is id 0
MAX_DEPTH = 4            # brackets nest at most this deep
MAX_LINE = 72            # characters per line at most, "." included, "\n" not
LEXICON_SEED = 2024      # the words of the language: the same for every text


def _lexicon(n=40):
    """n made-up words of 1-3 consonant-vowel syllables, some ending in n, s or t; sorted."""
    rng = np.random.default_rng(LEXICON_SEED)
    words = set()
    while len(words) < n:
        w = "".join(rng.choice(list(CONSONANTS)) + rng.choice(list(VOWELS))
                    for _ in range(rng.choice([1, 2, 2, 3])))
        words.add(w + (rng.choice(list("nst")) if rng.random() < 0.3 else ""))
    return tuple(sorted(words))


WORDS = _lexicon()
_ZIPF = 1 / np.arange(1, len(WORDS) + 1)        # word k is drawn with probability ~ 1/(k + 1)
_ZIPF /= _ZIPF.sum()
_GROUP_P = (0.5, 0.45, 0.4, 0.35)                # chance that an item at depth d opens a bracket
_QUOTE_P = 0.62                                  # items below this (and above _GROUP_P) quote


def _word(rng):
    return WORDS[rng.choice(len(WORDS), p=_ZIPF)]


def _items(rng, depth, n):
    """n items joined by spaces at bracket depth `depth`: words, brackets, quotes."""
    out = []
    for _ in range(n):
        r = rng.random()
        if depth < MAX_DEPTH and r < _GROUP_P[depth]:
            out.append("(" + _items(rng, depth + 1, int(rng.integers(1, 4))) + ")")
        elif depth < MAX_DEPTH and r < _QUOTE_P:
            out.append('"' + " ".join(_word(rng) for _ in range(rng.integers(1, 4))) + '"')
        else:
            out.append(_word(rng) + ("," if depth == 0 and rng.random() < 0.1 else ""))
    return " ".join(out)


def _line(rng):
    while True:
        s = _items(rng, 0, int(rng.integers(1, 5))).rstrip(",") + "."
        if len(s) <= MAX_LINE:
            return s + "\n"


def generate_text(n_chars, seed):
    """At least n_chars characters of the language, whole lines, the same for the same seed.

    >>> generate_text(60, seed=0)[:24]    # doctest: +SKIP
    '(("nase") ken).\\n"marus".'
    """
    if int(n_chars) != n_chars or n_chars < 1:
        raise ValueError(f"n_chars must be a whole number >= 1; got {n_chars!r}")
    rng = np.random.default_rng(seed)
    lines, total = [], 0
    while total < n_chars:
        lines.append(_line(rng))
        total += len(lines[-1])
    return "".join(lines)


# ---- the named properties, one number per character ---------------------------------------------

def _check_text(text):
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    return text


def in_quote(text):
    """1 for every character inside a quote, the opening '"' included and the closing one not;
    0 elsewhere. A (T,) int array: what is known after reading each character."""
    q, out = 0, np.zeros(len(_check_text(text)), np.int64)
    for t, ch in enumerate(text):
        q ^= ch == '"'
        out[t] = q
    return out


def bracket_depth(text):
    """How many brackets are open after reading each character: "(" counts itself, ")" does not.
    Brackets inside a quote are text and do not count; an unmatched ")" is ignored (the depth
    never goes below 0). A (T,) int array."""
    q, d, out = False, 0, np.zeros(len(_check_text(text)), np.int64)
    for t, ch in enumerate(text):
        if ch == '"':
            q = not q
        elif not q and ch == "(":
            d += 1
        elif not q and ch == ")":
            d = max(d - 1, 0)
        out[t] = d
    return out


def line_position(text):
    """The column of each character: 0 for the first of a line, and the line's length for the
    "\\n" that ends it. A (T,) int array."""
    col, out = 0, np.zeros(len(_check_text(text)), np.int64)
    for t, ch in enumerate(text):
        out[t] = col
        col = 0 if ch == "\n" else col + 1
    return out


def chars_to_line_end(text):
    """How many characters come before the line's "\\n": 0 for the "\\n" itself (for a last line
    without one, 0 for the text's last character). A (T,) int array; unlike the others it looks
    ahead, so a model can only estimate it."""
    end, out = len(_check_text(text)) - 1, np.zeros(len(text), np.int64)
    for t in range(len(text) - 1, -1, -1):
        if text[t] == "\n":
            end = t
        out[t] = end - t
    return out


PROPERTIES = {"bracket depth": bracket_depth, "inside quote": in_quote,
              "line position": line_position, "chars to line end": chars_to_line_end}


def property_values(text, prop):
    """A property of every character of text: prop is a name in PROPERTIES or a (T,) array."""
    if isinstance(prop, str):
        if prop not in PROPERTIES:
            raise ValueError(f"unknown property {prop!r}; the named ones are "
                             f"{', '.join(map(repr, PROPERTIES))}, or pass a (T,) array")
        return PROPERTIES[prop](text).astype(np.float64)
    a = np.asarray(prop, np.float64)
    if a.shape != (len(text),):
        raise ValueError(f"a property array must have one value per character, shape "
                         f"({len(text)},); got {a.shape}")
    return a


# ---- a character model: cell, vocabulary, and its file ------------------------------------------

@dataclass
class CharModel:
    """A trained character model: an LSTMCell or RNNCell whose read-out W_y (V, H), b_y (V,)
    gives one logit per character of `vocab` (a str of V distinct characters)."""
    cell: object
    vocab: str = VOCAB
    info: dict = field(default_factory=dict)

    @property
    def kind(self):
        return "lstm" if isinstance(self.cell, LSTMCell) else "rnn"

    @property
    def hidden_size(self):
        return self.cell.hidden_size

    @property
    def n_parameters(self):
        return sum(getattr(self.cell, k).size for k in _WEIGHTS)

    def encode(self, text):
        """text -> (T,) int64 ids, or a ValueError naming the first character not in vocab."""
        index = {ch: k for k, ch in enumerate(self.vocab)}
        ids = np.fromiter((index.get(ch, -1) for ch in _check_text(text)), np.int64, len(text))
        if (ids < 0).any():
            t = int(np.argmax(ids < 0))
            raise ValueError(f"character {text[t]!r} at position {t} is not in the model's "
                             f"vocabulary {self.vocab!r}")
        return ids

    def decode(self, ids):
        return "".join(self.vocab[k] for k in np.asarray(ids).ravel())

    def __repr__(self):
        return (f"CharModel({self.kind}, H={self.hidden_size}, V={len(self.vocab)}, "
                f"{self.n_parameters} parameters)")


_WEIGHTS = ("weight_ih", "weight_hh", "bias", "W_y", "b_y")


def save_char_model(path, model):
    """Write model to a compressed .npz: kind and vocab as unicode arrays, the five weight arrays
    (float32), and every number in model.info; nothing pickled."""
    info = {f"info_{k}": np.asarray(v) for k, v in model.info.items()}
    for k, v in info.items():
        if v.dtype.kind not in "biufU":
            raise TypeError(f"model.info[{k[5:]!r}] must be a number or a str; got {v.dtype}")
    weights = {k: getattr(model.cell, k).astype(np.float32) for k in _WEIGHTS}
    np.savez_compressed(path, kind=np.array(model.kind), vocab=np.array(list(model.vocab)),
                        **weights, **info)


def load_char_model(path):
    """A CharModel from a file written by `save_char_model`, loaded with allow_pickle=False.

    Raises FileNotFoundError when there is no file, and ValueError naming the file and what is
    wrong when it is not a .npz, lacks an array, holds a pickled object, or has weights whose
    shapes do not fit together or fit the vocabulary.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no character model at {path}; scripts/train_char_model.py "
                                f"writes lstm_classroom/data/char_lstm.npz and char_rnn.npz")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != b"PK\x03\x04":          # a .npz is a zip archive of .npy files
        raise ValueError(f"{path} is not a readable .npz file: it does not start like a zip "
                         f"archive (its first bytes are {magic!r}); save_char_model writes one")
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise ValueError(f"{path} holds a pickled (object) array; a character model file "
                             f"holds only numbers and unicode strings") from None
        raise ValueError(f"{path} is not a readable .npz file ({err})") from None
    except (OSError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(f"{path} is not a readable .npz file ({err})") from None
    missing = [k for k in ("kind", "vocab") + _WEIGHTS if k not in arrays]
    if missing:
        raise ValueError(f"{path} is missing the array(s) {', '.join(missing)}; a character model "
                         f"file has kind, vocab, {', '.join(_WEIGHTS)}")
    kind, vocab = arrays["kind"], arrays["vocab"]
    if kind.dtype.kind != "U" or kind.shape != () or str(kind) not in ("lstm", "rnn"):
        raise ValueError(f"{path}: 'kind' must be the string 'lstm' or 'rnn'; got {kind!r}")
    if vocab.dtype.kind != "U" or vocab.ndim != 1 or any(len(ch) != 1 for ch in vocab):
        raise ValueError(f"{path}: 'vocab' must be a 1-D unicode array of single characters; "
                         f"got dtype {vocab.dtype}, shape {vocab.shape}")
    vocab = "".join(vocab.tolist())
    if len(set(vocab)) != len(vocab):
        raise ValueError(f"{path}: the vocabulary repeats a character: {vocab!r}")
    weights = {k: arrays[k] for k in _WEIGHTS}
    try:
        cell = (LSTMCell if str(kind) == "lstm" else RNNCell)(**weights)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path}: the {kind} weights do not fit together: {err}") from None
    V = len(vocab)
    if cell.input_size != V or cell.W_y.shape[0] != V:
        raise ValueError(f"{path}: the vocabulary has {V} characters, but the cell reads "
                         f"D = {cell.input_size} and W_y predicts K = {cell.W_y.shape[0]}; "
                         f"all three must be equal")
    info = {k[5:]: (v.item() if v.ndim == 0 else v) for k, v in arrays.items()
            if k.startswith("info_")}
    return CharModel(cell, vocab, info)


# ---- training recipes (what scripts/train_char_model.py runs) -----------------------------------

TRAIN_SEED, HELDOUT_SEED = 1, 2          # the texts
TRAIN_CHARS, HELDOUT_CHARS = 200_000, 20_000
RECIPES = {   # H of the RNN chosen so both have about the same number of parameters
    "lstm": {"hidden": 64, "steps": 8000, "batch": 32, "seq_len": 64, "lr": 3e-3,
             "lr_final": 3e-4, "clip": 1.0, "seed": 0},
    "rnn": {"hidden": 134, "steps": 8000, "batch": 32, "seq_len": 64, "lr": 2e-3,
            "lr_final": 2e-4, "clip": 1.0, "seed": 0},
}
DATA = Path(__file__).resolve().parent / "lstm_classroom" / "data"   # shipped with the package
SHIPPED = {"lstm": DATA / "char_lstm.npz", "rnn": DATA / "char_rnn.npz"}


def new_char_model(kind, hidden, seed=0, dtype=np.float64):
    """An untrained model of `kind` ('lstm' or 'rnn') with `hidden` units over VOCAB, PyTorch's
    initialisation from `seed` (the LSTM's forget-gate bias 1)."""
    V, rng = len(VOCAB), np.random.default_rng(seed)
    if kind == "lstm":
        cell = random_lstm(V, hidden, rng, K=V, dtype=dtype)
    elif kind == "rnn":
        cell = random_rnn(V, hidden, rng, K=V, dtype=dtype)
    else:
        raise ValueError(f"kind must be 'lstm' or 'rnn'; got {kind!r}")
    return CharModel(cell, VOCAB)


def train_char_model(kind, *, hidden, steps, batch=32, seq_len=64, lr=3e-3, lr_final=None,
                     clip=1.0, seed=0, text=None, callback=None, dtype=np.float32):
    """A model of `kind` trained on `text` (default: the TRAIN_SEED text) by lstm_learn.train_chars.

    callback(step, loss) is called after every update. float32 (the default) trains about twice
    as fast as float64 here and is what the shipped files store. Returns (model, losses (steps,)).
    """
    text = generate_text(TRAIN_CHARS, TRAIN_SEED) if text is None else text
    model = new_char_model(kind, hidden, seed, dtype)
    losses = train_chars(model.cell, model.encode(text), steps=steps, batch=batch,
                         seq_len=seq_len, lr=lr, lr_final=lr_final, clip=clip, seed=seed,
                         callback=callback)
    model.info.update(kind=kind, hidden=hidden, steps=steps, seed=seed,
                      final_train_loss=float(losses[-50:].mean()))
    return model, losses


def train_recipe(kind, callback=None):
    """Train the model of RECIPES[kind] from its seed: what scripts/train_char_model.py ships."""
    return train_char_model(kind, **RECIPES[kind], callback=callback)


def live_retrain(steps=600, hidden=32, seed=0, callback=None):
    """A short training run for a notebook's live loss curve: an LSTM of `hidden` units, `steps`
    updates on chunks of 16 x 32 characters (about 6-12 s for the defaults on one core; under
    30 s on a busy machine). Returns (model, losses); the loss falls from log(20) = 3.0 to about
    1.0 nats per character, while the shipped model reaches about 0.85."""
    return train_char_model("lstm", hidden=hidden, steps=steps, batch=16, seq_len=32, lr=1e-2,
                            lr_final=3e-3, clip=1.0, seed=seed,
                            text=generate_text(40_000, TRAIN_SEED), callback=callback)


def heldout_text(n_chars=HELDOUT_CHARS):
    """Text the shipped models never saw in training (seed HELDOUT_SEED)."""
    return generate_text(n_chars, HELDOUT_SEED)


def evaluate(model, text):
    """Mean cross-entropy in nats per character of model on text (log V is guessing: 3.0 for the
    20 characters of notebook 10's language, 4.56 for the 96 of notebook 12's)."""
    return char_loss(model.cell, model.encode(text))


def sample_text(model, n=200, *, start="\n", temperature=1.0, seed=0):
    """n characters sampled from model after reading `start`; the same seed gives the same text."""
    ids = sample_ids(model.cell, model.encode(start), n, temperature=temperature,
                     rng=np.random.default_rng(seed))
    return model.decode(ids)


# ---- reading the cells -------------------------------------------------------------------------

@dataclass
class CellReading:
    """Every signal of a model reading `text`, one row per character: h (T, H) for either
    cell, and for an LSTM also c, i, f, g, o (T, H) (None for an RNN)."""
    text: str
    kind: str
    h: np.ndarray
    c: np.ndarray = None
    i: np.ndarray = None
    f: np.ndarray = None
    g: np.ndarray = None
    o: np.ndarray = None

    @property
    def signals(self):
        """The names of the signals this reading has: c, h, i, f, g, o or just h."""
        return ("c", "h", "i", "f", "g", "o") if self.kind == "lstm" else ("h",)

    def signal(self, name):
        """The (T, H) array of a signal, or a ValueError saying which ones there are."""
        if name not in self.signals:
            raise ValueError(f"an {self.kind.upper()} reading has the signals "
                             f"{', '.join(self.signals)}; got {name!r}")
        return getattr(self, name)

    def __repr__(self):
        return f"CellReading({self.kind}, T={len(self.text)}, H={self.h.shape[1]})"


def read_cells(model, text):
    """Run model over text from a zero state; every signal after every character, (T, H) each."""
    if len(_check_text(text)) == 0:
        raise ValueError("text is empty; read_cells needs at least one character")
    trace, _, _ = run_chars(model.cell, model.encode(text)[:, None])
    sig = {k: np.asarray(getattr(trace, k))[:, 0].astype(np.float64)
           for k in (("c", "h", "i", "f", "g", "o") if model.kind == "lstm" else ("h",))}
    return CellReading(text, model.kind, **sig)


@dataclass
class UnitMatch:
    """One unit's Pearson correlation r with a property, for one signal."""
    signal: str
    unit: int
    r: float

    def __repr__(self):
        return f"UnitMatch({self.signal}[{self.unit}], r={self.r:+.3f})"


def correlations(values, prop):
    """Pearson r of every column of values (T, H) with prop (T,): an (H,) array; 0 for a column
    (or a property) that never changes."""
    x = np.asarray(values, np.float64)
    y = np.asarray(prop, np.float64)
    x, y = x - x.mean(axis=0), y - y.mean()
    den = np.sqrt((x * x).sum(axis=0) * (y * y).sum())
    safe = np.where(den > 1e-12, den, 1.0)
    return np.where(den > 1e-12, (y @ x) / safe, 0.0)


def rank_units(reading, prop, signals=("c", "h")):
    """Every (signal, unit) ranked by |Pearson r| with prop (a name in PROPERTIES or a (T,) array),
    the best first. Signals the reading lacks (c for an RNN) are left out."""
    y = property_values(reading.text, prop)
    found = [UnitMatch(s, int(u), float(r)) for s in signals if s in reading.signals
             for u, r in enumerate(correlations(reading.signal(s), y))]
    if not found:
        raise ValueError(f"none of the signals {signals} is in an {reading.kind.upper()} reading "
                         f"(it has {', '.join(reading.signals)})")
    return sorted(found, key=lambda m: -abs(m.r))


def best_unit(reading, prop, signals=("c", "h")):
    """The unit whose signal follows prop best: a UnitMatch with its signal, unit and r."""
    return rank_units(reading, prop, signals)[0]


def gate_saturation(reading, gate, margin=0.05):
    """For every unit, the fraction of characters at which `gate` (i, f or o) is within margin
    of 0 or of 1: an (H,) array. Near 1 the gate is saturated: it acts as a switch."""
    if gate not in ("i", "f", "o"):
        raise ValueError(f"gate must be 'i', 'f' or 'o' (the sigmoid gates); got {gate!r}")
    a = reading.signal(gate)
    return ((a < margin) | (a > 1 - margin)).mean(axis=0)


def saturated_units(reading, gate, margin=0.05, min_fraction=0.9):
    """The units whose gate sits within margin of 0 or 1 at least min_fraction of the time."""
    return np.flatnonzero(gate_saturation(reading, gate, margin) >= min_fraction)


def dead_units(reading, signal="h", tol=0.02):
    """The units whose signal barely moves: standard deviation over the text below tol."""
    return np.flatnonzero(reading.signal(signal).std(axis=0) < tol)


@dataclass
class CounterFit:
    """A straight line C_t ~ slope * property + intercept for one unit: r2 is the fraction of the
    variance it explains; means[k] is the unit's mean at the k-th smallest property value, and
    monotonic says whether those means always rise (or always fall) with the property."""
    unit: int
    slope: float
    intercept: float
    r2: float
    levels: np.ndarray
    means: np.ndarray
    monotonic: bool

    @property
    def is_counter(self):
        return self.monotonic and self.r2 >= 0.8

    def __repr__(self):
        return (f"CounterFit(unit {self.unit}: {self.slope:+.3f} per step, r2={self.r2:.3f}, "
                f"monotonic={self.monotonic})")


def counter_fit(reading, prop, unit, signal=None):
    """Fit one unit's signal (default: C_t for an LSTM, h_t for an RNN) as a straight line in
    prop (e.g. bracket depth): a CounterFit."""
    y = property_values(reading.text, prop)
    x = reading.signal(signal or reading.signals[0])[:, unit]
    slope, intercept = np.polyfit(y, x, 1) if np.ptp(y) > 0 else (0.0, float(x.mean()))
    r2 = float(correlations(x[:, None], y)[0] ** 2)
    levels = np.unique(y)
    means = np.array([x[y == v].mean() for v in levels])
    steps = np.diff(means)
    return CounterFit(int(unit), float(slope), float(intercept), r2, levels, means,
                      bool(len(steps) > 0 and (np.all(steps > 0) or np.all(steps < 0))))


def find_counters(reading, prop, signal=None, min_r2=0.8):
    """Units whose signal (default: C_t for an LSTM, h_t for an RNN) counts prop: monotonic in
    it, a straight line explaining >= min_r2 of the variance. A list of CounterFit, best first."""
    fits = [counter_fit(reading, prop, u, signal) for u in range(reading.h.shape[1])]
    return sorted((f for f in fits if f.monotonic and f.r2 >= min_r2), key=lambda f: -f.r2)


# ---- summaries: one model, and the LSTM against the RNN -----------------------------------------

@dataclass
class ModelSummary:
    """What a model does with a text: its loss, a sample, and per property the best unit."""
    kind: str
    hidden: int
    n_parameters: int
    loss: float
    sample: str
    best: dict

    def __str__(self):
        head = (f"{self.kind.upper()}  H={self.hidden}  {self.n_parameters} parameters  "
                f"loss {self.loss:.3f} nats/char")
        rows = [head]
        rows += [f"  {p:<18} best {m.signal}[{m.unit}]  r = {m.r:+.3f}"
                 for p, m in self.best.items()]
        return "\n".join(rows)


def summarise(model, text, *, properties=tuple(PROPERTIES), n_sample=200, seed=0):
    """Loss of model on text, a sample of n_sample characters (seeded), and the best unit for
    each named property in `properties`."""
    reading = read_cells(model, text)
    return ModelSummary(model.kind, model.hidden_size, model.n_parameters, evaluate(model, text),
                        sample_text(model, n_sample, seed=seed),
                        {p: best_unit(reading, p) for p in properties})


# ---- real text: a slice of Python's own standard library (notebook 12) --------------------------
#
# lstm_classroom/data/python_train.txt and python_heldout.txt are 25 and 5 modules of the Python
# 3.10.13 standard library (PSF licence, python_LICENSE.txt beside them), written by
# scripts/make_python_corpus.py. scripts/train_code_model.py trains the two models below on the
# first and writes code_lstm.npz and code_rnn.npz; notebook 12 reads their cells on the second.

CODE_VOCAB = "\n" + "".join(chr(k) for k in range(32, 127))   # line break + printable ASCII: 96
CODE_FILES = {"train": DATA / "python_train.txt", "heldout": DATA / "python_heldout.txt"}
CODE_SHIPPED = {"lstm": DATA / "code_lstm.npz", "rnn": DATA / "code_rnn.npz"}
CODE_RECIPES = {   # the RNN's H chosen so both have about the same number of parameters
    "lstm": {"hidden": 96, "steps": 8000, "batch": 32, "seq_len": 64, "lr": 3e-3,
             "lr_final": 3e-4, "clip": 1.0, "seed": 0},
    "rnn": {"hidden": 210, "steps": 8000, "batch": 32, "seq_len": 64, "lr": 2e-3,
            "lr_final": 2e-4, "clip": 1.0, "seed": 0},
}
# then, for both, a second phase from the first's weights (a fresh Adam): longer windows, so that
# the gradient reaches back across more of a docstring
CODE_MORE = {"steps": 6000, "batch": 16, "seq_len": 128, "lr": 1e-3, "lr_final": 1e-4,
             "clip": 1.0, "seed": 1}
LOG_EVERY = 100   # the shipped training log: the mean loss of every 100 steps


def code_text(split="heldout"):
    """The shipped Python source: split 'train' (715 266 characters) or 'heldout' (55 369,
    never seen in training)."""
    if split not in CODE_FILES:
        raise ValueError(f"split must be 'train' or 'heldout'; got {split!r}")
    return CODE_FILES[split].read_text(encoding="ascii")


def new_code_model(kind, hidden, seed=0, dtype=np.float64):
    """An untrained model of `kind` ('lstm' or 'rnn') with `hidden` units over CODE_VOCAB."""
    V, rng = len(CODE_VOCAB), np.random.default_rng(seed)
    if kind not in ("lstm", "rnn"):
        raise ValueError(f"kind must be 'lstm' or 'rnn'; got {kind!r}")
    make = random_lstm if kind == "lstm" else random_rnn
    return CharModel(make(V, hidden, rng, K=V, dtype=dtype), CODE_VOCAB)


def training_log(losses, every=LOG_EVERY):
    """The mean of every `every` consecutive losses: a (len(losses) // every,) array."""
    losses = np.asarray(losses, np.float64)
    n = len(losses) // every
    return losses[:n * every].reshape(n, every).mean(axis=1)


def train_code_model(kind, *, hidden, steps, batch=32, seq_len=64, lr=3e-3, lr_final=None,
                     clip=1.0, seed=0, text=None, callback=None, dtype=np.float32):
    """A model of `kind` trained on `text` (default: code_text('train')) by
    lstm_learn.train_chars; returns (model, losses (steps,)). model.info keeps the recipe and
    the training log (training_log(losses))."""
    text = code_text("train") if text is None else text
    model = new_code_model(kind, hidden, seed, dtype)
    losses = train_chars(model.cell, model.encode(text), steps=steps, batch=batch,
                         seq_len=seq_len, lr=lr, lr_final=lr_final, clip=clip, seed=seed,
                         callback=callback)
    model.info.update(kind=kind, hidden=hidden, steps=steps, seed=seed, lr=lr,
                      lr_final=lr if lr_final is None else lr_final,
                      final_train_loss=float(losses[-LOG_EVERY:].mean()),
                      loss_log=training_log(losses))
    return model, losses


def train_code_recipe(kind, steps=None, callback=None):
    """Train CODE_RECIPES[kind] from its seed: what scripts/train_code_model.py ships. With
    `steps` fewer than the recipe's, only its first `steps` updates, on the same learning-rate
    schedule (what the slow test retrains)."""
    recipe = dict(CODE_RECIPES[kind])
    full = recipe["steps"]
    if steps is not None and steps < full:
        lr, lr_final = recipe["lr"], recipe["lr_final"]
        recipe.update(steps=steps, lr_final=lr + (lr_final - lr) * (steps - 1) / (full - 1))
    return train_code_model(kind, **recipe, callback=callback)


def _code_scan(text):
    """One pass of a small Python scanner over text: (string, comment, depth) per character.

    string : 1 inside a string literal ('...', "...", '''...''', \"\"\"...\"\"\"), its opening
             quote(s) included and its closing one(s) not; a backslash escapes the next character;
             a one-line string ends (unclosed) at the line break.
    comment: 1 from a '#' outside a string to the end of its line, the line break not included.
    depth  : brackets ( [ { open outside strings and comments after each character; an opening
             bracket counts itself, a closing one does not; never below 0.
    Any text is accepted (it need not be valid Python); three (T,) int arrays.
    """
    T = len(_check_text(text))
    string, comment, depth = (np.zeros(T, np.int64) for _ in range(3))
    quote, in_comment, d, t = "", False, 0, 0
    while t < T:
        ch = text[t]
        if in_comment:
            if ch == "\n":
                in_comment = False
            else:
                comment[t] = 1
        elif quote:
            if ch == "\\" and t + 1 < T:
                string[t:t + 2], depth[t:t + 2] = 1, d
                t += 2
                continue
            if text.startswith(quote, t):              # the closing quote(s): outside again
                depth[t:t + len(quote)] = d
                t += len(quote)
                quote = ""
                continue
            if ch == "\n" and len(quote) == 1:         # a one-line string left open
                quote = ""
            else:
                string[t] = 1
        elif ch == "#":
            in_comment, comment[t] = True, 1
        elif ch in "'\"":
            quote = ch * 3 if text.startswith(ch * 3, t) else ch
            string[t:t + len(quote)] = 1
            depth[t:t + len(quote)] = d
            t += len(quote)
            continue
        elif ch in "([{":
            d += 1
        elif ch in ")]}":
            d = max(d - 1, 0)
        depth[t] = d
        t += 1
    return string, comment, depth


def inside_string(text):
    """1 for every character inside a Python string literal (opening quotes included, closing not),
    0 elsewhere: a (T,) int array (see _code_scan)."""
    return _code_scan(text)[0]


def inside_comment(text):
    """1 for every character of a '#' comment (the '#' included, the line break not): (T,) ints."""
    return _code_scan(text)[1]


def code_bracket_depth(text):
    """How many of ( [ { are open after each character, outside strings and comments: (T,) ints."""
    return _code_scan(text)[2]


def indentation(text):
    """The indentation of each character's line as far as it is known after reading it: within
    the leading spaces, how many have been read; after them (and for the line break), the
    line's number of leading spaces. A (T,) int array."""
    out, indent, leading = np.zeros(len(_check_text(text)), np.int64), 0, True
    for t, ch in enumerate(text):
        if leading and ch == " ":
            indent += 1
        elif ch != "\n":
            leading = False
        out[t] = indent
        if ch == "\n":
            indent, leading = 0, True
    return out


def string_or_comment(text):
    """1 for every character inside a string or a comment (prose, most of it), else 0: (T,) ints."""
    string, comment, _ = _code_scan(text)
    return string | comment


def leading_space(text):
    """1 for each of the spaces that indent a line (those before its first other character),
    0 for every other character: (T,) ints."""
    out, leading = np.zeros(len(_check_text(text)), np.int64), True
    for t, ch in enumerate(text):
        leading = ch == " " and leading
        out[t] = leading
        if ch == "\n":
            leading = True
    return out


CODE_PROPERTIES = {"inside string": inside_string, "inside comment": inside_comment,
                   "string or comment": string_or_comment, "bracket depth": code_bracket_depth,
                   "indentation": indentation, "leading space": leading_space,
                   "line position": line_position}


def code_property(text, prop):
    """A property of every character of Python source: prop a name in CODE_PROPERTIES (a (T,)
    float array back), or a (T,) array of one number per character (checked, returned)."""
    if isinstance(prop, str):
        if prop not in CODE_PROPERTIES:
            raise ValueError(f"unknown property {prop!r}; the named ones are "
                             f"{', '.join(map(repr, CODE_PROPERTIES))}, or pass a (T,) array")
        return CODE_PROPERTIES[prop](text).astype(np.float64)
    return property_values(_check_text(text), prop)


def continue_code_model(model, *, steps, batch, seq_len, lr, lr_final, clip, seed, text=None,
                        callback=None):
    """Train `model` further in place (CODE_MORE, a fresh Adam) on `text` (default: the training
    text); its info gains the steps and the log of this phase. Returns (model, losses)."""
    text = code_text("train") if text is None else text
    losses = train_chars(model.cell, model.encode(text), steps=steps, batch=batch,
                         seq_len=seq_len, lr=lr, lr_final=lr_final, clip=clip, seed=seed,
                         callback=callback)
    log = np.asarray(model.info.get("loss_log", np.zeros(0)), np.float64)
    model.info.update(steps=int(model.info.get("steps", 0)) + steps,
                      more_steps=steps, more_seq_len=seq_len, more_lr=lr,
                      final_train_loss=float(losses[-LOG_EVERY:].mean()),
                      loss_log=np.concatenate([log, training_log(losses)]))
    return model, losses

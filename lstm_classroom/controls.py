"""Controls that only know their values: labelled sliders, a sequence choice, a text box.

A `Controls` holds named widgets, reads their values as one dict, puts them back to their
defaults, and calls its listeners when any of them changes (once for many changes inside
`hold()`). It draws nothing: a panel listens to it and redraws its figure.

It also writes its values as one short line a learner can copy ("a setting") and reads such a
line, or a small JSON file, back: parsed and checked against each control's range, never
executed. A setting that cannot be read raises `SettingError` and changes nothing.
"""
import json
import math
from contextlib import contextmanager

import ipywidgets as widgets

from lstm_classroom.inputs import MAX_T, SEQUENCES, parse_sequence
from lstm_classroom.lock import DRAW_LOCK
from lstm_classroom.slider import NamedIntSlider, NamedSlider
from lstm_classroom.style import TEXT

MAX_SETTING = 2000   # characters: a setting is one short line

# what each of the seed's weights sets, in words (also the slider's accessible description)
WEIGHT_WORDS = {
    "W_f": "the forget gate's input weight", "W_hf": "the forget gate's recurrent weight",
    "b_f": "the forget gate's bias",
    "W_i": "the input gate's input weight", "W_hi": "the input gate's recurrent weight",
    "b_i": "the input gate's bias",
    "W_c": "the candidate's input weight", "W_hc": "the candidate's recurrent weight",
    "b_c": "the candidate's bias",
    "W_o": "the output gate's input weight", "W_ho": "the output gate's recurrent weight",
    "b_o": "the output gate's bias",
    "W_y": "the read-out's weight", "b_y": "the read-out's bias",
}


def sub_html(letter, sub):
    """letter with a subscript, as widget labels allow it (their HTML has no <sub>):
    W, hf -> W_hf."""
    return f"<i>{letter}</i><span style='vertical-align:sub;font-size:75%'>{sub}</span>"


def symbol_html(name):
    """The equations' symbol for a weight name as HTML, e.g. 'W_hf' -> W with subscript hf."""
    return sub_html(*name.split("_"))


def slider_range(name):
    """(min, max) of the slider of weight `name`: biases +-8, read-out W_y +-10, b_y +-5,
    the other weights +-5 (enough to open or shut any gate)."""
    if name == "W_y":
        return -10.0, 10.0
    if name == "b_y":
        return -5.0, 5.0
    return (-8.0, 8.0) if name.startswith("b_") else (-5.0, 5.0)


def weight_slider(name, value):
    """A slider for weight `name`: labelled with its symbol, named for a screen reader with its
    words ("W_f, the forget gate's input weight"), steps of 0.1."""
    lo, hi = slider_range(name)
    return NamedSlider(value, lo, hi, 0.1, symbol_html(name), f"{name}, {WEIGHT_WORDS[name]}")


def sequence_dropdown(kind):
    """The choice of input sequence kind (SEQUENCES), labelled "input x_t"."""
    return widgets.Dropdown(
        options=[(label, k) for k, label in SEQUENCES.items()], value=kind,
        description="input " + sub_html("x", "t"), description_allow_html=True,
        style={"description_width": "4.5em"}, layout=widgets.Layout(width="270px"))


def length_slider(T):
    """The sequence length T, 1..MAX_T."""
    return NamedIntSlider(T, 1, MAX_T, "length <i>T</i>", "T, the number of time steps")


def sequence_text(text):
    """A text box for a typed input sequence, applied on Enter."""
    return widgets.Text(
        value=text, description="input " + sub_html("x", "t"), description_allow_html=True,
        placeholder="numbers separated by commas, e.g. 1, 2, 3; press Enter",
        continuous_update=False, style={"description_width": "4.5em"},
        layout=widgets.Layout(width="420px"))


def group(title, children, color=TEXT):
    """A titled column of controls; a bar in `color` (a gate's colour) marks the group."""
    head = widgets.HTML(f"<b style='color:{TEXT};border-left:6px solid {color};"
                        f"padding-left:5px'>{title}</b>")
    return widgets.VBox([head, *children], layout=widgets.Layout(margin="0 12px 4px 0"))


def row(*children):
    """Controls side by side, wrapping on a narrow screen."""
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap",
                                                              align_items="flex-start"))


class SettingError(ValueError):
    """A setting (line or JSON) that cannot be restored; the message says what was expected."""


class Controls:
    """Named value widgets, read and reset together.

    controls : dict name -> widget with a `value` (slider, dropdown, text box)
    kind     : the name of the panel these controls belong to, written into its settings
    limits   : name -> values -> (lo, hi): a slider whose range follows the other controls
               (the time step t: 1..T of the sequence); a setting is checked against the range
               its own values give, and `set` moves the slider's range before its value
    Attributes: widgets (that dict), defaults (their first values), reset (a Button that
    puts every control back to its default).
    """

    def __init__(self, controls, reset_label="reset", kind="panel", limits=None):
        self.kind = kind
        self.limits = dict(limits or {})
        self.widgets = dict(controls)
        self.defaults = {n: w.value for n, w in self.widgets.items()}
        self.reset = widgets.Button(description=reset_label, icon="undo",
                                    tooltip="every control back to where it started",
                                    layout=widgets.Layout(width="170px"))
        self._listeners = []
        self._held = 0
        self._changed = False
        for w in self.widgets.values():
            w.observe(self._on_change, names="value")
        self.reset.on_click(lambda _: self.set(**self.defaults))

    @property
    def values(self):
        """Every control's value, by name."""
        return {n: w.value for n, w in self.widgets.items()}

    def observe(self, callback):
        """Call callback() after every change (once after a `hold()` block)."""
        self._listeners.append(callback)

    def set(self, **values):
        """Set several controls at once; the listeners hear one change."""
        unknown = sorted(set(values) - set(self.widgets))
        if unknown:
            raise KeyError(f"no control named {unknown}; the controls are {list(self.widgets)}")
        with self.hold():
            for n, v in values.items():
                if n in self.limits:      # its range first: a value past the old one stays
                    lo, hi = self.limits[n]({**self.values, **values})
                    w = self.widgets[n]
                    w.max = max(hi, w.min)
                self.widgets[n].value = v

    @contextmanager
    def hold(self):
        """Many changes, one notice to the listeners at the end."""
        self._held += 1
        try:
            yield self
        finally:
            self._held -= 1
            if not self._held and self._changed:
                self._changed = False
                self._notify()

    def _on_change(self, _change):
        if self._held:
            self._changed = True
        else:
            self._notify()

    def _notify(self):
        with DRAW_LOCK:      # one change at a time, whichever thread the widget message came on
            for callback in self._listeners:
                callback()

    # ---- settings: one line to copy, or a JSON file ---------------------------------------
    @property
    def typed(self):
        """The names of the controls a learner types into (text boxes)."""
        return [n for n, w in self.widgets.items() if isinstance(w, widgets.Text)]

    def setting(self, values=None):
        """Every control's value (or `values`, by name) as one line, e.g.
        'panel=f; W_f=0.5; ...; kind=ramp; T=6'."""
        values = self.values if values is None else values
        parts = [f"panel={self.kind}"]
        for name in self.widgets:
            v = values[name]
            if isinstance(v, str):
                v = v.replace(";", ",")        # ';' separates the parts of a setting
            parts.append(f"{name}={v!r}" if isinstance(v, float) else f"{name}={v}")
        return "; ".join(parts)

    def setting_json(self, values=None):
        """Every control's value (or `values`) as a small JSON document (what `save` writes)."""
        values = self.values if values is None else values
        return json.dumps({"panel": self.kind, "setting": dict(values)}, indent=1)

    def parse_setting(self, setting):
        """The values a setting asks for, checked: a line from `setting()`, a JSON document
        from `setting_json()`, or a dict. Raises SettingError naming what is wrong."""
        raw = _raw_setting(setting)
        kind = raw.pop("panel", None)
        if kind != self.kind:
            raise SettingError(f"this setting is for panel {kind!r}; this panel is "
                               f"{self.kind!r}")
        unknown = sorted(set(raw) - set(self.widgets))
        # a slider whose range follows the others (a time step) may be left out: its last value
        missing = [n for n in self.widgets if n not in raw and n not in self.limits]
        if unknown or missing:
            raise SettingError("the setting " + " and ".join(
                ([f"has unknown name(s) {', '.join(unknown)}"] if unknown else [])
                + ([f"misses {', '.join(missing)}"] if missing else []))
                + f"; the names are {', '.join(self.widgets)}")
        checked = {n: _checked(n, w, raw[n]) for n, w in self.widgets.items()
                   if n not in self.limits}
        for n, limit in self.limits.items():
            w = self.widgets[n]
            lo, hi = limit({**checked, n: w.value})
            checked[n] = _checked(n, w, raw.get(n, hi), (lo, hi))
        return {n: checked[n] for n in self.widgets}

    def restore(self, setting):
        """Set every control from a setting at once (one notice to the listeners). Raises
        SettingError, changing nothing, when the setting cannot be read."""
        self.set(**self.parse_setting(setting))


def _raw_setting(setting):
    """A setting as a dict name -> raw value (text or JSON value), or SettingError."""
    if isinstance(setting, dict):
        return dict(setting)
    if not isinstance(setting, str):
        raise SettingError(f"a setting is a line of text or a JSON document; got "
                           f"{type(setting).__name__}")
    text = setting.strip()
    if len(text) > MAX_SETTING:
        raise SettingError(f"the setting is {len(text)} characters long; a setting is at most "
                           f"{MAX_SETTING}")
    if text.startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            raise SettingError(f"the JSON cannot be read: {err.msg} (line {err.lineno}, "
                               f"column {err.colno})") from None
        if not (isinstance(doc, dict) and isinstance(doc.get("setting"), dict)):
            raise SettingError('the JSON must be {"panel": ..., "setting": {name: value, ...}}')
        return {"panel": doc.get("panel"), **doc["setting"]}
    raw = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, eq, value = part.partition("=")
        name = name.strip()
        if not eq or not name:
            raise SettingError(f"'{part}' is not name=value; a setting reads like "
                               "'panel=f; W_f=0.5; ...'")
        if name in raw:
            raise SettingError(f"{name} is given twice")
        raw[name] = value.strip()
    return raw


def _checked(name, w, value, limits=None):
    """value for control `w`, checked against the control's kind and range (`limits`, (lo, hi),
    where the range follows other controls), or SettingError."""
    if isinstance(w, widgets.Text):
        if not isinstance(value, str):
            raise SettingError(f"{name} must be text such as '1, 2, 3'; got {cut(repr(value))}")
        try:
            parse_sequence(value)
        except ValueError as err:
            raise SettingError(f"{name}: {err}") from None
        return value
    if isinstance(w, widgets.Dropdown):
        allowed = [v for _, v in w.options]
        if value not in allowed:
            raise SettingError(f"{name} must be one of {', '.join(map(str, allowed))}; "
                               f"got {cut(repr(value))}")
        return value
    whole = getattr(w, "integer", False) or isinstance(w, widgets.IntSlider)
    shown = cut(repr(value))
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)          # a too long number text: inf, refused below
    except (TypeError, ValueError, OverflowError):
        raise SettingError(f"{name} must be {'a whole number' if whole else 'a number'}; "
                           f"got {shown}") from None
    if not math.isfinite(number):
        raise SettingError(f"{name} must be a finite number; got {shown}")
    if whole and not number.is_integer():
        raise SettingError(f"{name} must be a whole number; got {shown}")
    lo, hi = limits or (w.min, w.max)
    if not lo <= number <= hi:
        raise SettingError(f"{name} = {cut(str(value))} is outside its slider, {lo} to {hi}")
    return int(number) if whole else number


def cut(text, n=40):
    """`text` as a message quotes it: at most n characters."""
    return text if len(text) <= n else text[:n] + "…"

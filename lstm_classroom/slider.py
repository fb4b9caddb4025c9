"""A slider every learner can use: a native range input with a name that says what it sets.

ipywidgets' FloatSlider draws its handle as a <div role="slider"> with no accessible name, so a
screen reader says "slider, 0.5" without saying which weight, and its value carries float noise
(0.30000000000000004). `NamedSlider` is the smallest honest replacement (an anywidget, a few
lines of JavaScript in slider.js): an <input type="range"> whose aria-label names what it sets
("W_f, the forget gate's input weight"), whose value is rounded to its step before it reaches the
kernel, with a visible label and readout. Arrow keys, Home/End and PageUp/PageDown move it and never
the notebook's cursor. It has FloatSlider's traits (value, min, max, step, description,
readout_format), so code that moves a FloatSlider moves it too.
"""
import pathlib

import anywidget
import traitlets

HERE = pathlib.Path(__file__).parent


class NamedSlider(anywidget.AnyWidget):
    """A slider with an accessible name.

    value, min, max, step : numbers (value is kept on the step grid, between min and max)
    description : the visible label (HTML allowed: <i>, <span>);  name : what a screen reader
    says for it, e.g. "W_f, the forget gate's input weight";  digits : decimals in the readout
    integer : True for whole numbers (value is then an int)
    """
    _esm = HERE / "slider.js"
    _css = HERE / "slider.css"
    value = traitlets.Float(0.0).tag(sync=True)
    min = traitlets.Float(0.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.1).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    description_width = traitlets.Unicode("2.6em").tag(sync=True)
    name = traitlets.Unicode("").tag(sync=True)
    digits = traitlets.Int(2).tag(sync=True)
    integer = traitlets.Bool(False)

    def __init__(self, value, min, max, step, description, name, *, digits=2, integer=False,
                 width="250px", description_width="2.6em"):
        super().__init__(value=float(value), min=float(min), max=float(max), step=float(step),
                         description=description, name=name, digits=digits, integer=integer,
                         description_width=description_width)
        self.layout.width = width

    @traitlets.validate("value")
    def _on_grid(self, proposal):
        v = min(max(float(proposal["value"]), self.min), self.max)
        return float(round(v)) if self.integer else v

    def __repr__(self):
        return f"NamedSlider({self.name!r}, value={self.value:g})"


class NamedIntSlider(NamedSlider):
    """A NamedSlider for whole numbers (value, min, max and step are ints)."""
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(1).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)

    def __init__(self, value, min, max, description, name, *, width="270px",
                 description_width="4.5em"):
        anywidget.AnyWidget.__init__(self, value=int(value), min=int(min), max=int(max), step=1,
                                     description=description, name=name, digits=0,
                                     integer=True, description_width=description_width)
        self.layout.width = width

    @traitlets.validate("value")
    def _on_grid(self, proposal):
        return int(min(max(int(round(proposal["value"])), self.min), self.max))

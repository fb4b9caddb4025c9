"""A slider every learner can use: a native range input with a name that says what it sets.

ipywidgets' FloatSlider draws its handle as a <div role="slider"> with no accessible name, so a
screen reader says "slider, 0.5" without saying which weight, and its value carries float noise
(0.30000000000000004). `NamedSlider` is the smallest honest replacement (an anywidget, a few
lines of JavaScript): an <input type="range"> whose aria-label names what it sets ("W_f, the
forget gate's input weight"), whose value is rounded to its step before it reaches the kernel,
with a visible label and readout. Arrow keys, Home/End and PageUp/PageDown move it and never
the notebook's cursor. It has FloatSlider's traits (value, min, max, step, description,
readout_format), so code that moves a FloatSlider moves it too.
"""
import anywidget
import traitlets

_ESM = """
const KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End", "PageUp",
              "PageDown"];
function decimals(step) {
  const s = String(step);
  return s.includes(".") ? s.length - s.indexOf(".") - 1 : 0;
}
function render({ model, el }) {
  const id = "lstm-slider-" + Math.random().toString(36).slice(2);
  el.classList.add("lstm-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "lstm-slider-label";
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const out = document.createElement("output");
  out.htmlFor = id;
  out.className = "lstm-slider-readout";
  out.setAttribute("aria-hidden", "true");
  el.append(label, input, out);
  const text = (v) => Number(v).toFixed(model.get("digits"));
  function sync() {
    label.innerHTML = model.get("description");
    label.style.width = model.get("description_width");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.setAttribute("aria-label", model.get("name"));
    input.setAttribute("aria-valuetext", text(model.get("value")));
    input.title = model.get("name");
    out.textContent = text(model.get("value"));
  }
  sync();
  model.on("change", sync);
  input.addEventListener("input", () => {
    const step = model.get("step");
    const k = Math.round((Number(input.value) - model.get("min")) / step);
    const v = Number((model.get("min") + k * step).toFixed(Math.max(decimals(step), 0) + 2));
    out.textContent = text(v);
    input.setAttribute("aria-valuetext", text(v));
    model.set("value", v);
    model.save_changes();
  });
  // the slider's own keys stay with the slider: the notebook must not move its cursor. Jupyter
  // listens for keys on the document (Notebook 7 takes arrow keys before the slider sees them),
  // so one listener on the window, in the capture phase, stops them there; the browser's default
  // action, moving the range input, still happens.
  if (!window.__lstmSliderKeys) {
    window.__lstmSliderKeys = true;
    window.addEventListener("keydown", (e) => {
      if (KEYS.includes(e.key) && e.target instanceof Element
          && e.target.closest(".lstm-slider")) {
        e.stopPropagation();
      }
    }, true);
  }
  return () => model.off("change", sync);
}
export default { render };
"""

_CSS = """
.lstm-slider { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.lstm-slider-label { flex: none; text-align: right; color: var(--jp-widgets-label-color, #222); }
.lstm-slider input[type=range] { flex: 1 1 auto; min-width: 80px; accent-color: #1E5A87; }
.lstm-slider input[type=range]:focus-visible { outline: 2px solid #1E5A87; outline-offset: 2px; }
.lstm-slider-readout { flex: none; width: 3.2em; text-align: right;
  font-variant-numeric: tabular-nums; color: var(--jp-widgets-label-color, #222); }
"""


class NamedSlider(anywidget.AnyWidget):
    """A slider with an accessible name.

    value, min, max, step : numbers (value is kept on the step grid, between min and max)
    description : the visible label (HTML allowed: <i>, <span>);  name : what a screen reader
    says for it, e.g. "W_f, the forget gate's input weight";  digits : decimals in the readout
    integer : True for whole numbers (value is then an int)
    """
    _esm = _ESM
    _css = _CSS
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

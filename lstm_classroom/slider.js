// NamedSlider (lstm_classroom/slider.py): a native range input with an accessible name.
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

// A figure's words (lstm_classroom/live.py, Words): one polite live region, made once, whose
// content changes in place, so that a screen reader announces each new text. `value` is the words
// as HTML; its outer element, if it is itself a live region, is unwrapped.
function render({ model, el }) {
  el.classList.add("lstm-words");
  const region = document.createElement("div");
  region.setAttribute("aria-live", "polite");
  el.append(region);
  const box = document.createElement("template");
  function sync() {
    box.innerHTML = model.get("value");
    const inner = box.content.firstElementChild;
    const wrapped = box.content.childElementCount === 1 && inner.hasAttribute("aria-live");
    region.innerHTML = wrapped ? inner.innerHTML : box.innerHTML;
  }
  sync();
  model.on("change:value", sync);
  return () => model.off("change:value", sync);
}
export default { render };

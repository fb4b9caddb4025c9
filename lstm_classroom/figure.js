// A live figure's pixels in the page (lstm_classroom/live.py, FigureView): a <canvas> (role img,
// named by the figure's words) that the kernel paints on.
//
// - The first picture is the PNG the view was displayed with (`png`); frames from the kernel then
//   change only the pixels that moved.
// - The latest picture goes back into the page's copy of the model (`png`, never sent to the
//   kernel), so a notebook saved with its widget state (lab-settings/overrides.json) shows the
//   figure as the learner left it when it is opened again, with or without a kernel.
// - Each view tells the kernel its device pixel ratio when it appears and whenever the ratio
//   changes (browser zoom, the window moved to another screen: matchMedia on the resolution); the
//   kernel draws at the highest ratio of the views on show.

const KEPT_AFTER_MS = 400;    // the latest picture is kept once the frames have stopped this long

function render({ model, el }) {
  el.classList.add("lstm-figure");
  const canvas = document.createElement("canvas");
  canvas.className = "lstm-figure-canvas";
  canvas.setAttribute("role", "img");
  el.append(canvas);
  const ctx = canvas.getContext("2d");
  const view = Math.random().toString(36).slice(2);     // this view, among the model's views
  function sync() {                   // the figure's size on the page, before its first pixels too
    canvas.style.width = model.get("width") + "px";
    canvas.style.aspectRatio = model.get("width") + " / " + model.get("height");
    canvas.setAttribute("aria-label", model.get("label") || "a figure");
  }
  let queue = Promise.resolve();      // the first picture, decoded before any frame is drawn
  // the first picture: a PNG, drawn whole
  function paintPng(png) {
    const blob = new Blob([png], { type: "image/png" });
    queue = queue.then(() => createImageBitmap(blob)).then((bitmap) => {
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
    }).catch((err) => console.warn("lstm-figure: the first picture could not be drawn", err));
  }
  // the latest picture, kept in the page's copy of the model (what a saved widget state holds)
  let keepTimer = null;
  function keepLater() {
    clearTimeout(keepTimer);
    keepTimer = setTimeout(() => canvas.toBlob((blob) => {
      if (blob) blob.arrayBuffer().then((buf) => model.set("png", new DataView(buf)));
    }, "image/png"), KEPT_AFTER_MS);
  }
  // a frame: the pixels of the w x h rectangle at (x, y), row after row, as runs: run k covers
  // codes[k] & 0x7fff pixels; it leaves them as they are if codes[k] & 0x8000, else sets them all
  // to the next RGBA value. The canvas's pixels are kept here; a full frame replaces them all.
  let image = null;
  function paintRuns(frame, codeBytes, valueBytes) {
    if (frame.full) {
      image = new ImageData(frame.w, frame.h);
      if (canvas.width !== frame.w || canvas.height !== frame.h) {
        canvas.width = frame.w;
        canvas.height = frame.h;
      }
    } else if (image === null) {
      return;                         // changes to pixels this view never had: its full frame comes
    }
    const copy = (v) => v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
    const codes = new Uint16Array(copy(codeBytes));
    const values = new Uint32Array(copy(valueBytes));
    const pixels = new Uint32Array(image.data.buffer);
    const W = image.width, w = frame.w;
    let row = frame.y * W + frame.x, col = 0, j = 0;
    for (let k = 0; k < codes.length; k++) {
      let n = codes[k] & 0x7fff;
      const keep = codes[k] & 0x8000, v = keep ? 0 : values[j++];
      while (n > 0) {
        const m = Math.min(n, w - col);
        if (!keep) pixels.fill(v, row + col, row + col + m);
        col += m;
        n -= m;
        if (col === w) { col = 0; row += W; }
      }
    }
    ctx.putImageData(image, 0, 0, frame.x, frame.y, frame.w, frame.h);
    keepLater();
  }
  function onMessage(msg, buffers) {
    if (!msg || msg.type !== "frame" || !buffers || buffers.length !== 2) return;
    queue.then(() => paintRuns(msg, buffers[0], buffers[1]));
  }
  sync();
  model.on("change", sync);
  model.on("msg:custom", onMessage);
  const first = model.get("png");             // the picture it was displayed with (or saved
  if (first && first.byteLength) paintPng(first);      // with), until the kernel's first frame
  // the device pixel ratio: reported now, and again whenever it changes
  let ratio = 0, media = null;
  function report() {
    const now = window.devicePixelRatio || 1;
    if (now !== ratio) {
      ratio = now;
      model.send({ type: "ready", view, ratio });
    }
    if (media) media.removeEventListener("change", report);
    media = window.matchMedia(`(resolution: ${now}dppx)`);
    media.addEventListener("change", report);
  }
  report();
  return () => {
    clearTimeout(keepTimer);
    model.off("change", sync);
    model.off("msg:custom", onMessage);
    if (media) media.removeEventListener("change", report);
    model.send({ type: "gone", view });
  };
}
export default { render };

"""Benchmark (a script, not a test): from an arrow key on a slider to new pixels on the figure,
in a real JupyterLab and a real Chromium, for every interactive panel of the notebooks.

Run from the repository root:  python benchmarks/bench_browser.py [presses per panel] [notebooks]
(notebooks: the start of their names, e.g. 05 for the dashboard only; all of them by default)

The set-up is the browser test's (tests/test_browser.py: JupyterLab on 127.0.0.1 serving a copy
of the repository, Debian's /usr/bin/chromium driven by Playwright's Python package; never
`playwright install`). Each notebook is opened and Run All'd; then, for each panel, one of its
sliders is focused and moved by arrow keys from the panel's default setting, one press at a time
(up to the end of the slider's range and back), each press waiting for the figure to change and
for the traffic to settle.

Measured in the page (performance.now()): the keydown (the event's own timeStamp), the kernel
messages going out and coming in (the page's WebSocket, wrapped: times and sizes), and every
putImageData() onto a canvas: the frame's pixels onto the figure's canvas are "first new pixels".
Measured in the kernel (a second client on the same kernel wraps a few functions, times in the
wall clock, which the page's clock is calibrated against): the widget message's handling, the
panel's recompute, matplotlib's Agg drawing (blit or full draw), the pixel diff, packing the
changed pixels as runs, the send, and ipykernel's IOPub thread putting the message on its socket.
A press that changes no pixel of the figure sends nothing: it is counted, not timed.

Printed per panel: median and 90th percentile of keydown -> first new pixels, how many presses
needed a full draw, the median of each part of that time, and the bytes per change.
Target: 33 ms median (two frames at 60 Hz).
"""
import ast
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]   # tests/conftest.py, not the root one
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

TARGET_MS = 33
SETTLE_MS = 250      # after the figure's new pixels: trailing messages (echoes, the other figure)
NO_CHANGE_MS = 3000  # a press with no new pixels by then changed none (counted, not timed)

# (notebook, label, kernel variable, which control (None: the first), which figure (0: the panel's,
# 1: the dashboard's cell diagram))
PANELS = (
    ("01_forget_gate.ipynb", "01 forget gate   (W_f)", "panel", None, 0),
    ("02_input_gate_and_candidate.ipynb", "02 input gate    (W_i)", "panel_i", None, 0),
    ("02_input_gate_and_candidate.ipynb", "02 candidate     (W_c)", "panel_g", None, 0),
    ("03_cell_state.ipynb", "03 cell state    (W_f)", "panel", None, 0),
    ("04_output_gate_and_prediction.ipynb", "04 output gate   (W_o)", "panel", None, 0),
    ("05_dashboard.ipynb", "05 dashboard curves (W_f)", "panel", None, 0),
    ("05_dashboard.ipynb", "05 cell diagram   (W_f)", "panel", None, 1),
    ("05_dashboard.ipynb", "05 cell diagram   (t)", "panel", "t", 1),
    ("07_backprop_through_time.ipynb", "07 gradient (scale)", "panel", None, 0),
)

# In the page, before JupyterLab loads: timestamps of keys, kernel messages and new pixels -----
PAGE_HOOKS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {on: false};
  B.clear = () => Object.assign(B, {keys: [], sends: [], msgs: [], draws: []});
  B.clear();
  const now = () => performance.now();
  const size = d => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  window.addEventListener('keydown', e => { if (B.on) B.keys.push({t: e.timeStamp, key: e.key}); },
                          true);
  // (a frame's message is found by its size: it carries the bytes the kernel sent)
  const NativeWebSocket = window.WebSocket;
  const send = NativeWebSocket.prototype.send;
  NativeWebSocket.prototype.send = function (d) {
    if (B.on) B.sends.push({t: now(), n: size(d)});
    return send.call(this, d);
  };
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ev => {    // added first: runs before JupyterLab's
        if (!B.on) return;
        const t = now(), d = ev.data;
        B.msgs.push({t, n: size(d)});
      });
    }
  };
  // the figure view puts each frame's pixels on its canvas with putImageData
  const putImageData = CanvasRenderingContext2D.prototype.putImageData;
  CanvasRenderingContext2D.prototype.putImageData = function (...args) {
    if (!B.on) return putImageData.apply(this, args);
    const t0 = now();
    const r = putImageData.apply(this, args);
    const c = this.canvas;
    const d = {t0, t1: now(), tag: (c.dataset && c.dataset.bench) || ''};
    B.draws.push(d);
    if (d.tag) requestAnimationFrame(ts => { d.frame = ts; });   // the next frame shows it
    return r;
  };
})();
"""

# In the kernel (a second client): wrap what a slider change goes through, wall-clock times ------
KERNEL_HOOKS = r"""
def __bench_install():
    import functools, json, time
    from ipywidgets import Widget
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from lstm_classroom import live
    from lstm_classroom.live import LiveFigure
    from lstm_classroom.panels import Panel
    events = []

    def figure_of(obj):
        view = getattr(obj, "view", obj)
        return getattr(view, "model_id", None)

    def wrap(owner, name, label, extra=None):
        orig = getattr(owner, name)

        @functools.wraps(orig)
        def timed(*args, **kwargs):
            t0 = time.time()
            try:
                out = orig(*args, **kwargs)
            finally:
                t1 = time.time()
            e = [label, figure_of(args[0]) if args else None, t0 * 1e3, t1 * 1e3, None]
            if extra is not None:
                e[4] = extra(args, out)
            events.append(e)
            return out
        setattr(owner, name, timed)

    view = live.FigureView
    wrap(Widget, "set_state", "message")
    wrap(Panel, "update", "update")
    wrap(LiveFigure, "_redraw", "redraw", lambda a, out: out)
    wrap(FigureCanvasAgg, "draw", "agg draw")
    wrap(view, "send_pixels", "diff", lambda a, out: out)
    wrap(live, "_runs", "runs")
    wrap(view, "send", "send", lambda a, out: sum(len(b) for b in a[2]) if len(a) > 2 else 0)
    # ipykernel hands every output message to its IOPub thread, which does the zmq send
    from ipykernel.iostream import IOPubThread
    wrap(IOPubThread, "_really_send", "iopub send",
         lambda a, out: sum(len(b) for b in a[1]) if len(a) > 1 else 0)

    def take():
        out = json.dumps(events)
        events.clear()
        return out

    def panels():
        ns = get_ipython().user_ns
        found = {}
        for var in ("panel", "panel_i", "panel_g"):
            p = ns.get(var)
            if p is None or not hasattr(p, "live"):
                continue
            figures = [p.live.view.model_id]
            if hasattr(p, "diagram_view"):
                figures.append(p.diagram_view.view.model_id)
            found[var] = dict(figures=figures,
                              controls={n: getattr(w, "name", "") for n, w in
                                        p.controls.widgets.items()})
        return json.dumps(found)
    return take, panels


__bench_take, __bench_panels = __bench_install()
"""


class Kernel:
    """A second client on the notebook's kernel (the one JupyterLab talks to)."""

    def __init__(self, lab, name):
        from jupyter_client import BlockingKernelClient
        session = next(s for s in lab.api("GET", "/api/sessions") if s["path"].endswith(name))
        kid = session["kernel"]["id"]
        path = next(lab.root.parent.rglob(f"kernel-{kid}.json"))
        self.client = BlockingKernelClient()
        self.client.load_connection_file(path)
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code, expression=None):
        msg_id = self.client.execute(code, silent=True, store_history=False,
                                     user_expressions={"r": expression} if expression else {})
        while True:
            reply = self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError("\n".join(content.get("traceback", [content.get("evalue", "")])))
        if expression:
            r = content["user_expressions"]["r"]
            if r["status"] != "ok":
                raise RuntimeError(f"{r.get('ename')}: {r.get('evalue')}")
            return json.loads(ast.literal_eval(r["data"]["text/plain"]))

    def close(self):
        self.client.stop_channels()


def page_clock(page):
    """ms to add to a wall-clock time (time.time() * 1e3, the kernel's) to get the page's
    performance.now(); calibrated on the shortest of a few round trips."""
    best = None
    for _ in range(7):
        t0 = time.time() * 1e3
        origin, now = page.evaluate("() => [performance.timeOrigin, performance.now()]")
        t1 = time.time() * 1e3
        if best is None or t1 - t0 < best[0]:
            best = (t1 - t0, (origin + now) - (t0 + t1) / 2, origin)
    rtt, skew, origin = best
    return skew - origin, rtt


def keys_for(slider, presses):
    """Arrow keys that move the slider every press: up to the end of its range, then back."""
    lo, hi, step, value = slider.evaluate(
        "i => [Number(i.min), Number(i.max), Number(i.step), Number(i.value)]")
    keys, direction = [], 1 if value + step <= hi else -1
    for _ in range(presses):
        if not lo - 1e-9 <= value + direction * step <= hi + 1e-9:
            direction = -direction
        value += direction * step
        keys.append("ArrowRight" if direction > 0 else "ArrowLeft")
    return keys


def press(page, key):
    """One key; returns everything the page recorded until the figure drew and traffic settled,
    with drew=False if no new pixels came within NO_CHANGE_MS (the move changed none of them:
    e.g. a gate saturated, every number shown to 3 decimals the same; only what changed is sent)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    page.evaluate("() => { __bench.clear(); __bench.on = true; }")
    page.keyboard.press(key)
    try:
        page.wait_for_function(
            "() => __bench.draws.some(d => d.tag === 'target' && d.frame !== undefined)",
            timeout=NO_CHANGE_MS)
        drew = True
    except PlaywrightTimeout:
        drew = False
    page.wait_for_timeout(SETTLE_MS)
    return page.evaluate("drew => { __bench.on = false; const {on, clear, ...r} = __bench; "
                         "return {...r, drew}; }", drew)


def analyse(rec, kernel_events, figure, to_page):
    """One press -> its parts, in ms (and bytes)."""
    key = rec["keys"][0]["t"]
    shown = next(d for d in rec["draws"] if d["tag"] == "target")
    sent = [s for s in rec["sends"] if s["t"] >= key]
    k = [[label, fig, t0 + to_page, t1 + to_page, x] for label, fig, t0, t1, x in kernel_events]
    message = next(e for e in k if e[0] == "message")
    mine = [e for e in k if e[1] == figure or e[0] in ("runs", "agg draw", "iopub send")]
    diff = next(e for e in mine if e[0] == "diff" and e[4])
    redraw = next(e for e in mine if e[0] == "redraw" and e[2] <= diff[2] <= e[3])
    runs = next(e for e in mine if e[0] == "runs" and diff[2] <= e[2] <= diff[3])
    sending = next(e for e in mine if e[0] == "send" and diff[2] <= e[2] <= diff[3])
    iopub = next(e for e in mine if e[0] == "iopub send" and e[2] >= sending[2]
                 and e[4] >= sending[4])
    # the message that carried the frame: the last one before its pixels that is big enough
    msg = [m for m in rec["msgs"] if m["n"] >= sending[4] and m["t"] <= shown["t0"]][-1]
    return {
        "total": shown["t1"] - key,
        "frame": shown.get("frame", shown["t1"]) - key,
        "full": redraw[4] == "full",
        "page: key -> message out": sent[0]["t"] - key,
        "up: page -> kernel": message[2] - sent[0]["t"],
        "kernel: recompute": redraw[2] - message[2],
        "kernel: Agg drawing": diff[2] - redraw[2],
        "kernel: pixel diff": (diff[3] - diff[2]) - (runs[3] - runs[2])
                              - (sending[3] - sending[2]),
        "kernel: runs": runs[3] - runs[2],
        "kernel: send": sending[3] - sending[2],
        "kernel: IOPub thread wakes": iopub[2] - sending[3],
        "kernel: zmq send": iopub[3] - iopub[2],
        "down: server -> page": msg["t"] - iopub[3],
        "page: message -> pixels": shown["t0"] - msg["t"],
        "page: putImageData": shown["t1"] - shown["t0"],
        "frame bytes": sending[4],
        "bytes in": sum(m["n"] for m in rec["msgs"]),
        "bytes out": sum(s["n"] for s in rec["sends"]),
        "messages in": len(rec["msgs"]),
    }


PARTS = ("page: key -> message out", "up: page -> kernel", "kernel: recompute",
         "kernel: Agg drawing", "kernel: pixel diff", "kernel: runs", "kernel: send",
         "kernel: IOPub thread wakes", "kernel: zmq send", "down: server -> page",
         "page: message -> pixels", "page: putImageData")


def measure(page, kernel, spec, presses, label):
    """Press the panel's slider `presses` times (after 2 for warm-up); returns per-press parts."""
    k = spec["k"]
    output = page.locator(".jp-OutputArea-output").filter(
        has=page.get_by_role("slider", name=spec["slider"], exact=True)).filter(
        has=page.locator(".lstm-figure")).first
    page.evaluate("() => document.querySelectorAll('canvas[data-bench]')"
                  ".forEach(c => delete c.dataset.bench)")
    canvas = output.locator(".lstm-figure canvas").nth(k)
    canvas.evaluate("c => { c.dataset.bench = 'target'; }")
    canvas.scroll_into_view_if_needed()
    slider = output.get_by_role("slider", name=spec["slider"], exact=True)
    slider.evaluate("i => i.focus({preventScroll: true})")
    to_page, rtt = page_clock(page)
    keys = keys_for(slider, presses + 2)
    records = [press(page, key) for key in keys]
    events = kernel.run("", "__bench_take()")
    out = []
    unchanged = sum(not rec["drew"] for rec in records[2:])
    if unchanged:
        print(f"   {label}: {unchanged} of {len(records) - 2} presses changed no pixel of the "
              f"figure (not timed)")
    for n, rec in enumerate(records[2:], start=2):
        if not rec["drew"]:
            continue
        start = (rec["keys"][0]["t"] - to_page) if rec["keys"] else None
        end = records[n + 1]["keys"][0]["t"] - to_page if n + 1 < len(records) else float("inf")
        mine = [e for e in events if start is not None and start - 5 <= e[2] < end]
        try:
            out.append(analyse(rec, mine, spec["figure"], to_page))
        except (StopIteration, IndexError) as err:
            where = err.__traceback__
            while where.tb_next:
                where = where.tb_next
            print(f"   {label}: press {n - 1} could not be taken apart ({err!r} at line "
                  f"{where.tb_lineno}); skipped")
    return out, rtt


def report(label, parts):
    total = np.array([p["total"] for p in parts])
    frame = np.array([p["frame"] for p in parts])
    full = sum(p["full"] for p in parts)
    med = statistics.median(total)
    print(f"{label:28s} {len(total):3d} {med:8.1f} {np.percentile(total, 90):7.1f} "
          f"{statistics.median(frame):9.1f} {full:5d} "
          f"{statistics.median(p['frame bytes'] for p in parts):8.0f} "
          f"{statistics.median(p['bytes in'] for p in parts):9.0f} "
          f"{statistics.median(p['bytes out'] for p in parts):9.0f} "
          f"{statistics.median(p['messages in'] for p in parts):5.0f}  "
          f"{'ok' if med <= TARGET_MS else 'over ' + str(TARGET_MS)}")


def report_parts(rows):
    labels = [label for label, _ in rows]
    print("\nwhere the time goes: median ms of each part, per panel "
          "(kernel times on the page's clock, calibrated)")
    print(f"{'part':28s}" + "".join(f" {lab[:12]:>12s}" for lab in labels))
    for part in PARTS + ("total",):
        print(f"{part:28s}" + "".join(
            f" {statistics.median(p[part] for p in parts):12.1f}" for _, parts in rows))
    print(f"{'(sum of the parts)':28s}" + "".join(
        f" {statistics.median(sum(p[q] for q in PARTS) for p in parts):12.1f}"
        for _, parts in rows))


def main(presses=16, only=""):
    from test_browser import (
        chromium_missing,
        open_and_run_all,
        running_chromium,
        running_lab,
        settle_figures,
    )
    missing = chromium_missing()
    if missing:
        print(f"bench_browser: skipped, {missing}")
        return
    print(f"keydown on a focused slider -> first new pixels on the panel's figure, JupyterLab + "
          f"Chromium, {presses} presses per panel; load average now: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        tmp = Path(tmp)
        (tmp / "lab").mkdir()
        (tmp / "chromium").mkdir()
        with running_lab(tmp / "lab") as lab, running_chromium(tmp / "chromium") as context:
            context.add_init_script(PAGE_HOOKS)
            header_done = False
            for name in dict.fromkeys(nb for nb, *_ in PANELS if nb.startswith(only)):
                run = open_and_run_all(context, lab, name, inspect=False)
                if run.problems:
                    print(f"   {name}: " + "; ".join(run.problems)[:500])
                settle_figures(run.page)
                kernel = Kernel(lab, name)
                try:
                    kernel.run(KERNEL_HOOKS)
                    found = kernel.run("", "__bench_panels()")
                    for nb, label, var, control, k in PANELS:
                        if nb != name:
                            continue
                        p = found[var]
                        control = control or next(iter(p["controls"]))
                        spec = dict(slider=p["controls"][control], control=control, k=k,
                                    figure=p["figures"][k])
                        # every panel's presses start from its default setting (the seed's)
                        kernel.run(f"{var}.controls.set(**{var}.controls.defaults)")
                        settle_figures(run.page)
                        parts, rtt = measure(run.page, kernel, spec, presses, label)
                        if not header_done:
                            print(f"{'panel (slider moved)':28s} {'n':>3s} {'median':>8s} "
                                  f"{'p90 ms':>7s} {'frame ms':>9s} {'full':>5s} {'frame B':>8s} "
                                  f"{'bytes in':>9s} {'bytes out':>9s} {'msgs':>5s}")
                            header_done = True
                        if parts:
                            report(label, parts)
                            rows.append((label, parts))
                finally:
                    kernel.close()
                    run.page.close()
                    lab.shut_down_kernels(name)
    if rows:
        report_parts(rows)
    print(f"\ncolumns: median and p90 from the keydown to the putImageData that puts the new "
          f"pixels on the figure's canvas; 'frame': to the start of the next animation frame "
          f"after it; 'full': presses whose change needed a full figure draw; per change "
          f"(medians): the frame's bytes (the changed pixels, as runs), all bytes the page "
          f"received and sent on the kernel's websocket, and the messages it received. Target: "
          f"median <= {TARGET_MS} ms. Load average after: "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16, *sys.argv[2:3])

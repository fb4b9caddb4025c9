"""Benchmark (a script, not a test): how long a slider change takes to reach each panel's figure.

Run from the repository root:  python benchmarks/bench_panels.py [moves per slider]

Everything happens in this process, with the canvas view the notebooks use in JupyterLab (the
'canvas' mode of lstm_classroom.live) and no browser: a move is `slider.value = v` (what a drag
sends to the kernel) -> lstm_core recomputes -> the lines are updated in place -> the figure is
redrawn: its lines blitted over a saved background when no axis limit moves, else drawn whole.
Every timing includes finding the changed pixels and packing them as the frame the page gets
(the message itself is not sent: no page is connected).

Printed per panel: median and 90th percentile of all moves, how many needed a full draw, and
for comparison the median when every move is forced through a full canvas.draw().
"""
import statistics
import sys
import time

import numpy as np

from lstm_classroom.live import use_live_figures
from lstm_classroom.panels import dashboard, gate_panel, gradient_panel


def connect(panel):
    """What a page does when it shows the panel: its figures' views (the dashboard's cell diagram
    too) say they are ready and get the whole figure; then only what changed."""
    for live in (panel.live, getattr(panel, "diagram_view", None)):
        if live is not None:
            live.view.send = lambda content, buffers=None: None     # no page: nothing to send to
            live.view._message(live.view, {"type": "ready", "ratio": 1}, [])


def drag_values(slider, moves):
    """A drag: `moves` steps of 0.1 up from the slider's value (down near the top), then back."""
    step = 0.1 if slider.value + moves * 0.1 <= slider.max else -0.1
    out = [slider.value + step * k for k in range(1, moves + 1)]
    return out + out[-2::-1] + [slider.value]


def time_moves(panel, moves, force_full):
    times, full = [], 0
    for slider in getattr(panel, "sliders", {"s": panel.controls.widgets[
            next(iter(panel.controls.widgets))]}).values():
        for v in drag_values(slider, moves):
            t0 = time.perf_counter()
            slider.value = v
            full += panel.last_redraw == "full"
            if force_full:
                panel.live.refresh(full=True)
            times.append(time.perf_counter() - t0)
    return np.array(times) * 1000, full


def main(moves=10):
    use_live_figures("canvas", quiet=True)
    panels = {
        "01 forget gate   gate_panel('f')": lambda: gate_panel("f"),
        "02 input gate    gate_panel('i')": lambda: gate_panel("i"),
        "02 candidate     gate_panel('g')": lambda: gate_panel("g"),
        "03 cell state    gate_panel('c')": lambda: gate_panel("c"),
        "04 output gate   gate_panel('o')": lambda: gate_panel("o"),
        "05 dashboard     dashboard()    ": dashboard,
        "07 gradient      gradient_panel()": gradient_panel,
    }
    print(f"slider change -> lstm_core -> lines -> redraw -> changed pixels packed, canvas view, "
          f"{moves} steps up and back per slider")
    print(f"{'panel':34s} {'moves':>5s} {'median ms':>9s} {'p90 ms':>7s} {'full draws':>10s}"
          f" {'median ms, full draw every move':>32s}")
    for name, make in panels.items():
        panel = make()
        connect(panel)
        time_moves(panel, 2, False)                 # warm-up: caches, first rescale
        ms, full = time_moves(panel, moves, False)
        ms_full, _ = time_moves(panel, max(2, moves // 3), True)
        print(f"{name:34s} {len(ms):5d} {statistics.median(ms):9.1f} "
              f"{np.percentile(ms, 90):7.1f} {full:10d} {statistics.median(ms_full):32.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)

"""Every interactive notebook where its live figures are images (VS Code, Colab): it runs with no
error output, says in one line that its figures are images, and its sliders still change them.

Each notebook runs in a real kernel (nbclient) that looks like VS Code's (VSCODE_PID is set); then
its panels' sliders are moved from code and the image must change and the plotted lines must
equal lstm_core's numbers (or lstm_learn's, for the gradient panel).
"""
import json

import nbformat
import pytest
from nbclient import NotebookClient
from test_widgets import COMPLETE_OUTPUTS, NOTEBOOKS

INTERACTIVE = {  # notebook: its panels
    "01_forget_gate.ipynb": ["panel"],
    "02_input_gate_and_candidate.ipynb": ["panel_i", "panel_g"],
    "03_cell_state.ipynb": ["panel"],
    "04_output_gate_and_prediction.ipynb": ["panel"],
    "05_dashboard.ipynb": ["panel"],
    "07_backprop_through_time.ipynb": ["panel", "stepper"],
    "09_variants_and_history.ipynb": ["diagram", "panel"],
}
AS_IN_VS_CODE = "import os\nos.environ['VSCODE_PID'] = '1'   # as VS Code's kernels have it"

MOVE = """
import json
import numpy as np
out = {}
for name in %s:
    p = globals()[name]
    before = p.live.last_png
    slider = next(w for w in p.controls.widgets.values() if hasattr(w, "step"))
    slider.value = slider.min + 2 * slider.step if slider.value != slider.min + 2 * slider.step \
        else slider.min
    same = True
    if "signals" in p.result:                       # the seed cell's panels: lstm_core's numbers
        from lstm_classroom.signals import signals
        from lstm_core import seed_lstm
        want = signals(seed_lstm(**p.weights), seed_lstm(**p.weights).run(p.xs))
        same = all(np.allclose(line.get_ydata(), want["y"][-1:] if k == "y_next" else want[k])
                   for k, line in p.lines.items())
    out[name] = dict(mode=p.live.mode, changed=p.live.last_png != before,
                     alt='alt="Figure' in p.live.view.value,
                     png=p.live.last_png[:8] == b"\\x89PNG\\r\\n\\x1a\\n",
                     redraw=p.live.last_redraw, same=same)
print(json.dumps(out))
"""


@pytest.mark.parametrize("name", INTERACTIVE)
def test_notebook_runs_with_image_figures_and_its_sliders_redraw_the_image(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(AS_IN_VS_CODE))
    nb.cells.append(nbformat.v4.new_code_cell(MOVE % json.dumps(INTERACTIVE[name])))
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}, **COMPLETE_OUTPUTS)
    client.widget_registry = {}
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error" or o.get("name") == "stderr"]
    assert not errors, [o.get("ename") or o.get("text") for o in errors]
    said = [o["text"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "stream" and "Live figures" in o.get("text", "")]
    assert said and "shown as images" in said[0] and "in VS Code" in said[0]
    # a print can reach the notebook as two stream outputs (its text, then its newline)
    printed = "".join(o["text"] for o in nb.cells[-1].outputs if o.output_type == "stream")
    state = json.loads(printed.strip().splitlines()[-1])
    for panel, s in state.items():
        assert s["mode"] == "image" and s["redraw"] == "image", (panel, s)
        assert s["changed"] and s["png"] and s["same"] and s["alt"], (panel, s)

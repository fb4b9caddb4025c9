"""Execute notebooks in place, each from a fresh kernel, and save them with their outputs, without
widget state and without widget views (what `make notebooks` runs; the committed notebooks are
saved this way).

    python scripts/execute_notebooks.py                                # every notebook
    python scripts/execute_notebooks.py notebooks/05_dashboard.ipynb   # some of them

Without stored widget state a live panel's stored output falls back to its picture (an <img> with
the figure's words, and a PNG) wherever no kernel runs: a notebook opened before it runs, nbviewer
or nbconvert with no network. With it, a static render would try to draw the widgets with code
fetched from a CDN instead (tests/test_static_render.py checks the committed notebooks). And an
output that names a widget (its model id) with no state for it reads "Error displaying widget:
model not found" in JupyterLab and Notebook 7 once the notebook is trusted; so each stored output
keeps only its picture, words and text (strict nbval does not compare widget views: their ids are
random).
"""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # the matrices are tiny: one thread a kernel

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path):
    """Run notebook `path` top to bottom in a fresh kernel (working folder: its own) and save it."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)            # the state an earlier run may have stored
    # a cell's outputs come after its reply; nbclient waits 4 s for them and then, by default,
    # drops the rest without a word: wait up to a minute, and fail rather than save less
    NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                   iopub_timeout=60, raise_on_iopub_timeout=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    nbformat.write(nb, path)


def main(args):
    paths = [Path(a).resolve() for a in args] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"{path.relative_to(ROOT)}: executed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])

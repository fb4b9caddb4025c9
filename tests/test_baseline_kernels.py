"""conftest.py's second nbval run: each notebook is collected again as `<path>[baseline kernels]`,
and only that copy's kernel runs with numpy held to its baseline loops.

A notebook made here prints the kernel's NPY_DISABLE_CPU_FEATURES, stored as "None"; pytest runs
it as make test does (pytest.ini's nbval options): the usual copy must pass, the baseline copy must
fail, its kernel having printed the features numpy found on this processor.
"""
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(root_conftest)


@pytest.fixture
def env_notebook():
    # under the repository (build/ is ignored by git), so that its conftest.py applies; a folder
    # of its own, should two test runs share this checkout
    (ROOT / "build" / "test-baseline-kernels").mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=ROOT / "build" / "test-baseline-kernels"))
    cell = nbformat.v4.new_code_cell(
        "import os\nprint(os.environ.get('NPY_DISABLE_CPU_FEATURES'))", execution_count=1,
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="None\n")])
    path = folder / "env.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    yield path
    shutil.rmtree(folder)


def test_only_the_baseline_copy_runs_with_the_found_features_disabled(env_notebook):
    features = root_conftest.found_cpu_features()
    if not features:
        pytest.skip("numpy found no CPU feature beyond its baseline here (or cannot list them), "
                    "so there is no baseline copy")
    done = subprocess.run([sys.executable, "-m", "pytest", str(env_notebook), "-n", "0", "-rA",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)
    out = done.stdout
    rel = env_notebook.relative_to(ROOT).as_posix()
    assert f"PASSED {rel}::Cell 0" in out, out[-3000:]
    assert f"FAILED {rel}[baseline kernels]::Cell 0" in out, out[-3000:]
    assert ",".join(features) in out, out[-3000:]
    assert f"NPY_DISABLE_CPU_FEATURES={','.join(features)}" in out   # the run's header says so

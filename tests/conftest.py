"""Shared pytest set-up: slow tests, and tests that need something a learner's machine may lack.

- Tests marked `slow` (the fresh-clone test) run in CI (CI=true) or with `pytest --run-slow`;
  anywhere else they are skipped with a reason that says how to run them.
- `skip_or_fail(reason)`: a test that needs Chromium or Playwright skips with a clear reason on
  a learner's machine, but fails in CI, where a skip would hide a broken set-up.
- `ref`: the committed reference arrays named by the test module's REFERENCE (an .npz of plain
  arrays, loaded with allow_pickle=False), as a dict; `free_port()`: a free port on 127.0.0.1.
"""
import os
import socket

import numpy as np
import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"

# The kernels nbval, nbclient and JupyterLab start inherit this: the matrices here are tiny, and
# OpenBLAS's second thread only fights the browser and the other kernel for the 2 cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (they always run when CI=true)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes minutes (e.g. a fresh clone and venv); "
                                       "runs with --run-slow or CI=true")


def pytest_collection_modifyitems(config, items):
    if IN_CI or config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow test: run it with `pytest --run-slow` "
                                   "(CI=true runs it too)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def skip_or_fail(reason):
    """Skip the calling test with `reason`, or fail it when CI=true."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def ref(request):
    """The arrays of the module's REFERENCE file (made by a script in tests/ from torch/xlstm)."""
    with np.load(request.module.REFERENCE, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def free_port():
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

"""Shared pytest set-up: slow tests, and tests that need something a learner's machine may lack.

- Tests marked `slow` (the fresh-clone test) run in CI (CI=true) or with `pytest --run-slow`;
  anywhere else they are skipped with a reason that says how to run them.
- `skip_or_fail(reason)`: a test that needs Chromium or Playwright skips with a clear reason on
  a learner's machine, but fails in CI, where a skip would hide a broken set-up.
- `ref`: the committed reference arrays named by the test module's REFERENCE (an .npz of plain
  arrays, loaded with allow_pickle=False), as a dict; `free_port()`: a free port on 127.0.0.1.
- `PageCanvas(live_figure)`: a page showing a live figure in canvas mode, in process: it says
  it is ready, as the page's JavaScript does, and unpacks every frame the kernel sends into the
  pixels the page's canvas would hold.
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


class PageCanvas:
    """What a page shows of a LiveFigure in 'canvas' mode, without a browser: the view's frames
    (runs over a rectangle at (x, y): kept pixels, or copies of one value) unpacked as its
    JavaScript unpacks them.

    pixels : (h, w) uint32, the canvas (None before the first frame);  frames : each frame's
    header, as sent
    """

    def __init__(self, live_figure, ratio=1):
        self.pixels, self.frames = None, []
        view = live_figure.view
        view.send = self.receive              # the kernel's messages come here
        view._message(view, {"type": "ready", "ratio": ratio}, [])

    def receive(self, content, buffers=None):
        assert content["type"] == "frame" and len(buffers) == 2, content
        codes = np.frombuffer(buffers[0], np.uint16)
        values = np.frombuffer(buffers[1], np.uint32)
        w, h, x, y = content["w"], content["h"], content["x"], content["y"]
        if content["full"]:
            assert (x, y) == (0, 0)
            self.pixels = np.zeros((h, w), np.uint32)
        assert 0 <= y and y + h <= self.pixels.shape[0] and 0 <= x
        assert x + w <= self.pixels.shape[1]
        self.pixels[y:y + h, x:x + w] = unpack_runs(codes, values, self.pixels[y:y + h, x:x + w])
        self.frames.append(content)

    @property
    def rgba(self):
        """The canvas as (h, w, 4) uint8."""
        return self.pixels.view(np.uint8).reshape(*self.pixels.shape, 4)


def unpack_runs(codes, values, old):
    """The pixels runs (codes, values) make of `old` ((h, w) uint32), as the page does."""
    n, keep = codes & 0x7FFF, (codes & 0x8000) != 0
    assert n.min() >= 1 and n.sum() == old.size and (~keep).sum() == len(values)
    filled = np.zeros(len(codes), np.uint32)
    filled[~keep] = values
    out = np.repeat(filled, n)
    kept = np.repeat(keep, n)
    out[kept] = old.ravel()[kept]
    return out.reshape(old.shape)


@pytest.fixture
def image_mode():
    """In-process tests draw live figures with Agg as images, as Colab and VS Code do, and pyplot
    with Agg too (draw_cell), whatever backend it was on; every figure closed afterwards."""
    import matplotlib.pyplot as plt

    from lstm_classroom import live
    live.use_live_figures("image", quiet=True)
    backend = plt.get_backend()
    plt.switch_backend("agg")
    yield
    live._chosen["mode"] = None     # not chosen: the next test decides again
    plt.close("all")
    plt.switch_backend(backend)

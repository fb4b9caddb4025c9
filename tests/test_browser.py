"""Every notebook as a learner meets it: real JupyterLab, real Chromium, Run All from the Run menu.

The kernel tests prove the numbers; this proves what a learner sees after `make lab`. One JupyterLab
(this Python's `jupyter lab`, on 127.0.0.1, a free port, a fresh token) serves a copy of the
repository, so the notebooks in the repository are never saved over; one Chromium (Debian's
/usr/bin/chromium driven by Playwright's Python package: never `playwright install`) opens them one
after another. Jupyter's state folders, HOME and the XDG folders of the server and the browser live
in a temporary folder, so the user's home is left alone; the project's own lab settings
(lab-settings/overrides.json) apply as under `make lab`.

For every notebook: check that every stored picture shows before it runs (each live panel's
output falls back to its picture), clear the stored outputs, Run All, wait for the kernel to go
idle, then fail on any error or stderr output (tracebacks, warnings), "Error displaying widget", a
widget stuck on "Loading widget...", a cell that did not run, or an error in the browser console.
A screenshot of a notebook in which the test found a problem goes to build/screenshots/, and so does
the dashboard's (the whole notebook, and its panel alone in build/screenshots/dashboard_panel.png,
which `make screenshot` copies to docs/dashboard.png).

Without Chromium or Playwright the tests skip with the reason (they fail instead when CI=true).
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
DASHBOARDS = [n for n in NOTEBOOKS if n.startswith("05_")]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STATE_DIRS = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
              "MPLCONFIGDIR")
HOME_DIRS = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")   # Chromium, npm, ...
RUN_TIMEOUT_MS = 120_000       # Run All of one notebook, kernel start included
WIDGET_TIMEOUT_MS = 15_000     # widgets still "Loading widget..." this long after the run: stuck
FIGURE_TIMEOUT_S = 10          # a figure that has not changed this long after an input: stuck

# JavaScript run in the page -----------------------------------------------------------------------
KERNEL_IDLE = """() => {
    const bar = document.querySelector('.jp-StatusBar-Widget');
    const text = bar ? bar.innerText : '';
    return text.includes('| Idle') && !text.includes('No Kernel');
}"""
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"   # the notebook on show (the only one open)
RUN_FINISHED = f"""() => {{
    const prompts = [...document.querySelectorAll(
        '{PANEL} .jp-CodeCell .jp-InputArea .jp-InputPrompt')].map(p => p.textContent);
    const indicator = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator');
    return prompts.length > 0 && /\\[\\d+\\]/.test(prompts[0])
        && !prompts.some(p => p.includes('*'))
        && indicator !== null && indicator.getAttribute('data-status') === 'idle';
}}"""
NO_LOADING_WIDGET = f"""() => !document.querySelector('{PANEL} .jp-Notebook').textContent
    .includes('Loading widget...')"""
# a notebook opened before it runs: every stored picture (each live panel's included) is on show
PICTURES_LOADED = """root => [...document.querySelectorAll(root + ' .jp-OutputArea-output img')]
    .filter(img => img.complete && img.naturalWidth > 0).length"""
WIDGET_TROUBLE = ("Error displaying widget", "Loading widget...")
CANVAS_HASH = """canvas => {
    // the figure's pixels as the page drew them (not a screenshot: hover, scrolling do not count)
    let h = 0x811c9dc5;
    const s = canvas.toDataURL();
    for (let k = 0; k < s.length; k++) { h ^= s.charCodeAt(k); h = Math.imul(h, 0x01000193); }
    return (h >>> 0).toString(16) + ':' + s.length;
}"""


# JupyterLab, one for the module -------------------------------------------------------------------
@dataclass
class Lab:
    url: str
    token: str
    root: Path          # the copy of the repository the server works in
    log: Path

    def api(self, method, path, body=None):
        """Call Jupyter's REST API with the token; returns the decoded JSON (or None)."""
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            body = r.read()
        return json.loads(body) if body else None

    def start_kernel(self, name):
        """Start notebook `name`'s session (a fresh kernel) ahead of time; JupyterLab joins it
        when it opens the notebook, instead of waiting for a kernel to start."""
        self.api("POST", "/api/sessions", {"path": name, "type": "notebook", "name": name,
                                           "kernel": {"name": "python3"}})

    def shut_down_kernels(self, name):
        """End the sessions (and kernels) of notebook `name`."""
        for s in self.api("GET", "/api/sessions"):
            if s["path"].endswith(name):
                self.api("DELETE", f"/api/sessions/{s['id']}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def temporary_home(tmp):
    """HOME and the XDG folders inside `tmp`, for the processes the tests start."""
    dirs = {name: str(tmp / "home" / name.lower()) for name in HOME_DIRS}
    for d in dirs.values():
        os.makedirs(d, exist_ok=True)
    return dirs


def lab_settings(tmp):
    """An app settings folder: the environment's own (if any) with the project's overrides on
    top."""
    settings = tmp / "lab-settings"
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    if installed.is_dir():
        shutil.copytree(installed, settings)
    settings.mkdir(exist_ok=True)
    shutil.copy(ROOT / "lab-settings" / "overrides.json", settings / "overrides.json")
    return settings


@contextmanager
def running_lab(tmp, app="lab"):
    """JupyterLab (app="lab") or Jupyter Notebook 7 (app="notebook") on 127.0.0.1 (a free port, a
    fresh token) serving a copy of the repository made in `tmp`, with its state folders and home
    in `tmp`; yields a `Lab`, stops it on exit."""
    root = tmp / "repo"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "build", "__pycache__", ".ipynb_checkpoints", ".pytest_cache"))
    env = dict(os.environ, JUPYTER_TOKEN=secrets.token_hex(24), **temporary_home(tmp))
    for name in STATE_DIRS:
        env[name] = str(tmp / name.lower())
        os.makedirs(env[name])
    port = free_port()
    cmd = [sys.executable, "-m", "jupyter", app, "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--ServerApp.root_dir={root / 'notebooks'}"]
    # the project's lab settings, for Notebook 7 too (its settings come from JupyterLab's
    # handler when both are installed, from its own otherwise; both read the same folder)
    settings = lab_settings(tmp)
    cmd.append(f"--LabApp.app_settings_dir={settings}")
    if app == "notebook":
        cmd.append(f"--JupyterNotebookApp.app_settings_dir={settings}")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = tmp / f"jupyter-{app}.log"
    server = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log.open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", env["JUPYTER_TOKEN"], root, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                lab.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter {app} did not start; its log:\n"
                                f"{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield lab
    finally:
        server.terminate()            # Jupyter shuts its kernels down on SIGTERM
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/")
    with running_lab(tmp_path_factory.mktemp("lab")) as lab:
        yield lab


# Chromium, one for the module ---------------------------------------------------------------------
def chromium_missing():
    """Why the browser tests cannot run here (Chromium or Playwright missing), or None."""
    if not CHROMIUM.exists():
        return (f"the browser test needs Debian's Chromium at {CHROMIUM} "
                "(apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the browser test needs Playwright's Python package "
                "(pip install -r requirements-test.txt; never `playwright install`)")
    return None


@contextmanager
def running_chromium(tmp, scale=1):
    """Debian's Chromium, headless, with a fresh profile and home in `tmp`: yields Playwright's
    browser context, closes it on exit. scale: device pixels per CSS pixel (2: a high-density
    screen)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp / "profile", executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            env=dict(os.environ, **temporary_home(tmp)),     # a fresh --user-data-dir and home
            viewport={"width": 1400, "height": 1000}, device_scale_factor=scale)
        try:
            yield context
        finally:
            context.close()


@contextmanager
def chromium_for_test(tmp, scale=1):
    """`running_chromium`, for a test: skips it (fails it when CI=true) without Chromium or
    Playwright."""
    missing = chromium_missing()
    if missing:
        skip_or_fail(missing)
    with running_chromium(tmp, scale) as context:
        yield context


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_for_test(tmp_path_factory.mktemp("chromium")) as context:
        yield context


# Open and Run All, once per notebook --------------------------------------------------------------
@dataclass
class Run:
    name: str
    page: object
    problems: list = field(default_factory=list)
    violations: list = field(default_factory=list)   # axe-core's serious or critical findings


AXE_SERIOUS = ("serious", "critical")


def accessibility_violations(page):
    """axe-core (the engine most accessibility test suites use; its script ships inside the
    axe-playwright-python package, nothing is downloaded) on the notebook's output areas: every
    serious or critical violation, as 'rule: what, where'."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page, context={"include": [[f"{PANEL} .jp-OutputArea"]]},
                        options={"resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v["impact"] in AXE_SERIOUS:
            for node in v["nodes"]:
                found.append(f"{v['id']} ({v['impact']}): {v['help']}; at {node['target']}: "
                             f"{node['html'][:160]}")
    return found


def stored_pictures(name):
    """How many of notebook `name`'s stored outputs hold a picture (a PNG)."""
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


def pictures_before_running(page, root, name):
    """The problems a learner meets opening `name` before running it: a stored picture (each
    panel's included) that does not show, a widget that shows an error instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    expected = stored_pictures(name)
    try:
        page.wait_for_function(f"() => ({PICTURES_LOADED})({json.dumps(root)}) >= {expected}",
                               timeout=10_000)
    except PlaywrightTimeout:
        pass             # reported below, with the count
    shown = page.evaluate(PICTURES_LOADED, root)
    problems = [] if shown >= expected else [
        f"before running, {shown} of the {expected} stored pictures show"]
    text = page.locator(root).first.text_content()
    problems += [f"before running, an output shows {t!r}" for t in WIDGET_TROUBLE if t in text]
    return problems


def menu(page, top, item):
    """Click `item` in JupyterLab's menu `top` (e.g. "Run" -> "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel").get_by_text(top, exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


class LabPage:
    """One JupyterLab page in which notebooks are opened one after another, from the file browser
    with a double click, as a learner opens them (JupyterLab loads once, not once per notebook).
    Page errors and console errors go to the `Run` of the notebook open at the time."""

    def __init__(self, context, lab, workspace="tests"):
        self.run = None
        self.page = context.new_page()
        self.page.on("pageerror", lambda err: self.run and self.run.problems.append(
            f"page error in the browser: {err}"))
        self.page.on("console", lambda msg: self.run and msg.type == "error"
                     and self.run.problems.append(f"browser console error: {msg.text}"))
        # a workspace of its own, so JupyterLab does not restore notebooks another page opened
        self.page.goto(f"{lab.url}/lab/workspaces/{workspace}?token={lab.token}")
        self.page.locator(".jp-DirListing-item").first.wait_for(timeout=RUN_TIMEOUT_MS)

    def open(self, run):
        self.run = run
        self.page.bring_to_front()   # after the dashboard's page opened, this one is in the
        # background, where Chromium puts off loading and drawing what is out of view
        self.page.locator(".jp-DirListing-content").get_by_text(run.name, exact=True).dblclick()

    def close_notebook(self):
        """Close every open notebook without saving it (JupyterLab asks for each one whose outputs
        changed), so that the next one opens alone, also after a test that failed half-way."""
        page = self.page
        menu(page, "File", "Close All Tabs")
        closed_or_asking = """() => !document.querySelector('.jp-NotebookPanel')
            || document.querySelector('.jp-Dialog') !== null"""
        for _ in range(len(NOTEBOOKS)):
            page.wait_for_function(closed_or_asking, timeout=10_000)
            ask = page.locator(".jp-Dialog")
            if not ask.count():
                break
            ask.get_by_role("button", name="Discard").click()
            ask.first.wait_for(state="detached", timeout=10_000)
        self.run = None


def open_and_run_all(context, lab, name, inspect=True, loaded=None, lab_page=None):
    """Open notebook `name` in JupyterLab, clear its outputs, Run All; returns a `Run`.
    inspect=False (the benchmark): stop once the widgets have shown, without the checks,
    accessibility scan and screenshots. loaded(): called once the page has loaded and joined
    its kernel. lab_page: the `LabPage` to open it in; by default a new one of its own."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    if lab_page is None:
        lab_page = LabPage(context, lab, workspace=Path(name).stem)
    page = lab_page.page
    run = Run(name, page)
    try:
        lab_page.open(run)
        page.wait_for_function(KERNEL_IDLE, timeout=RUN_TIMEOUT_MS)
        if loaded is not None:
            loaded()
        if inspect:
            run.problems += pictures_before_running(page, PANEL, name)
        menu(page, "Edit", "Clear Outputs of All Cells")   # only what this run produces counts
        menu(page, "Run", "Run All Cells")
        page.wait_for_function(RUN_FINISHED, timeout=RUN_TIMEOUT_MS)
    except PlaywrightTimeout as err:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{Path(name).stem}-timed-out.png")
        pytest.fail(f"{name}: JupyterLab did not finish Run All ({err.message.splitlines()[0]}); "
                    f"see {SHOTS / (Path(name).stem + '-timed-out.png')}", pytrace=False)
    notebook = page.locator(f"{PANEL} .jp-Notebook")
    try:   # widget views appear a moment after their cell finished
        page.wait_for_function(NO_LOADING_WIDGET, timeout=WIDGET_TIMEOUT_MS)
    except PlaywrightTimeout:
        pass   # reported below
    if not inspect:
        return run
    # cells whose source is hidden (the worked solutions) show a placeholder without a prompt;
    # their errors still show in their outputs, checked below
    prompts = notebook.locator(".jp-CodeCell .jp-InputArea .jp-InputPrompt").all_text_contents()
    for k, prompt in enumerate(prompts):
        if not re.search(r"\[\d+\]", prompt):
            run.problems.append(f"code cell {k + 1} did not run (prompt {prompt.strip()!r})")
    for text in notebook.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_text_contents():
        run.problems.append(f"error or stderr output:\n{text[:2000]}")
    for toast in news_toasts(page):
        run.problems.append(f"JupyterLab asks about Jupyter news: {toast!r}")
    shown = notebook.text_content()
    for stuck in WIDGET_TROUBLE:
        if stuck in shown:
            run.problems.append(f"a widget shows {stuck!r}")
    run.violations = accessibility_violations(page)
    if run.problems or run.violations or name in DASHBOARDS:
        save_screenshots(run, notebook)
    return run


def save_screenshots(run, notebook):
    """The whole notebook after Run All (taken when its test found a problem, and for the
    dashboard), and the dashboard's panel on its own."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = run.page
    height = page.evaluate(f"""() => {{
        const outer = document.querySelector('{PANEL} .jp-WindowedPanel-outer');
        outer.scrollTop = 0;                        // Run All left it scrolled to the last cell
        return outer.scrollHeight; }}""")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 200, 1000), 16000)})
    settle_figures(page)       # live figures redraw when their page is resized
    notebook.locator(".jp-WindowedPanel-viewport").screenshot(
        path=SHOTS / f"{Path(run.name).stem}.png")
    if run.name in DASHBOARDS:     # with the page this tall the whole panel is in view
        dashboard_panel(page).screenshot(path=SHOTS / "dashboard_panel.png")
    page.set_viewport_size(size)
    if run.name in DASHBOARDS:      # its test goes on to move the sliders
        settle_figures(page)


def settle_figures(page, timeout_s=FIGURE_TIMEOUT_S):
    """Wait until every live figure (canvas) on the page has drawn its last update."""
    hashes = f"""() => [...document.querySelectorAll(
        '{PANEL} .lstm-figure canvas')].map({CANVAS_HASH})"""
    deadline, last = time.monotonic() + timeout_s, page.evaluate(hashes)
    while last and time.monotonic() < deadline:
        page.wait_for_timeout(300)
        now = page.evaluate(hashes)
        if now == last:
            return
        last = now


@pytest.fixture(scope="module")
def runs(browser, lab):
    """runs(name) opens and runs notebook `name` once; the dashboard's page stays open for its test.

    While one notebook runs, a helper thread ends the previous notebook's kernel and starts the
    next one's, so no notebook waits for a kernel to start (the browser work stays in this thread).
    The next kernel starts only once the page has loaded: a page that lists the kernels while one
    is starting can get a 500 from jupyter_server (KeyError 'last_activity' in kernel_model).
    """
    done, pending = {}, {}
    lab_page = LabPage(browser, lab)
    with ThreadPoolExecutor(max_workers=1) as helper:
        def get(name):
            if name not in done:
                if name in pending:
                    pending.pop(name).result()
                later = NOTEBOOKS[NOTEBOOKS.index(name) + 1:]

                def start_next():
                    if later and later[0] not in done and later[0] not in pending:
                        pending[later[0]] = helper.submit(lab.start_kernel, later[0])
                # the dashboard keeps a page of its own, open for its test
                shared = None if name in DASHBOARDS else lab_page
                try:
                    done[name] = open_and_run_all(browser, lab, name, loaded=start_next,
                                                  lab_page=shared)
                finally:
                    if shared is not None:
                        shared.close_notebook()
                        helper.submit(lab.shut_down_kernels, name)
            return done[name]
        yield get


# The tests ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_all_in_jupyterlab_without_errors(runs, name):
    run = runs(name)
    assert not run.problems, f"{name} in JupyterLab:\n" + "\n".join(run.problems)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_outputs_have_no_serious_accessibility_violations(runs, name):
    run = runs(name)
    assert not run.violations, (f"{name}: {len(run.violations)} serious or critical axe-core "
                                "violations in the outputs:\n" + "\n".join(run.violations))


def dashboard_panel(page):
    """The output that holds the dashboard: sliders, the sequence box and the live figure."""
    return page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".lstm-figure")).filter(
        has=page.locator(".lstm-slider")).filter(has=page.locator(".widget-text input")).first


def figure_hash(panel, k=0):
    """The pixels of the panel's k-th live figure (0: the curves; 1: the dashboard's diagram)."""
    return panel.locator(".lstm-figure canvas").nth(k).evaluate(CANVAS_HASH)


def settled_hash(panel, k=0):
    """The figure's hash once two looks 0.4 s apart agree (pending redraws have arrived)."""
    last, now = None, figure_hash(panel, k)
    while now != last:
        panel.page.wait_for_timeout(400)
        last, now = now, figure_hash(panel, k)
    return now


def wait_for_new_figure(panel, before, what, k=0):
    deadline = time.monotonic() + FIGURE_TIMEOUT_S
    while figure_hash(panel, k) == before:
        assert time.monotonic() < deadline, f"the figure did not change after {what}"
        panel.page.wait_for_timeout(100)
    return settled_hash(panel, k)


def readout(slider):
    return slider.locator(".lstm-slider-readout").inner_text().strip()


@pytest.mark.parametrize("name", DASHBOARDS)
def test_dashboard_figure_follows_a_dragged_slider_arrow_keys_and_a_typed_sequence(runs, name):
    run = runs(name)
    assert not run.problems, f"{name} in JupyterLab:\n" + "\n".join(run.problems)
    page = run.page
    page.bring_to_front()        # the other notebooks ran in another page since
    panel = dashboard_panel(page)
    sliders = panel.locator(".lstm-slider")
    assert sliders.count() == 15, "a slider for each of the 14 weights and the time step"
    before = settled_hash(panel)
    diagram_before = settled_hash(panel, 1)

    # drag the first slider's handle to the left with the mouse (W_f: from the seed's 0.5 to
    # about -3, where the forget gate is far from saturated, so every line moves)
    first = sliders.first
    value = readout(first)
    track = first.locator("input[type=range]")
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    # the thumb sits at (0.5 - (-5)) / 10 = 55 % of the track; drag it to 20 %
    x, y = box["x"] + 0.55 * box["width"], box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(box["x"] + 0.2 * box["width"], y, steps=5)
    page.mouse.up()
    after_drag = wait_for_new_figure(panel, before, "dragging a slider")
    assert readout(first) != value, "the dragged slider's readout did not change"
    diagram_after_drag = wait_for_new_figure(panel, diagram_before, "dragging a slider", k=1)

    # the cell diagram's time step, moved with the arrow keys: the diagram shows another step
    step = panel.locator(".lstm-slider").filter(has_text="time step")
    step.locator("input[type=range]").focus()
    page.keyboard.press("ArrowLeft")
    wait_for_new_figure(panel, diagram_after_drag, "an arrow key on the time step", k=1)
    assert readout(step) == "2", "the time step did not move from 3 to 2"

    # the read-out's bias b_y (it shifts the prediction, which always shows), moved with the
    # arrow keys
    last = panel.locator(".lstm-slider").filter(has=page.locator("input[aria-label^='b_y']"))
    value = readout(last)
    last.locator("input[type=range]").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    after_keys = wait_for_new_figure(panel, after_drag, "arrow keys on a slider")
    assert readout(last) != value, "the slider's readout did not change under the arrow keys"

    # a new sequence typed into the input box: first the kernel's answer (the prediction after six
    # inputs is y-hat_7), then the figure, so a failure says which of the two did not happen
    entry = panel.locator(".widget-text input").first
    entry.fill("0, 1, 0, -1, 0, 1")
    entry.press("Enter")
    prediction = panel.get_by_text("predicted next value")
    try:
        deadline = time.monotonic() + FIGURE_TIMEOUT_S
        while "ŷ7" not in prediction.inner_text().replace(" ", ""):
            assert time.monotonic() < deadline, (
                f"the kernel did not take the typed sequence: the box holds "
                f"{entry.input_value()!r}, the read-out says {prediction.inner_text()!r}")
            page.wait_for_timeout(100)
        wait_for_new_figure(panel, after_keys, "typing a new sequence")
    except AssertionError:
        SHOTS.mkdir(parents=True, exist_ok=True)
        panel.screenshot(path=SHOTS / "dashboard-typed-sequence-failed.png")
        raise
    assert not run.problems, "\n".join(run.problems)


def test_jupyter_news_prompt_is_closed_by_the_project_lab_settings(runs, lab, browser):
    setting = lab.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    fetch_news = setting["settings"].get("fetchNews",
                                         setting["schema"]["properties"]["fetchNews"]["default"])
    assert fetch_news == "false", "lab-settings/overrides.json should set fetchNews to 'false'"
    # without the override the prompt shows about a second after JupyterLab has loaded
    if DASHBOARDS:
        page = runs(DASHBOARDS[0]).page          # open since its Run All, many seconds ago
    else:
        page = browser.new_page()
        page.goto(f"{lab.url}/lab/workspaces/news?token={lab.token}")
        page.wait_for_selector(".jp-StatusBar-Widget")
        page.wait_for_timeout(5000)
    assert not news_toasts(page)


def news_toasts(page):
    """The texts of JupyterLab's pop-up notifications that ask about Jupyter news."""
    return [t for t in page.locator(".Toastify__toast").all_inner_texts() if "news" in t.lower()]

"""A fresh clone sets itself up, and `make lab` there is reachable only as it should be.

`git clone` of this repository (so it tests what is committed, not the working tree) into a
temporary folder; there `make .venv/.test-installed` -- the set-up path of `make test` -- builds a
brand-new virtual environment, so a package or install step missing from the Makefile or the
requirements fails here instead of hiding behind an environment that already has it. Then
`make lab` must answer on 127.0.0.1 only, refuse requests without its token and accept them with it.

Marked slow (about a minute: a new venv): runs in CI (CI=true) or with `pytest --run-slow`.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, skip_or_fail

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 900
LAB_START_TIMEOUT = 90


def clean_env(tmp):
    """The environment of a new shell: no active venv, no outer make, Jupyter's state in `tmp`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME",
                        "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
           and not k.startswith(("JUPYTER", "JPY_"))}
    venv_bin = str(Path(sys.prefix) / "bin")   # don't let this test's own venv come first on PATH
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR"):
        env[name] = str(tmp / name.lower())
    return env


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    for tool in ("git", "make"):
        if shutil.which(tool) is None:
            skip_or_fail(f"the fresh-clone test needs `{tool}`")
    if not (ROOT / ".git").exists():
        skip_or_fail(f"{ROOT} is not a git repository, so there is nothing to clone")
    tmp = tmp_path_factory.mktemp("fresh")
    repo = tmp / "clone"
    env = clean_env(tmp)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True, env=env,
                   stdin=subprocess.DEVNULL, timeout=120)
    done = subprocess.run(["make", ".venv/.test-installed"], cwd=repo, env=env, text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, \
        f"`make .venv/.test-installed` failed in a fresh clone:\n{done.stdout[-4000:]}"
    return repo, env


def requirement_names(repo):
    """The package names pyproject.toml requires, runtime and test (before a version or marker)."""
    tomllib = pytest.importorskip("tomllib")   # Python >= 3.11
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for deps in project["optional-dependencies"].values()
                                        for d in deps]
    return [re.split(r"[\s<>=!~;\[]", d)[0] for d in wanted]


def test_fresh_clone_venv_holds_every_requirement_and_project_module(clone):
    repo, env = clone
    venv = repo / ".venv"
    import_names = {"jupyter_repo2docker": "repo2docker",   # where the module's name differs
                    "pytest_xdist": "xdist"}
    modules = [n.lower().replace("-", "_") for n in requirement_names(repo)]
    modules = [import_names.get(m, m) for m in modules]
    modules += sorted(p.stem for p in repo.glob("lstm_*.py"))  # lstm_core, lstm_learn, ...
    modules += ["lstm_classroom.panels", "lstm_classroom.checks.frameworks"]
    probe = ("import importlib, json, sys\n"
             "files = {m: importlib.import_module(m).__file__ for m in sys.argv[1:]}\n"
             "print(json.dumps({'prefix': sys.prefix, 'files': files}))")
    done = subprocess.run([str(venv / "bin" / "python"), "-c", probe, *modules], cwd=repo, env=env,
                          text=True, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert Path(found["prefix"]).resolve() == venv.resolve()
    outside = {m: f for m, f in found["files"].items()
               if not Path(f).resolve().is_relative_to(repo.resolve())}
    assert not outside, f"imported from outside the clone and its venv: {outside}"


def test_fresh_clone_venv_has_the_project_lab_settings(clone):
    repo, _ = clone
    installed = repo / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.is_file(), "the Makefile should copy lab-settings/overrides.json into the venv"
    source = repo / "lab-settings" / "overrides.json"
    assert json.loads(installed.read_text()) == json.loads(source.read_text())


def other_addresses():
    """Addresses of this machine other than 127.0.0.1 that a server on all interfaces would
    answer on."""
    found = {"127.0.0.2", "::1"}
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except socket.gaierror:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:   # the address of the outgoing interface; connect() on UDP sends nothing
            s.connect(("192.0.2.1", 9))
            found.add(s.getsockname()[0])
        except OSError:
            pass
    return sorted(found - {"127.0.0.1", "0.0.0.0"})


def answers(address, port):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as s:
        s.settimeout(2)
        try:
            s.connect((address, port))
            return True
        except OSError:
            return False


def status(url, token=None):
    """The HTTP status of a GET, with the token in the Authorization header when given."""
    headers = {"Authorization": f"token {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture(scope="module")
def make_lab(clone, tmp_path_factory):
    """`make lab` in the clone on a free port; yields (port, token from its printed URL, log)."""
    repo, env = clone
    tmp = tmp_path_factory.mktemp("make-lab")
    home = {name: str(tmp / "home" / name.lower())     # the server's npm and friends write here
            for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME")}
    for d in home.values():
        os.makedirs(d)
    env = dict(env, **home)
    port = free_port()
    log = tmp / "make-lab.log"
    lab = subprocess.Popen(["make", "lab", f"PORT={port}", "LAB_ARGS=--no-browser"], cwd=repo,
                           env=env, stdin=subprocess.DEVNULL, stdout=log.open("w"),
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, token = time.monotonic() + LAB_START_TIMEOUT, None
        while token is None:
            found = re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=([0-9a-f]+)",
                              log.read_text())
            if found and answers("127.0.0.1", port):
                token = found.group(1)
            elif lab.poll() is not None or time.monotonic() > deadline:
                pytest.fail("`make lab` did not start or print its URL:\n"
                            f"{log.read_text()[-3000:]}")
            else:
                time.sleep(0.3)
        yield port, token, log
    finally:
        os.killpg(lab.pid, signal.SIGTERM)      # make and the server it started: one process group
        try:
            lab.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()


def test_make_lab_answers_on_localhost_only(make_lab):
    port, _, _ = make_lab
    assert answers("127.0.0.1", port)
    reachable = [a for a in other_addresses() if answers(a, port)]
    assert not reachable, f"`make lab` also answers on {reachable}"


def test_make_lab_refuses_requests_without_its_token(make_lab):
    port, token, _ = make_lab
    url = f"http://127.0.0.1:{port}/api/contents"
    assert status(url) == 403
    assert status(url, token="0" * len(token)) == 403
    assert status(url, token=token) == 200


def test_make_lab_does_not_ask_about_jupyter_news(make_lab):
    port, token, _ = make_lab
    url = f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification"
    with urllib.request.urlopen(urllib.request.Request(
            url, headers={"Authorization": f"token {token}"}), timeout=10) as r:
        setting = json.load(r)
    fetch_news = setting["settings"].get("fetchNews",
                                         setting["schema"]["properties"]["fetchNews"]["default"])
    assert fetch_news == "false"


# ---- pip and Binder, from the clone ------------------------------------------------------------

def test_pip_install_of_the_clone_ships_the_modules_and_the_data(clone, tmp_path):
    """`pip install .` (not editable) into a fresh venv: every module imports from site-packages,
    what the notebooks read at run time comes with it, and every notebook copied alone into an
    empty folder runs there with no error output."""
    repo, env = clone
    venv = tmp_path / "pipvenv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=120)
    # as a learner does it: the project and its runtime requirements, nothing else; the build
    # gets pyproject.toml's build backend in pip's isolated build environment
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", str(repo)],
                          env=env, text=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    probe = ("import lstm_core, lstm_text, lstm_classroom.checks.frameworks as fw, sys\n"
             "import lstm_classroom.variant_panels as vp, lstm_classroom.xlstm_panels as xp\n"
             "assert 'site-packages' in lstm_core.__file__, lstm_core.__file__\n"
             "assert fw.TORCH_REFERENCE.is_file() and lstm_text.SHIPPED['lstm'].is_file()\n"
             "assert vp.RESULTS_JSON.is_file() and vp.RESULTS_MD.is_file()\n"
             "assert xp.RESULTS.is_file()\n"
             "print(lstm_core.__file__)")
    done = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=tmp_path, env=env,
                          text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    # every notebook, copied alone into an empty folder, runs there in that venv's kernel (the
    # kernelspec "python3" is the running Python) with no error or stderr output
    alone = tmp_path / "alone"
    alone.mkdir()
    for nb in sorted((repo / "notebooks").glob("*.ipynb")):
        shutil.copy(nb, alone / nb.name)
    done = subprocess.run([str(venv / "bin" / "python"), "-c", RUN_ALONE], cwd=alone, env=env,
                          text=True, capture_output=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.stdout.count("ran with no error output") == len(list(
        (repo / "notebooks").glob("*.ipynb")))


# run by the pip venv's Python in a folder that holds only the notebooks: one at a time, each in a
# fresh kernel, each in a folder of its own. Any error or stderr output fails, and so does printed
# text or a text result that differs from the committed one (as strict nbval would find it), e.g.
# a message that a data file is missing
RUN_ALONE = r"""
import copy, shutil, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

def texts(cell):   # what a cell printed (its streams joined, as nbval joins them) and returned
    outs = cell.get('outputs', [])
    return (''.join(o['text'] for o in outs if o['output_type'] == 'stream'),
            [o['data'].get('text/plain', '') for o in outs if o['output_type'] == 'execute_result'])

bad = []
for path in sorted(Path('.').glob('*.ipynb')):
    folder = Path(path.stem)
    folder.mkdir()
    shutil.move(path, folder / path.name)
    nb = nbformat.read(folder / path.name, as_version=4)
    committed = copy.deepcopy(nb)
    NotebookClient(nb, timeout=600, kernel_name='python3', allow_errors=True,
                   iopub_timeout=60, raise_on_iopub_timeout=True,
                   resources={'metadata': {'path': str(folder)}}).execute()
    errors = [o for c in nb.cells for o in c.get('outputs', [])
              if o['output_type'] == 'error' or o.get('name') == 'stderr']
    differ = [k for k, (new, old) in enumerate(zip(nb.cells, committed.cells))
              if new.cell_type == 'code' and 'NBVAL_IGNORE_OUTPUT' not in new.source
              and texts(new) != texts(old)]
    if errors:
        bad.append(f"{path.name}: {errors[0].get('ename') or errors[0].get('text', '')[:500]}")
    elif differ:
        bad.append(f"{path.name}: cell {differ[0]} printed {texts(nb.cells[differ[0]])!r:.500}, "
                   f"committed {texts(committed.cells[differ[0]])!r:.500}")
    else:
        print(path.name, 'ran with no error output', flush=True)
sys.exit('\n'.join(bad) or None)   # None: exit status 0
"""


def test_binder_picks_up_python_the_requirements_and_postbuild(clone):
    """repo2docker (Binder's builder), --no-build: the Dockerfile it would build."""
    repo, env = clone
    r2d = Path(sys.prefix) / "bin" / "repo2docker"
    if not r2d.exists():
        skip_or_fail("repo2docker (the test extra) is not installed")
    done = subprocess.run([str(r2d), "--no-build", "--debug", str(repo)], env=env, text=True,
                          capture_output=True, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "Building conda environment for python=3.11" in out
    assert 'pip install --no-cache-dir -r "requirements.txt"' in out
    assert "RUN ./postBuild" in out


def test_binder_postbuild_applies_the_lab_settings_and_opens_jupyterlab(clone, tmp_path):
    repo, env = clone
    prefix = tmp_path / "prefix"
    done = subprocess.run(["bash", str(repo / "postBuild")], cwd=repo, text=True,
                          env={**env, "NB_PYTHON_PREFIX": str(prefix)}, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    settings = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(settings.read_text()) == json.loads(
        (repo / "lab-settings" / "overrides.json").read_text())
    config = json.loads((prefix / "etc" / "jupyter" / "jupyter_server_config.d"
                         / "lstm-gate-by-gate.json").read_text())
    assert config["ServerApp"]["default_url"].startswith("/lab")

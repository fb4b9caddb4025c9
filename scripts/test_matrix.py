"""The versions pyproject.toml claims, tested: `make test-matrix` (.ci/run runs it after make test).

Two environments besides make test's .venv, each a virtual environment in build/matrix/:

    floor    Python 3.10 with exactly the oldest version of each requirement pyproject.toml states
             (numpy>=1.24 installs numpy==1.24, ...)
    newest   Python 3.13 with the newest release of each (upgraded on every run)

In each it runs the unit tests and strict nbval over every notebook (pytest.ini's settings, so the
notebooks also run a second time on numpy's baseline kernels where that numpy can list its CPU
features). The tests that need a browser or a fresh clone (the browser, Notebook 7, static-page
and fresh-clone tests) and the slow retraining tests run once, in make test's environment; the
test tools only they use (Playwright, axe, repo2docker, notebook, check-jsonschema, ruff) are
not installed here, and the workflow check (tests/test_ci_workflow.py) runs only there. So does
the nbgrader class test (tests/test_nbgrader.py): nbgrader, a teacher's tool, needs a newer
JupyterLab than the learner's floor, and is not installed here either. Then it
prints one line an environment: its Python, numpy, matplotlib and ipywidgets versions, the result
and the time, and exits non-zero if any failed.

    python scripts/test_matrix.py [floor] [newest]        # both, by default

The interpreters: $PYTHON_FLOOR and $PYTHON_NEWEST when set, else pyenv's newest 3.10.x and
3.13.x, else python3.10 and python3.13 on PATH. A missing interpreter fails the run (it says
how to point at one): the matrix is asked for explicitly, so it never passes by skipping.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import time
from importlib.metadata import requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "lstm-gate-by-gate"
BROWSER_ONLY = {"playwright", "axe-playwright-python", "jupyter-repo2docker", "notebook",
                "check-jsonschema", "ruff", "nbgrader"}   # and the teacher's tool
NOT_HERE = ["tests/test_browser.py", "tests/test_notebook7.py", "tests/test_static_render.py",
            "tests/test_fresh_clone.py", "tests/test_ci_workflow.py", "tests/test_nbgrader.py",
            "tests/test_reopen.py"]
ENVIRONMENTS = {"floor": ("3.10", "PYTHON_FLOOR"), "newest": ("3.13", "PYTHON_NEWEST")}
SHOWN = ("numpy", "matplotlib", "ipywidgets")


def requirements():
    """(name, floor version) of every requirement the matrix installs: the project's own and
    the test extra's, less the browser-only tools, as the installed project's metadata states
    them (pip builds that from pyproject.toml)."""
    found = []
    for line in requires(PROJECT) or []:
        spec, _, marker = line.partition(";")
        if marker and "extra" in marker and '"test"' not in marker and "'test'" not in marker:
            continue
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)\s*", spec)
        if not match:
            raise SystemExit(f"{PROJECT}'s requirement {line!r} is not 'name>=version'; the "
                             "floor environment needs one floor per requirement")
        if match[1] not in BROWSER_ONLY:
            found.append((match[1], match[2]))
    return found


def interpreter(name):
    """The Python for environment `name`: its variable, pyenv's newest x.y, or pythonx.y."""
    version, variable = ENVIRONMENTS[name]
    if os.environ.get(variable):
        return os.environ[variable]
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    key = lambda p: [int(n) for n in re.findall(r"\d+", Path(p).parents[1].name)]
    candidates = sorted(glob.glob(f"{root}/versions/{version}.*/bin/python"), key=key)
    candidates = [p for p in candidates if re.fullmatch(rf"{re.escape(version)}\.\d+",
                                                        Path(p).parents[1].name)]
    if candidates:
        return candidates[-1]
    on_path = shutil.which(f"python{version}")
    if on_path:
        return on_path
    raise SystemExit(f"{name}: no Python {version} found. Install one (pyenv install {version}) "
                     f"or set {variable}=/path/to/python{version}")


def run(args, **kw):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, stdin=subprocess.DEVNULL, **kw)


def build(name, python):
    """build/matrix/<name>: a venv with the environment's versions and the project (editable).
    The floor's is made anew when its pins change and kept otherwise; the newest's is kept and
    upgraded on every run, so that it holds what was released since."""
    venv = ROOT / "build" / "matrix" / name
    pins = [f"{n}=={v}" if name == "floor" else n for n, v in requirements()]
    stamp, wanted = venv / "matrix-requirements.txt", "\n".join([python, *pins]) + "\n"
    installed = stamp.read_text() if stamp.exists() else None
    if installed is None or installed.splitlines()[0] != python or (
            name == "floor" and installed != wanted):
        shutil.rmtree(venv, ignore_errors=True)
        if run([python, "-m", "venv", venv]).returncode:
            raise SystemExit(f"{name}: could not make a virtual environment with {python}")
        installed = None
    if installed != wanted or name == "newest":
        pip = [venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check",
               "-q"]
        upgrade = ["--upgrade", "--upgrade-strategy", "eager"] if name == "newest" else []
        if run(pip + upgrade + pins).returncode or run(pip + ["--no-deps", "-e", "."]).returncode:
            raise SystemExit(f"{name}: pip could not install {' '.join(pins)}")
        stamp.write_text(wanted)
    return venv / "bin" / "python"


def versions(python):
    code = ("import sys, importlib.metadata as m; print(sys.version.split()[0], "
            + ", ".join(f"m.version({n!r})" for n in SHOWN) + ")")
    out = run([python, "-c", code], capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else ["?"] * (1 + len(SHOWN))


def test(name):
    """Build environment `name` and run its tests; returns its table row."""
    start = time.perf_counter()
    python = build(name, interpreter(name))
    built = time.perf_counter()
    ignore = [f"--ignore={path}" for path in NOT_HERE]
    done = run([python, "-m", "pytest", "tests", "notebooks", "-m", "not slow", *ignore],
               env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True, text=True)
    log = python.parents[1] / "pytest.log"
    log.write_text(done.stdout + done.stderr)
    # the run's header, and from its short summary on (every failure's name) to its last line
    lines = done.stdout.splitlines()
    cut = next((k for k, line in enumerate(lines) if "short test summary info" in line),
               max(len(lines) - 5, 0))
    print(*lines[:8], "...", *lines[cut:], done.stderr[-2000:], f"(all of it: {log})",
          sep="\n", flush=True)
    summary = (lines or ["(no output)"])[-1].strip("= ")
    return (name, *versions(python), "passed" if done.returncode == 0 else "FAILED", summary,
            built - start, time.perf_counter() - built)


def main(names):
    names = names or list(ENVIRONMENTS)
    unknown = sorted(set(names) - set(ENVIRONMENTS))
    if unknown:
        raise SystemExit(f"unknown environment(s) {unknown}; the matrix has {list(ENVIRONMENTS)}")
    rows = [test(name) for name in names]
    print("\nenvironment | Python | " + " | ".join(SHOWN) + " | result | set-up | tests")
    for name, *vers, result, summary, setup, tests in rows:
        print(f"{name} | {' | '.join(vers)} | {result}: {summary} | {setup:.0f} s | {tests:.0f} s")
    return 0 if all(row[-4] == "passed" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

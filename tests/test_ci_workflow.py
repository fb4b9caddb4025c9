"""The GitHub Actions workflow a fork runs (.github/workflows/ci.yml): valid against GitHub's
workflow schema, and doing what .ci/run does.

check-jsonschema ships GitHub's workflow schema inside the package (`--builtin-schema
vendor.github-workflows`), so the check needs no network.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def validate(*paths):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_there_is_a_workflow():
    assert [p.name for p in WORKFLOWS] == ["ci.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_validates_against_githubs_schema(path):
    done = validate(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_refuses_a_broken_workflow(tmp_path):
    # the same workflow with a job that names no runner: GitHub would refuse it, and so must we
    broken = tmp_path / "broken.yml"
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    broken.write_text(re.sub(r"\n    runs-on: ubuntu-latest\n", "\n", workflow, count=1))
    done = validate(broken)
    assert done.returncode != 0 and "runs-on" in done.stdout + done.stderr, done.stdout


def test_workflow_runs_what_ci_run_runs():
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    ci_run = (ROOT / ".ci" / "run").read_text()
    commands = lambda text: re.findall(r"^\s*(?:run: )?(make [a-z-]+)\s*$", text, re.M)
    assert commands(ci_run) == ["make test", "make test-matrix"]
    assert sorted(commands(workflow)) == sorted(commands(ci_run))
    assert "chromium" in workflow and 'CI: "true"' in workflow

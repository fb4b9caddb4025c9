"""The GitHub Actions workflow a fork runs (.github/workflows/ci.yml): valid against GitHub's
workflow schema, and doing what .ci/run does.

check-jsonschema ships GitHub's workflow schema inside the package (`--builtin-schema
vendor.github-workflows`), so the check needs no network.
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def validate(*paths):
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_there_is_a_workflow():
    assert [p.name for p in WORKFLOWS] == ["ci.yml"]


def test_workflow_validates_against_githubs_schema_and_a_broken_one_does_not(tmp_path):
    # with a copy whose job names no runner: GitHub would refuse it, and so must the check
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    broken = tmp_path / "broken.yml"
    broken.write_text(re.sub(r"\n    runs-on: ubuntu-latest\n", "\n", workflow, count=1))
    done = validate(*WORKFLOWS, broken)
    said = done.stdout + done.stderr
    assert done.returncode != 0 and "broken.yml" in said and "runs-on" in said, said
    assert not any(path.name in said for path in WORKFLOWS), said


def test_workflow_runs_what_ci_run_runs():
    workflow = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    ci_run = (ROOT / ".ci" / "run").read_text()
    commands = lambda text: re.findall(r"^\s*(?:run: )?(make [a-z-]+)\s*$", text, re.M)
    assert commands(ci_run) == ["make test", "make test-matrix"]
    assert sorted(commands(workflow)) == sorted(commands(ci_run))
    assert "chromium" in workflow and 'CI: "true"' in workflow

"""Worked solutions: every exercise in notebooks 00-08 has one, nbval runs it through its own check
(its stored output must start with "Right!"), and a teacher's copy without them
(`python -m lstm_classroom.solutions strip OUT_DIR`, `make student`) changes nothing else."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from lstm_classroom import solutions
from lstm_classroom.solutions import BEGIN, END, FIRST_LINE, PLACEHOLDER, strip_source

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def is_solution(cell):
    return cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])


def checks_called(source):
    """The names of the check_* functions a code cell calls."""
    return {node.func.id for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id.startswith("check_")}


def checks_imported(nb):
    return {alias.name for cell in nb.cells if cell.cell_type == "code"
            for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.name.startswith("check_")}


def stored_text(cell):
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def exercises(nb):
    """[(index, check names)] of the exercise cells: code cells, not solutions, calling a check."""
    return [(k, checks_called(c.source)) for k, c in enumerate(nb.cells)
            if c.cell_type == "code" and not is_solution(c) and checks_called(c.source)]


def test_there_are_notebooks_with_exercises():
    numbers = {p.name[:2] for p in NOTEBOOKS}
    assert {f"{n:02d}" for n in range(9)} <= numbers      # 00-08 at least; a new one is tested too
    assert all(exercises(read(p)) for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_is_followed_by_a_hidden_solution_that_its_check_calls_right(path):
    nb = read(path)
    for k, names in exercises(nb):
        assert k + 1 < len(nb.cells) and is_solution(nb.cells[k + 1]), (
            f"cell {k} calls {names} but the next cell is not a solution")
        sol = nb.cells[k + 1]
        assert sol.metadata["jupyter"]["source_hidden"] is True
        assert sol.metadata["jupyter"]["outputs_hidden"] is True   # its verdict gives the answer
        lines = sol.source.split("\n")
        assert lines[0] == FIRST_LINE
        assert lines.count(BEGIN) == 1 and lines.count(END) == 1
        assert lines.index(BEGIN) < lines.index(END) < len(lines) - 1
        assert checks_called(lines[-1]) == names, (lines[-1], names)   # ends in the same check
        text = stored_text(sol)
        assert text.startswith("Right!"), (k + 1, text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_solution_follows_an_exercise(path):
    nb = read(path)
    follows = {k + 1 for k, _ in exercises(nb)}
    assert {k for k, c in enumerate(nb.cells) if is_solution(c)} == follows


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_imported_check_is_exercised_by_a_solution(path):
    nb = read(path)
    solved = set().union(*(checks_called(c.source) for c in nb.cells if is_solution(c)))
    assert checks_imported(nb) <= solved, checks_imported(nb) - solved


def test_the_build_it_yourself_checks_are_imported_by_name_where_they_are_used():
    imports = {p.name[:2]: "\n".join(c.source for c in read(p).cells) for p in NOTEBOOKS}
    assert "from lstm_classroom.checks.build import check_step\n" in imports["00"]
    assert "from lstm_classroom.checks.build import check_step_backward\n" in imports["07"]


def test_at_most_three_predictions_are_asked():
    # 01's forget bias, 04's hidden memory and 04's cue
    sources = [c.source for p in NOTEBOOKS for c in read(p).cells if c.cell_type == "markdown"]
    assert 1 <= sum("### Predict, then see" in s for s in sources) <= 3


# ---- the teacher's copy without solutions ------------------------------------------------------

def test_strip_source_replaces_the_marked_block_and_keeps_the_rest():
    source = (f"{FIRST_LINE}\nweights = {{}}\n{BEGIN}\nweights = dict(b_f=3.0)\n{END}\n"
              "check(**weights)")
    assert strip_source(source) == (f"{FIRST_LINE}\nweights = {{}}\n{PLACEHOLDER}\n"
                                    "check(**weights)")
    indented = f"def f():\n    {BEGIN}\n    return 1\n    {END}"
    assert strip_source(indented) == f"def f():\n    {PLACEHOLDER}"


@pytest.mark.parametrize("source", [f"{BEGIN}\nx = 1", f"x = 1\n{END}",
                                    f"{BEGIN}\n{BEGIN}\n{END}"])
def test_strip_source_refuses_unbalanced_markers(source):
    with pytest.raises(ValueError):
        strip_source(source)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert solutions.main(["strip", str(out)]) == 0
    return out


def test_strip_writes_every_notebook_as_valid_json_and_nbformat(student):
    written = sorted(p.name for p in student.glob("*.ipynb"))
    assert written == [p.name for p in NOTEBOOKS]
    for path in student.glob("*.ipynb"):
        json.loads(path.read_text())
        nbformat.validate(read(path))


def test_strip_leaves_no_marker_and_no_solution_output(student):
    for path in student.glob("*.ipynb"):
        for cell in read(path).cells:
            assert BEGIN not in cell.source and END not in cell.source, path.name
            if is_solution(cell):
                assert cell.outputs == [] and cell.execution_count is None
                assert PLACEHOLDER in cell.source and cell.source.startswith(FIRST_LINE)


def test_strip_changes_nothing_but_the_solutions(student):
    for original in NOTEBOOKS:
        before, after = read(original), read(student / original.name)
        assert before.metadata == after.metadata and len(before.cells) == len(after.cells)
        for old, new in zip(before.cells, after.cells):
            if not is_solution(old):
                assert new == old
                continue
            assert new.metadata == old.metadata and new.get("id") == old.get("id")
            assert new.source == strip_source(old.source)
            assert new.source.split("\n")[-1] == old.source.split("\n")[-1]   # the check call stays


def test_strip_copies_the_other_files_and_never_writes_into_the_notebooks(student, tmp_path):
    others = [p for p in (ROOT / "notebooks").rglob("*") if p.is_file() and p.suffix != ".ipynb"
              and ".ipynb_checkpoints" not in p.parts]
    for path in others:
        assert (student / path.relative_to(ROOT / "notebooks")).read_bytes() == path.read_bytes()
    with pytest.raises(ValueError):
        solutions.strip_collection(ROOT / "notebooks" / "student")


def test_the_documented_command_runs(tmp_path):
    out = tmp_path / "class"
    run = subprocess.run([sys.executable, "-m", "lstm_classroom.solutions", "strip", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert f"{len(NOTEBOOKS)} notebooks without solutions" in run.stdout
    assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


def test_make_student_is_documented_and_runs_the_strip_command():
    makefile = (ROOT / "Makefile").read_text()
    assert "student:" in makefile and "lstm_classroom.solutions strip build/student" in makefile
    assert "make student" in (ROOT / "README.md").read_text()

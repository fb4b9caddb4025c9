"""Worked solutions: every exercise in the notebooks has one, in nbgrader's form (its cell marked
by scripts/nbgrader_cells.py; tests/test_nbgrader.py makes the release copy without them), and
nbval runs it through its own check (its stored output must start with "Right!")."""
import ast
from pathlib import Path

import nbformat
import pytest

from lstm_classroom.nbgrader_course import SOLUTION_HEADER as FIRST_LINE
from lstm_classroom.nbgrader_course import is_test

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

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
    """[(index, check names)] of the exercise cells: code cells, neither solutions nor nbgrader's
    graded tests, calling a check."""
    return [(k, checks_called(c.source)) for k, c in enumerate(nb.cells)
            if c.cell_type == "code" and not is_solution(c) and not is_test(c)
            and checks_called(c.source)]


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

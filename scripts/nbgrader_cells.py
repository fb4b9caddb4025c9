"""nbgrader's cell metadata on every exercise of the collection; run it again after any change to
an exercise (it is idempotent: a second run changes nothing).

    python scripts/nbgrader_cells.py [NOTEBOOK ...]      (default: every notebooks/*.ipynb)

Each exercise is an exercise cell (the learner's `answer = None`, a panel's check, ...) followed by
its worked solution: a code cell tagged "solution", `### BEGIN SOLUTION ... ### END SOLUTION`,
ending in the exercise's check call. This script makes

- the worked solution an nbgrader "autograded answer" (solution) cell, grade_id "NN_name";
- right after it, an nbgrader "autograder tests" cell, locked, with its points, that asserts the
  same check: `assert check_00_forget_gate_step_2(answer)`. A Verdict is truthy only when right,
  so the grade and the learner's feedback come from one function;
- after each build-it-yourself exercise (check_step, check_step_backward) also a hidden test: the
  function passes its check and is the learner's own code, not a call into lstm_core.

Every other cell is left as it is. nbgrader's own `generate_assignment` (nbgrader_config.py) then
makes the release copy; lstm_classroom/nbgrader_course.py says what it changes.
"""
import ast
import hashlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = "solution"
POINTS = {"check_step": 3, "check_step_backward": 3}   # every other exercise: 1 point
# the learner's function, and the names of lstm_core it may use (the backward step may call the
# forward one, as its worked solution does)
OWN_CODE = {"check_step": ("my_step", {"np", "sigmoid"}),
            "check_step_backward": ("my_step_backward", {"np", "sigmoid", "scalar_step"})}
OWN_CODE_POINTS = 1
TEST_HEADER = "# Graded test, {points} (nbgrader): the check above must say Right!"
OWN_CODE_HEADER = ("# Graded test, {points} (nbgrader): {fn} works and is your own code, not a "
                   "call into lstm_core (hidden test)")


def _points(n):
    return f"{n} point" + ("s" if n != 1 else "")


def is_worked_solution(cell):
    return cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", [])


def is_generated_test(cell):
    """A test cell this script made (an nbgrader grade cell that is not an answer)."""
    meta = cell.metadata.get("nbgrader", {})
    return meta.get("grade", False) and not meta.get("solution", False)


def check_call(source):
    """(the last line, the name of the check it calls) of a worked solution."""
    last = source.rstrip().split("\n")[-1]
    calls = [node.func.id for node in ast.walk(ast.parse(last))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id.startswith("check_")]
    if len(calls) != 1:
        raise ValueError(f"a worked solution must end in one check call; it ends in {last!r}")
    return last, calls[0]


def grade_id(notebook_number, check_name):
    """'00_forget_gate_step_2' for check_00_forget_gate_step_2, '00_step' for check_step."""
    name = check_name.removeprefix("check_")
    return name if name.startswith(f"{notebook_number}_") else f"{notebook_number}_{name}"


def _nbgrader(grade_id, *, solution, grade, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution,
            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _test_cell(gid, source, points):
    cell = nbformat.v4.new_code_cell(source)
    cell.id = hashlib.sha1(gid.encode()).hexdigest()[:8]   # the same id at every run
    cell.metadata = {"nbgrader": _nbgrader(gid, solution=False, grade=True, points=points)}
    return cell


def test_cells(notebook_number, solution_source):
    """The graded test cells that follow a worked solution, as (grade_id, source, points)."""
    last, name = check_call(solution_source)
    gid = grade_id(notebook_number, name)
    points = POINTS.get(name, 1)
    tests = [(f"{gid}_test", f"{TEST_HEADER.format(points=_points(points))}\nassert {last}",
              points)]
    if name in OWN_CODE:
        fn, allowed = OWN_CODE[name]
        tests.append((f"{gid}_own_code", "\n".join([
            OWN_CODE_HEADER.format(points=_points(OWN_CODE_POINTS), fn=fn),
            "### BEGIN HIDDEN TESTS",
            "import lstm_core",
            "from_core = set(vars(lstm_core)) - {%s}   # the names it may use"
            % ", ".join(repr(n) for n in sorted(allowed)),
            f"assert not set({fn}.__code__.co_names) & from_core, '{fn} calls lstm_core'",
            f"assert {last}",
            "### END HIDDEN TESTS"]), OWN_CODE_POINTS))
    return gid, tests


def mark(nb, notebook_number):
    """nbformat notebook `nb` with the nbgrader cells; returns {grade_id: points} of its tests."""
    cells, points, seen = [], {}, set()
    for cell in nb.cells:
        if is_generated_test(cell):
            continue                                  # made again below, after its solution
        cells.append(cell)
        if not is_worked_solution(cell):
            continue
        gid, tests = test_cells(notebook_number, cell.source)
        if gid in seen:
            raise ValueError(f"two exercises with the grade_id {gid!r}")
        seen.add(gid)
        cell.metadata["nbgrader"] = _nbgrader(gid, solution=True, grade=False)
        for test_id, source, n in tests:
            cells.append(_test_cell(test_id, source, n))
            points[test_id] = n
    nb.cells = cells
    return points


def main(paths):
    paths = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        points = mark(nb, path.name[:2])
        nbformat.validate(nb)
        after = nbformat.writes(nb)
        if after != before:
            nbformat.write(nb, path)
        total += sum(points.values())
        print(f"{path.name}: {len(points)} graded tests, {sum(points.values())} points"
              + ("" if after != before else " (unchanged)"))
    print(f"{total} points in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

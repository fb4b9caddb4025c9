"""Worked solutions in the notebooks, and a copy of the collection without them.

Every exercise cell (a code cell that calls a check_* function) is followed by its worked solution:
a code cell tagged "solution", its source hidden until the learner clicks it, in nbgrader's form:

    # Solution (click to reveal)
    ### BEGIN SOLUTION
    answer = ...                 # the worked solution
    ### END SOLUTION
    check_00_forget_gate_step_2(answer)

`strip` writes a copy of the notebooks for a class, nbgrader's convention: everything between the
markers (with them) becomes `# YOUR CODE HERE`, the solution cells' outputs are cleared, and nothing
else changes. From the command line (`make student` runs it into build/student/):

    python -m lstm_classroom.solutions strip OUT_DIR [--notebooks DIR]
"""
import argparse
import copy
import shutil
import sys
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = "# YOUR CODE HERE"
FIRST_LINE = "# Solution (click to reveal)"
TAG = "solution"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"   # the repository's notebooks/


def is_solution(cell):
    """True for a worked-solution cell: a code cell tagged "solution"."""
    return cell.get("cell_type") == "code" and TAG in cell.get("metadata", {}).get("tags", [])


def strip_source(source):
    """`source` with every BEGIN ... END SOLUTION block, markers included, replaced by one
    `# YOUR CODE HERE` line at the block's indentation. A marker without its partner is an
    error, so a half-marked solution never reaches a class."""
    out, inside = [], False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError(f"{BEGIN!r} inside another solution block")
            inside = True
            out.append(line[:len(line) - len(line.lstrip())] + PLACEHOLDER)
        elif stripped == END:
            if not inside:
                raise ValueError(f"{END!r} without {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{BEGIN!r} without {END!r}")
    return "\n".join(out)


def strip_notebook(nb):
    """A copy of the notebook `nb` (nbformat) without its solutions: marked code replaced,
    solution cells' outputs and execution counts cleared."""
    nb = copy.deepcopy(nbformat.from_dict(nb))
    for cell in nb.cells:
        if cell.cell_type != "code" or (BEGIN not in cell.source and not is_solution(cell)):
            continue
        cell.source = strip_source(cell.source)
        if is_solution(cell):
            cell.outputs, cell.execution_count = [], None
    return nb


def strip_collection(out_dir, notebooks=NOTEBOOKS):
    """Copy the folder `notebooks` to `out_dir`, every .ipynb without its solutions, every other
    file as it is (checkpoints left out). Returns the notebooks written."""
    src, out = Path(notebooks).resolve(), Path(out_dir).resolve()
    if out == src or src in out.parents:
        raise ValueError(f"the student copy must go outside {src}; got {out}")
    written = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir() or ".ipynb_checkpoints" in rel.parts:
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            nb = strip_notebook(nbformat.read(path, as_version=4))
            nbformat.validate(nb)
            nbformat.write(nb, target)
            written.append(target)
        else:
            shutil.copy2(path, target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lstm_classroom.solutions",
                                     description="Worked solutions in the notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    strip = commands.add_parser("strip", help="copy the notebooks without their solutions "
                                              "(nbgrader's convention) to OUT_DIR")
    strip.add_argument("out_dir", metavar="OUT_DIR")
    strip.add_argument("--notebooks", default=str(NOTEBOOKS),
                       help="the folder to copy (default: this repository's notebooks/)")
    args = parser.parse_args(argv)
    try:
        written = strip_collection(args.out_dir, args.notebooks)
    except ValueError as err:
        parser.exit(2, f"error: {err}\n")
    print(f"{len(written)} notebooks without solutions written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A course on the collection with nbgrader itself (nbgrader_config.py, scripts/nbgrader_cells.py,
lstm_classroom/nbgrader_course.py): nbgrader's generate_assignment makes the release copy, and a
simulated class of three is autograded by nbgrader: every worked solution (full marks), the usual
mistakes that check_step and check_step_backward name (the expected partial marks), and nothing
filled in (zero). Everything runs in a temporary folder, offline."""
import copy
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import skip_or_fail
from lstm_classroom.checks.build import check_step, check_step_backward
from lstm_classroom.nbgrader_course import (
    ANSWER_LINE,
    SOLUTION_HEADER,
    ReleaseExercises,
    is_answer,
    is_test,
    release_answer,
    without_promises,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
GRADED = ["00_seed_walkthrough", "07_backprop_through_time"]   # the two build-it-yourself notebooks


def load_script():
    path = ROOT / "scripts" / "nbgrader_cells.py"
    spec = importlib.util.spec_from_file_location("nbgrader_cells", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cells_script = load_script()


def read(path):
    return nbformat.read(path, as_version=4)


def meta(cell):
    return cell.metadata.get("nbgrader", {})


def points_of(nb):
    return {meta(c)["grade_id"]: meta(c)["points"] for c in nb.cells if is_test(c)}


# ---- the collection's nbgrader cells ---------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_worked_solution_is_an_answer_cell_followed_by_its_graded_test(path):
    nb = read(path)
    solutions = [k for k, c in enumerate(nb.cells) if cells_script.is_worked_solution(c)]
    assert solutions, "every notebook has exercises"
    for k in solutions:
        answer, test = nb.cells[k], nb.cells[k + 1]
        last, name = cells_script.check_call(answer.source)
        gid = cells_script.grade_id(path.name[:2], name)
        assert meta(answer) == {"grade": False, "grade_id": gid, "locked": False,
                                "schema_version": 3, "solution": True, "task": False}
        assert is_test(test) and meta(test)["grade_id"] == f"{gid}_test" and meta(test)["locked"]
        assert test.source.split("\n")[-1] == f"assert {last}"   # the same check, the same call
    assert {meta(c)["grade_id"] for c in nb.cells if is_answer(c)} == {
        meta(nb.cells[k])["grade_id"] for k in solutions}         # no other answer cell
    ids = [meta(c)["grade_id"] for c in nb.cells if meta(c)]
    assert len(ids) == len(set(ids))


def test_the_build_it_yourself_exercises_have_three_points_and_a_hidden_test():
    for stem, gid in [("00_seed_walkthrough", "00_step"), ("07_backprop_through_time",
                                                            "07_step_backward")]:
        nb = read(ROOT / "notebooks" / f"{stem}.ipynb")
        points = points_of(nb)
        assert points[f"{gid}_test"] == 3 and points[f"{gid}_own_code"] == 1
        hidden = next(c for c in nb.cells if meta(c).get("grade_id") == f"{gid}_own_code")
        assert "### BEGIN HIDDEN TESTS" in hidden.source and "### END HIDDEN TESTS" in hidden.source


def unexecuted(nb):
    """A copy of notebook `nb` without what running it adds (outputs, counts, timings)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
    return nb


def test_the_script_is_idempotent_and_leaves_every_other_cell_alone(tmp_path):
    for path in NOTEBOOKS:
        nb = unexecuted(read(path))     # committed executed (make notebooks): compare the cells
        bare = copy.deepcopy(nb)        # the notebook as it was before the script
        bare.cells = [c for c in bare.cells if not is_test(c)]
        for cell in bare.cells:
            cell.metadata.pop("nbgrader", None)
        again = copy.deepcopy(bare)
        cells_script.mark(again, path.name[:2])
        assert nbformat.writes(again) == nbformat.writes(nb), path.name   # the committed result
        cells_script.mark(again, path.name[:2])
        assert nbformat.writes(again) == nbformat.writes(nb), path.name   # and a second run
        kept = [c for c in again.cells if not is_test(c)]
        for old, new in zip(bare.cells, kept):
            if not cells_script.is_worked_solution(old):
                assert new == old


def test_the_script_refuses_a_solution_without_its_check_call():
    with pytest.raises(ValueError, match="one check call"):
        cells_script.check_call(f"{BEGIN}\nanswer = 1\n{END}\nprint(answer)")


def test_make_student_and_the_readme_use_nbgrader_itself():
    makefile, readme = (ROOT / "Makefile").read_text(), (ROOT / "README.md").read_text()
    assert "student:" in makefile and "nbgrader generate_assignment notebooks" in makefile
    for command in ("make student", "nbgrader autograde notebooks",
                    "nbgrader generate_feedback notebooks", "python scripts/nbgrader_cells.py"):
        assert command in readme
    assert "lstm_classroom.solutions" not in makefile + readme   # the old stripper is gone
    totals = [sum(points_of(read(p)).values()) for p in NOTEBOOKS]
    row = " | ".join(str(n) for n in [*totals, sum(totals)])
    assert f"| points | {row} |" in readme                        # the README's points table


# ---- the release copy's exercise cells, in-process ---------------------------------------------

def test_release_answer_takes_in_the_exercise_cell_that_ends_in_the_same_check():
    above = nbformat.v4.new_code_cell("answer = None   # your value\ncheck_00_x(answer)")
    cell = nbformat.v4.new_code_cell(f"{SOLUTION_HEADER}\n# YOUR CODE HERE\ncheck_00_x(answer)")
    assert release_answer(cell, above) == (f"{ANSWER_LINE}\n{above.source}", True)
    panel = nbformat.v4.new_code_cell("check_00_x(**panel.weights)")
    cell.source = f"{SOLUTION_HEADER}\nweights = {{}}\n# YOUR CODE HERE\ncheck_00_x(**weights)"
    assert release_answer(cell, panel) == (
        f"{ANSWER_LINE}\nweights = {{}}\n# YOUR CODE HERE\ncheck_00_x(**weights)", False)


def test_without_promises_leaves_out_only_the_sentences_about_a_worked_solution():
    text = ("It names the mistake when it recognises it.\nThe collapsed cell below holds a worked "
            "solution; reveal it once you have tried.")
    assert without_promises(text) == "It names the mistake when it recognises it."
    assert without_promises("Below each exercise a worked\nsolution waits. Try it.") == "Try it."
    assert without_promises("Nothing to drop here.\n") == "Nothing to drop here.\n"


def test_release_exercises_changes_only_the_exercises():
    nb = nbformat.v4.new_notebook()
    figure = nbformat.v4.new_code_cell("plot()", outputs=[nbformat.v4.new_output(
        "stream", text="a figure\n")])
    exercise = nbformat.v4.new_code_cell("answer = None\ncheck_00_x(answer)")
    answer = nbformat.v4.new_code_cell(
        f"{SOLUTION_HEADER}\n# YOUR CODE HERE\ncheck_00_x(answer)",
        outputs=[nbformat.v4.new_output("stream", text="Right! it is\n")],
        metadata={"tags": ["solution"], "jupyter": {"source_hidden": True},
                  "nbgrader": {"solution": True, "grade": False, "grade_id": "x"}})
    test = nbformat.v4.new_code_cell("assert check_00_x(answer)", metadata={
        "nbgrader": {"solution": False, "grade": True, "grade_id": "x_test", "points": 1}})
    nb.cells = [figure, exercise, answer, test]
    out, _ = ReleaseExercises().preprocess(copy.deepcopy(nb), {})
    assert out.cells[0] == figure                         # untouched, outputs and all
    assert len(out.cells) == 3                             # the exercise cell became the answer
    got = out.cells[1]
    assert got.source == f"{ANSWER_LINE}\nanswer = None\ncheck_00_x(answer)"
    assert got.outputs == [] and "jupyter" not in got.metadata and "tags" not in got.metadata
    assert out.cells[2].outputs == []


# ---- nbgrader itself: the release copy and a class of three -----------------------------------

def nbgrader(course, *args):
    """Run one nbgrader command in the course folder, as a teacher would; its output on failure."""
    if importlib.util.find_spec("nbgrader") is None:
        skip_or_fail("nbgrader is not installed (pip install -e '.[test]')")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    run = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder: this repository's nbgrader_config.py and notebooks/, and the release copy
    that nbgrader's generate_assignment made of them."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    nbgrader(course, "generate_assignment", "notebooks", "--force")
    return course


def release_of(course, stem):
    return read(course / "build" / "course" / "release" / "notebooks" / f"{stem}.ipynb")


def test_generate_assignment_releases_every_notebook_and_file(course):
    release = course / "build" / "course" / "release" / "notebooks"
    files = sorted(p.relative_to(ROOT / "notebooks") for p in (ROOT / "notebooks").rglob("*")
                   if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    assert sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file()) == files
    for path in NOTEBOOKS:
        nbformat.validate(release_of(course, path.stem))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_release_copy_reads_right(course, path):
    source, release = read(path), release_of(course, path.stem)
    assert points_of(release) == points_of(source)
    text = "\n".join(c.source for c in release.cells)
    for gone in (BEGIN, END, SOLUTION_HEADER, "### BEGIN HIDDEN TESTS"):
        assert gone not in text
    assert "worked solution" not in " ".join(text.lower().split())
    answers = [c for c in release.cells if is_answer(c)]
    assert len(answers) == sum(cells_script.is_worked_solution(c) for c in source.cells)
    for cell in answers:
        assert cell.source.startswith(ANSWER_LINE + "\n") and cell.outputs == []
        assert "jupyter" not in cell.metadata and "solution" not in cell.metadata.get("tags", [])
    # every other cell is the collection's, outputs and all: left out are only the worked
    # solutions' exercise cells that became answer cells, and sentences promising a solution
    released = {c.id: c for c in release.cells}
    for cell in source.cells:
        if meta(cell) or cell.id not in released:
            continue
        new = released[cell.id]
        if cell.cell_type == "markdown" and new.source != cell.source:
            assert new.source == without_promises(cell.source)
        else:
            assert new == cell, cell.id
    answer_sources = {c.source for c in answers}
    for cell in source.cells:
        if cell.id not in released:
            assert f"{ANSWER_LINE}\n{cell.source}" in answer_sources, cell.id


@pytest.mark.slow   # about a minute more; CI=true runs it
def test_release_fetch_submit_and_collect_go_through_nbgrader_exchange(course, tmp_path):
    """nbgrader's own way round: the teacher releases, a learner fetches and submits, the teacher
    collects (a copy of the course, with an exchange folder of its own)."""
    teacher = tmp_path / "course"
    shutil.copytree(course, teacher, ignore=shutil.ignore_patterns("submitted", "autograded",
                                                                   "feedback"))
    learner, exchange = tmp_path / "learner", tmp_path / "exchange"
    learner.mkdir()
    exchange.mkdir()
    root = f"--Exchange.root={exchange}"
    nbgrader(teacher, "release_assignment", "notebooks", root)
    nbgrader(learner, "fetch_assignment", "notebooks", "--course", "lstm-gate-by-gate", root)
    assert (learner / "notebooks" / "00_seed_walkthrough.ipynb").exists()
    nbgrader(learner, "submit", "notebooks", "--course", "lstm-gate-by-gate", root)
    nbgrader(teacher, "collect", "notebooks", root)
    collected = list((teacher / "build" / "course" / "submitted").glob(
        "*/notebooks/00_seed_walkthrough.ipynb"))
    assert len(collected) == 1


def fill(release, source, change=None):
    """A learner's copy of `release`: every answer cell holds its worked solution (from the
    collection's notebook `source`), passed through `change` (grade_id, code) -> code."""
    worked = {meta(c)["grade_id"]: c.source for c in source.cells if is_answer(c)}
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        if is_answer(cell):
            gid = meta(cell)["grade_id"]
            code = "\n".join(line for line in worked[gid].split("\n")
                             if line.strip() not in (BEGIN, END, SOLUTION_HEADER))
            cell.source = change(gid, code) if change else code
    return nb


def mistake(old, new):
    def change(code):
        assert old in code
        return code.replace(old, new)
    return change


# the usual mistakes: the candidate through sigma, the tanh' factor left out, h_1 left out of z_f
MISTAKES = {
    "00_step": mistake("g = np.tanh(", "g = sigmoid("),
    "07_step_backward": mistake("dh * o * (1 - tanh_c ** 2)", "dh * o"),
    "00_forget_gate_step_2": mistake("0.1 * 0.256 + ", ""),
}


def test_the_mistakes_are_the_ones_the_checks_name():
    import numpy as np

    from lstm_core import scalar_step, sigmoid
    for stem, gid, fn, check, named in [
            ("00_seed_walkthrough", "00_step", "my_step", check_step,
             "through sigma instead of tanh"),
            ("07_backprop_through_time", "07_step_backward", "my_step_backward",
             check_step_backward, "the tanh' factor through h_t is missing")]:
        source = read(ROOT / "notebooks" / f"{stem}.ipynb")
        code = next(c.source for c in source.cells if meta(c).get("grade_id") == gid)
        code = MISTAKES[gid]("\n".join(code.split("\n")[:-1]))    # without the check call
        space = {"np": np, "sigmoid": sigmoid, "scalar_step": scalar_step}
        exec(code, space)
        verdict = check(space[fn])
        assert not verdict and named in verdict.text, verdict.text


@pytest.fixture(scope="module")
def graded(course):
    """The three submissions of GRADED, autograded by nbgrader: {student: {notebook: score}}."""
    from nbgrader.api import Gradebook
    students = {"full": None, "mistakes": lambda gid, code: MISTAKES.get(gid, lambda c: c)(code),
                "blank": "blank"}
    for student, change in students.items():
        folder = course / "build" / "course" / "submitted" / student / "notebooks"
        folder.mkdir(parents=True)
        for stem in GRADED:
            release = release_of(course, stem)
            nb = release if change == "blank" else fill(
                release, read(ROOT / "notebooks" / f"{stem}.ipynb"), change)
            nbformat.write(nb, folder / f"{stem}.ipynb")
    nbgrader(course, "autograde", "notebooks")      # every student's submission
    db = "sqlite:///" + str(course / "build" / "course" / "gradebook.db")
    with Gradebook(db) as gradebook:
        return {student: {stem: gradebook.find_submission_notebook(stem, "notebooks", student).score
                          for stem in GRADED} for student in students}


def test_the_class_is_graded_full_marks_partial_marks_and_zero(course, graded):
    total = {stem: sum(points_of(read(ROOT / "notebooks" / f"{stem}.ipynb")).values())
             for stem in GRADED}
    assert total == {"00_seed_walkthrough": 7, "07_backprop_through_time": 10}
    assert graded["full"] == total
    # 00: my_step's 3 + 1 points and f_2's 1 point lost; 07: my_step_backward's 3 + 1 points lost
    assert graded["mistakes"] == {"00_seed_walkthrough": 2, "07_backprop_through_time": 6}
    assert graded["blank"] == {stem: 0 for stem in GRADED}


def test_generate_feedback_reports_the_scores(course, graded):
    nbgrader(course, "generate_feedback", "notebooks", "--student", "mistakes")
    feedback = course / "build" / "course" / "feedback" / "mistakes" / "notebooks"
    html = (feedback / "00_seed_walkthrough.html").read_text(encoding="utf-8")
    assert "2.0 / 7.0" in html

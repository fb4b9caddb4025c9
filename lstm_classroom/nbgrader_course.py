"""For teachers: how nbgrader's release copy of an exercise reads (nbgrader_config.py uses it).

nbgrader's `generate_assignment` replaces each `### BEGIN SOLUTION ... ### END SOLUTION` block of an
answer cell with "# YOUR CODE HERE" (scripts/nbgrader_cells.py marks the cells). `ReleaseExercises`
runs right after that, in place of nbgrader's ClearOutput, so that every other cell keeps its
outputs (figures, tables, the verdicts of the exercise cells); in the release copy

- an answer cell loses the worked solution's look: its "# Solution (click to reveal)" line, its
  collapsed state, its "solution" tag and its output ("Right! ...");
- when the exercise cell just above it ends in the same check call (`answer = None` ... then
  `check_...(answer)`), that exercise cell becomes the answer cell: one cell per answer, as the
  learner knew it, instead of the exercise and a second "# YOUR CODE HERE" below it;
- an answer cell starts with ANSWER_LINE, so the graded exercises are marked as such;
- a graded test cell loses its outputs;
- a markdown sentence that promises a worked solution is left out.

Only nbconvert (which JupyterLab installs) is imported here; nbgrader itself is a teacher's tool.
"""
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

SOLUTION_HEADER = "# Solution (click to reveal)"
ANSWER_LINE = "# Your answer (graded: the test cell below runs the same check)"
PROMISE = re.compile(r"worked\s+solution", re.IGNORECASE)
SENTENCE_END = re.compile(r"((?<=[.!?])\s+)")


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell):
    """An nbgrader answer cell (solution, not graded by hand)."""
    return cell.get("cell_type") == "code" and _nbgrader(cell).get("solution", False)


def is_test(cell):
    """An nbgrader autograder test cell."""
    meta = _nbgrader(cell)
    return meta.get("grade", False) and not meta.get("solution", False)


def without_promises(text):
    """Markdown `text` without the sentences that promise a worked solution."""
    parts = SENTENCE_END.split(text)
    sentences, gaps = parts[0::2], parts[1::2]
    kept = ""
    for k, sentence in enumerate(sentences):
        if PROMISE.search(sentence):
            continue
        kept += (gaps[k - 1] if kept and k else "") + sentence
    return kept.rstrip() + ("\n" if text.endswith("\n") and kept.strip() else "")


def _last_line(source):
    return source.rstrip().split("\n")[-1].strip()


def release_answer(cell, above):
    """The release copy's source of answer cell `cell`; `above` is the cell just above it. Returns
    (source, whether `above` is taken in)."""
    lines = cell.source.split("\n")
    if lines and lines[0].strip() == SOLUTION_HEADER:
        lines = lines[1:]
    merge = (above is not None and above.get("cell_type") == "code" and not _nbgrader(above)
             and _last_line(above.source) == _last_line("\n".join(lines)))
    body = above.source if merge else "\n".join(lines)
    return f"{ANSWER_LINE}\n{body}", merge


class ReleaseExercises(Preprocessor):
    """The exercises of a release copy, as the module's docstring says; nothing else changes."""

    enabled = Bool(True, help="Whether nbgrader runs this preprocessor").tag(config=True)

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            if is_answer(cell):
                cell.source, merge = release_answer(cell, cells[-1] if cells else None)
                if merge:
                    cells.pop()
                cell.outputs, cell.execution_count = [], None
                cell.metadata.pop("jupyter", None)        # the collapsed state
                tags = [t for t in cell.metadata.get("tags", []) if t != "solution"]
                if tags:
                    cell.metadata["tags"] = tags
                else:
                    cell.metadata.pop("tags", None)
            elif is_test(cell) and cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            elif cell.cell_type == "markdown" and PROMISE.search(cell.source):
                cell.source = without_promises(cell.source)
            cells.append(cell)
        nb.cells = cells
        return nb, resources

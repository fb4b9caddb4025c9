"""The one source printer (lstm_classroom.source): a function's exact lines, found with ast."""
import inspect

import pytest

import lstm_core
import lstm_xlstm
from lstm_classroom.source import marked, source_lines


def test_a_function_body_is_its_lines_after_the_docstring_as_written():
    lines = source_lines(lstm_core, "scalar_step")
    written = inspect.getsource(lstm_core.scalar_step).splitlines()
    assert lines and all(not line.startswith(" ") or line.startswith("    ") for line in lines)
    assert '"""' not in "\n".join(lines)
    assert [line.strip() for line in lines] == [w.strip() for w in written[-len(lines):]]


def test_a_methods_loop_keeps_its_indentation_and_leaves_out_its_last_statements():
    lines = source_lines(lstm_xlstm, "SLSTMCell.run", loop="t", drop_last=1)
    assert lines[0] == "        for t in range(T):"
    assert not any("out[k][t] = v" in line for line in lines)


def test_a_name_that_is_not_there_says_what_is():
    with pytest.raises(LookupError, match="no 'LSTMCell.nope'.*'nope' is not among"):
        source_lines(lstm_core, "LSTMCell.nope")
    with pytest.raises(LookupError, match="no loop 'for q in"):
        source_lines(lstm_xlstm, "SLSTMCell.run", loop="q")


def test_marked_points_at_the_lines_that_assign_a_name():
    out = marked(["f = sigmoid(z)", "c = f * c_prev", "return h"], ("f",))
    assert out == ["    f = sigmoid(z)    <-- f", "    c = f * c_prev", "    return h"]

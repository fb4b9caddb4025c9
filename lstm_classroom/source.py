"""One source printer: a function's or a method's exact lines, found with `ast`.

`source_lines(module, "LSTMCell.backward")` reads the module's file, finds the function by its
dotted name in the syntax tree, and returns its lines as they are written there: the body after
the docstring (dedented), or, with `loop="t"`, the first `for t in ...` loop inside it (its own
indentation kept, its last `drop_last` statements left out). `marked(lines, names)` writes
'<-- name' after each line that assigns one of `names`. figures.core_code,
variant_panels.variant_code and xlstm_panels.slstm_step_code print with these.
"""
import ast
import functools
import inspect
import re
import textwrap

ASSIGNS = r"^[\w, ]+=[^=]"                   # a line that starts with its targets: f = ..., a, b =
ASSIGNS_ANYWHERE = r"^\s*[\w, \[\]:*+]+=[^=]"   # indented and indexed too: c[t] = ...


@functools.lru_cache(maxsize=None)
def _tree(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return ast.parse(text), text.splitlines()


def find(module, name):
    """(the ast node of function `name` ('f' or 'Class.method') in `module`, the file's lines);
    a LookupError naming what is there when it is not."""
    tree, lines = _tree(inspect.getsourcefile(module))
    node = tree
    for part in name.split("."):
        found = [n for n in ast.iter_child_nodes(node)
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                 and n.name == part]
        if not found:
            there = sorted(n.name for n in ast.iter_child_nodes(node)
                           if isinstance(n, (ast.FunctionDef, ast.ClassDef)))
            raise LookupError(f"{module.__name__} has no {name!r} ({part!r} is not among "
                              f"{', '.join(there)})")
        node = found[0]
    return node, lines


def source_lines(module, name, *, loop=None, drop_last=0):
    """The exact source lines of function `name` of `module`: its body after the docstring,
    dedented (the whole function when it has none); with loop="t", the first `for t in ...`
    loop in it, indented as in the file, without its last `drop_last` statements."""
    node, lines = find(module, name)
    if loop is not None:
        loops = [n for n in ast.walk(node) if isinstance(n, ast.For)
                 and isinstance(n.target, ast.Name) and n.target.id == loop]
        if not loops:
            raise LookupError(f"{module.__name__}.{name} has no loop 'for {loop} in ...'")
        first = loops[0]
        end = first.body[-1 - drop_last].end_lineno if drop_last else first.end_lineno
        return lines[first.lineno - 1:end]
    body = node.body
    has_doc = (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
               and isinstance(body[0].value.value, str))
    start = body[0].end_lineno if has_doc else node.lineno - 1
    chosen = lines[start:node.end_lineno]
    while chosen and not chosen[0].strip():
        chosen = chosen[1:]
    return textwrap.dedent("\n".join(chosen)).splitlines()


def marked(lines, names, assigns=ASSIGNS):
    """Each line, indented by four, with '    <-- f, c' after a line whose targets (before the
    first '=', when the line matches `assigns`) name one of `names`."""
    out = []
    for line in lines:
        target = line.split("=")[0] if re.match(assigns, line) else ""
        hits = [n for n in names if n in re.findall(r"\w+", target)]
        out.append(f"    {line}    <-- {', '.join(hits)}" if hits else f"    {line}")
    return out

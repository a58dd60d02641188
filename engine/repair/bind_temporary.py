"""E0716: a temporary borrowed past its statement gets a name of its own, `let lower = ..;`.

The general mistake: a method that returns a new owned value (`line.to_lowercase()`,
`format!(..)`, `path.display().to_string()`) is called in the middle of a chain whose result
borrows it (`.splitn(..)`, `.as_str()`, `.trim()`), and the result is kept in a binding used by the
next statements. The temporary is dropped at the `;`, so the binding would dangle. Binding the
temporary in the statement before (`let lower = line.to_lowercase();`) makes it live to the end of
the block, as long as the binding that borrows it.

Facts: rustc's primary span is the temporary ("creates a temporary value which is freed while still
in use"), the syntax tree gives the statement of the block that holds it. Not offered where moving
the expression out would change when or whether it runs: inside a closure, a `while` condition,
or the right side of `&&`/`||`; nor for a lock or cell guard (`engine.repair.guard_copy`: a named
guard holds the lock to the end of the block). When the borrow has to outlive the block, the name
is still dropped too early; the sandbox says so (`engine.repair.owned_first` makes the values
before the loop). Pure.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.guards import guard_temporary
from engine.syntax.tree import ancestors, block_statement, names_in, node_at, node_text
from toolbelt.types import Diagnostic

_NO_HOIST = ("closure_expression", "while_expression", "loop_expression", "for_expression")
_PREFIX = re.compile(r"^(?:to_|into_|as_|get_)")


def _moves_evaluation(temp: tree_sitter.Node, stmt: tree_sitter.Node) -> bool:
    """Whether, between the temporary and its statement, something runs it conditionally or again."""
    child = temp
    for a in ancestors(temp):
        if a == stmt:
            return False
        if a.type in _NO_HOIST:
            return True
        if a.type == "binary_expression" and child == a.child_by_field_name("right"):
            op = a.child_by_field_name("operator")
            if node_text(op) in ("&&", "||"):
                return True
        child = a
    return True


def _name(temp: tree_sitter.Node, taken: set[str]) -> str:
    """A name from what makes the value: `to_lowercase()` -> `lowercase`, `format!` -> `text`,
    `String::from` -> `string`; a name the fn already uses gets `_owned`."""
    base = ""
    if temp.type == "call_expression":
        fn = temp.child_by_field_name("function")
        if fn is not None and fn.type == "field_expression":
            base = _PREFIX.sub("", node_text(fn.child_by_field_name("field")))
        elif fn is not None and fn.type == "scoped_identifier":
            base = node_text(fn.child_by_field_name("path")).rsplit("::", 1)[-1].lower()
    elif temp.type == "macro_invocation":
        base = "text"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", base) or base in ("self", "new", "_"):
        base = "owned"
    name = base
    while name in taken:
        name += "_owned"
    return name


def bind_temporary(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0716" or opened is None:
        return []
    span, source = opened
    temp = node_at(source, span.byte_start, span.byte_end)
    if (temp.start_byte, temp.end_byte) != (span.byte_start, span.byte_end):
        return []
    stmt = block_statement(temp)
    if stmt is None or stmt == temp or _moves_evaluation(temp, stmt):
        return []
    if guard_temporary(source, span.byte_start, span.byte_end) is not None:
        return []
    fn = next((a for a in ancestors(stmt) if a.type in ("function_item", "closure_expression")), None)
    name = _name(temp, names_in(fn) if fn is not None else set())
    line_start = source.rfind(b"\n", 0, stmt.start_byte) + 1
    indent = source[line_start : stmt.start_byte].decode("utf-8", "replace")
    if indent.strip():
        return []  # the statement shares its line with another: no place for one of its own
    text = node_text(temp)
    edits = [
        Edit(
            file=span.file_name,
            start=stmt.start_byte,
            end=stmt.start_byte,
            replacement=f"let {name} = {text};\n{indent}",
        ),
        Edit(file=span.file_name, start=temp.start_byte, end=temp.end_byte, replacement=name),
    ]
    why = (
        f"bind the temporary first, `let {name} = {text};`, so it lives to the end of the block"
        " instead of the end of its statement"
    )
    return [_make(edits, why, "op:bind-temporary", "E0716", 0.74)]

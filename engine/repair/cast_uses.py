"""A conversion of a variable, made once for all its uses. Pure.

rustc reports each use of a wrongly typed variable on its own (`p.x * factor` and `p.y * factor`
with `factor: i32` are two errors); a cast at one use leaves the others, so that fix never compiles
while the conversion it names is right. The same conversion is offered where the variable is bound
(`let factor = factor as f64;` at the top of the body, or after the `let`), at every use in its
scope, and as the parameter's type (`factor: f64`, which moves the conversion to the callers). The
sandbox says which of them compiles.

A use the code already casts (`(self.head + 1) % cap as u32`) needs no cast of its own: casting it
again writes `(cap as u32) as u32`. It is left alone at every use, and where the variable itself
becomes the target type, its now `T as T` cast is dropped. Nor does a use beside a plain integer
literal (`n == 0`): the literal takes the variable's type, so that use compiled, and a fix for
another error must not rewrite it.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.edits import Edit
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate
from engine.syntax.tree import ancestors, binding_of, let_initializer, node_at, node_text
from toolbelt.types import Diagnostic

_NAME = re.compile(r"[a-z_]\w*")
_NUMERIC = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64".split())


def _uses(source: bytes, name: str, scope: tree_sitter.Node, bound_at: int) -> list[tree_sitter.Node]:
    """The identifiers in `scope` that read the binding made at `bound_at` (not the pattern itself)."""
    out = []
    stack = [scope]
    while stack:
        n = stack.pop()
        stack.extend(n.children)
        if n.type != "identifier" or (n.text or b"").decode() != name or n.start_byte <= bound_at:
            continue
        p = n.parent
        if p is not None and p.type in ("field_expression", "scoped_identifier") and n != p.named_children[0]:
            continue
        if p is not None and p.type in ("assignment_expression", "compound_assignment_expr"):
            if p.child_by_field_name("left") == n:
                return []  # written to: one cast per use would not change the variable
        b = binding_of(source, name, n.start_byte)
        if b is not None and b.range.start == bound_at:
            out.append(n)
    return sorted(out, key=lambda n: n.start_byte)


def _cast_of(n: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `x as T` whose operand is the use `n` (parentheses around `n` allowed), else None: such a
    use already converts, so casting it again writes `(x as T) as T`."""
    inner, p = n, n.parent
    while p is not None and p.type == "parenthesized_expression":
        inner, p = p, p.parent
    if p is not None and p.type == "type_cast_expression" and p.child_by_field_name("value") == inner:
        return p
    return None


def _drop_cast(file: str, n: tree_sitter.Node, cast: tree_sitter.Node) -> Edit:
    """`x as T` back to `x`, once `x` itself is bound as `T` (the cast would be `T as T`)."""
    return Edit(file=file, start=n.end_byte, end=cast.end_byte, replacement="")


_PLAIN_INT = re.compile(r"[0-9][0-9_]*|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+")


def _beside_literal(n: tree_sitter.Node) -> bool:
    """The use is an operand beside an unsuffixed integer literal (`n == 0`, `n + 1`): the literal
    takes the variable's type, so that use compiled as it was and a cast there rewrites code no
    error is about (`if n as i32 == 0`, which for `n = 1 << 32` is even true)."""
    inner, p = n, n.parent
    while p is not None and p.type == "parenthesized_expression":
        inner, p = p, p.parent
    if p is None or p.type != "binary_expression":
        return False
    other = p.child_by_field_name("right" if p.child_by_field_name("left") == inner else "left")
    return (
        other is not None and other.type == "integer_literal" and bool(_PLAIN_INT.fullmatch(node_text(other)))
    )


def _cast_at(file: str, n: tree_sitter.Node, target: str) -> Edit:
    p = n.parent
    bare = p is not None and p.type in (
        "arguments",
        "field_initializer",
        "let_declaration",
        "return_expression",
    )
    if p is not None and p.type == "binary_expression":
        op = p.child_by_field_name("operator")
        bare = not (p.child_by_field_name("left") == n and op is not None and op.type in ("<", "<<"))
    text = (n.text or b"").decode()
    if bare:
        return Edit(file=file, start=n.end_byte, end=n.end_byte, replacement=f" as {target}")
    return Edit(file=file, start=n.start_byte, end=n.end_byte, replacement=f"({text} as {target})")


def _line_indent(source: bytes, at: int) -> str:
    head = source[: source.rfind(b"\n", 0, at) + 1]
    line = source[len(head) :]
    return re.match(rb"[ \t]*", line).group(0).decode()  # type: ignore[union-attr]


def convert_variable(file: str, source: bytes, at: int, target: str, code: str) -> list[Candidate]:
    """The conversion of the variable used at byte `at` to `target` once for all its uses: where it
    is bound, at every use, or in the parameter's type. Nothing when it is used once (the cast at
    the use is the fix) or is assigned to."""
    use = node_at(source, at, at + 1)
    if use.type != "identifier" or not _NAME.fullmatch(name := (use.text or b"").decode()):
        return []
    b = binding_of(source, name, at)
    if b is None or b.kind not in ("let", "param"):
        return []
    decl = node_at(source, b.range.start, b.range.end)
    fn = next((a for a in ancestors(decl) if a.type in ("function_item", "closure_expression")), None)
    if fn is None:
        return []
    scope = fn
    if b.kind == "let":
        scope = next((a for a in ancestors(decl) if a.type == "block"), fn)
    uses = _uses(source, name, scope, b.range.start)
    if len(uses) < 2:
        return []
    out: list[Candidate] = []
    # A use already cast (`cap as u32`, `cap as usize`) converts by itself: no second cast there.
    # Once the variable is rebound as `target`, a cast of it to `target` is `T as T`: it goes.
    casts = {u.start_byte: _cast_of(u) for u in uses}
    bare = [u for u in uses if casts[u.start_byte] is None and not _beside_literal(u)]
    if len(bare) >= 2:
        edits = [_cast_at(file, u, target) for u in bare]
        title = f"convert `{name}` with `as {target}` at each of its {len(bare)} uses"
        if len(bare) < len(uses):
            need = "need one" if any(_beside_literal(u) for u in uses) else "have no cast"
            title = (
                f"convert `{name}` with `as {target}` at the {len(bare)} of its {len(uses)} uses that {need}"
            )
        out.append(_make(edits, title, "op:cast", code, 0.73))
    redundant = [
        _drop_cast(file, u, c)
        for u in uses
        if (c := casts[u.start_byte]) is not None and node_text(c.child_by_field_name("type")) == target
    ]
    rebind = f"let {name} = {name} as {target};"
    if b.kind == "param":
        body = fn.child_by_field_name("body")
        if body is not None and body.type == "block" and body.named_child_count:
            first = body.named_children[0]
            indent = _line_indent(source, first.start_byte)
            edit = Edit(
                file=file, start=first.start_byte, end=first.start_byte, replacement=f"{rebind}\n{indent}"
            )
            out.append(
                _make(
                    [edit, *redundant],
                    f"convert `{name}` once at the top of the body: `{rebind}`",
                    "op:cast",
                    code,
                    0.74,
                )
            )
        if b.type_text in _NUMERIC:
            param = next(a for a in ancestors(decl) if a.type == "parameter")
            ty = param.child_by_field_name("type")
            if ty is not None:
                edit = Edit(file=file, start=ty.start_byte, end=ty.end_byte, replacement=target)
                out.append(
                    _make([edit, *redundant], f"take `{name}` as `{target}`", "op:param-type", code, 0.71)
                )
    else:
        let = next((a for a in ancestors(decl) if a.type == "let_declaration"), None)
        if let is not None:
            indent = _line_indent(source, let.start_byte)
            edit = Edit(file=file, start=let.end_byte, end=let.end_byte, replacement=f"\n{indent}{rebind}")
            out.append(
                _make(
                    [edit, *redundant],
                    f"convert `{name}` once where it is bound: `{rebind}`",
                    "op:cast",
                    code,
                    0.74,
                )
            )
    return out


_BECAUSE = re.compile(r"expected because this is `(\w+)`")
_FOUND = re.compile(r"expected `(\w+)`, found `(\w+)`")
_POSTFIX_OK = ("call_expression", "identifier", "field_expression", "index_expression", "try_expression")


def other_operand_cast(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0308 between two operands (`calced != stored`, `expected because this is `u32``): rustc
    converts the side it reports, but the dropped cast may be the other one's, where that operand was
    bound (`let calced = crc.sum() as u16;`). The other operand is cast to the reported side's type
    where its `let` gives it a value, and at the operator; the tests decide which side was wrong."""
    p = d.primary
    because = next((s for s in d.spans if not s.is_primary and _BECAUSE.match(s.label or "")), None)
    found = _FOUND.search(p.label or "") if p is not None else None
    source = read(p.file_name) if p is not None else None
    if p is None or because is None or found is None or source is None or because.file_name != p.file_name:
        return []
    target = found.group(2)
    if found.group(1) not in _NUMERIC or target not in _NUMERIC:
        return []
    operand = node_at(source, because.byte_start, because.byte_end)
    if operand.type != "identifier":
        return []
    name = node_text(operand)
    code = d.code_str or "E0308"
    out = [
        _make(
            [
                Edit(
                    file=p.file_name,
                    start=operand.start_byte,
                    end=operand.end_byte,
                    replacement=f"({name} as {target})",
                )
            ],
            f"convert `{name}` to `{target}` at the comparison",
            "op:cast-other",
            code,
            0.6,
        )
    ]
    value = let_initializer(source, name, operand.start_byte)
    if value is not None:
        init = node_at(source, value.start, value.end)
        cast = f" as {target}" if init.type in _POSTFIX_OK else None
        edits = (
            [Edit(file=p.file_name, start=value.end, end=value.end, replacement=cast)]
            if cast
            else [
                Edit(
                    file=p.file_name,
                    start=value.start,
                    end=value.end,
                    replacement=f"({value.text}) as {target}",
                )
            ]
        )
        out.insert(
            0,
            _make(
                edits,
                f"convert `{name}` to `{target}` where it is bound (line {value.line})",
                "op:cast-other",
                code,
                0.62,
            ),
        )
    return out

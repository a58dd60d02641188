"""The type of a method call's receiver, where the syntax tree alone shows it.

Why: a call graph linked by method name sends `buf.len()` to every `len` of the crate and a test of
`Parser::parse` to every `parse`; a failing test then "reaches" half the crate. rustc knows the
receiver's type, but asking it (the type-of probe) costs a check per expression; most receivers say
their type in the source: `self` (the impl's type), `self.field` (the field's declared type), a
parameter or `let` with a written type, `let x = Type::new(..)` or `Type { .. }`, and `Type::f(..)`
itself. Anything else (a closure's argument, a generic, a chain through another method) stays
unknown, and the caller falls back to linking by name.

Types are reduced to their last path segment without generics or references: `&mut crate::a::Foo<T>`
is `Foo`. Pure: tree-sitter nodes in, strings out.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.tree import node_text

_STRIP = re.compile(r"^(?:&\s*(?:'\w+\s+)?(?:mut\s+)?|mut\s+)+")


def base_type(text: str, owner: str = "") -> str:
    """`&mut a::Foo<T>` -> `Foo`; `Self` -> `owner`; "" for a tuple, slice, array, `dyn`/`impl` type."""
    t = _STRIP.sub("", text.strip())
    if not t or t[0] in "([" or t.startswith(("dyn ", "impl ")):
        return ""
    t = t.split("<", 1)[0].rsplit("::", 1)[-1].strip()
    if t == "Self":
        return base_type(owner) if owner else ""
    return t if t.isidentifier() else ""


def struct_fields(root: tree_sitter.Node) -> dict[str, dict[str, str]]:
    """struct name -> field name -> the field's base type, for the file's named-field structs."""
    out: dict[str, dict[str, str]] = {}
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "struct_item":
            name, body = n.child_by_field_name("name"), n.child_by_field_name("body")
            if name is not None and body is not None and body.type == "field_declaration_list":
                fields = out.setdefault((name.text or b"").decode(), {})
                for fd in body.named_children:
                    fname, ftype = fd.child_by_field_name("name"), fd.child_by_field_name("type")
                    if fd.type == "field_declaration" and fname is not None and ftype is not None:
                        fields[(fname.text or b"").decode()] = base_type((ftype.text or b"").decode())
            continue
        stack.extend(n.named_children)
    return out


def _type_like(name: str) -> bool:
    return bool(name) and name[0].isupper()


class Receivers:
    """The receiver types one fn's body shows: its parameters, its `let`s, its impl's fields."""

    def __init__(self, fn: tree_sitter.Node, owner: str, fields: dict[str, dict[str, str]]) -> None:
        self.owner, self.fields = base_type(owner), fields
        self.env: dict[str, str] = {}
        params = fn.child_by_field_name("parameters")
        for p in params.named_children if params is not None else ():
            if p.type == "parameter":
                self._bind(
                    p.child_by_field_name("pattern"),
                    base_type(node_text(p.child_by_field_name("type")), owner),
                )
        body = fn.child_by_field_name("body")
        stack = [body] if body is not None else []
        while stack:
            n = stack.pop()
            if n.type == "let_declaration":
                ty = n.child_by_field_name("type")
                value = n.child_by_field_name("value")
                t = base_type(node_text(ty), owner) if ty is not None else self.of(value) if value else ""
                self._bind(n.child_by_field_name("pattern"), t)
            if n.type not in ("function_item", "closure_expression") or n is body:
                stack.extend(n.named_children)

    def _bind(self, pattern: tree_sitter.Node | None, t: str) -> None:
        if pattern is not None and pattern.type == "mut_pattern":
            pattern = pattern.named_children[0] if pattern.named_children else None
        if pattern is None or pattern.type != "identifier":
            return
        name = node_text(pattern)
        # a name bound twice to different types (shadowing) is left unknown rather than guessed
        self.env[name] = t if self.env.get(name, t) == t else ""

    def of(self, expr: tree_sitter.Node | None) -> str:
        """The base type of `expr`, "" when the tree does not show it."""
        if expr is None:
            return ""
        k = expr.type
        if k == "self":
            return self.owner
        if k == "identifier":
            return self.env.get(node_text(expr), "")
        if k in ("reference_expression", "parenthesized_expression", "try_expression"):
            inner = expr.child_by_field_name("value") or next(iter(expr.named_children), None)
            return self.of(inner) if k != "try_expression" else ""
        if k == "field_expression":
            owner_t = self.of(expr.child_by_field_name("value"))
            return self.fields.get(owner_t, {}).get(node_text(expr.child_by_field_name("field")), "")
        if k == "struct_expression":
            return base_type(node_text(expr.child_by_field_name("name")), self.owner)
        if k == "call_expression":  # `Type::f(..)`: a constructor, as the name usually says
            f = expr.child_by_field_name("function")
            if f is not None and f.type == "generic_function":
                f = f.child_by_field_name("function")
            if f is not None and f.type == "scoped_identifier":
                path = f.child_by_field_name("path")
                t = base_type(node_text(path), self.owner) if path is not None else ""
                return t if _type_like(t) else ""
        return ""

    def of_token(self, ident: tree_sitter.Node) -> str:
        """Inside a macro's token tree: the type of `recv` in `recv.method(..)` (the tokens before)."""
        dot = ident.prev_sibling
        recv = dot.prev_sibling if dot is not None and dot.type == "." else None
        if recv is None:
            return ""
        if recv.type == "self":
            return self.owner
        before = recv.prev_sibling
        if recv.type == "identifier" and not (before is not None and before.type == "."):
            return self.env.get(node_text(recv), "")
        return ""

    def scoped(self, f: tree_sitter.Node) -> str:
        """`Type::f` / `Self::f` as a call's function: the type, "" for a module path (`io::stdout`)."""
        path = f.child_by_field_name("path")
        t = base_type(node_text(path), self.owner) if path is not None else ""
        return t if _type_like(t) else ""

"""The functions of one Rust file as the syntax tree shows them: where they are, whether they are test
code, the names they call, and the lines of code in their bodies.

Why: localizing a bug that compiles needs "which functions can a failing test reach" (a static call
graph by name: an over-approximation, since traits and generics resolve only in rustc) and "which
lines are the library's, not its tests'". Calls inside macro arguments (`assert_eq!(parse(s), ..)`)
are token trees to tree-sitter; an identifier followed by a parenthesised token tree counts as a call.

Pure: bytes in, Structs out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.receivers import Receivers, struct_fields
from engine.syntax.tree import _range, ancestors, parse
from engine.syntax.types import Base, Range

_TEST_ATTRS = ("test", "tokio::test", "async_std::test", "quickcheck", "proptest")
_NOT_CODE = {"line_comment", "block_comment", "block", "declaration_list", "attribute_item"}


class FnInfo(Base, kw_only=True, frozen=True):
    """One `fn` with a body."""

    name: str
    owner: str = ""  # the impl's or trait's type, "" for a free fn
    in_trait: bool = False  # declared in a trait (a default method): `owner` is the trait
    range: Range
    body: Range
    is_test: bool = False  # carries `#[test]` (or a test-framework attribute)
    in_test_code: bool = False  # a test, or inside `#[cfg(test)]` code
    calls: tuple[str, ...] = ()  # names it calls (last path segment), sorted, deduplicated
    # (name, receiver type) per call, sorted, deduplicated: the type (`engine.syntax.receivers`) where
    # the tree shows it (`self.len()` in `impl Buf` is ("len", "Buf")), "" where it does not
    typed_calls: tuple[tuple[str, str], ...] = ()
    lines: tuple[int, ...] = ()  # 1-based lines of code in its body, nested items excluded


def _attrs(node: tree_sitter.Node) -> list[str]:
    """The attributes written right before an item (tree-sitter makes them preceding siblings)."""
    out = []
    prev = node.prev_named_sibling
    while prev is not None and prev.type in ("attribute_item", "line_comment", "block_comment"):
        if prev.type == "attribute_item":
            out.append("".join((prev.text or b"").decode("utf-8", "replace").split()))
        prev = prev.prev_named_sibling
    return out


def _is_cfg_test(attr: str) -> bool:
    return attr.startswith("#[cfg(") and "test" in attr and "not(test)" not in attr


def _test_attr(attr: str) -> bool:
    """`#[test]`, a framework's own (`#[tokio::test]`, `#[test_log::test(..)]`), quickcheck, proptest."""
    path = attr.removeprefix("#[").split("(")[0].removesuffix("]")
    return path in _TEST_ATTRS or path.endswith("::test")


def is_test_fn(node: tree_sitter.Node) -> bool:
    """A fn a test harness runs, read from its attributes: the one answer the call graph, the
    localization signals and test reach (`engine.syntax.test_reach`) share, so a fn is never a
    test to one of them and ordinary code to another."""
    return any(_test_attr(a) for a in _attrs(node))


def in_test_code(node: tree_sitter.Node) -> bool:
    """Inside an item marked `#[cfg(test)]` (a tests module, usually) or a `#[test]` fn."""
    for n in (node, *ancestors(node)):
        if n.type in ("mod_item", "function_item", "impl_item", "trait_item") and any(
            _is_cfg_test(a) or _test_attr(a) for a in _attrs(n)
        ):
            return True
    return False


def test_modules(source: bytes) -> tuple[str, ...]:
    """Names of `#[cfg(test)] mod NAME;` declarations: their files are test code."""
    out = []
    stack = [parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.type == "mod_item" and n.child_by_field_name("body") is None:
            name = n.child_by_field_name("name")
            if name is not None and any(_is_cfg_test(a) for a in _attrs(n)):
                out.append((name.text or b"").decode())
        stack.extend(c for c in n.named_children if c.type in ("mod_item", "declaration_list"))
    return tuple(sorted(out))


def _call_names(body: tree_sitter.Node) -> set[str]:
    return {name for name, _ in _typed_calls(body, None)}


def _typed_calls(body: tree_sitter.Node, recv: Receivers | None) -> set[tuple[str, str]]:
    """(name, receiver type) of each call under `body`; the type is "" without `recv` or where the
    tree does not show it."""
    found: set[tuple[str, str]] = set()
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "call_expression":
            f = n.child_by_field_name("function")
            t = ""
            if f is not None:
                if f.type == "generic_function":
                    f = f.child_by_field_name("function")
                if f is not None and f.type == "field_expression":
                    t = recv.of(f.child_by_field_name("value")) if recv else ""
                    f = f.child_by_field_name("field")
                elif f is not None and f.type == "scoped_identifier":
                    t = recv.scoped(f) if recv else ""
                    f = f.child_by_field_name("name")
                if f is not None and f.type in ("identifier", "field_identifier"):
                    found.add(((f.text or b"").decode(), t))
        elif n.type == "identifier" and n.parent is not None and n.parent.type == "token_tree":
            nxt = n.next_sibling
            if nxt is not None and nxt.type == "token_tree" and (nxt.text or b"").startswith(b"("):
                found.add(((n.text or b"").decode(), recv.of_token(n) if recv else ""))
        elif n.type == "macro_invocation":
            m = n.child_by_field_name("macro")
            if m is not None:
                found.add((f"{(m.text or b'').decode().split('::')[-1]}!", ""))
        if n.type not in ("function_item",) or n is body:
            stack.extend(n.children)
    return found


def _code_lines(body: tree_sitter.Node) -> set[int]:
    """Lines where a node of code starts, nested fn/impl/mod items left out."""
    lines: set[int] = set()
    stack = list(body.named_children)
    while stack:
        n = stack.pop()
        if n.type in ("function_item", "impl_item", "mod_item", "trait_item"):
            continue
        if n.type not in _NOT_CODE:
            lines.add(n.start_point[0] + 1)
        stack.extend(n.named_children)
    return lines


def _owner(node: tree_sitter.Node) -> str:
    for a in ancestors(node):
        if a.type == "impl_item":
            t = a.child_by_field_name("type")
            return (t.text or b"").decode() if t is not None else ""
        if a.type == "trait_item":
            t = a.child_by_field_name("name")
            return (t.text or b"").decode() if t is not None else ""
    return ""


def functions(source: bytes) -> list[FnInfo]:
    """Every fn with a body in the file, in source order."""
    out: list[FnInfo] = []
    root = parse(source).root_node
    fields = struct_fields(root)
    stack = [root]
    found: list[tree_sitter.Node] = []
    while stack:
        n = stack.pop()
        if n.type == "function_item" and n.child_by_field_name("body") is not None:
            found.append(n)
        stack.extend(n.named_children)
    for n in sorted(found, key=lambda n: n.start_byte):
        body = n.child_by_field_name("body")
        name = n.child_by_field_name("name")
        assert body is not None
        owner = _owner(n)
        typed = _typed_calls(body, Receivers(n, owner, fields))
        out.append(
            FnInfo(
                name=(name.text or b"").decode() if name is not None else "",
                owner=owner,
                in_trait=any(
                    a.type == "trait_item" for a in ancestors(n) if a.type in ("trait_item", "impl_item")
                ),
                range=_range(n),
                body=_range(body),
                is_test=is_test_fn(n),
                in_test_code=in_test_code(n),
                calls=tuple(sorted({name for name, _ in typed})),
                typed_calls=tuple(sorted(typed)),
                lines=tuple(sorted(_code_lines(body))),
            )
        )
    return out


def macro_calls(source: bytes) -> dict[str, tuple[str, ...]]:
    """`name!` -> the names the `macro_rules!` body calls: a test that checks through its own macro
    (`check!("1.2", 1, 2)`) reaches what the macro calls."""
    out: dict[str, set[str]] = {}
    stack = [parse(source).root_node]
    while stack:
        n = stack.pop()
        if n.type == "macro_definition":
            name = n.child_by_field_name("name")
            if name is not None:
                out.setdefault(f"{(name.text or b'').decode()}!", set()).update(_call_names(n))
            continue
        stack.extend(n.named_children)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def calls_at_line(source: bytes, line: int) -> tuple[str, ...]:
    """The names called by the statement at 1-based `line` (a panicking `assert_eq!(parse(s), ..)`
    line of a test: what it checked, which is sharper evidence than all the test reaches)."""
    root = parse(source).root_node
    lines = source.split(b"\n")
    if not 1 <= line <= len(lines):
        return ()
    col = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    node = root.named_descendant_for_point_range((line - 1, col), (line - 1, col))
    while node is not None and node.type not in ("expression_statement", "let_declaration") and node.parent:
        if node.type in ("block", "function_item"):
            break
        node = node.parent
    if node is None or node.type in ("block", "function_item", "source_file"):
        return ()
    return tuple(sorted(_call_names(node)))

"""A thread that borrows the caller's data, in a function that joins its threads before it returns:
the function's body runs inside `std::thread::scope`, and the spawn is the scope's.

rustc (E0521 "borrowed data escapes outside of function", E0373 on a spawned closure): the closure
given to `thread::spawn` must be `'static`, so it cannot hold a borrow of a parameter. The general
mistake: a free-standing thread for work the function waits for anyway. A scoped thread may borrow
for as long as the scope lasts, and the scope joins every thread before it returns, so nothing is
copied and the signature stays. Every spawn of the function becomes the scope's, and the locals
the threads borrow, declared before the first spawn, stay outside the scope and outlive it. Offered only where the function joins (a `.join()` in its body) and
does not hand a handle out (no `JoinHandle` in its return type); a spawn in a loop gets `move`, so
each thread owns its copy of the loop's reference rather than borrowing the loop variable (an
iterator adapter's closure, `(0..n).map(|i| ..)`, counts as a loop); a second candidate rebinds the
locals such a `move` closure names to references at the scope's top, so the first thread does not
take a `Vec` the others index (E0382). The sandbox says whether the rewrite compiles. Pure; the syntax layer finds the call and the body.
"""

from __future__ import annotations

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_SPAWNS = ("thread::spawn", "std::thread::spawn", "spawn")
_LOOPS = ("for_expression", "while_expression", "loop_expression")
_NAMES = ("s", "scope", "scoped")


def _idents(n: tree_sitter.Node) -> set[str]:
    out: set[str] = set()
    stack = [n]
    while stack:
        x = stack.pop()
        if x.type == "identifier":
            out.add(node_text(x))
        stack.extend(x.children)
    return out


def _joins(body: tree_sitter.Node) -> bool:
    """A `.join()` call in the body: the function waits for a thread before it returns."""
    stack = [body]
    while stack:
        x = stack.pop()
        fn = x.child_by_field_name("function") if x.type == "call_expression" else None
        if (
            fn is not None
            and fn.type == "field_expression"
            and node_text(fn.child_by_field_name("field")) == "join"
        ):
            return True
        stack.extend(x.children)
    return False


def _in_place(closure: tree_sitter.Node) -> bool:
    """A closure handed to a method call that is no spawn (`(0..n).map(|i| ..)`): an iterator
    adapter's closure, which runs where the chain is consumed, inside the scope; its parameters die
    with each call, as a loop's variable does with each iteration."""
    args = closure.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    return fn is not None and fn.type == "field_expression" and node_text(fn) not in _SPAWNS


def _spawns(body: tree_sitter.Node) -> list[tree_sitter.Node]:
    """Every `thread::spawn(..)` of the function itself, in source order: not one inside a nested fn
    or a closure that may run elsewhere, which the scope could not hold (an iterator adapter's
    closure runs in place, so its spawns count). The general mistake this prevents is converting
    only the spawn rustc pointed at: a second `thread::spawn` left beside `s.spawn` still needs
    `'static`."""
    out = []
    stack = [body]
    while stack:
        x = stack.pop()
        if x.type == "call_expression" and node_text(x.child_by_field_name("function")) in _SPAWNS:
            out.append(x)
        if x is body or x.type != "function_item" and (x.type != "closure_expression" or _in_place(x)):
            stack.extend(x.children)
    return sorted(out, key=lambda n: n.start_byte)


def _scope_start(body: tree_sitter.Node, spawns: list[tree_sitter.Node]) -> tree_sitter.Node:
    """The statement the scope starts at: the one after the last `let` before the first spawn that
    binds a name a spawned closure uses (`let (left, right) = lines.split_at(mid)`). Those locals
    must outlive the scope, or its threads borrow locals of the scope's closure (E0597); what
    follows, the handles included, stays inside, since a handle's type names the scope. A spawn in a
    `for` loop also borrows what the loop iterates (`for chunk in words.chunks(2)` hands each thread a
    piece of `words`), so the names in the loop's iterated expression count as used too."""
    used: set[str] = set()
    for c in spawns:
        args = c.child_by_field_name("arguments")
        used |= _idents(args) if args is not None else set()
        for a in ancestors(c):
            if a.start_byte <= body.start_byte:
                break
            value = a.child_by_field_name("value") if a.type == "for_expression" else None
            used |= _idents(value) if value is not None else set()
    stmts = body.named_children
    at = next(i for i, c in enumerate(stmts) if c.start_byte <= spawns[0].start_byte < c.end_byte)
    start = 0
    for i, c in enumerate(stmts[:at]):
        pattern = c.child_by_field_name("pattern") if c.type == "let_declaration" else None
        if pattern is not None and _idents(pattern) & used:
            start = i + 1
    return stmts[start]


def scoped_spawn(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    if prim is None or source is None:
        return []
    node = node_at(source, prim.byte_start, prim.byte_end)
    call = next(
        (
            a
            for a in (node, *ancestors(node))
            if a.type == "call_expression" and node_text(a.child_by_field_name("function")) in _SPAWNS
        ),
        None,
    )
    fn = next((a for a in ancestors(call) if a.type == "function_item"), None) if call is not None else None
    body = fn.child_by_field_name("body") if fn is not None else None
    if (
        call is None
        or fn is None
        or body is None
        or b"JoinHandle" in (fn.text or b"")[: body.start_byte - fn.start_byte]
    ):
        return []
    if not _joins(body) or any(
        a.type == "closure_expression" and not _in_place(a)
        for a in ancestors(call)
        if a.start_byte > body.start_byte
    ):
        return []
    name = next((n for n in _NAMES if n not in _idents(body)), None)
    spawns = _spawns(body)
    if name is None or call.start_byte not in {c.start_byte for c in spawns}:
        return []
    first = _scope_start(body, spawns)
    cut = max(source.rfind(b"\n", 0, first.start_byte) + 1, body.start_byte + 1)
    inner = bytearray(source[cut : body.end_byte - 1])
    paths: set[str] = set()
    moved: set[str] = set()  # what the closures that gain `move` name
    for c in reversed(spawns):  # from the last, so each edit leaves the earlier offsets in place
        callee = c.child_by_field_name("function")
        args = c.child_by_field_name("arguments")
        closure = args.named_children[0] if args is not None and args.named_children else None
        if callee is None or closure is None or closure.type != "closure_expression":
            return []
        in_loop = any(
            a.type in _LOOPS or a.type == "closure_expression"
            for a in ancestors(c)
            if a.start_byte > body.start_byte
        )
        if in_loop and not node_text(closure).startswith("move"):
            inner[closure.start_byte - cut : closure.start_byte - cut] = b"move "
            moved |= _idents(closure)
        # the callee comes before the closure, so the `move ` inserted after it leaves its bytes in place
        inner[callee.start_byte - cut : callee.end_byte - cut] = f"{name}.spawn".encode()
        paths.add(node_text(callee))
    line = source.rfind(b"\n", 0, fn.start_byte) + 1
    indent = source[line : fn.start_byte].decode("utf-8", "replace")
    # `thread::spawn` names the module through a `use`: `thread::scope` keeps that import used
    path = "thread::scope" if "thread::spawn" in paths else "std::thread::scope"
    head = source[body.start_byte + 1 : cut].decode("utf-8", "replace")
    if not head.endswith("\n"):
        head += "\n"
    who = node_text(fn.child_by_field_name("name"))
    desc = (
        f"run `{who}`'s threads in `{path}`: they may borrow its parameters, and the scope "
        "joins them before it returns (no copy, no API change)"
    )
    out = [_candidate(d, body, head, indent, path, name, inner, (), desc)]
    shadows = tuple(sorted(_head_locals(body, first) & moved))
    if shadows:
        said = ", ".join(f"`{n}`" for n in shadows)
        desc2 = f"{desc}; the threads spawned in the loop take {said} by reference"
        out.append(_candidate(d, body, head, indent, path, name, inner, shadows, desc2))
    return out


def _head_locals(body: tree_sitter.Node, first: tree_sitter.Node) -> set[str]:
    """The names the `let`s before the scope bind: they outlive the scope, so a thread may borrow
    them, but a `move` closure spawned in a loop would move one into its first thread (E0382)."""
    out: set[str] = set()
    for c in body.named_children:
        if c.start_byte >= first.start_byte:
            break
        pattern = c.child_by_field_name("pattern") if c.type == "let_declaration" else None
        out |= _idents(pattern) if pattern is not None else set()
    return out


def _candidate(
    d: Diagnostic,
    body: tree_sitter.Node,
    head: str,
    indent: str,
    path: str,
    name: str,
    inner: bytearray,
    shadows: tuple[str, ...],
    desc: str,
) -> Candidate:
    """The rewritten body. Each name in `shadows` is rebound to a reference at the scope's top, so a
    `move` closure in a loop copies the reference and every thread borrows the one local. The
    general mistake this answers: `move` added for the loop's own variable also moves a `Vec` the
    loop indexes (`words[i]`), and the second iteration finds it gone. A `Copy` number rebound so
    may no longer compare with its own type, so this variant is a second candidate the sandbox
    judges beside the plain one."""
    lines = inner.decode("utf-8", "replace").strip("\n").rstrip().split("\n")
    lines = [f"{indent}    let {n} = &{n};" for n in shadows] + lines
    text = "\n".join(("    " + ln) if ln.strip() else "" for ln in lines)
    new = f"{{{head}{indent}    {path}(|{name}| {{\n{text}\n{indent}    }})\n{indent}}}"
    prim = d.primary
    assert prim is not None
    edit = Edit(file=prim.file_name, start=body.start_byte, end=body.end_byte, replacement=new)
    return _make([edit], desc, "scoped-threads", d.code_str or "", 0.8)

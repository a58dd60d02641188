"""Whether a fix's patch rewrites test code, said in its cost and weighed in its rank.

The general mistake this answers: a fix that makes the crate compile by also editing the tests
(`#[cfg(test)]` modules, `#[test]` fns, files under `tests/`) reads as a pure change of the code
under test, and its "the crate's tests pass" then proves little: the tests were changed to fit. A
fix finished in steps (`engine.explain.chain`) is the usual case, when a later step answers an E0308
inside a test assertion. Such a fix says so in its cost ("also rewrites 1 test assertion") and goes
below a fix of the same verdict and the same errors left that leaves the tests alone. Read from the
syntax tree (`engine.syntax.program.in_test_code`), edit by edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from engine.edits import by_file
from engine.explain.types import Explanation, PatchOption

MARK = "also rewrites"


def _words(assertions: int, other: set[str]) -> str:
    if assertions and not other:
        return f"{MARK} {assertions} test assertion{'s' * (assertions != 1)}"
    fns = sorted(other)
    where = f" (`{fns[0]}`)" if len(fns) == 1 else ""
    extra = f", {assertions} assertion{'s' * (assertions != 1)} among them" if assertions else ""
    return f"{MARK} test code{where}{extra}"


def test_code_edits(o: PatchOption, read: Callable[[str], bytes | None]) -> str:
    """ "also rewrites N test assertion(s)" / "also rewrites test code (`fn`)" when an edit of the
    option lands in test code, else ""."""
    from engine.syntax.program import in_test_code
    from engine.syntax.tree import ancestors, node_at, preorder

    assertions: set[tuple[str, int]] = set()
    other: set[str] = set()
    for rel, edits in by_file(o.edits).items():
        whole_file = rel.startswith("tests/")
        source = read(rel)
        if source is None:
            continue
        for e in edits:
            if e.end > len(source):
                continue
            node = node_at(source, e.start, max(e.end, e.start + 1))
            if not (whole_file or in_test_code(node)):
                continue
            chain = (node, *ancestors(node))
            # the assertion around the edit, or those inside a wider edit (a whole line rewritten)
            macs = [a for a in chain if _asserts(a)][:1] or [
                n for n in preorder(node) if _asserts(n) and n.start_byte < e.end and e.start < n.end_byte
            ]
            if macs:
                assertions.update((rel, m.start_byte) for m in macs)
                continue
            fn = next((a for a in chain if a.type == "function_item"), None)
            other.add(_name(fn) if fn is not None else rel)
    if not assertions and not other:
        return ""
    return _words(len(assertions), other)


def _asserts(node) -> bool:  # noqa: ANN001 - a tree_sitter.Node
    return node.type == "macro_invocation" and _name(node).startswith(("assert", "debug_assert"))


def _name(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    field = "macro" if node.type == "macro_invocation" else "name"
    n = node.child_by_field_name(field)
    return (n.text or b"").decode() if n is not None else ""


def edits_tests(o: PatchOption) -> bool:
    """Whether `marked` found test code in the option's patch (its cost says so)."""
    return f"; {MARK} " in f"; {o.cost}"


def marked(o: PatchOption, read: Callable[[str], bytes | None], errors_in_tests: bool = False) -> PatchOption:
    """The option with the words added to its cost (once): what it pays is part of its price. Where
    none of the story's errors sits in test code, editing the tests is no part of the fix: the tests
    then pass only as the patch rewrote them, so the option loses its ✓ (`rewrites_tests`; reviews
    I i15 and O o11: a public `Option<&str>` made `Option<String>`, and a `derive(Clone)` added to a
    test struct kept non-Clone on purpose, both green only through their edits to the tests)."""
    words = test_code_edits(o, read)
    if not words or edits_tests(o):
        return o
    cost = "; ".join(filter(None, (o.cost, words)))
    return msgspec.structs.replace(o, cost=cost, rewrites_tests=not errors_in_tests)


def errors_in_tests(e: Explanation, read: Callable[[str], bytes | None]) -> bool:
    """Whether one of the story's errors sits in test code (a `#[cfg(test)]` module, a `#[test]` fn,
    a file under `tests/`): there the fix has to edit the tests."""
    from engine.syntax.program import in_test_code
    from engine.syntax.tree import node_at

    for d in e.diagnostics:
        span = d.primary
        if span is None:
            continue
        if span.file_name.startswith("tests/"):
            return True
        source = read(span.file_name)
        if source is None or span.byte_end > len(source):
            continue
        if in_test_code(node_at(source, span.byte_start, max(span.byte_end, span.byte_start + 1))):
            return True
    return False


def below_equals(fixes: Iterable[PatchOption]) -> tuple[PatchOption, ...]:
    """Each fix that rewrites tests moved below the fixes right after it that have its verdict and
    leave as many errors but leave the tests alone; no other order changes."""
    out = list(fixes)
    i = len(out) - 1
    while i >= 0:
        j = i
        while (
            j + 1 < len(out)
            and edits_tests(out[j])
            and not edits_tests(out[j + 1])
            and out[j + 1].validated == out[j].validated
            and out[j + 1].errors_left + out[j + 1].errors_new <= out[j].errors_left + out[j].errors_new
        ):
            out[j], out[j + 1] = out[j + 1], out[j]
            j += 1
        i -= 1
    return tuple(out)

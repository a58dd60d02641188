"""A named lifetime a fix's steps left with nothing to name.

The general mistake: a fix chained from rustc's "introduce a named lifetime parameter" whose later
step makes the function return an owned value (`-> String`, because the result borrowed a local).
The `<'a>` and every `&'a` the first step wrote now tie the inputs to nothing: noise a reader must
puzzle over. A lifetime that the original line did not have, that the final signature's output
does not mention, and that appears nowhere else in the file, is removed with its uses on that line.
"""

from __future__ import annotations

import re

_SIG = re.compile(
    rb"^(\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+|async\s+|unsafe\s+)*fn\s+\w+)<([^<>]*)>(\(.*)$"
)
_LIFETIME = re.compile(rb"'[a-z_]\w*")


def _output(rest: bytes) -> bytes:
    """The part of a signature line after its parameters: `-> String {`, a where clause."""
    depth = 0
    for i, ch in enumerate(rest):
        depth += {ord("("): 1, ord(")"): -1}.get(ch, 0)
        if depth == 0:
            return rest[i + 1 :]
    return b""


def without_unused_lifetimes(orig: bytes, new: bytes) -> bytes:
    """`new` with the lifetimes its steps introduced on a one-line signature and its output no longer
    uses taken out again (see the module docstring); `new` itself when there are none."""
    had = set(orig.splitlines())
    lines = new.splitlines(keepends=True)
    for i, ln in enumerate(lines):
        m = _SIG.match(ln.rstrip(b"\r\n"))
        if m is None or ln.rstrip(b"\r\n") in had:
            continue
        params = [p.strip() for p in m.group(2).split(b",") if p.strip()]
        others = b"".join(lines[:i] + lines[i + 1 :])
        out_part = _output(m.group(3))
        gone = [
            p
            for p in params
            if _LIFETIME.fullmatch(p)
            and p not in b"".join(had)
            and not re.search(re.escape(p) + rb"\b", out_part)
            and not re.search(re.escape(p) + rb"\b", others)
        ]
        if not gone:
            continue
        kept = [p for p in params if p not in gone]
        rest = m.group(3)
        for p in gone:
            rest = re.sub(rb"&" + re.escape(p) + rb"\b\s*", b"&", rest)
        end = ln[len(ln.rstrip(b"\r\n")) :]
        lines[i] = m.group(1) + (b"<" + b", ".join(kept) + b">" if kept else b"") + rest + end
    return b"".join(lines)

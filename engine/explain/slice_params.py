"""The slice form of a parameter type a fix writes: `&Vec<T>` -> `&[T]`, `&String` -> `&str`.

The mistake it answers: a fix that changes a parameter's type (rustc's `&` -> `&mut`, a lifetime
added to each input) keeps the owning container in the signature, `&mut Vec<Item>` or
`&'a Vec<String>`, and clippy::ptr_arg flags the line it wrote: the function only reads or
mutates elements, so a slice says that and lets callers pass any contiguous storage. The idiom is
the slice, when the body compiles with it (no `push`, no `capacity`): this module only writes the
variant; `engine.explain.linting` builds and lints it, and offers it only when it builds and adds no
lint.
"""

from __future__ import annotations

import re

from engine.edits import Edit, EditError, apply_edits, by_file, edits_between

_FN = re.compile(r"\bfn\s+\w+\s*(?:<[^(]*>)?\s*\(")
# `&Vec<`, `&mut Vec<`, `&'a Vec<`, `&'a mut Vec<` (the element type follows, balanced `<>`)
_VEC = re.compile(r"&(\s*'\w+\s+|\s*)(mut\s+)?(?:std::vec::)?Vec<")
_STRING = re.compile(r"&(\s*'\w+\s+|\s*)(?:std::string::)?String\b")


def _close(text: str, i: int) -> int:
    """The index just after the `>` that closes the `<` before `i`; -1 when unbalanced."""
    depth = 1
    while i < len(text):
        ch = text[i]
        if ch == "<":
            depth += 1
        elif ch == ">" and text[i - 1] != "-":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _params(line: str) -> tuple[int, int] | None:
    """The span of a one-line fn signature's parameter list, inside its parentheses."""
    m = _FN.search(line)
    if not m:
        return None
    depth, i = 1, m.end()
    while i < len(line):
        depth += {"(": 1, ")": -1}.get(line[i], 0)
        if depth == 0:
            return m.end(), i
        i += 1
    return None


def sliced(params: str) -> str:
    """`params` with each `&Vec<T>` as `&[T]` and each `&String` as `&str`, lifetimes and `mut` kept."""
    out, i = [], 0
    while (m := _VEC.search(params, i)) is not None:
        end = _close(params, m.end())
        if end < 0:
            break
        lt, mut = m.group(1).strip(), m.group(2) or ""
        out.append(params[i : m.start()] + f"&{lt + ' ' if lt else ''}{mut}[{params[m.end() : end - 1]}]")
        i = end
    out.append(params[i:])
    return _STRING.sub(
        lambda m: f"&{m.group(1).strip() + ' ' if m.group(1).strip() else ''}str", "".join(out)
    )


def slice_edits(
    files: dict[str, bytes], edits: tuple[Edit, ...], wrote: dict[str, set[int]]
) -> tuple[tuple[Edit, ...], str, str] | None:
    """The fix's edits with each signature line it wrote taking slices, the old and new parameter
    text of the first one changed; None when no written signature holds `&Vec<T>` or `&String`."""
    out: list[Edit] = []
    first: tuple[str, str] | None = None
    for rel, mine in by_file(edits).items():
        old = files.get(rel)
        if old is None:
            return None
        try:
            new = apply_edits(old, mine).decode()
        except (EditError, UnicodeDecodeError):
            return None
        lines = new.split("\n")
        changed = False
        for n in sorted(wrote.get(rel, ())):
            if n < 1 or n > len(lines) or (span := _params(lines[n - 1])) is None:
                continue
            a, b = span
            params = lines[n - 1][a:b]
            s = sliced(params)
            if s != params:
                lines[n - 1] = lines[n - 1][:a] + s + lines[n - 1][b:]
                changed = True
                first = first or (params.strip(), s.strip())
        out.extend(edits_between(rel, old, "\n".join(lines).encode()) if changed else mine)
    if first is None:
        return None
    return tuple(out), first[0], first[1]

"""Which of the fns a patch changes a benchmark covers, one by one: the line shown with the proofs.

A bench target under a package's benches/ (any member of a workspace) covers a library fn when it
reaches it by name: the target's text
names it, or names a library fn whose text names it, and so on (names, not types: a method called
`len` on another type counts too, so the answer may say covered where a call graph would not). A fn
the user marked hot (engine.proofs.hot) is timed by Rusta itself whether or not a bench reaches it.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.patching.types import Patch, Proof
from engine.proofs.hot import HotFn, changed_fns, fns_of, load
from toolbelt.cargo_workspace import library_file, package_dirs

_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def _packages(root: Path) -> list[str]:
    """Each package's folder relative to the workspace root ("" for the root's own)."""
    return list(package_dirs(root)) or [""]


def _library(root: Path) -> list[Path]:
    """The library sources of every package of the workspace."""
    out: list[Path] = []
    for d in _packages(root):
        src = root / d / "src"
        if src.is_dir():
            out += [
                p for p in sorted(src.rglob("*.rs")) if library_file(root, p.relative_to(root).as_posix())
            ]
    return out


def bench_files(root: Path) -> list[Path]:
    """Every benches/*.rs of the workspace's packages."""
    return [
        p
        for d in _packages(root)
        if (root / d / "benches").is_dir()
        for p in sorted((root / d / "benches").glob("*.rs"))
    ]


def reached(root: Path) -> dict[str, str]:
    """Bare fn name -> the bench file that reaches it (the first, by name), over the library's fns."""
    root = Path(root)
    fns: dict[str, list[bytes]] = {}
    for p in _library(root):
        data = p.read_bytes()
        lines = data.splitlines()
        for label, start, end in fns_of(data):
            fns.setdefault(label.rsplit("::", 1)[-1], []).append(b"\n".join(lines[start : end + 1]))
    out: dict[str, str] = {}
    for bench in bench_files(root):
        seen: set[bytes] = set()
        todo = set(_IDENT.findall(bench.read_bytes()))
        while todo:
            word = todo.pop()
            if word in seen:
                continue
            seen.add(word)
            name = word.decode()
            for text in fns.get(name, ()):
                out.setdefault(name, bench.relative_to(root).as_posix())
                todo |= set(_IDENT.findall(text)) - seen
    return out


def coverage(root: Path, patch: Patch) -> list[tuple[HotFn, str]]:
    """Each fn the patch changes, with what times it: a bench file, "hot", or ""."""
    root = Path(root)
    hot = set(load(root).fns)
    by_name = reached(root)
    out = []
    for f in changed_fns(root, patch):
        bench = by_name.get(f.name.rsplit("::", 1)[-1], "") if library_file(root, f.path) else ""
        out.append((f, bench or ("hot" if f in hot else "")))
    return out


def coverage_proof(root: Path, patch: Patch) -> Proof | None:
    """One line: the changed fns a benchmark covers and those none does (None: no fn changed)."""
    cov = coverage(root, patch)
    if not cov:
        return None
    parts = []
    for f, by in cov:
        if by == "hot":
            parts.append(f"{f.name} (hot: Rusta times it)")
        elif by:
            parts.append(f"{f.name} ({by} reaches it)")
        else:
            parts.append(f"{f.name} (no benchmark)")
    n = sum(1 for _, by in cov if by)
    detail = f"bench coverage: {n} of {len(cov)} changed fn(s) covered by a benchmark: {', '.join(parts)}."
    return Proof(
        kind="bench_coverage", status="evidence" if n else "skipped", detail=detail, count=len(cov), passed=n
    )


def unreached(root: Path, patch: Patch) -> list[str]:
    """The changed library fns no bench target reaches (all of them when the crate has no benches/)."""
    by_name = reached(root)
    return [f.name for f in changed_fns(root, patch) if f.name.rsplit("::", 1)[-1] not in by_name]

"""A "compiles" verdict that is known whole: the option checked together with the other stories' fixes.

rustc runs its phases in order and skips the later ones in a body that still has an error of an
earlier phase: while a resolve or type error is left in the crate, borrow checking (and part of type
checking) did not run where it sits. An option checked alone in such a crate only type-checks;
`*name` for a `&String` passes that and fails in borrowck (E0507) once the other error is fixed.

So an option that leaves such errors behind is checked again with the best fix of each story that
owns one of them (`companions`). The joint build decides:
- no error of an earlier phase left, none on the lines the option wrote, and nothing new away from
  them: "compiles", whole;
- an error on the option's lines, or a new one that the companions alone do not cause: "fails";
- errors of an earlier phase still left (a story has no fix that compiles, or the fixes overlap):
  "type-checks", shown without ✓ and not counted among the fixes that compile.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable

from engine.edits import EditError, apply_edits, by_file
from engine.explain.types import Explanation, PatchOption
from engine.repair.targets import phase
from engine.repair.types import Edit
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.types import CheckReport, Diagnostic

BORROWCK = 2  # `engine.repair.targets.phase` of the borrow checker's errors

Key = tuple[str, str, str, str]  # level, code, file, message without module paths


def key(d: Diagnostic) -> Key:
    p = d.primary
    return (d.level, d.code_str or "", p.file_name if p else "", trim_paths(d.message))


def counted(report: CheckReport) -> Counter[Key]:
    """Errors and warnings (a warning story's target is a warning; only new errors disqualify)."""
    keep = [d for d in distinct(report.diagnostics) if d.level.startswith(("error", "warning"))]
    return Counter(key(d) for d in keep)


def early_errors(report: CheckReport) -> list[Diagnostic]:
    return [d for d in distinct(report.diagnostics) if d.level.startswith("error") and phase(d) < BORROWCK]


def hiding(e: Explanation, after: CheckReport) -> tuple[Key, ...]:
    """The errors left after the edit that kept borrow checking from running, when the story's own
    error is of an earlier phase. A borrowck story's body was borrow-checked already (its error was
    reported), so errors elsewhere hide nothing from it."""
    if min((phase(d) for d in e.diagnostics), default=0) >= BORROWCK:
        return ()
    return tuple(sorted({key(d) for d in early_errors(after)}))


def _overlaps(a: Iterable[Edit], b: Iterable[Edit]) -> bool:
    return any(x.file == y.file and x.start <= y.end and y.start <= x.end for x in a for y in b)


def companions(
    i: int, o: PatchOption, keys: tuple[Key, ...], stories: list[Explanation]
) -> tuple[PatchOption, ...] | None:
    """The best fix of each other story that owns one of `keys` (none overlapping `o` or each other),
    or None when one of those errors has no such fix: the joint build would still stop before borrowck."""
    chosen: list[PatchOption] = []
    left = set(keys)
    for j, s in enumerate(stories):
        mine = {key(d) for d in s.diagnostics} & left
        if j == i or not mine:
            continue
        taken = [*o.edits, *(ed for c in chosen for ed in c.edits)]
        best = next(
            (
                f
                for f in s.fixes
                if f.validated in ("compiles", "type-checks") and not _overlaps(f.edits, taken)
            ),
            None,
        )
        if best is None:
            return None
        chosen.append(best)
        left -= mine
    return tuple(chosen) if not left else None


def written_lines(read: Callable[[str], bytes | None], o: PatchOption, others: tuple[PatchOption, ...]):
    """{file: lines} that `o` wrote in the joint files: the lines that differ between the files with
    the companions' edits and the same files with `o`'s as well. None when the edits do not apply."""
    out: dict[str, set[int]] = {}
    rest = tuple(ed for c in others for ed in c.edits)
    for rel, mine in by_file(o.edits).items():
        old = read(rel)
        if old is None:
            return None
        theirs = [ed for ed in rest if ed.file == rel]
        try:
            base = apply_edits(old, theirs) if theirs else old
            both = apply_edits(old, [*theirs, *mine])
        except EditError:
            return None
        a = base.decode(errors="replace").splitlines()
        b = both.decode(errors="replace").splitlines()
        for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag in ("replace", "insert"):
                out.setdefault(rel, set()).update(range(j1 + 1, j2 + 1))
    return out


def joint_judge(
    e: Explanation,
    before: Counter[Key],
    after: CheckReport,
    wrote: dict[str, set[int]],
    base: Callable[[], CheckReport | None],
    reason: Callable[[Diagnostic], str],
) -> tuple[str, str]:
    """The verdict of the joint build (see the module docstring). `before` is the crate's own errors;
    `base()` checks the companions alone, asked only when a new error is away from `o`'s lines."""
    if after.status in ("timeout", "error", "failed") or early_errors(after):
        return "type-checks", ""
    now = counted(after)
    targets = {key(d) for d in e.diagnostics}
    if not any(now[k] < before[k] for k in targets):
        return "fails", "the error stays once the other errors are fixed"
    new = [
        d for d in distinct(after.diagnostics) if d.level.startswith("error") and now[key(d)] > before[key(d)]
    ]
    for d in new:
        p = d.primary
        if p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        ):
            return "fails", reason(d) + " (with the other errors fixed)"
    if new:
        alone = base()
        if alone is None:
            return "type-checks", ""
        theirs = counted(alone)
        for d in new:
            if now[key(d)] > theirs[key(d)]:
                return "fails", reason(d) + " (with the other errors fixed)"
    return "compiles", ""

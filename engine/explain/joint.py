"""A "compiles" verdict that is known whole: the option checked together with the other stories' fixes.

rustc runs its phases in order and skips the later ones in a body that still has an error of an
earlier phase: while a resolve or type error is left in the crate, borrow checking (and part of type
checking) did not run where it sits. An option checked alone in such a crate only type-checks;
`*name` for a `&String` passes that and fails in borrowck (E0507) once the other error is fixed.

So an option that leaves such errors behind is checked again with the best fix of each story that
owns one of them (`companions`). The joint build decides:
- no error of an earlier phase left, none on the lines the option wrote, and nothing new away from
  them: "compiles", whole;
- an error on the option's lines (a resolve or type error there included, even while other such
  errors are left), or a new one that the companions alone do not cause: "fails";
- errors of an earlier phase still left (a story has no fix that compiles, or the fixes overlap):
  "type-checks", shown without ✓ and not counted among the fixes that compile.

A lint's fix in a crate with errors is judged the same way, against every error left: the error's
fix may need what the lint's fix removes (`let mut c` is unused only while `fn bump(&self)` is
wrong), so alone it only "type-checks". Jointly, a new error fails it, and a warning that the
companions alone make go away was an artefact of the errors: the fix is not needed (`ARTEFACT`).

The same joint build retries an option that failed alone on a line another story's best fix
rewrites (`rewriter`): `for n in &names` fails at `longest = n;` and compiles beside that story's
`longest = n.clone();`. The set compiles, so the option says so (`PatchOption.together_with`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable

from engine.edits import EditError, apply_edits, by_file
from engine.explain.types import Explanation, PatchOption
from engine.patching.diffs import rows
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


ARTEFACT = "the warning goes away once the other errors are fixed"
JOINT_FAILS = " (with the other errors fixed)"  # ends the reason of a fix that fails only jointly


def is_lint(e: Explanation) -> bool:
    return bool(e.diagnostics) and not any(d.level.startswith("error") for d in e.diagnostics)


def hiding(e: Explanation, after: CheckReport) -> tuple[Key, ...]:
    """The errors left after the edit that kept borrow checking from running, when the story's own
    error is of an earlier phase; for a lint's story, every error left (its fix may remove what
    theirs needs). A borrowck story's body was borrow-checked already (its error was reported), so
    errors elsewhere hide nothing from it."""
    if is_lint(e):
        return tuple(sorted({key(d) for d in distinct(after.diagnostics) if d.level.startswith("error")}))
    if min((phase(d) for d in e.diagnostics), default=0) >= BORROWCK:
        return ()
    return tuple(sorted({key(d) for d in early_errors(after)}))


def _overlaps(a: Iterable[Edit], b: Iterable[Edit]) -> bool:
    return any(x.file == y.file and x.start <= y.end and y.start <= x.end for x in a for y in b)


def companions(
    i: int, o: PatchOption, keys: tuple[Key, ...], stories: list[Explanation]
) -> tuple[PatchOption, ...] | None:
    """The best fix of each other story that owns one of `keys` (none overlapping `o` or each other),
    or None when none has one. An error whose story has no fix is left to the joint build: another
    story's fix may clear it too, and if it stays, the build says "type-checks" as before.
    A lint's fix is checked beside the fixes there are (None when there are none): an error with no
    fix shown is in no set of fixes the user is offered."""
    chosen: list[PatchOption] = []
    left = set(keys)
    unfixed: set[Key] = set()
    lint = is_lint(stories[i])
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
        if best is None and not lint:
            # an error with no fix of its own may follow from another story's (`u32: Sum<usize>` goes
            # with the `.sum::<u32>()` the E0308 story rewrites): the joint build says whether it is gone
            unfixed |= mine
            continue
        if best is not None:
            chosen.append(best)
        left -= mine
    if left - unfixed or not chosen:
        return None
    return tuple(chosen)


def lead_set(stories: list[Explanation]) -> tuple[PatchOption, ...]:
    """The ✓ fix each story leads with, when two or more stories have one and none overlap: the set
    a user applying every shown fix gets, which `validation` builds once. A lead with the very edits
    of an earlier one (one fix that clears two stories) is that fix again, not an overlap."""
    leads: list[PatchOption] = []
    for s in stories:  # one edit that clears two stories leads both: it goes in the set once
        lead = s.fixes[0] if s.fixes and s.fixes[0].validated == "compiles" else None
        if lead is not None and not any(set(lead.edits) == set(b.edits) for b in leads):
            leads.append(lead)
    for n, a in enumerate(leads):
        if any(_overlaps(a.edits, b.edits) for b in leads[n + 1 :]):
            return ()
    return tuple(leads) if len(leads) >= 2 else ()


def _best(s: Explanation) -> PatchOption | None:
    return next((f for f in s.fixes if f.validated in ("compiles", "type-checks")), None)


def rewriter(i: int, o: PatchOption, at: tuple[str, int], stories: list[Explanation]) -> PatchOption | None:
    """The best fix of another story that rewrites line `at` (file, line), where `o` of story `i`
    failed alone, without touching `o`'s own edits: the two meet there, so only their set can be judged."""
    file, line = at
    for j, s in enumerate(stories):
        best = _best(s) if j != i else None
        if (
            best is not None
            and line in new_lines(best.patch).get(file, ())
            and not _overlaps(best.edits, o.edits)
        ):
            return best
    return None


def new_lines(patch: str) -> dict[str, set[int]]:
    """Lines (in the edited file) that a diff wrote, from its new-side line numbers."""
    out: dict[str, set[int]] = {}
    for r in rows(patch):
        if r.kind == "+":
            out.setdefault(r.path, set()).add(r.new_line)
    return out


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


def early_errors_new(before: Counter[Key], after: CheckReport) -> bool:
    return any(phase(d) < BORROWCK for d in new_errors(before, after))


def new_errors(before: Counter[Key], after: CheckReport) -> list[Diagnostic]:
    now = counted(after)
    return [
        d for d in distinct(after.diagnostics) if d.level.startswith("error") and now[key(d)] > before[key(d)]
    ]


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
    if after.status in ("timeout", "error", "failed"):
        return "type-checks", ""
    early = early_errors(after)
    now, targets = counted(after), {key(d) for d in e.diagnostics}
    for d in early:  # a type error on a line the option wrote: it does not type-check there
        p = d.primary
        if key(d) not in targets and now[key(d)] <= before[key(d)]:
            continue  # another story's error the crate had, no more often: the line kept it, as it was
        if p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        ):
            return "fails", reason(d) + JOINT_FAILS
    if early and not (is_lint(e) and not early_errors_new(before, after)):
        return "type-checks", ""  # a lint's joint build may keep an error no fix touches, in another body
    if not any(now[k] < before[k] for k in targets):
        return "fails", (
            "the warning" if is_lint(e) else "the error"
        ) + " stays once the other errors are fixed"
    new = new_errors(before, after)
    for d in new:
        p = d.primary
        if p is not None and any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        ):
            return "fails", reason(d) + JOINT_FAILS
    if new or is_lint(e):
        alone = base()
        if alone is None:
            return "type-checks", ""
        theirs = counted(alone)
        for d in new:
            if now[key(d)] > theirs[key(d)]:
                return "fails", reason(d) + JOINT_FAILS
        if is_lint(e) and not any(theirs[k] for k in targets):
            return "fails", ARTEFACT
    return "compiles", ""

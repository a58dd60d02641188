"""Pure functions from reports and explanations to what the screens list: rows, hotspots, suggestions.

No Textual here, so these are tested on real cargo output without an app.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from rusta_tui.patchstatus import placeholders
from toolbelt.cargo_workspace import package_name
from toolbelt.diag_identity import distinct
from toolbelt.types import CheckReport, Diagnostic

if TYPE_CHECKING:
    from diary.types import Entry
    from engine.explain.types import Explanation

LEVEL_RANK = {"error": 0, "warning": 1}
LEVEL_TAG = {"error": "E", "warning": "W", "note": "N", "help": "H"}


class DiagRow(NamedTuple):
    file: str
    line: int
    column: int
    level: str
    code: str
    message: str
    diagnostic: Diagnostic


def level_tag(level: str) -> str:
    return LEVEL_TAG.get(level.split(":")[0], "?")


def rows(report: CheckReport | None) -> list[DiagRow]:
    """Top-level diagnostics with a span, by file, then severity, then line; duplicates dropped.

    cargo reports a diagnostic once per target with `--all-targets`, sometimes naming a type by two
    paths; the user wants it once (`toolbelt.diag_identity`).
    """
    if report is None:
        return []
    out: list[DiagRow] = []
    for d in distinct(report.diagnostics):
        span = d.primary
        if span is None or d.level in ("failure-note",):
            continue
        out.append(
            DiagRow(
                span.file_name, span.line_start, span.column_start, d.level, d.code_str or "", d.message, d
            )
        )
    out.sort(key=lambda r: (r.file, LEVEL_RANK.get(r.level, 2), r.line, r.column))
    return out


def hotspots(all_rows: list[DiagRow], top: int = 5) -> list[tuple[str, int, int]]:
    """(file, errors, warnings) for the files with most diagnostics."""
    errs = Counter(r.file for r in all_rows if r.level == "error")
    total = Counter(r.file for r in all_rows)
    return [(f, errs[f], n - errs[f]) for f, n in total.most_common(top)]


def by_member(all_rows: list[DiagRow]) -> list[tuple[str, int, int]]:
    """(workspace member, errors, warnings) per package that has diagnostics, by name; empty when
    they all come from one package, so a lone crate shows no member header."""
    errs: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for r in all_rows:
        name = package_name(r.diagnostic.package_id) or "?"
        total[name] += 1
        errs[name] += r.level == "error"
    if len(total) < 2:
        return []
    return [(m, errs[m], total[m] - errs[m]) for m in sorted(total)]


def explanation_for(row: DiagRow | None, explanations: tuple[Explanation, ...]) -> Explanation | None:
    """The explanation that covers this diagnostic: by membership first, then by primary location."""
    if row is None:
        return None
    for e in explanations:
        if row.diagnostic in e.diagnostics:
            return e
    for e in explanations:
        p = e.primary
        if p.file == row.file and p.line == row.line:
            return e
    return None


def story_number(expl: Explanation | None, explanations: tuple[Explanation, ...]) -> int | None:
    """The story's number, from 1, in the order `rusta explain` shows them: `--apply N` takes it."""
    if expl is None:
        return None
    for i, e in enumerate(explanations, 1):
        if e is expl:
            return i
    for i, e in enumerate(explanations, 1):
        if e == expl:
            return i
    return None


def in_story_order(all_rows: list[DiagRow], explanations: tuple[Explanation, ...]) -> list[DiagRow]:
    """The rows by story number, so `#N` counts down the table as `rusta explain` counts its stories;
    a story's rows stay together in reading order, and rows of no story follow, by file."""
    numbers = {id(e): n for n, e in enumerate(explanations)}
    last = len(explanations)

    def number(row: DiagRow) -> int:
        expl = explanation_for(row, explanations)
        return last if expl is None else numbers.get(id(expl), last)

    return sorted(all_rows, key=number)  # stable: `rows`' order within a story


def story_tag(expl: Explanation | None, explanations: tuple[Explanation, ...]) -> str:
    """`#N`, or empty when the diagnostic belongs to no story."""
    n = story_number(expl, explanations)
    return f"#{n}" if n is not None else ""


def suggestions(all_rows: list[DiagRow], explanations: tuple[Explanation, ...], top: int = 4) -> list[str]:
    """One line per story: the explanation's summary, else the compiler's first `help:` child."""
    out: list[str] = []
    for n, e in enumerate(explanations[:top], 1):
        fix = ""
        if e.patch is not None:
            fix = " (needs your input)" if placeholders(e) else " (fix ready)"
        out.append(f"#{n} {e.primary.file}:{e.primary.line} {e.summary}{fix}")
    if out:
        return out
    for r in all_rows:
        helps = [c.message for c in r.diagnostic.children if c.level == "help"]
        if helps:
            out.append(f"{r.file}:{r.line} help: {helps[0]}")
        if len(out) >= top:
            break
    return out


def patch_key(expl: Explanation) -> str:
    """A stable name for an explanation's patch: code, file and line."""
    return f"{expl.code or expl.level}:{expl.primary.file}:{expl.primary.line}"


def counts(all_rows: list[DiagRow]) -> tuple[int, int]:
    errors = sum(1 for r in all_rows if r.level == "error")
    return errors, len(all_rows) - errors


# --- DevLog ----------------------------------------------------------------------------------------

STAGES: tuple[str, ...] = ("Say", "Explain", "Do", "Undo", "Reflect")
_UNDO_WORDS = ("undo", "rollback", "redo", "revert")


def stage_of(entry: Entry) -> str:
    """Which step of Say -> Explain -> Do -> Undo -> Reflect a DevLog entry records.

    A writer may name it (`payload["stage"]`, or the core loop's `payload["step"]`); otherwise the entry kind decides, and an action
    whose op is an undo, redo or rollback belongs to Undo.
    """
    payload = entry.payload
    named = payload.get("stage", payload.get("step"))
    if isinstance(named, str) and named.capitalize() in STAGES:
        return named.capitalize()
    kind = entry.kind
    if kind == "intent":
        return "Say"
    if kind == "reflection":
        return "Reflect"
    if kind == "action":
        op = str(payload.get("op", payload.get("action", ""))).lower()
        return "Undo" if any(w in op for w in _UNDO_WORDS) else "Do"
    if kind == "validation":
        return "Do"
    return "Explain"


def timeline(entries: tuple[Entry, ...]) -> list[tuple[str, list[Entry]]]:
    """Entries grouped by task (most recently active first); entries without a task are left out."""
    tasks: dict[str, list[Entry]] = {}
    for e in entries:
        if e.task:
            tasks.setdefault(e.task, []).append(e)
    return sorted(tasks.items(), key=lambda kv: (kv[1][-1].ts, kv[1][0].ts), reverse=True)


def is_loop_task(items: list[Entry]) -> bool:
    """A task the core loop opened with Say (the user's intent) or a repair (`rusta fix`, the fix key),
    not one patch operation's own record."""
    first = items[0]
    payload = first.payload
    return first.kind == "intent" and (payload.get("step") == "say" or payload.get("goal") == "repair")


def filter_entries(entries: tuple[Entry, ...], kind: str, needle: str) -> list[Entry]:
    """The DevLog viewer's filter: one kind (or all) and a case-insensitive search in summary and payload."""
    needle = needle.lower().strip()
    out = []
    for e in entries:
        if kind != "all" and e.kind != kind:
            continue
        if needle and needle not in (e.summary + " " + repr(e.payload)).lower():
            continue
        out.append(e)
    return out

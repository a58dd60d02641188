"""Every goal Rusta is held to, as data, and the one table that says where each stands.

A target reads Rusta's figure and its anchor's (raw cargo, xz, a baseline method) from the JSON a
bench wrote in the same run, and compares them with the goal. A figure that is absent (the bench
has not run, a row is missing) is "not measured", never met. Pure: dicts in, rows out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Results = dict[str, dict]
Kind = Literal["at_most", "at_least", "over_anchor_at_most", "ratio_at_most", "at_least_anchor"]


@dataclass(frozen=True, kw_only=True)
class Target:
    """`kind` says how Rusta's figure meets `goal`: at most / at least an absolute value, at most
    `goal` over the anchor, at most `goal` times the anchor, or at least the anchor."""

    id: str
    words: str
    bench: str
    kind: Kind
    goal: float
    unit: str
    read: Callable[[dict], tuple[float | None, float | None]]  # (rusta, anchor)
    anchor: str = ""


def _row(result: dict, key: str, value: str) -> dict | None:
    return next((r for r in result.get("rows", []) if str(r.get(key, "")) == value), None)


def _num(row: dict | None, field: str) -> float | None:
    v = None if row is None else row.get(field)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _explain_cli(res: dict) -> tuple[float | None, float | None]:
    """The first story on screen (validation runs after it), against clippy alone."""
    return (
        _num(_row(res, "command", "rusta explain DEMO (pair)"), "first_story_s"),
        _num(_row(res, "command", "cargo clippy alone (same target dir)"), "median_s"),
    )


def _tui(res: dict) -> tuple[float | None, float | None]:
    return (
        _num(_row(res, "what", "app: save -> new report"), "median_s"),
        _num(_row(res, "what", "raw cargo clippy"), "median_s"),
    )


def _validate(case: str, anchor: str) -> Callable[[dict], tuple[float | None, float | None]]:
    def read(res: dict) -> tuple[float | None, float | None]:
        row = _row(res, "case", case)
        return _num(row, "seconds"), _num(row, anchor) if anchor else None

    return read


def _check_pair(
    row: dict, anchor: str = "warm cargo s", paired_field: str = "overhead s"
) -> tuple[float | None, float | None]:
    """(Rusta, cargo) for one crate. Where the bench paired each rusta run with the cargo run after
    it, Rusta's figure is cargo's median plus the median paired difference: on a loaded machine the
    difference of two medians taken apart mixes in the drift between runs."""
    cargo, paired = _num(row, anchor), _num(row, paired_field)
    if cargo is not None and paired is not None:
        return cargo + paired, cargo
    return _num(row, "warm rusta s"), cargo


def _check(res: dict) -> tuple[float | None, float | None]:
    """The crate with the largest overhead: the goal holds for every crate or it does not hold."""
    pairs = [_check_pair(r) for r in res.get("rows", [])]
    pairs = [(r, c) for r, c in pairs if r is not None and c is not None]
    if not pairs:
        return None, None
    return max(pairs, key=lambda p: p[0] - p[1])  # type: ignore[operator]


def _check_many(res: dict) -> tuple[float | None, float | None]:
    """The generated crate with hundreds of diagnostics: the goal holds at any number of them. The
    anchor is cargo writing the same JSON stream Rusta reads (cargo's JSON costs more than its short
    form at hundreds of diagnostics); an older result without it is read against the short form."""
    row = next((r for r in res.get("rows", []) if str(r.get("crate", "")).startswith("generated")), None)
    if row is None:
        return None, None
    if _num(row, "overhead over json s") is not None:
        return _check_pair(row, "warm cargo json s", "overhead over json s")
    return _check_pair(row)


def _workspace_check(res: dict) -> tuple[float | None, float | None]:
    """`rusta check` on the generated 2,000-file workspace, against raw clippy's JSON, paired."""
    rows = res.get("rows", [])
    return _check_pair(rows[0], "warm cargo json s") if rows else (None, None)


def _workspace_rss(res: dict) -> tuple[float | None, float | None]:
    """Rusta's own process at its peak on that workspace; the anchor is cargo's largest process."""
    rows = res.get("rows", [])
    row = rows[0] if rows else None
    return _num(row, "rusta python peak rss mb"), _num(row, "cargo tree peak rss mb")


def _field(method: str, field: str, anchor: str = "") -> Callable[[dict], tuple[float | None, float | None]]:
    """`field` of the `method` row, and of the `anchor` row when one is named."""

    def read(res: dict) -> tuple[float | None, float | None]:
        mine = _num(_row(res, "method", method), field)
        return mine, (_num(_row(res, "method", anchor), field) if anchor else None)

    return read


def _broken(res: dict) -> tuple[float | None, float | None]:
    return _num(_row(res, "method", "rusta"), "broken apply"), _num(
        _row(res, "method", "naive-first-suggestion"), "broken apply"
    )


def _honest(res: dict) -> tuple[float | None, float | None]:
    return (
        _num(_row(res, "figure", "snippets honest, validated (goal 1.0)"), "value"),
        _num(_row(res, "figure", "snippets honest, unvalidated"), "value"),
    )


def _bytelm(res: dict) -> tuple[float | None, float | None]:
    return (
        _num(_row(res, "row", "bytelm small: int8 net + counts (shipped)"), "byte-weighted bpb"),
        _num(_row(res, "row", "xz -9e per file"), "byte-weighted bpb"),
    )


def _explain_root(res: dict) -> tuple[float | None, float | None]:
    row = _row(res, "cases", "all")
    if row is None:
        return None, None

    def pct(text: object) -> float | None:
        try:
            k, n = str(text).split(" ")[0].split("/")
            return int(k) / int(n)
        except (ValueError, ZeroDivisionError):
            return None

    return pct(row.get("rusta_root_cause")), pct(row.get("rustc_primary"))


def _diary_lost(res: dict) -> tuple[float | None, float | None]:
    rows = [r for r in res.get("rows", []) if str(r.get("case", "")).startswith("kill -9")]
    return (float(sum(r.get("lost", 0) for r in rows)) if rows else None), None


def _diary_recover(res: dict) -> tuple[float | None, float | None]:
    scan = _num(_row(res, "case", "recover 100 MB, torn tail, no index cache"), "seconds")
    return _num(_row(res, "case", "recover 100 MB, torn tail"), "seconds"), scan


def _patch_kill(res: dict) -> tuple[float | None, float | None]:
    """Every kind of damage the apply/undo kill -9 run looks for, summed: half-applied trees, the other
    problems it found (HEAD or index changed, a temp file, an open intent, an op that failed unkilled),
    and a last undo that did not bring back the start."""
    row = _row(res, "operation", "all")
    half, other = _num(row, "half-applied trees"), _num(row, "other problems")
    if row is None or half is None or other is None:
        return None, None
    return half + other + (row.get("undo restores the start at the end") is not True), None


def _patch_kill_trials(res: dict) -> tuple[float | None, float | None]:
    return _num(_row(res, "operation", "all"), "trials"), None


TARGETS: tuple[Target, ...] = (
    Target(id="cold-explain", words="cold `rusta explain` to the first story (demo crate)", bench="explain_cli",
           kind="at_most", goal=2.0, unit="s", read=_explain_cli, anchor="cargo clippy"),
    Target(id="explain-overhead", words="`rusta explain`'s first story over raw clippy", bench="explain_cli",
           kind="over_anchor_at_most", goal=0.2, unit="s", read=_explain_cli, anchor="cargo clippy"),
    Target(id="probe-cycle", words="app: save to updated diagnostics", bench="tui",
           kind="at_most", goal=1.5, unit="s", read=_tui, anchor="cargo clippy"),
    Target(id="check-overhead", words="`rusta check --json` over raw clippy (worst crate)", bench="check",
           kind="over_anchor_at_most", goal=0.15, unit="s", read=_check, anchor="cargo clippy"),
    Target(id="check-overhead-many", words="`rusta check --json` over raw clippy's JSON, 1 error + 520 warnings",
           bench="check", kind="over_anchor_at_most", goal=0.15, unit="s", read=_check_many,
           anchor="cargo clippy json"),
    Target(id="workspace-check", words="`rusta check --json` over raw clippy's JSON, 2,000-file workspace",
           bench="workspace", kind="over_anchor_at_most", goal=0.15, unit="s", read=_workspace_check,
           anchor="cargo clippy json"),
    Target(id="workspace-rss", words="`rusta check`'s own peak memory, 2,000-file workspace", bench="workspace",
           kind="at_most", goal=100.0, unit="MB", read=_workspace_rss, anchor="cargo's largest process"),
    Target(id="small-validation", words="validation of a small crate, cold sandbox", bench="patching",
           kind="at_most", goal=12.0, unit="s", read=_validate("validate, small crate, cold sandbox", ""),
           anchor=""),
    Target(id="validation-ratio", words="validation, 1,000-file crate, warm", bench="patching",
           kind="ratio_at_most", goal=1.2, unit="s",
           read=_validate("validate, 1000-file crate, warm", "raw cargo"), anchor="cargo check && test"),
    Target(id="bytelm-bpb", words="byte LM on held-out files (byte-weighted)", bench="bytelm",
           kind="at_most", goal=0.75, unit="bpb", read=_bytelm, anchor="xz -9e"),
    Target(id="repair-dev", words="repair fix rate, dev crates", bench="repair",
           kind="at_least_anchor", goal=1.0, unit="", read=_field("rusta", "fix rate", "naive-first-suggestion"),
           anchor="naive suggestions"),
    Target(id="repair-heldout", words="repair fix rate, held-out crates", bench="repair_heldout",
           kind="at_least_anchor", goal=1.0, unit="", read=_field("rusta", "fix rate", "naive-first-suggestion"),
           anchor="naive suggestions"),
    Target(id="repair-families", words="repair fix rate, unseen mistake families", bench="repair_families",
           kind="at_least", goal=0.8, unit="", read=_field("rusta", "fix rate", "rusta-no-grammar"),
           anchor="without the grammar"),
    Target(id="repair-heldout-90", words="repair fix rate, held-out crates (issue #15: 90%)", bench="repair_heldout",
           kind="at_least", goal=0.9, unit="", read=_field("rusta", "fix rate")),
    Target(id="repair-exact-dev", words="exact restores among fixes, dev crates", bench="repair",
           kind="at_least", goal=0.75, unit="", read=_field("rusta", "exact among fixes")),
    Target(id="repair-exact-heldout", words="exact restores among fixes, held-out crates", bench="repair_heldout",
           kind="at_least", goal=0.75, unit="", read=_field("rusta", "exact among fixes")),
    Target(id="repair-exact-families", words="exact restores among fixes, unseen families",
           bench="repair_families", kind="at_least", goal=0.75, unit="",
           read=_field("rusta", "exact among fixes")),
    Target(id="repair-validations", words="validations per fixed case, held-out crates", bench="repair_heldout",
           kind="at_most", goal=3.0, unit="", read=_field("rusta", "validations/fixed")),
    Target(id="repair-heads-dev", words="validations per fixed case with the heads, dev crates", bench="repair",
           kind="ratio_at_most", goal=0.9, unit="", read=_field("rusta", "validations/fixed", "rusta-no-heads"),
           anchor="without the heads"),
    Target(id="repair-heads-heldout", words="validations per fixed case with the heads, held-out crates",
           bench="repair_heldout", kind="ratio_at_most", goal=0.9, unit="",
           read=_field("rusta", "validations/fixed", "rusta-no-heads"), anchor="without the heads"),
    Target(id="repair-median", words="median seconds per case, held-out crates", bench="repair_heldout",
           kind="at_most", goal=5.0, unit="s", read=_field("rusta", "median s/case")),
    Target(id="repair-broken", words="broken applies, dev crates", bench="repair",
           kind="at_most", goal=0.0, unit="", read=_broken, anchor="naive suggestions"),
    Target(id="explain-root", words="root cause on the right line", bench="explain",
           kind="at_least_anchor", goal=1.0, unit="", read=_explain_root, anchor="rustc's primary span"),
    Target(id="explain-honest", words="shown code snippets that are true (validated options)",
           bench="explain_honesty", kind="at_least", goal=1.0, unit="", read=_honest,
           anchor="before validation"),
    Target(id="devlog-lost", words="DevLog kill -9 trials: acknowledged records lost", bench="diary",
           kind="at_most", goal=0.0, unit="", read=_diary_lost),
    Target(id="devlog-recover", words="DevLog recovery, 100 MB", bench="diary",
           kind="at_most", goal=1.0, unit="s", read=_diary_recover, anchor="no index cache"),
    Target(id="patch-kill-damage", words="apply/undo kill -9 trials: half-applied trees, damage, refused ops",
           bench="patch_kill", kind="at_most", goal=0.0, unit="", read=_patch_kill),
    Target(id="patch-kill-trials", words="apply/undo kill -9 trials run (`make bench-long`)", bench="patch_kill",
           kind="at_least", goal=1000.0, unit="", read=_patch_kill_trials),
)  # fmt: skip


def load_results(folder: Path) -> Results:
    out: Results = {}
    for f in sorted(folder.glob("*.json")):
        try:
            out[f.stem] = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue
    return out


def verdict(t: Target, rusta: float | None, anchor: float | None) -> str:
    if rusta is None or (
        t.kind in ("over_anchor_at_most", "ratio_at_most", "at_least_anchor") and anchor is None
    ):
        return "not measured"
    met = {
        "at_most": lambda: rusta <= t.goal,
        "at_least": lambda: rusta >= t.goal,
        "over_anchor_at_most": lambda: rusta - anchor <= t.goal,  # type: ignore[operator]
        "ratio_at_most": lambda: anchor > 0 and rusta / anchor <= t.goal,  # type: ignore[operator]
        "at_least_anchor": lambda: rusta >= anchor,  # type: ignore[operator]
    }[t.kind]()
    return "met" if met else "missed"


def goal_words(t: Target) -> str:
    u = f" {t.unit}" if t.unit else ""
    return {
        "at_most": f"<= {t.goal:g}{u}",
        "at_least": f">= {t.goal:g}{u}",
        "over_anchor_at_most": f"<= {t.anchor} + {t.goal:g}{u}",
        "ratio_at_most": f"<= {t.goal:g}x {t.anchor}",
        "at_least_anchor": f">= {t.anchor}",
    }[t.kind]


def figures(results: Results) -> dict[str, float]:
    """Rusta's figure per target id, for the trend history."""
    out: dict[str, float] = {}
    for t in TARGETS:
        if t.bench in results:
            rusta, _ = t.read(results[t.bench])
            if rusta is not None:
                out[t.id] = rusta
    return out


def _figure(v: float | None) -> str:
    """Three significant digits; a whole count in full (1000 trials, not 1e+03)."""
    if v is None:
        return ""
    return str(int(v)) if v.is_integer() and abs(v) < 1e9 else f"{v:.3g}"


def table_rows(results: Results) -> list[dict[str, str]]:
    rows = []
    for t in TARGETS:
        res = results.get(t.bench)
        rusta, anchor = t.read(res) if res is not None else (None, None)
        ratio = f"{rusta / anchor:.2f}" if rusta is not None and anchor else ""
        rows.append(
            {
                "what": t.words,
                "goal": goal_words(t),
                "rusta": _figure(rusta),
                "anchor": ""
                if anchor is None
                else f"{anchor:.3g} ({t.anchor})"
                if t.anchor
                else f"{anchor:.3g}",
                "ratio": ratio,
                "verdict": verdict(t, rusta, anchor),
                "revision": str((res or {}).get("revision", ""))[:10],
            }
        )
    return rows

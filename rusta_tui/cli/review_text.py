"""`rusta review --base`'s text: grouped by file, the summary first and the verdict last."""

from __future__ import annotations

from engine.review.types import Review


def render_revision_review(r: Review) -> str:
    base = r.base.commit[:12] if r.base.commit else r.base.label
    head = r.head.commit[:12] if r.head.commit else r.head.label
    lines = [
        f"Review of {r.crate}: {base}..{head}, {len(r.files_changed)} file(s) changed, "
        f"{len(r.findings)} finding(s) of the change, {r.preexisting} already there at base "
        f"(not blamed), {len(r.fixed)} removed by it."
    ]
    by_file: dict[str, list] = {}
    for f in r.findings:
        by_file.setdefault(f.place.file or "(tests)", []).append(f)
    for file, items in sorted(by_file.items()):
        lines.append(f"{file}")
        for f in sorted(items, key=lambda f: f.place.line):
            lines.append(f"  {f.place.line:>5}  {f.level:<7} {f.rule:<26} {f.message}")
            if f.fix is not None:
                verdict = {
                    "green": "validated green",
                    "red": "red in the sandbox",
                    "not_run": "not validated",
                }
                lines.append(
                    f"         fix: {f.fix.description} ({f.fix.applicability}, {verdict[f.fix.verdict]})"
                )
    t = r.tests
    lines.append(
        f"Tests: {len(t.broken)} broken, {len(t.added)} added, {len(t.not_run)} not run at head"
        + (f", {len(t.still_failing)} failing on both sides" if t.still_failing else "")
        + (f" ({t.note})" if t.note else "")
        + "."
    )
    for name in t.broken:
        lines.append(f"  broken: {name}")
    for name in t.not_run:
        lines.append(f"  not run: {name}")
    lines.append(f"Model: {r.model}.")
    lines.append(f"Verdict: {r.verdict} ({r.reason}).")
    return "\n".join(lines)

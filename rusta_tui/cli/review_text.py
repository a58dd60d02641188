"""`rusta review --base`'s text: grouped by file, the summary first and the verdict last.

Styled with rich (colour only on a terminal; plain text, unwrapped, in a pipe or a CI log).
"""

from __future__ import annotations

from rich.text import Text

from engine.review.types import Review

_LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
_FIX_WORDS = {
    "green": ("validated green", "green"),
    "red": ("red in the sandbox", "red"),
    "not_run": ("not validated", "dim"),
}


def revision_review_text(r: Review) -> Text:
    base = r.base.commit[:12] if r.base.commit else r.base.label
    head = r.head.commit[:12] if r.head.commit else r.head.label
    out = Text()
    out.append(f"Review of {r.crate}: {base}..{head}", style="bold")
    out.append(
        f", {len(r.files_changed)} file(s) changed, {len(r.findings)} finding(s) of the change, "
        f"{r.preexisting} already there at base (not blamed), {len(r.fixed)} removed by it.\n"
    )
    by_file: dict[str, list] = {}
    for f in r.findings:
        by_file.setdefault(f.place.file or "(tests)", []).append(f)
    for file, items in sorted(by_file.items()):
        out.append(f"{file}\n", style="bold underline")
        for f in sorted(items, key=lambda f: f.place.line):
            out.append(f"  {f.place.line:>5}  ")
            out.append(f"{f.level:<7}", style=_LEVEL_STYLE.get(f.level, ""))
            out.append(f" {f.rule:<26} ", style="dim")
            out.append(f"{f.message}\n")
            if f.fix is not None:
                words, style = _FIX_WORDS[f.fix.verdict]
                if f.fix.verdict == "not_run" and f.fix.reason:
                    words = f"not proven: {f.fix.reason}"
                out.append(f"         fix: {f.fix.description} ({f.fix.applicability}, ")
                out.append(words, style=style)
                out.append(")\n")
                for p in f.fix.proofs:
                    if p.kind not in ("check", "tests"):  # the verdict says those; fuzz, bench, miri here
                        out.append(f"              proof {p.status}: {p.detail}\n", style="dim")
    t = r.tests
    out.append("Tests: ", style="bold")
    out.append(
        f"{len(t.broken)} broken, {len(t.added)} added, {len(t.not_run)} not run at head"
        + (f", {len(t.still_failing)} failing on both sides" if t.still_failing else "")
        + (f" ({t.note})" if t.note else "")
        + ".\n"
    )
    for name in t.broken:
        out.append("  broken: ", style="red")
        out.append(f"{name}\n")
    for name in t.not_run:
        out.append(f"  not run: {name}\n", style="dim")
    out.append(f"Model: {r.model}.\n", style="dim")
    out.append("Verdict: ", style="bold")
    out.append(r.verdict, style="bold green" if r.verdict == "pass" else "bold red")
    out.append(f" ({r.reason}).")
    return out


def render_revision_review(r: Review) -> str:
    """The same text without styles (for tests and files)."""
    return revision_review_text(r).plain

"""A Review as a PR comment: the summary first, then each finding with why it matters and a patch.

Written as a colleague would: what the change does to the build and the tests in two sentences, then
one section per finding. A patch is shown in a ```diff block and says whether the sandbox ran it. Pure.
"""

from __future__ import annotations

from engine.review.types import Finding, Review


def _where(f: Finding) -> str:
    return f"`{f.place.file}:{f.place.line}`" if f.place.file else "(no location)"


def _summary(r: Review) -> list[str]:
    errors = sum(1 for f in r.findings if f.level == "error")
    warnings = sum(1 for f in r.findings if f.level == "warning")
    notes = len(r.findings) - errors - warnings
    head = r.head.commit[:12] if r.head.commit else r.head.label
    base = r.base.commit[:12] if r.base.commit else r.base.label
    lines = [f"## Rusta's review of `{base}..{head}` ({r.crate})", ""]
    if not r.findings:
        lines.append(f"I found nothing to flag in the {len(r.files_changed)} changed file(s).")
    else:
        lines.append(
            f"This change brings {errors} error(s), {warnings} warning(s) and {notes} note(s) "
            f"across {len(r.files_changed)} changed file(s)."
        )
    t = r.tests
    bits = []
    if t.broken:
        bits.append(f"it breaks {len(t.broken)} test(s): " + ", ".join(f"`{n}`" for n in t.broken))
    if t.added:
        bits.append(f"adds {len(t.added)}: " + ", ".join(f"`{n}`" for n in t.added))
    if t.not_run:
        bits.append(f"{len(t.not_run)} did not run at head: " + ", ".join(f"`{n}`" for n in t.not_run))
    if bits:
        lines.append("Tests: " + "; ".join(bits) + ".")
    elif t.note:
        lines.append(f"Tests: {t.note}.")
    else:
        lines.append(f"Tests: {r.head.tests_run} ran at head, none broken.")
    if r.preexisting or r.fixed:
        lines.append(
            f"{r.preexisting} diagnostic(s) were already there at base and are not blamed on this change; "
            f"it removes {len(r.fixed)}."
        )
    lines += ["", f"**Verdict: {r.verdict}** ({r.reason}).", ""]
    return lines


def _finding(i: int, f: Finding) -> list[str]:
    out = [f"### {i}. {f.level}: {f.message}", "", f"{_where(f)} · rule `{f.rule}`", ""]
    if f.line_text:
        out += ["```rust", f.line_text, "```", ""]
    out += [f.explanation, ""]
    if f.fix is not None:
        status = {
            "green": "It compiles and the tests pass in the sandbox.",
            "red": f"The sandbox says red: {f.fix.reason}",
            "not_run": f"Not validated yet{': ' + f.fix.reason if f.fix.reason else ''}.",
        }[f.fix.verdict]
        out += [f"Suggested patch ({f.fix.source}, {f.fix.applicability}). {status}", "", "```diff"]
        out += [f.fix.diff.rstrip("\n"), "```", ""]
        if f.fix.proofs:
            out += [f"- proof {p.status}: {p.detail}" for p in f.fix.proofs] + [""]
    return out


def to_markdown(r: Review) -> str:
    lines = _summary(r)
    for i, f in enumerate(r.findings, 1):
        lines += _finding(i, f)
    lines.append(f"<sub>Rusta used {r.model}.</sub>")
    return "\n".join(lines) + "\n"

"""How `rusta check` shows a CheckReport: grouped by file, one header line per diagnostic, the source
line with the primary label under it, then the compiler's help and notes, each on one line.

Pure functions from a report to rich renderables; the CLI module does the IO. The JSON form lives in
`toolbelt.report_json`, so `rusta check --json` never imports rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.console import Group, RenderableType
from rich.text import Text

from toolbelt.diagnostics import primary_user_span
from toolbelt.types import CheckReport, Diagnostic, Span

_LEVEL_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold blue", "help": "bold green"}
_NO_FILE = "(crate-wide)"


def _style(level: str) -> str:
    return _LEVEL_STYLE.get(level.split(":")[0], "bold magenta")


def _file_of(d: Diagnostic) -> str:
    p = primary_user_span(d)
    return p.file_name if p else _NO_FILE


def _position(d: Diagnostic) -> tuple[int, int]:
    p = primary_user_span(d)
    return (p.line_start, p.column_start) if p else (0, 0)


def group_by_file(diags: Iterable[Diagnostic]) -> list[tuple[str, list[Diagnostic]]]:
    """Files with errors first, then by name; inside a file, by line. Crate-wide messages come last."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in diags:
        groups.setdefault(_file_of(d), []).append(d)
    for items in groups.values():
        items.sort(key=_position)

    def order(item: tuple[str, list[Diagnostic]]) -> tuple[int, int, str]:
        name, items = item
        has_error = any(d.level.startswith("error") for d in items)
        return (name == _NO_FILE, not has_error, name)

    return sorted(groups.items(), key=order)


def counts(diags: Iterable[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings-and-others)."""
    errors = warnings = 0
    for d in diags:
        if d.level.startswith("error"):
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _code_label(d: Diagnostic) -> str:
    code = d.code_str
    return f"{d.level}[{code}]" if code else d.level


def _source_lines(span: Span, style: str, gutter: int) -> Iterator[Text]:
    """The first line of the span with carets under the highlighted columns and the label after them."""
    if not span.text:
        return
    first = span.text[0]
    line = Text(f"{span.line_start:>{gutter}} │ ", style="blue")
    line.append(first.text.rstrip("\n"))
    yield line
    start = max(first.highlight_start - 1, 0)
    end = max(first.highlight_end - 1, start + 1)
    marks = Text(" " * gutter + " │ ", style="blue")
    marks.append(" " * start + "^" * (end - start), style=style)
    if span.label:
        marks.append(" " + span.label, style=style)
    yield marks


def _suggestion(child: Diagnostic) -> str | None:
    """The source line with a child's suggestion applied (every part on that line), or the inserted
    text itself when the suggestion spans lines (a new `#[derive]` line, say)."""
    parts = [s for s in child.spans if s.suggested_replacement is not None and s.text]
    if not parts:
        return None
    first = parts[0]
    if first.line_start != first.line_end or "\n" in (first.suggested_replacement or ""):
        return (first.suggested_replacement or "").strip() or None
    same_line = [s for s in parts if s.line_start == first.line_start == s.line_end]
    src = first.text[0].text
    for s in sorted(same_line, key=lambda s: s.column_start, reverse=True):
        a, b = s.column_start - 1, s.column_end - 1
        src = src[:a] + (s.suggested_replacement or "") + src[b:]
    return src.strip()


def render_diagnostic(d: Diagnostic, gutter: int = 4) -> RenderableType:
    style = _style(d.level)
    head = Text("  ")
    head.append(_code_label(d), style=style)
    p = primary_user_span(d)
    if p is not None:
        head.append(f" {p.line_start}:{p.column_start}", style="dim")
    head.append("  " + d.message, style="bold")
    if d.tool == "clippy":
        head.append("  (clippy)", style="dim")
    parts: list[RenderableType] = [head]
    if p is not None:
        parts.extend(Text("  ") + t for t in _source_lines(p, style, gutter))
    secondary = sorted(
        (s for s in d.spans if s is not p and s.label and s.file_name == (p.file_name if p else s.file_name)),
        key=lambda s: (s.line_start, s.column_start),
    )
    for s in secondary:  # where the value moved, where it was declared
        note = Text(f"  {'':>{gutter}} │ ", style="blue")
        note.append(f"{s.line_start}:{s.column_start} {s.label}", style="cyan")
        parts.append(note)
    for c in d.children:
        line = Text(f"  {'':>{gutter}}   ")
        routine = (
            c.message.startswith(("for further information visit", "`#["))
            and c.message.endswith(("on by default", "]"))
            or c.message.startswith("for further information visit")
        )
        line.append(c.level + ": ", style="dim" if routine else _style(c.level))
        line.append(c.message, style="dim" if routine else "")
        fixed = _suggestion(c)
        if fixed:
            line.append("  →  ", style="dim")
            line.append(fixed, style="green")
        parts.append(line)
    return Group(*parts)


def render_report(report: CheckReport) -> RenderableType:
    """The whole report, file by file, with a one-line summary at the end."""
    diags = report.diagnostics
    gutter = max([len(str(p.line_start)) for d in diags if (p := primary_user_span(d))] or [1])
    parts: list[RenderableType] = []
    for name, items in group_by_file(diags):
        e, w = counts(items)
        head = Text(name, style="bold cyan")
        bits = [_plural(e, "error")] if e else []
        bits += [_plural(w, "warning")] if w else []
        head.append("  " + ", ".join(bits), style="dim")
        parts.append(head)
        for d in items:
            parts.append(render_diagnostic(d, gutter))
        parts.append(Text(""))
    parts.append(summary_line(report))
    return Group(*parts)


def summary_line(report: CheckReport) -> Text:
    e, w = counts(report.diagnostics)
    tool = "clippy" if report.tool == "clippy" else "cargo check"
    seconds = report.process.duration_s if report.process else 0.0
    line = Text()
    if report.status == "clean":
        line.append("clean", style="bold green")
    else:
        line.append(_plural(e, "error"), style="bold red" if e else "green")
        line.append(", ")
        line.append(_plural(w, "warning"), style="bold yellow" if w else "green")
    tc = report.toolchain
    full = (tc.clippy if report.tool == "clippy" else tc.rustc) if tc else ""
    version = full.split()[1] if len(full.split()) > 1 else ""
    line.append(f"  ({tool}{' ' + version if version else ''}, {seconds:.1f} s)", style="dim")
    return line

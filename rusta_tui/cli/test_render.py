"""How `rusta test` shows a run: a line per suite and test as they stream, then each failure with
its message, the assertion's left/right as a character diff, its location and the user's frames.

Pure functions from toolbelt and testexplain Structs to rich renderables; `test.py` does the IO.
The Tests screen of the app reuses `assertion_diff` and `render_failure`.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.console import Group, RenderableType
from rich.text import Text

from engine.testexplain.types import TestStory
from toolbelt import types as tt

_STATUS = {"ok": ("ok    ", "green"), "failed": ("FAILED", "bold red"), "ignored": ("ignored", "yellow")}


def event_line(event: tt.TestEvent) -> Text | None:
    """One streamed line, or None for an event that shows nothing."""
    if isinstance(event, tt.SuiteStarted):
        n = event.planned
        if n == 0:
            return None  # a filter left nothing to run in this binary
        return Text(f"{event.suite} ({event.kind}, {n} test{'s' if n != 1 else ''})", style="bold cyan")
    if isinstance(event, tt.TestFinished):
        word, style = _STATUS[event.result.status]
        line = Text("  ")
        line.append(word, style=style)
        line.append(" " + event.result.name)
        return line
    if isinstance(event, tt.TestSlow):
        return Text(f"  {event.name} has been running for over 60 s", style="yellow")
    if isinstance(event, tt.SuiteFinished):
        s = event.suite
        if s.planned == 0:
            return None
        line = Text(f"  {_counts(s.passed, s.failed, s.ignored)}", style="dim")
        if s.duration_s is not None:
            line.append(f" in {s.duration_s:.2f} s", style="dim")
        return line
    return None


def _counts(passed: int, failed: int, ignored: int) -> str:
    bits = [f"{passed} passed", f"{failed} failed"]
    if ignored:
        bits.append(f"{ignored} ignored")
    return ", ".join(bits)


def assertion_diff(left: str, right: str) -> Group:
    """`left` and `right` one above the other, the characters where they differ highlighted."""
    lt = Text("  left:  ", style="bold")
    rt = Text("  right: ", style="bold")
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            lt.append(left[a0:a1])
            rt.append(right[b0:b1])
            continue
        lt.append(left[a0:a1], style="bold red reverse")
        rt.append(right[b0:b1], style="bold green reverse")
    return Group(lt, rt)


def render_failure(t: tt.TestResult, width: int = 100) -> RenderableType:
    head = Text("FAILED ", style="bold red")
    head.append(t.name, style="bold")
    f = t.failure
    if f is None:
        return Group(head, Text("  " + (t.output.strip().splitlines() or ["(no output)"])[-1]))
    if f.file:
        head.append(f"  {f.file}:{f.line}:{f.column}", style="cyan")
    elif t.doc is not None:  # rustdoc's panic line is its own numbering: the code block's fence is ours
        head.append(f"  {t.doc.file}:{t.doc.line}", style="cyan")
        head.append(f"  (doctest on `{t.doc.item}`)" if t.doc.item else "  (doctest in the module's docs)")
    head.append(f"  ({t.suite})", style="dim")
    parts: list[RenderableType] = [head]
    for ln in f.message.splitlines()[: 1 if f.left is not None else 12]:
        parts.append(Text("  " + ln))
    if f.left is not None and f.right is not None:
        parts.append(assertion_diff(f.left, f.right))
    if f.frames:
        parts.append(Text("  in your crate (innermost first):", style="dim"))
        for fr in f.frames[:8]:
            line = Text(f"    {fr.file}:{fr.line}:{fr.column}", style="cyan")
            line.append(f"  {fr.function}", style="dim")
            parts.append(line)
    return Group(*parts)


def render_story(story: TestStory, *, reveal: bool = True, skip_head: bool = False) -> RenderableType:
    """The explanation under a failure: states, instead, then (when revealed) where and what next."""
    parts: list[RenderableType] = []
    if not skip_head:
        parts.append(
            _labelled("States", f"{story.states}" + (f"  ({story.states_at})" if story.states_at else ""))
        )
        parts.append(_labelled("Instead", story.happened))
    if reveal:
        if story.where:
            parts.append(_labelled("Where", story.where))
        for i, sus in enumerate(story.suspects):
            line = _labelled("Look at", "") if i == 0 else Text(" " * 11)
            line.append(f"{sus.file}:{sus.line}  `{sus.text}`  (in {sus.function})")
            parts.append(line)
        for step in story.next_steps:
            parts.append(_labelled("Next", step))
    return Group(*parts)


def _labelled(label: str, text: str) -> Text:
    line = Text(f"  {label + ':':<9}", style="bold magenta")
    line.append(text or ("" if label == "Look at" else "(unknown)"))
    return line


def summary_lines(report: tt.TestReport, *, filtered: bool) -> list[Text]:
    passed = sum(1 for t in report.tests if t.status == "ok")
    failed = sum(1 for t in report.tests if t.status == "failed")
    ignored = sum(1 for t in report.tests if t.status == "ignored")
    lines: list[Text] = []
    if not report.tests:
        why = "no test matched" if filtered else "the crate has no tests"
        lines.append(Text(f"No tests ran: {why}.", style="yellow"))
    line = Text()
    line.append(
        _counts(passed, failed, ignored),
        style="bold red" if failed else ("bold green" if report.tests else ""),
    )
    timed = [s.duration_s for s in report.suites if s.duration_s is not None]
    n = len(report.suites)
    line.append(
        f"  ({n} suite{'s' if n != 1 else ''}, {sum(timed):.2f} s in tests by libtest's clock; "
        f"{report.process.duration_s if report.process else 0:.1f} s with the build)",
        style="dim",
    )
    lines.append(line)
    if failed:
        lines.append(
            Text("`rusta test --failed` re-runs the failures; --explain says where to look.", style="dim")
        )
    return lines

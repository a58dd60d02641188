"""`rusta test`: run a crate's tests, show each result as it arrives, then each failure with its panic
message, the assertion's left/right as a diff, its location and the frames in the user's crate.

`--failed` re-runs only the tests that failed last time (remembered under `.rusta/tests/`), FILTER
is libtest's name filter (a doctest's whole name, spaces and all, re-runs that doctest), `--explain` says for each failure what the test states, what happened
instead, where it went wrong and what to look at next. `--json` prints one object.

Exit codes: 0 every test passed, 1 tests failed, 2 the tests could not run (a build error, a timeout,
not a crate, nothing remembered for --failed).
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from engine.testexplain.errors import TestExplainError
from engine.testexplain.rerun import EventFilter, Rerun, merged, narrowed, plan
from engine.testexplain.summary import EXIT_NO_VERDICT, build_error_list, build_errors, exit_code, run_view
from toolbelt.cargo_run import TEST_TIMEOUT_S, run_test

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from engine.testexplain.types import TestStory
    from toolbelt.types import TestEvent, TestReport, TestResult

from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_arguments(parser)
    parser.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    parser.add_argument(
        "filter", nargs="?", help="run only the tests whose name contains this (libtest's filter)"
    )
    parser.add_argument("--failed", action="store_true", help="re-run only the tests that failed last time")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="explain each failure: what the test states, what happened, where it went wrong, what next",
    )
    parser.add_argument(
        "--mode",
        choices=("study", "pair"),
        default="pair",
        help="with --explain: study asks you to guess the wrong line before Rusta says (default pair)",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object with every suite, test and failure"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=TEST_TIMEOUT_S,
        metavar="SECONDS",
        help="stop the build and the tests after this many seconds; a hung test ends here (default: %(default)g)",
    )


def _plan(args: argparse.Namespace, root: Path) -> list[Rerun]:
    """The cargo runs for this command (`engine.testexplain.rerun`): one plain run, or with --failed
    one for the failed tests by exact name and one for the failed doctests; empty: nothing to re-run."""
    if not args.failed:
        return plan(args.filter)
    from engine.testexplain.lastrun import recall

    memory = recall(root)
    if memory is None:
        raise TestExplainError(
            "no earlier `rusta test` run is remembered for this crate; run `rusta test` first."
        )
    return plan(failed=memory.failed)


def run(args: argparse.Namespace) -> int:
    from toolbelt.cargo_workspace import project_root

    if args.timeout <= 0:
        print("rusta: --timeout must be a positive number of seconds.", file=sys.stderr)
        return EXIT_NO_VERDICT
    if args.failed and args.filter:
        print("rusta: give either FILTER or --failed, not both.", file=sys.stderr)
        return EXIT_NO_VERDICT
    selection_from_args(args)  # -p/--features/targets for every cargo run of this command
    root = project_root(args.path)
    runs = _plan(args, root)
    if not runs:
        print("No test failed last time; nothing to re-run.")
        return 0
    console = None if args.json else _console()
    if console is not None and args.failed:
        n = sum(len(r.keep) if r.doc else len(r.filters) for r in runs)
        console.print(f"Re-running {n} failed test{'s' if n != 1 else ''}.", style="dim")
    reports = []
    for r in runs:
        if console is None:
            one = run_test(
                root,
                timeout_s=args.timeout,
                test_filters=list(r.filters),
                exact=r.exact,
                doc=r.doc,
                backtrace=True,
            )
        else:
            one = _run_streaming(root, args.timeout, r, console)
        reports.append(narrowed(one, r))
        if one.status not in ("passed", "failed"):
            break  # a build error or a timeout would only repeat in the next run
    report = merged(reports)
    _remember(root, report)
    stories = _stories(report) if args.explain and report.status == "failed" else ()
    if args.json:
        import msgspec

        sys.stdout.buffer.write(msgspec.json.encode(run_view(report, stories)) + b"\n")
        sys.stdout.flush()
        return exit_code(report)
    assert console is not None
    _show(report, stories, args, console)
    return exit_code(report)


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _run_streaming(root: Path, timeout_s: float, run: Rerun, console: Console) -> TestReport:
    """Each suite and test printed as libtest reports it; the reader thread prints, one line at a time."""
    from rusta_tui.cli.test_render import event_line

    lock = threading.Lock()
    narrow = EventFilter(run)

    def on_event(raw: TestEvent) -> None:
        event = narrow(raw)
        line = event_line(event) if event is not None else None
        if line is not None:
            with lock:
                console.print(line)

    return run_test(
        root,
        timeout_s=timeout_s,
        test_filters=list(run.filters),
        exact=run.exact,
        doc=run.doc,
        backtrace=True,
        on_event=on_event,
    )


def _remember(root: Path, report: TestReport) -> None:
    if report.status not in ("passed", "failed"):
        return  # a run that did not finish says nothing about which tests fail
    from engine.testexplain.lastrun import recall, remember, updated

    try:
        remember(root, updated(recall(root), report))
    except TestExplainError as e:
        print(f"rusta: note: {e}", file=sys.stderr)


def _stories(report: TestReport) -> tuple[TestStory, ...]:
    from engine.testexplain.suspects import explain_run

    stories, problem = explain_run(report)
    if problem:
        print(f"rusta: note: {problem}", file=sys.stderr)
    return stories


def _show(
    report: TestReport, stories: tuple[TestStory, ...], args: argparse.Namespace, console: Console
) -> None:
    from rusta_tui.cli.test_render import render_failure, summary_lines

    if report.status == "build_failed":
        n = build_errors(report)
        for d in build_error_list(report)[:3]:
            p = d.primary
            where = f" {p.file_name}:{p.line_start}:{p.column_start}" if p else ""
            console.print(f"  {d.level}{'[' + d.code_str + ']' if d.code_str else ''}{where}  {d.message}")
        plural = "error" if n == 1 else "errors"
        print(
            f"rusta: the tests cannot run: the crate does not build ({n} compile {plural}); "
            f"`rusta explain {args.path}` explains {'it' if n == 1 else 'them'}.",
            file=sys.stderr,
        )
        return
    if report.status in ("timeout", "error"):
        extra = " Allow more with --timeout." if report.status == "timeout" else ""
        print(f"rusta: {report.message or 'cargo test did not finish.'}{extra}", file=sys.stderr)
        return
    by_test = {(s.suite, s.test): s for s in stories}
    failed: list[TestResult] = [t for t in report.tests if t.status == "failed"]
    if failed:
        console.print()
    for t in failed:
        console.print(render_failure(t, width=console.width))
        story = by_test.get((t.suite, t.name))
        if story is not None:
            _show_story(story, args.mode, console)
        console.print()
    for line in summary_lines(report, filtered=bool(args.filter or args.failed)):
        console.print(line)


def _show_story(story: TestStory, mode: str, console: Console) -> None:
    from rusta_tui.cli.test_render import render_story

    if mode == "study" and story.where:
        console.print(render_story(story, reveal=False))
        console.print(f"  {story.prompt}", style="bold")
        if sys.stdin.isatty():
            try:
                guess = input("  your guess: ").strip()
            except EOFError:
                guess = ""
            if guess:
                hit = story.where_at and guess.endswith(story.where_at)
                console.print(
                    "  Same place I would look." if hit else f"  I would look elsewhere: {story.where_at}."
                )
    console.print(render_story(story, reveal=True, skip_head=mode == "study" and bool(story.where)))

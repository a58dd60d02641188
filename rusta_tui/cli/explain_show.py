"""What `rusta explain` prints: each story's words at once, then its fixes as validation answers.

Validation runs in a thread (`Checks`) while the stories are on screen: cargo in a scratch copy
takes seconds, and the first answer must not wait for it. A fix that compiles is printed in full
with its ✓; one that fails is never printed, and when rustc suggested it, one line says why with
the compiler's new error. Ctrl-C stops the check (its cargo run is cancelled, not orphaned); what
was printed stands.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from engine.explain.types import Explanation, PatchOption

if TYPE_CHECKING:
    from engine.explain.validation import ValidationRun
    from modes.study import Shown

Failed = tuple[PatchOption, ...]

STOPPED = "Stopped checking the fixes: the stories above stand; the fixes not yet checked are not shown."


class Checks:
    """Validation of the shown stories in a background thread, answered story by story."""

    def __init__(self, stories: tuple[Explanation, ...], crate_root: Path) -> None:
        self.stories, self.crate_root = stories, crate_root
        self.cancel = threading.Event()
        self._cond = threading.Condition()
        self._done: dict[int, tuple[Explanation, Failed]] = {}
        self._failed: dict[int, Failed] = {}
        self.finished = False
        self.error: Exception | None = None
        self.run: ValidationRun | None = None  # once finished
        self._thread = threading.Thread(target=self._work, name="rusta-explain-checks", daemon=True)

    def start(self) -> Checks:
        self._thread.start()
        return self

    def _work(self) -> None:
        from engine.explain.validation import validate

        def failed(i: int, options: Failed) -> None:
            self._failed[i] = options

        def story(i: int, e: Explanation) -> None:
            with self._cond:
                self._done[i] = (e, self._failed.pop(i, ()))
                self._cond.notify_all()

        try:
            self.run = validate(
                self.stories, self.crate_root, cancel=self.cancel, on_story=story, on_failed=failed
            )
        except Exception as e:  # noqa: BLE001 - reported by the CLI as one line; the fixes stay unchecked
            self.error = e
        finally:
            with self._cond:
                self.finished = True
                self._cond.notify_all()

    def wait(self, i: int) -> tuple[Explanation, Failed] | None:
        """Story i with its verdicts, or None when the check ended without it (an error)."""
        with self._cond:
            while i not in self._done and not self.finished:
                self._cond.wait(0.2)  # a timeout, so Ctrl-C reaches the main thread promptly
            return self._done.get(i)

    def join(self) -> None:
        """Until the check has returned (the last story's answer comes a moment before its cost)."""
        with self._cond:
            while not self.finished:
                self._cond.wait(0.2)

    def stop(self) -> None:
        self.cancel.set()
        try:
            self._thread.join(timeout=15)
        except RuntimeError:  # Ctrl-C came while the thread was starting: with cancel set it starts no cargo
            pass

    def validated(self) -> tuple[Explanation, ...]:
        """Every story, with its verdicts where they came back."""
        return tuple(self._done.get(i, (e, ()))[0] for i, e in enumerate(self.stories))


def summary(checks: Checks) -> None:
    """What the check cost, on stderr: the answer is stdout's."""
    run = checks.run
    if checks.error is not None:
        err = checks.error
        words = str(err) if getattr(err, "user_facing", False) else f"{type(err).__name__}: {err}"
        print(f"rusta: the fixes were not checked: {words}", file=sys.stderr)
    elif run is not None:
        print(cost_words(run, sum(len(e.fixes) for e in checks.stories)), file=sys.stderr)


def cost_words(run, fixes: int) -> str:  # noqa: ANN001 - engine.explain.validation.ValidationRun
    """What a check cost, in one line for stderr. `fixes` is the count "Checking N fixes" announced;
    cargo runs are counted apart and say why they can be more (a fix's other spelling, its later
    steps, fixes checked together): two bare numbers side by side read as a contradiction. Only then:
    said on every run, the reason is noise where the numbers need none."""
    n, k = run.checked, run.cached
    why = " (a fix's other spelling, later steps and fixes checked together take checks of their own)"
    return (
        f"rusta: {fixes} fix{'' if fixes == 1 else 'es'} checked in {run.wall_s:.1f} s with {n} cargo"
        f" check{'' if n == 1 else 's'} and {k} answer{'' if k == 1 else 's'} from the cache"
        f"{why if n + k > fixes else ''}."
    )


class Out:
    """One place that writes: rich on a terminal, plain text to a pipe (no rich import there)."""

    def __init__(self) -> None:
        self.tty = sys.stdout.isatty()
        self.console = None
        if self.tty:
            from rich.console import Console

            self.console = Console(highlight=False)

    @property
    def width(self) -> int:
        return max(40, self.console.width - 2) if self.console is not None else 100

    def lines(self, lines: list, prefix: str = "", *, hang: bool = False) -> None:  # of rendering.Line
        """`prefix` before the first line; `hang` indents the others under it."""
        rest = " " * len(prefix) if hang else ""
        if self.console is None:
            for n, ln in enumerate(lines):
                sys.stdout.write((prefix if n == 0 else rest) + ln.text + "\n")
            sys.stdout.flush()
            return
        from rich.text import Text

        for n, ln in enumerate(lines):
            pad = prefix if n == 0 else rest
            # a line with a URL is left to overflow: folded, the link could not be clicked or copied
            url = "://" in ln.text
            self.console.print(
                Text(pad + ln.text, style=ln.style or "", overflow="ignore" if url else "fold"), soft_wrap=url
            )

    def text(self, s: str, style: str = "") -> None:
        if self.console is None:
            sys.stdout.write(s + "\n")
            sys.stdout.flush()
        else:
            self.console.print(s, style=style or None, markup=False, highlight=False)


def _study_interactive(e: Explanation, out: Out, recall: str, pending: bool, shown: Shown) -> None:
    from modes.rendering import lines_for, study_question

    out.lines(study_question(e, recall))
    try:
        input("(press Enter to reveal) ")
    except EOFError:
        pass
    answer = lines_for(e, "study", width=out.width, recall=recall, pending=pending, shown=shown)
    out.lines(answer[len(study_question(e, recall)) + 1 :])  # the answer part, below the rule


def lints_among_errors(chosen: tuple[Explanation, ...]) -> dict[int, str]:
    """The warning stories of a crate that has errors, each as its one line: a lint numbered among
    the errors with its own fixes is noise while the crate does not build (`--code <lint>` shows it)."""
    if not any(d.level.startswith("error") for e in chosen for d in e.diagnostics):
        return {}
    return {
        i: f"{e.level}[{e.code}] {e.primary.file}:{e.primary.line}: {e.message} (left until the errors are fixed)"
        for i, e in enumerate(chosen)
        if not any(d.level.startswith("error") for d in e.diagnostics)
    }


def show(
    chosen: tuple[Explanation, ...],
    explanations: tuple[Explanation, ...],
    crate_root: Path,
    args: argparse.Namespace,
    recalls: list[str],
    checking: bool,
) -> tuple[Explanation, ...]:
    """Pair or study mode on the terminal or a pipe; returns the stories as validated (for the DevLog).

    `checking`: validate the stories that show code, printing their fixes as the verdicts come."""
    from modes.rendering import lines_for
    from modes.study import Shown

    out = Out()
    shown = Shown()  # study: a section an earlier story said word for word is pointed at
    if not chosen:
        what = "nothing to explain" if not explanations else "no diagnostic matches that filter"
        out.text(f"{crate_root.name}: {what}.")
        return chosen
    mode = args.mode
    with_rustc = mode == "pair" and not args.no_rustc  # pair adds to rustc's text, never replaces it
    pending = checking and any(e.fixes for e in chosen)
    interactive = mode == "study" and out.tty and sys.stdin.isatty()
    checks = Checks(chosen, crate_root) if pending else None
    if checks is not None and interactive:
        checks.start()  # the user reads the question while cargo works
    quiet = lints_among_errors(chosen)
    try:
        for i, e in enumerate(chosen):
            if i:
                out.text("")
            shown.n = i + 1
            if i in quiet:  # numbered as --apply N counts it, one line while the crate does not build
                out.text(f"#{i + 1} {quiet[i]}", "dim")
                continue
            if interactive:
                out.text(f"#{i + 1}", "bold")  # the N of --apply N
                _study_interactive(e, out, recalls[i], pending, shown)
                if checks is not None and e.fixes:
                    _print_verdict(out, checks, i, mode, "")
                continue
            # the memory's word on this code goes under the story's own heading, not between stories
            lines = lines_for(
                e,
                mode,
                width=out.width,
                recall=recalls[i],
                with_rustc=with_rustc,
                pending=pending,
                shown=shown,
            )
            if mode == "pair" and args.no_rustc:
                from modes.reasons import rusta_only

                lines = rusta_only(e, lines, pending=pending)
            out.lines(lines, prefix=f"#{i + 1} ")  # numbered as --apply N and --reject N count them
            from engine.loop.preferred import recall

            if recall(crate_root, e) is not None:  # what --apply N lands is said where the story is
                out.text(
                    f"#{i + 1} Your alternative, which Rusta conceded to (--reject {i + 1}), is what "
                    f"`rusta explain --apply {i + 1}` lands; `--fix M` lands her fix M instead."
                )
        if checks is not None and not interactive:
            n = sum(len(e.fixes) for e in chosen)
            out.text("")
            out.text(
                f"Checking {n} fix{'es' if n > 1 else ''} in a scratch copy (--no-validate skips this):",
                "dim",
            )
            checks.start()
            printed: dict[str, int] = {}  # one edit that fixes two stories is printed once
            for i, e in enumerate(chosen):
                if e.fixes and i not in quiet:
                    _print_verdict(out, checks, i, mode, f"#{i + 1} ", printed)
            _print_goes_with(out, checks)
            _print_count(out, checks, n, mode, quiet)
        if checks is not None:
            checks.join()
    except KeyboardInterrupt:
        if checks is None:
            raise
        checks.stop()
        out.text("")
        out.text(STOPPED, "yellow")
        raise
    if checks is None:
        return chosen
    _print_set(out, checks)
    summary(checks)
    return checks.validated()


def _print_count(out: Out, checks: Checks, n: int, mode: str, quiet: dict[int, str]) -> None:
    """Where the difference went when the fixes shown are not the N the header announced."""
    from modes.fixcount import count_line

    idx = [i for i, e in enumerate(checks.stories) if e.fixes and i not in quiet]
    got = [checks.wait(i) for i in idx]
    if any(g is None for g in got):
        return  # the check ended early: the fixes are "not checked yet", counted as announced
    left = sum(len(e.fixes) for i, e in enumerate(checks.stories) if i in quiet)
    line = count_line([checks.stories[i] for i in idx], [g for g in got if g is not None], mode, left)
    if line is not None:
        out.text(line.text, line.style)


def _print_set(out: Out, checks: Checks) -> None:
    from modes.verdicts import set_line

    run = checks.run
    leads = [e.fixes[0] for e in checks.validated() if e.fixes and e.fixes[0].validated == "compiles"]
    # a todo!() the tests run: compiling is not green
    holes = any(f.panics_until_filled and not f.ticked for f in leads)
    line = set_line(run.set_size, run.set_verdict, holes, run.set_stories) if run is not None else None
    if line is not None:
        out.text("")
        out.text(line.text, line.style)


def _print_goes_with(out: Out, checks: Checks) -> None:
    """Each story another story's ✓ fix clears through a signature it calls, its root cause moved
    there (`engine.explain.cleared_by`): known only once every story was answered."""
    from modes.verdicts import goes_with_line

    checks.join()
    if checks.run is None:
        return
    for i, e in enumerate(checks.run.explanations):
        if (line := goes_with_line(e)) is not None:
            out.text(f"#{i + 1} {line.text}", line.style)


def _print_verdict(
    out: Out, checks: Checks, i: int, mode: str, prefix: str, printed: dict[str, int] | None = None
) -> None:
    from modes.verdicts import verdict_lines

    got = checks.wait(i)
    failed: Failed
    if got is None:  # the check ended early: the fixes as they were, "not checked yet"
        e, failed = checks.stories[i], ()
    else:
        e, failed = got
    out.lines(verdict_lines(e, failed, mode, printed, i + 1), prefix=prefix, hang=True)

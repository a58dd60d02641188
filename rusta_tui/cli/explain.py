"""`rusta explain`: run cargo clippy (rustc's checks included) on a crate and explain what it says.

Fast path: no JAX, no Textual, no probes, no `--explain` text unless study mode or `--probe` asks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from engine.explain.errors import ExplainError
from engine.explain.types import Explanation
from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args

if TYPE_CHECKING:
    from engine.patching.types import BenchPolicy


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_arguments(parser)
    parser.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    parser.add_argument(
        "--code", help="only stories that include this code: E0382 or clippy::needless_range_loop"
    )
    parser.add_argument(
        "--at", metavar="FILE:LINE", help="only stories with a diagnostic or root cause at this line"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per explanation, one per line, written once every option is checked: each "
        "option's patch and validated state, and under 'failed' the ones that do not compile with the "
        "compiler's reason (with --no-validate at once, every option 'not-checked'); with "
        "--apply/--reject, a last object with the outcome",
    )
    parser.add_argument(
        "--mode", choices=("study", "pair", "silent"), default="pair", help="how much to say (default pair)"
    )
    parser.add_argument(
        "--probe", action="store_true", help="ask the compiler for facts the diagnostic leaves out (slower)"
    )
    parser.add_argument(
        "--no-rustc",
        action="store_true",
        help="pair mode: only Rusta's lines, without rustc's own text under each heading",
    )
    checking = parser.add_mutually_exclusive_group()
    checking.add_argument(
        "--validate",
        action="store_true",
        help="check every option that shows code in a scratch copy (the default, except in silent mode)",
    )
    checking.add_argument(
        "--no-validate",
        action="store_true",
        help="the fast path: show the stories and their fixes unchecked, marked 'not checked yet'. "
        "Without it, pair and study print each story at once, then check its fixes in a scratch "
        "copy (cached) and show only those that compile, marked ✓ when the crate's tests pass with "
        "them ('tests not run' otherwise; in a crate without tests ✓ means it compiles, said as "
        "'compiles; the crate has no tests'), with a line on why rustc's own suggestion fails when it "
        "does",
    )
    parser.add_argument(
        "--no-clippy", action="store_true", help="run cargo check only, without clippy's lints"
    )
    parser.add_argument("--no-log", action="store_true", help="do not record this run in the crate's DevLog")
    act = parser.add_argument_group("acting on a story (N counts the stories shown, from 1)")
    act.add_argument(
        "--apply",
        type=int,
        metavar="N",
        help="Do: validate story N's fix, the one pair mode shows, in a sandbox (check, tests, fuzzing: a fix "
        "for a warning must keep behaviour; a fn marked hot is timed) and apply it, only if green; "
        "a fix whose check passed only beside another story's fix lands with that fix as one patch; "
        "the diff written is printed. Refused, Rusta names the next fix of the story that is green",
    )
    act.add_argument(
        "--fix",
        type=int,
        metavar="M",
        help="with --apply N: apply story N's fix M instead of its first, counting the fixes from 1 as "
        "--mode study and --json (`options`) list them",
    )
    act.add_argument(
        "--reject", type=int, metavar="N", help="reject story N's suggestion; Rusta answers with evidence"
    )
    act.add_argument("--reason", default="", help="why you reject it (with --reject)")
    act.add_argument(
        "--alternative",
        metavar="DIFF",
        help="your alternative as a unified diff file (with --reject); validated",
    )


def _code_matches(e: Explanation, code: str) -> bool:
    want = {code, f"clippy::{code}", code.removeprefix("clippy::")}
    return any((d.code_str or "") in want for d in e.diagnostics) or (e.code or "") in want


def _parse_at(at: str) -> tuple[str, int]:
    file, sep, line = at.rpartition(":")
    if not sep or not line.isdigit():
        raise ExplainError(f"--at wants FILE:LINE (like src/lib.rs:12), not {at!r}.")
    return file, int(line)


def _at_matches(e: Explanation, crate_root: Path, file: str, line: int) -> bool:
    target = (Path.cwd() / file).resolve()

    def same(name: str) -> bool:
        return name == file or (crate_root / name).resolve() == target or name.endswith("/" + file)

    places = [(e.primary.file, e.primary.line), (e.root_cause.file, e.root_cause.line)]
    for d in e.diagnostics:
        for s in d.spans:
            places.append((s.file_name, s.line_start))
            if s.line_end != s.line_start:
                places.extend((s.file_name, n) for n in range(s.line_start, s.line_end + 1))
    return any(same(f) and n == line for f, n in places)


def select(
    explanations: tuple[Explanation, ...], crate_root: Path, code: str | None, at: str | None
) -> tuple[Explanation, ...]:
    out = explanations
    if code:
        out = tuple(e for e in out if _code_matches(e, code))
    if at:
        file, line = _parse_at(at)
        out = tuple(e for e in out if _at_matches(e, crate_root, file, line))
    return out


def run(args: argparse.Namespace) -> int:
    from engine.explain.api import explain_report
    from toolbelt.cargo_run import run_check

    if args.at:
        _parse_at(args.at)
    if args.alternative:  # bad input is refused before cargo runs
        _read_alternative(args.alternative)
    if args.fix is not None and args.apply is None:
        raise ExplainError("--fix M picks one of story N's fixes for --apply N; give --apply N too.")
    selection_from_args(args)  # -p/--features/targets for every cargo run of this command
    from toolbelt.cargo_workspace import project_root

    where = project_root(args.path)  # a member's diagnostics name files from its workspace root
    study = args.mode == "study" and not args.json
    _prepare(where, args, study)  # while cargo runs (started early by main), not after it
    from engine.explain.linting import use_clippy

    use_clippy(not args.no_clippy)  # the fixes are linted only when the user's check is clippy's
    report = run_check(where, tool="check" if args.no_clippy else "clippy")
    if report.status == "failed" and not args.no_clippy and "clippy" in report.message:
        report = run_check(where, tool="check")
    if report.status in ("failed", "timeout", "error"):
        raise ExplainError(report.message or f"cargo {report.tool} did not finish ({report.status}).")
    explanations = explain_report(report, probe=bool(args.probe or study), with_explain_text=study)
    crate_root = Path(report.crate_root)
    chosen = select(explanations, crate_root, args.code, args.at)
    offered = tuple(len(e.fixes) for e in chosen)  # code fixes per story before the check
    stopped = False
    checked = not args.no_validate  # the fixes went through the scratch copy before any --apply
    if args.json or args.mode == "silent":  # no words to show first: checked, then written
        checking = checked = args.validate or (args.json and not args.no_validate)
        failed: tuple[tuple, ...] = ()
        if checking:
            chosen, failed = _validated(chosen, crate_root)
        if args.json:
            _json_stories(chosen, failed)
    else:
        from rusta_tui.cli.explain_show import show

        recalls = _recalls(chosen, crate_root) if study else [""] * len(chosen)
        try:
            chosen = show(chosen, explanations, crate_root, args, recalls, checking=not args.no_validate)
        except KeyboardInterrupt:  # the stories on screen stand; the record says they were shown
            stopped = True
    if stopped:
        if not args.no_log:
            _log(crate_root, chosen, args)
        return 130
    if args.apply is not None or args.reject is not None:
        from rusta_tui.cli.explain_apply import act  # the --apply path, read only when asked

        return act(crate_root, chosen, args, checked, offered)
    silent = args.mode == "silent" and not args.json
    stories = f"{len(chosen)} {'story' if len(chosen) == 1 else 'stories'}"
    if args.no_log:
        if silent:
            print(f"{stories}; not logged (--no-log).")
        return 0
    if _log(crate_root, chosen, args) and silent:  # silent mode writes only to the DevLog; one line says so
        print(f"logged {stories} to the DevLog")
    return 0


def _prepare(crate_root: Path, args: argparse.Namespace, study: bool) -> None:
    """What the first story needs that cargo's output does not decide: the renderer's modules and the
    user's memory of this repo (folded from its DevLog; the fixes are written in its style, study
    mode recalls its mistakes). Done before the check is waited on, it overlaps cargo instead of
    following it; the answer is the same either way."""
    if args.json:
        import engine.explain.jsonview  # noqa: F401
    elif args.mode != "silent":
        import modes.rendering  # noqa: F401
        import rusta_tui.cli.explain_show  # noqa: F401
    if study:
        import modes.study  # noqa: F401
    from engine.memory.priors import current

    current(crate_root)  # cached until the DevLog changes; the fixes and _recalls read it


def _log(crate_root: Path, chosen: tuple[Explanation, ...], args: argparse.Namespace) -> bool:
    """The DevLog record, after the answer is on screen (it costs a few fsyncs); False if not written."""
    from diary.errors import DiaryError
    from engine.loop import log_explain_run

    try:
        log_explain_run(crate_root, chosen, mode="json" if args.json else args.mode)
    except DiaryError as e:  # the answer was given; a read-only crate only loses the record
        print(f"rusta: explained, but not recorded in the DevLog: {e}", file=sys.stderr)
        return False
    return True


def _hot_bench(root: Path) -> BenchPolicy:
    """The policy a fix that changes a fn marked hot is timed under (Settings' "Slowdown %"), as
    `rusta fix` and `rusta apply` time it; a fix that changes none says so in its proofs."""
    from engine.patching.types import BenchPolicy
    from rusta_tui import settings

    return BenchPolicy(max_slowdown=settings.load(root).bench_max_slowdown_pct / 100)


def _humble_word(crate_root: Path) -> str:
    """When the user has often been right in this repo (the memory's voice), Rusta holds less firmly
    and asks for their version; otherwise she says nothing more."""
    from engine.memory.priors import current
    from engine.memory.words import stubbornness

    m = current(crate_root)
    if m is None or stubbornness(m.voice) >= 0.5:
        return ""
    v = m.voice
    return (
        f"You were right {v.conceded} of {v.argued} times in this repo, so I may be wrong: "
        "give me your version with --alternative FILE and I will validate it."
    )


def _recalls(chosen: tuple[Explanation, ...], crate_root: Path) -> list[str]:
    """Study mode's word on codes this user met before in this repo (the memory, synced first)."""
    from engine.loop.machine import mark_of
    from engine.memory.priors import current
    from engine.memory.words import study_line

    m = current(crate_root)
    if m is None:
        return [""] * len(chosen)
    return [
        study_line(m, e.code or "", f"{e.primary.file}:{e.primary.line}", e.message, mark=mark_of(e))
        for e in chosen
    ]


def _validated(chosen: tuple[Explanation, ...], crate_root: Path) -> tuple[tuple[Explanation, ...], tuple]:
    """The stories with each code-showing option checked, and each story's failed options; what it
    cost goes to stderr, not the answer."""
    from engine.explain.validation import validate

    run = validate(chosen, crate_root)
    from rusta_tui.cli.explain_show import cost_words

    print(cost_words(run, sum(len(e.fixes) for e in chosen)), file=sys.stderr)
    return run.explanations, run.failed


def _json_stories(chosen: tuple[Explanation, ...], failed: tuple) -> None:
    """One object per story; `failed` lists the options that did not compile, with the reason.

    `story` is the `#N` pair and study print and `--apply N` takes; each option's `fix` is the M of
    `--apply N --fix M` (null for advice, which has no code to apply), so a script never counts."""
    import msgspec

    from engine.explain.jsonview import to_dict

    for i, e in enumerate(chosen):
        d = {"story": i + 1, **to_dict(e)}
        for m, option in enumerate(d["options"], 1):
            option["fix"] = m if m <= len(e.fixes) and e.fixes[m - 1].patch.strip() else None
        d["failed"] = [
            {"name": o.name, "patch": o.patch, "source": o.source, "fails_because": o.fails_because}
            for o in (failed[i] if i < len(failed) else ())
        ]
        sys.stdout.write(msgspec.json.encode(d).decode("utf-8") + "\n")
    sys.stdout.flush()


def _read_alternative(path: str) -> str:
    """The user's alternative diff; a missing or unreadable file is one sentence, not a traceback."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ExplainError(
            f"{path} is not valid UTF-8 (byte {e.start}); --alternative wants a unified diff."
        ) from e
    except OSError as e:
        raise ExplainError(f"cannot read {path}: {e.strerror or e}.") from e

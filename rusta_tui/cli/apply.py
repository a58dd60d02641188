"""`rusta apply PATCH_FILE`: validate a diff from elsewhere in the sandbox, then apply it only if green."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import msgspec

from engine.patching.errors import Declined, NoExplanation, NotGreen, PatchError
from rusta_tui.cli.proofargs import add_bench_arguments, bench_note, bench_policy, hot_policy, not_asked
from toolbelt.toolchain import follow_pin

EXIT_RED = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "patch_file", help="a unified diff (git diff or diff -u), or - for stdin (needs --yes)"
    )
    add_crate_arguments(parser)  # `rusta apply PATCH_FILE [PATH]`: the crate positional, as everywhere
    parser.add_argument(
        "--explain",
        default=None,
        metavar="TEXT",
        help="why this change is right; default: the text before the diff in the file",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="apply without asking once it is green")
    parser.add_argument(
        "--fuzz",
        nargs="?",
        const="refactor",
        choices=("refactor", "fix"),
        default=None,
        help="differential fuzzing of changed fns (Rusta's own generator, not libFuzzer): a behaviour "
        "change is red for a refactor (the default), evidence for a fix",
    )
    add_bench_arguments(parser)
    parser.add_argument("--no-format", action="store_true", help="do not rustfmt the items the patch changes")
    parser.add_argument("--json", action="store_true", help="print the validation as one JSON object")


def add_crate_arguments(parser: argparse.ArgumentParser) -> None:
    """The crate as `rusta check PATH` and `rusta fix PATH` take it, positional, with --path kept as well."""
    parser.add_argument(
        "crate", nargs="?", default=None, metavar="PATH", help="the crate, or a folder inside it (default: .)"
    )
    parser.add_argument("--path", default=None, help="the same as PATH")


def crate_arg(args: argparse.Namespace) -> str:
    if args.crate is not None and args.path is not None and args.crate != args.path:
        raise PatchError(f"two crates given ({args.crate} and --path {args.path}); give one.")
    return args.crate or args.path or "."


def explanation_from(text: str) -> str:
    """The free text before the first file header (a commit message in `git format-patch` output)."""
    out = []
    for line in text.splitlines():
        if line.startswith(("diff --git ", "--- ", "Index: ")):
            break
        if line.startswith(("From ", "From: ", "Date: ")) or line.strip() == "---":
            continue
        if line.startswith("Subject: "):
            line = line.removeprefix("Subject: ")
            if line.startswith("[PATCH"):
                line = line.split("]", 1)[-1].strip()
        out.append(line)
    return "\n".join(out).strip()


def confirm(question: str, yes: bool) -> None:
    """Ask on the terminal; without one, only --yes may say yes."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise Declined("stdin is not a terminal, so Rusta cannot ask; rerun with --yes to go ahead.")
    try:
        answer = input(f"{question} [y/N] ").strip().lower()
    except EOFError:
        answer = ""
    if answer not in ("y", "yes"):
        raise Declined("not applied: you said no.")


def print_recovered(root: Path) -> None:
    from engine.patching import api

    for line in api.recover(root):
        print(f"rusta: recovered: {line}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from engine.patching import api
    from engine.patching.render import validation_lines
    from engine.patching.types import Patch, Proof

    root = api.crate_root(crate_arg(args))
    follow_pin(root)  # the sandbox copy builds with the crate's pinned toolchain
    print_recovered(root)
    if args.patch_file == "-":
        if not args.yes:
            raise Declined("a patch read from stdin cannot be confirmed interactively; add --yes.")
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.patch_file).read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as e:
            raise PatchError(f"cannot read {args.patch_file}: {e.strerror}.") from e
    why = args.explain if args.explain is not None else explanation_from(text)
    if not why.strip():
        raise NoExplanation(
            "refusing a change without an explanation: pass --explain TEXT, or put the "
            "reason above the diff in the file."
        )
    patch = Patch.new(text, why, source="file")
    print(
        f"Validating {patch.id} in a sandbox copy of {root.name}: cargo check, then cargo test (offline).",
        file=sys.stderr,
    )
    fmt = None
    if not args.no_format:
        from engine.proofs.formatting import format_patch

        patch, fmt = format_patch(root, patch)
    if args.fuzz:
        print(
            f"Then differential fuzzing of the changed fns ({args.fuzz}): Rusta's own seeded generator; "
            "nightly libFuzzer is not used.",
            file=sys.stderr,
        )
    bench = bench_policy(args, root)
    if bench is None:
        bench, why = hot_policy(args, root, patch)
        if why:
            print(why, file=sys.stderr)
    if bench is not None:
        print(bench_note(bench), file=sys.stderr)
    validation = api.validate(root, patch, fuzz=args.fuzz, bench=bench)
    extra: tuple[Proof, ...] = () if fmt is None else (fmt,)
    if args.fuzz is None:
        extra += (
            Proof(kind="fuzz", status="skipped", detail="fuzz: not run: not asked for (--fuzz runs it)."),
        )
    if bench is None:
        extra += not_asked(root, patch)
    validation = msgspec.structs.replace(validation, proofs=validation.proofs + extra)
    if args.json:
        out = {"patch_id": patch.id, "diff": patch.diff, "validation": msgspec.to_builtins(validation)}
        print(json.dumps(out))
    else:
        for line in validation_lines(validation):
            print(line)
    if not validation.green:
        raise NotGreen(f"not applied: {validation.reason}")
    files = [f.path for f in validation.base]
    confirm(f"Apply {patch.id} to {', '.join(files)}?", args.yes)
    rec = api.apply(root, patch, validation)
    print(
        f"Applied {patch.id} as op {rec.op_id}: {', '.join(rec.files)}. `rusta undo` takes it back.",
        file=sys.stderr if args.json else sys.stdout,
    )
    return 0

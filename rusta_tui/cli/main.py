"""Entry point of `rusta`: dispatch to one subcommand module, turn errors into one clear line.

Each subcommand lives in `rusta_tui/cli/<module>.py` with `add_arguments(parser)` and `run(args) -> int`.
Only the chosen module is imported, so `rusta check` never pays for JAX or Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from rusta_tui.cli.examples import examples
from rusta_tui.cli.exitcodes import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, epilog

# name -> (module under rusta_tui.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "Run cargo check + clippy on a crate and show the diagnostics"),
    "test": ("test", "Run the crate's tests; show each failure's assertion diff, location and frames"),
    "doctor": ("doctor", "Check the toolchain, isolation, cache and model; say how to fix what is missing"),
    "demo": ("demo", "Manage the bundled demo crate (reset it to its broken state)"),
    "probe": ("probe", "Ask the compiler for the type of an expression (type-of probe)"),
    "explain": ("explain", "Explain the crate's diagnostics: root cause, invariant, options, references"),
    "fix": ("fix", "Propose a validated fix and apply it through the reversible-patch path"),
    "apply": ("apply", "Validate a patch file in a sandbox and apply it only if it is green"),
    "undo": ("undo", "Undo the last patch Rusta applied"),
    "redo": ("redo", "Redo the last undone patch"),
    "history": ("history", "Show the operation log of applied, undone and redone patches"),
    "gc": ("gc", "Free Rusta's cache and snapshot store down to their caps (--dry-run says what)"),
    "learn": ("learn", "Fold the DevLog into the crate's memory (learn sync): preferences, style, mistakes"),
    "memory": ("memory", "Show, explain, forget or export what Rusta remembers about the crate"),
    "diary": ("diary", "Read and write the DevLog: append, list, show, tail, verify, replay, export"),
    "review": ("review", "Headless review of a crate or a diff for CI, with exit codes"),
    "tui": ("tui", "Open the full-screen app on a crate"),
    "lm": ("lm", "The byte LM: bits per byte and hotspots of files"),
    "data": ("data", "Build the LM corpus snapshot and its provenance ledger"),
    "bench": ("bench", "Run the benchmarks and show one table of every goal: met or missed"),
    "hot": ("hot", "Mark fns hot: a patch that changes one is timed before and after (add, remove, list)"),
}


def _available() -> dict[str, tuple[str, str]]:
    """Subcommands whose module exists in this build; a missing one is not advertised."""
    here = Path(__file__).parent
    return {n: v for n, v in COMMANDS.items() if (here / f"{v[0]}.py").exists()}


def _version() -> str:
    """The installed package's version (pyproject.toml's, through the package metadata): one place to
    bump it, never a second copy here that falls behind."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rusta")
    except PackageNotFoundError:  # run from a checkout that was never installed (PYTHONPATH)
        return "(not installed: run `make run` or `pip install -e .`)"


class _ShowVersion(argparse.Action):
    """--version, read only when asked: importlib.metadata costs every `rusta check` milliseconds."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"rusta {_version()}")  # on stdout, as argparse's own version action writes it
        parser.exit()


def build_parser(chosen: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rusta",
        description=(
            "Rusta: a local-first pair-programmer for Rust. `rusta` alone opens the full-screen app on the "
            "crate here, `rusta PATH` on the crate at PATH (`rusta -p NAME -F LIST` on one package, with features; "
            "without them, the package and features last chosen on the Settings screen); run `rusta COMMAND --help` for details."
        ),
        epilog=epilog(None),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_ShowVersion, nargs=0, help="show Rusta's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = _available()
    if chosen is not None:  # the others are listed only by `rusta --help`; building them costs start-up
        commands = {chosen: commands[chosen]}
    for name, (module, help_text) in commands.items():
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=epilog(name) + "\n\n" + examples(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == chosen:
            importlib.import_module(f"rusta_tui.cli.{module}").add_arguments(p)
    return parser


def _is_user_error(exc: BaseException) -> bool:
    """Package root exceptions carry a user-facing sentence; they mark themselves with `user_facing`."""
    return bool(getattr(exc, "user_facing", False))


def main(argv: list[str] | None = None) -> int:
    whole_process = argv is None  # the `rusta` program itself, not a caller in the same interpreter
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["check"], ["explain"]):
        # cargo starts now, with the standard library alone; the rest of Rusta is imported while it
        # runs, and the check takes the process over only if it is exactly the run it would make
        from toolbelt import cargo_early

        cargo_early.start_check(argv[1:], argv[0])
        try:
            rc = _main(argv)
        finally:
            cargo_early.discard()  # not taken over (bad input, an error): never leave it running
        if whole_process and argv[0] == "check":
            _exit_now(rc)
        return rc
    return _main(argv)


def _exit_now(rc: int) -> NoReturn:
    """End `rusta check` without the interpreter's teardown of every module (msgspec's types and the
    rest: about 12 ms of CPU, a tenth of what Rusta adds to cargo). What an exit must still do is
    done first: the atexit hooks (temporary folders, the early cargo's discard) and the flushes. A
    check starts no thread that is not a daemon, and every file it writes is closed by then."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or stream: nothing more can reach it
            continue
    os._exit(rc)


def route(argv: list[str], available: dict[str, tuple[str, str]]) -> tuple[str | None, list[str]]:
    """The subcommand `argv` runs and the arguments it parses. Bare `rusta` is the app, and so are
    `rusta -p app -F serde` (options before any command are the app's: its selection, `--mode`) and
    `rusta PATH`: a first word that is no command but a file or folder that exists is the crate to
    open, as `rusta tui PATH` takes it, and so is a word spelled as a path (a `/`, a leading `.`), so
    that a missing one is "no such file or directory", not the list of commands. Any other word stays
    argparse's "invalid choice"."""
    if argv and argv[0] in available:
        if argv[0] == "diary":
            from rusta_tui.cli.diary import crate_first

            return "diary", crate_first(argv)
        return argv[0], argv
    if "tui" not in available:
        return None, argv or ["--help"]
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return "tui", ["tui", *argv]
    if Path(argv[0]).exists() or "/" in argv[0] or argv[0].startswith("."):
        return "tui", ["tui", *argv]  # spelled as a path (no command is): a missing one is said as such
    return None, argv


def _raised_by_interrupt(exc: BaseException) -> bool:
    """An error raised while a Ctrl-C unwinds is the interrupt's doing, not a bug: a KeyboardInterrupt
    that lands between a Condition's release and its `try` makes the `with` release the lock twice
    (RuntimeError), under load and rarely. It exits 130 like the interrupt that caused it."""
    seen: set[int] = set()
    cause = exc.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__context__
    return False


def _main(argv: list[str]) -> int:
    available = _available()
    chosen, argv = route(argv, available)
    parser = build_parser(chosen)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    module = importlib.import_module(f"rusta_tui.cli.{available[args.command][0]}")
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        print("rusta: interrupted; nothing half-written was left behind.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place a traceback is turned into a sentence
        if _raised_by_interrupt(exc):
            print("rusta: interrupted; nothing half-written was left behind.", file=sys.stderr)
            return EXIT_INTERRUPTED
        if _is_user_error(exc):
            print(f"rusta: {exc}", file=sys.stderr)
            return int(getattr(exc, "exit_code", EXIT_USAGE))
        import traceback  # only here: a crash is the one path that needs it

        crash = Path(os.environ.get("RUSTA_CACHE_DIR", Path.home() / ".cache" / "rusta")) / "last-crash.txt"
        try:
            crash.parent.mkdir(parents=True, exist_ok=True)
            crash.write_text(traceback.format_exc())
            where = f" (details in {crash})"
        except OSError:
            where = ""
        print(f"rusta: internal error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())

"""Two examples per `rusta` command, printed after its exit codes at the end of `--help`.

A reader of `--help` looks for the line to copy first; each example is a real invocation of the
command as it parses today (tests/tui/test_setup.py runs every one through the parser).
"""

from __future__ import annotations

BY_COMMAND: dict[str, tuple[tuple[str, str], ...]] = {
    "check": (
        ("rusta check", "the crate here"),
        ("rusta check ../app --json -p core", "one package, as JSON"),
    ),
    "test": (
        ("rusta test", "every test"),
        ("rusta test . parse --failed --explain", "last run's failures, explained"),
    ),
    "doctor": (("rusta doctor", "what is present here"), ("rusta doctor --json", "the same, as JSON")),
    "demo": (
        ("rusta demo reset examples/demo-crate", "the demo crate with its mistakes back"),
        ("rusta demo mistakes", "what was planted in it"),
    ),
    "probe": (
        ("rusta probe type-of src/lib.rs:12:9", "rustc's type of the expression there"),
        ("rusta probe type-of --json src/main.rs:3:5", "the same, as JSON"),
    ),
    "explain": (
        ("rusta explain --mode study", "every story, predicting before each answer"),
        ("rusta explain --apply 2", "apply story #2's checked fix"),
    ),
    "fix": (
        ("rusta fix --dry-run", "show the validated fix, change nothing"),
        ("rusta fix ../app --yes", "apply it if green"),
    ),
    "apply": (
        ("rusta apply fix.diff", "validate fix.diff here, ask, apply if green"),
        ("git diff | rusta apply - ../app --yes", "a diff from stdin, applied to ../app"),
    ),
    "undo": (
        ("rusta undo --show", "what undo would restore"),
        ("rusta undo ../app", "undo the last change there"),
    ),
    "redo": (("rusta redo", "put the undone change back"), ("rusta redo ../app", "the same for ../app")),
    "history": (
        ("rusta history -n 5", "the last 5 ops"),
        ("rusta history --diff p-1a2b", "the diff that op wrote"),
    ),
    "gc": (
        ("rusta gc --dry-run", "what would be freed"),
        ("rusta gc", "free it, down to the caps in Settings"),
    ),
    "learn": (
        ("rusta learn sync", "fold the DevLog into the memory"),
        ("rusta learn sync ../app --json", "for ../app, as JSON"),
    ),
    "memory": (
        ("rusta memory show", "what Rusta remembers here"),
        ("rusta memory forget all", "forget it all"),
    ),
    "diary": (
        ("rusta diary list ../app", "one line per DevLog entry"),
        ("rusta diary ../app append TEXT", "your own note"),
    ),
    "review": (
        ("rusta review --base main", "the changes since main"),
        ("rusta review --diff p.diff --json", "one diff, as JSON"),
    ),
    "tui": (
        ("rusta", "the app on the crate here (`rusta PATH`: on that one)"),
        ("rusta tui ../app -p core --mode study", "one package, study mode"),
    ),
    "lm": (
        ("rusta lm bpb src/lib.rs", "bits per byte of a file"),
        ("rusta lm hotspots src/lib.rs", "its most surprising lines"),
    ),
    "data": (
        ("rusta data snapshot", "scan the Debian crate sources"),
        ("rusta data snapshot --out data", "write them under data/"),
    ),
    "bench": (
        ("rusta bench --quick", "every bench, tiny, about a minute"),
        ("rusta bench --table", "the goals table"),
    ),
    "hot": (
        ("rusta hot add parse", "time every patch that changes parse"),
        ("rusta hot list", "the fns marked hot"),
    ),
}


def examples(command: str | None) -> str:
    """The `Examples:` block for one command; empty for `rusta` itself, whose commands have theirs."""
    rows = BY_COMMAND.get(command or "", ())
    if not rows:
        return ""
    width = max(len(line) for line, _ in rows)
    return "Examples:\n" + "\n".join(f"  {line:<{width}}  # {what}" for line, what in rows)

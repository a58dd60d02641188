"""What each `rusta` command's exit status means, printed at the end of its `--help`.

A script that runs Rusta decides on these numbers, so they are data in one place. Every command
shares the last three: 2 bad input, 70 an internal error (a bug: details in the crash file), 130
interrupted. "Refused" (3) is Rusta declining on purpose (a red patch, your edit in the way) and
is never an internal error.
"""

from __future__ import annotations

EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

COMMON: tuple[tuple[int, str], ...] = (
    (EXIT_USAGE, "bad input: not a crate, a bad argument, a broken file; one sentence says which"),
    (EXIT_INTERNAL, "internal error in Rusta (a bug); the details are in ~/.cache/rusta/last-crash.txt"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); nothing half-written is left behind"),
)

BY_COMMAND: dict[str, tuple[tuple[int, str], ...]] = {
    "check": ((0, "clean"), (1, "diagnostics"), (2, "no verdict: cargo did not finish (or bad input)")),
    "test": ((0, "every test passed"), (1, "tests failed"), (2, "the tests could not run")),
    "doctor": ((0, "everything Rusta needs is present"), (1, "something is missing; each line says how")),
    "demo": ((0, "done"), (2, "refused: the folder holds something other than the demo crate")),
    "probe": ((0, "the compiler answered"),),
    "explain": (
        (0, "explained (with --apply: applied; with --reject: answered)"),
        (3, "--apply: refused, the patch is not green; nothing changed"),
        (4, "--apply: story N has no fix to apply (its ways out are advice, not code); nothing changed"),
    ),
    "fix": (
        (0, "fixed (applied, or found with --dry-run), or nothing to fix: check clean and tests pass"),
        (1, "compile errors remain: no green fix, a partial fix (applied or not), or declined by you"),
        (2, "no verdict: bad input (one sentence says which), or cargo did not finish"),
        (
            3,
            "refused: the sandbox said red, or --yes held back a fix below the confidence threshold "
            "(nothing applied), another repair is running, or the patch path refused",
        ),
        (4, "the DevLog (.rusta/) cannot be written"),
        (5, "check is clean but tests fail, before any fix or (already failing at HEAD) after one"),
    ),
    "apply": ((0, "applied"), (1, "declined at the prompt"), (3, "refused: the patch is not green")),
    "undo": ((0, "undone"), (1, "nothing to undo"), (3, "refused: your edits are in the way (--force)")),
    "redo": ((0, "redone"), (1, "nothing to redo"), (3, "refused: your edits are in the way")),
    "history": (
        (0, "listed (--diff: the op's diff printed)"),
        (2, "bad input: not a crate, or no single op matches --diff ID; one sentence says which"),
    ),
    "learn": ((0, "synced"),),
    "memory": ((0, "shown, forgotten or exported"),),
    "diary": ((0, "done"), (1, "verify found damage"), (4, "the DevLog cannot be written (full, I/O)")),
    "review": (
        (0, "pass"),
        (1, "findings at or above --fail-on, or a red diff (--batch: some crate failed)"),
        (2, "no verdict: the review could not run (no toolchain, a timeout, no such revision); never 0"),
    ),
    "tui": ((0, "the app closed normally"),),
    "lm": ((0, "scored"),),
    "data": ((0, "built"),),
    "bench": ((0, "ran (with --quick: every bench ran)"), (1, "a bench failed; its traceback is shown")),
}


def epilog(command: str | None) -> str:
    """The `Exit codes:` block for one command (or for `rusta` itself), one code a line."""
    own = BY_COMMAND.get(command or "", ((0, "success"),))
    codes = dict(own)
    for code, text in COMMON:
        codes.setdefault(code, text)
    return "Exit codes:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in sorted(codes.items()))

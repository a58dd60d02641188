"""`rusta review --batch DIR...`: many crates, one summary table (or JSON lines), resumable.

Exit codes: 0 every crate passed, 1 some crate has findings at or above --fail-on, 2 some crate
could not be reviewed (no verdict or past its time limit).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec


def _argv(args: argparse.Namespace) -> list[str]:
    """The options every crate's review gets (its path is added per crate)."""
    out = ["--format", "json", "--fail-on", args.fail_on, "--time-limit", str(args.time_limit)]
    if args.base:
        out += ["--base", args.base] + (["--head", args.head] if args.head else [])
    for flag in ("no_clippy", "no_tests", "no_validate", "validate_fixes"):
        if getattr(args, flag, False):
            out.append("--" + flag.replace("_", "-"))
    return out


def run_batch(args: argparse.Namespace) -> int:
    from engine.review.batch import default_state_file, run_batch, summary_table

    crates = [Path(d) for d in args.batch]
    missing = [str(c) for c in crates if not (c / "Cargo.toml").is_file()]
    if missing:
        print(f"rusta: not a crate (no Cargo.toml): {', '.join(missing)}.", file=sys.stderr)
        return 2
    options = _argv(args)
    state = Path(args.state) if args.state else default_state_file(crates, options)
    per_crate = args.time_limit  # with --batch, --time-limit bounds each crate's whole review
    as_json = args.format == "json"

    def on_row(row, resumed: bool) -> None:
        if as_json:
            sys.stdout.write(msgspec.json.encode(row).decode() + "\n")
            sys.stdout.flush()
        else:
            note = " (from the last run)" if resumed else ""
            print(f"{Path(row.crate).name}: {row.status}{note}", file=sys.stderr, flush=True)

    rows = run_batch(
        crates,
        lambda c: [sys.executable, "-m", "rusta_tui.cli.main", "review", str(c.resolve()), *options],
        state=state,
        jobs=args.jobs,
        time_limit_s=per_crate,
        on_row=on_row,
    )
    if not as_json:
        print(summary_table(rows))
        print(f"State: {state} (run the same command again to resume; remove it to start over).")
    if any(r.status in ("no_verdict", "timeout") for r in rows):
        return 2
    return 1 if any(r.status == "fail" for r in rows) else 0

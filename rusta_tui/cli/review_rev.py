"""`rusta review --base REV [--head REV]`: the change between two revisions, in the chosen format.

Exit codes: 0 pass, 1 findings at or above --fail-on, 2 the review could not run (never 0).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import msgspec

from engine.patching.types import BenchPolicy
from engine.review.types import Review

EXIT_PASS, EXIT_FINDINGS = 0, 1


def output(review: Review, fmt: str, crate: Path) -> str:
    if fmt == "json":
        return msgspec.json.encode(review).decode()
    if fmt == "md":
        from engine.review.markdown import to_markdown

        return to_markdown(review).rstrip("\n")
    if fmt == "sarif":
        from engine.explain.references import doc_root
        from engine.review.sarif import to_sarif

        top = crate.resolve()
        for _ in Path(review.crate_path).parts:
            top = top.parent
        return json.dumps(to_sarif(review, doc_root=doc_root(), repo_uri=top.as_uri()), indent=2)
    from rusta_tui.cli.review_text import render_revision_review

    return render_revision_review(review)


def run(args: argparse.Namespace, root: Path, bench: BenchPolicy | None = None) -> int:
    from diary.devlog import DevLog
    from engine.review.runner import review_revisions

    with DevLog.open(root) as log:
        review = review_revisions(
            root,
            args.base,
            args.head,
            tool="check" if args.no_clippy else "clippy",
            run_tests=not args.no_tests,
            validate_fixes=not args.no_validate,
            fail_on=args.fail_on,
            timeout_s=args.time_limit,
            log=log,
            export_dir=Path(args.export) if args.export else None,
            export_branch=args.export_branch,
            fuzz=not args.no_fuzz,
            bench=bench,
            refactor=args.refactor,
        )
    if args.format == "text":
        from rich.console import Console

        from rusta_tui.cli.review_text import revision_review_text

        Console(highlight=False, soft_wrap=True).print(revision_review_text(review))
    else:
        sys.stdout.write(output(review, args.format, root) + "\n")
    if review.branch:
        print(f"rusta: {review.branch}.", file=sys.stderr)
    return EXIT_PASS if review.verdict == "pass" else EXIT_FINDINGS

"""Explain's honesty, measured: how much of the code Rusta shows is true, where her root cause comes
from, and what validating the options costs.

The corpus is the honesty test's (tests/explain/honesty.py): the error index's erroneous examples
(`rustc --explain`, offline) and the explain and knowledge-base fixture crates. Rows:
- snippets honest before validation (unchecked options count as not honest) and after it;
- stories whose root cause is not rustc's primary span and rests on a span or note rustc gave;
- the median and 90th-percentile seconds one option's validation adds (cached verdicts excluded).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.quick import size
from engine.explain.api import explain_report
from engine.explain.rootcause import PRIMARY_REASON
from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from toolbelt.cargo_run import run_check


def _share(k: int, n: int) -> float:
    return round(k / n, 3) if n else 0.0


def _judge(explained, crate: Path) -> tuple[int, int]:  # noqa: ANN001 - Explanations
    program = honesty.program_tokens(crate)
    total = honest = 0
    for e in explained:
        quotes = honesty.rustc_quotes(e.diagnostics)
        for s in honesty.shown(e, render_text):
            total += 1
            honest += honesty.judge(e, s, program, quotes)
    return honest, total


def run() -> dict:
    t0 = time.monotonic()
    before = after = total_before = total_after = 0
    stories = elsewhere = 0
    checks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="rusta-bench-honesty-") as tmp:
        root = Path(tmp)
        codes = honesty.CODES[: size(len(honesty.CODES), 3)]
        crates = honesty.build_corpus(root, codes, honesty.FIXTURES[: size(len(honesty.FIXTURES), 1)])
        for crate in crates:
            report = run_check(crate, target_dir=root / "target" / crate.name)
            explained = explain_report(report)
            h, n = _judge(explained, crate)
            before, total_before = before + h, total_before + n
            run_ = validate(explained, crate)
            checks.extend(run_.check_s)
            h, n = _judge(run_.explanations, crate)
            after, total_after = after + h, total_after + n
            for e in explained:
                stories += 1
                moved = (e.root_cause.file, e.root_cause.line) != (e.primary.file, e.primary.line)
                elsewhere += moved and e.root_cause_reason != PRIMARY_REASON and e.root_cause.line > 0
    checks.sort()
    p90 = checks[int(0.9 * (len(checks) - 1))] if checks else 0.0
    rows = [
        {"figure": "snippets honest, unvalidated", "value": _share(before, total_before), "of": total_before},
        {
            "figure": "snippets honest, validated (goal 1.0)",
            "value": _share(after, total_after),
            "of": total_after,
        },
        {
            "figure": "root cause elsewhere, from rustc's spans/notes",
            "value": _share(elsewhere, stories),
            "of": stories,
        },
        {
            "figure": "validation added s/option, median",
            "value": round(statistics.median(checks), 3) if checks else 0.0,
            "of": len(checks),
        },
        {"figure": "validation added s/option, p90", "value": round(p90, 3), "of": len(checks)},
    ]
    return {
        "title": "Explain honesty: true code shown, root cause from rustc's children, validation cost",
        "rows": rows,
        "notes": [
            f"{len(crates)} crates: the error index's erroneous examples and the explain/KB fixtures; "
            f"wall {time.monotonic() - t0:.1f}s. Unvalidated options are shown as 'not checked yet' and "
            "count as not honest here; the honesty test (tests/explain/test_honesty.py) requires 1.0 after "
            "validation.",
            "root cause elsewhere: stories whose root cause is not rustc's primary line and whose reason names "
            "a span, label or note rustc gave (never the fallback to the primary span).",
        ],
    }

"""Proofs in SARIF and Markdown, without cargo: on offered fixes and on results whose fix is withheld,
schema-valid against the vendored SARIF 2.1.0 schema."""

from __future__ import annotations

import json

import jsonschema
import msgspec

from engine.patching.types import BenchStats, Proof
from engine.review.markdown import to_markdown
from engine.review.sarif import SCHEMA_FILE, to_sarif
from engine.review.types import Finding, Place, Replacement, Review, ReviewFix, Side

CHECK = Proof(
    kind="check", status="passed", detail="cargo check clean: 0 error(s), 0 warning(s).", seconds=0.4
)
TESTS = Proof(kind="tests", status="passed", detail="cargo test: 3 of 3 test(s) passed.", count=3, passed=3)
MIRI = Proof(kind="miri", status="skipped", detail="miri: not installed (toolchain has no miri).", count=1)
STATS = BenchStats(
    old_ns=2.5,
    new_ns=22.0,
    old_spread=0.1,
    new_spread=0.05,
    ratio=8.8,
    control=1.02,
    low=8.1,
    high=9.6,
    samples=31,
    inputs=64,
    reps=4096,
    noise=0.05,
    verdict="slower",
)
BENCH = Proof(
    kind="bench", status="failed", detail="bench mix: slower, 8.8x the time per call.", count=31, bench=STATS
)
RED_TESTS = Proof(
    kind="tests", status="failed", detail="cargo test: 2 of 3 test(s) passed.", count=3, passed=2
)


def _finding(line: int, verdict: str, proofs: tuple[Proof, ...]) -> Finding:
    fix = ReviewFix(
        description="Prefix the binding with `_`.",
        diff="--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-let spare = 1;\n+let _spare = 1;\n",
        replacements=(Replacement(file="src/lib.rs", offset=4, length=0, text="_"),),
        source="rustc",
        verdict=verdict,  # type: ignore[arg-type]
        reason="no test that passed before fails." if verdict == "green" else "tests::a fails",
        proofs=proofs,
    )
    return Finding(
        rule="unused_variables",
        kind="diagnostic",
        level="warning",
        place=Place(file="src/lib.rs", line=line),
        message="unused variable",
        explanation="",
        fingerprint=f"fp{line}",
        fix=fix,
    )


REVIEW = Review(
    crate="ledger",
    base=Side(label="main"),
    head=Side(label="working tree"),
    findings=(_finding(1, "green", (CHECK, TESTS, MIRI, BENCH)), _finding(5, "red", (CHECK, RED_TESTS))),
)


def test_offered_and_withheld_fixes_carry_their_proofs_and_the_log_stays_schema_valid() -> None:
    doc = to_sarif(REVIEW, doc_root=None)
    jsonschema.Draft4Validator(
        json.loads(SCHEMA_FILE.read_text()), format_checker=jsonschema.FormatChecker()
    ).validate(doc)
    green, red = doc["runs"][0]["results"]
    proofs = green["fixes"][0]["properties"]["proofs"]
    assert [p["kind"] for p in proofs] == ["check", "tests", "miri", "bench"]
    assert proofs[1] == {"kind": "tests", "status": "passed", "detail": TESTS.detail, "count": 3, "passed": 3}
    assert proofs[2]["detail"].startswith("miri: not installed (")
    assert proofs[3]["bench"]["interval95"] == [8.1, 9.6] and proofs[3]["bench"]["verdict"] == "slower"
    assert "fixes" not in red  # a red fix is not offered, but why not is in the result
    assert red["properties"]["fixValidation"] == "red"
    assert [p["status"] for p in red["properties"]["fixProofs"]] == ["passed", "failed"]


def test_a_broken_proof_bag_is_still_caught_by_the_schema() -> None:
    """The schema does check the property bag: `tags` must be a list of unique strings."""
    doc = to_sarif(REVIEW, doc_root=None)
    doc["runs"][0]["results"][0]["fixes"][0]["properties"]["tags"] = "proofs"
    try:
        jsonschema.Draft4Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a string where SARIF wants a list of tags validated")


def test_markdown_and_json_carry_the_same_proofs() -> None:
    md = to_markdown(REVIEW)
    assert "- proof skipped: miri: not installed (toolchain has no miri)." in md
    assert "- proof failed: cargo test: 2 of 3 test(s) passed." in md
    back = msgspec.json.decode(msgspec.json.encode(REVIEW), type=Review)  # `rusta review --json`
    assert back.findings[0].fix is not None and back.findings[0].fix.proofs == (CHECK, TESTS, MIRI, BENCH)

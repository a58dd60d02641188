"""SARIF from a review, without cargo: schema-valid, fixes only where the sandbox said green."""

from __future__ import annotations

import json

import jsonschema
import msgspec

from engine.review.markdown import to_markdown
from engine.review.sarif import SCHEMA_FILE, to_sarif
from engine.review.types import Finding, Place, Replacement, Review, ReviewFix, Side


def fix(verdict: str) -> ReviewFix:
    return ReviewFix(
        description="Prefix the binding with `_`.",
        diff="--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-let spare = 1;\n+let _spare = 1;\n",
        replacements=(Replacement(file="src/lib.rs", offset=4, length=0, text="_"),),
        source="rustc",
        applicability="MachineApplicable" if verdict == "green" else "MaybeIncorrect",
        verdict=verdict,  # type: ignore[arg-type]
        reason="no test that passed before fails." if verdict == "green" else "",
    )


def finding(rule: str, line: int, verdict: str | None, file: str = "src/lib.rs") -> Finding:
    return Finding(
        rule=rule,
        kind="diagnostic",
        level="warning",
        place=Place(file=file, line=line, column=5),
        message=f"{rule} at {line}",
        explanation="Why it matters.",
        fingerprint=f"fp{line}",
        line_text="let spare = 1;",
        fix=fix(verdict) if verdict else None,
    )


REVIEW = Review(
    crate="ledger",
    base=Side(label="main", commit="a" * 40),
    head=Side(label="working tree"),
    files_changed=("src/lib.rs",),
    findings=(
        finding("unused_variables", 1, "green"),
        finding("unused_variables", 7, "red"),
        finding("rusta/lossy-cast", 9, "not_run"),
        finding("rusta/test-broken", 0, None, file=""),
    ),
    model="no model",
    verdict="fail",
    reason="1 error(s)",
)


def test_sarif_validates_and_carries_only_green_fixes() -> None:
    nested = msgspec.structs.replace(REVIEW, crate_path="crates/ledger")  # a crate below the repo's top
    doc = to_sarif(nested, doc_root=None, repo_uri="file:///work/repo")
    jsonschema.Draft4Validator(
        json.loads(SCHEMA_FILE.read_text()), format_checker=jsonschema.FormatChecker()
    ).validate(doc)
    results = doc["runs"][0]["results"]
    assert [("fixes" in r) for r in results] == [True, False, False, False]
    assert results[0]["fixes"][0]["properties"]["applicability"] == "MachineApplicable"
    assert [r["ruleIndex"] for r in results] == [0, 0, 1, 2]
    assert all(r["partialFingerprints"]["rustaFinding/v1"] for r in results)
    assert all(r["locations"] for r in results)  # code-scanning viewers need one, even for a test
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"crates/ledger/src/lib.rs", "crates/ledger/Cargo.toml"}  # relative to the repo's top
    change = results[0]["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"]
    assert change == "crates/ledger/src/lib.rs"
    assert doc["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///work/repo/"
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] for r in rules) and not any("helpUri" in r for r in rules)  # no docs root


def test_a_broken_document_fails_the_schema() -> None:
    """The validator is not a rubber stamp: a region that starts at line 0 is rejected."""
    doc = to_sarif(REVIEW, doc_root=None)
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    try:
        jsonschema.Draft4Validator(json.loads(SCHEMA_FILE.read_text())).validate(doc)
    except jsonschema.ValidationError as e:
        assert "startLine" in str(e.path) or "minimum" in e.message
    else:
        raise AssertionError("a region at line 0 validated")


def test_markdown_puts_the_summary_first_and_each_patch_in_a_diff_block() -> None:
    md = to_markdown(REVIEW)
    head, _, rest = md.partition("### 1.")
    assert "This change brings 0 error(s), 4 warning(s)" in head and "**Verdict: fail**" in head
    assert rest.count("```diff") == 3
    assert "It compiles and the tests pass in the sandbox." in md and "The sandbox says red" in md

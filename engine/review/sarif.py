"""A Review as SARIF 2.1.0 (the OASIS schema is vendored in schema/ and checked in the tests). Pure.

Rules carry Rusta's help text and a `file://` address into rustup's offline docs when the toolchain
installed them; results carry regions, `partialFingerprints`, and `fixes` only for patches the
sandbox judged green, with the applicability they earned and the proofs behind it (check, tests, miri
or why not, and a timing where one ran) in the fix's properties; a result whose fix is not offered
carries its verdict and proofs in its own properties.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.patching.types import Proof
from engine.review.rules import RULES, diagnostic_rule, doc_uri
from engine.review.types import Finding, Review, Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SCHEMA_FILE = Path(__file__).with_name("schema") / "sarif-schema-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def _rule_of(f: Finding) -> Rule:
    return RULES.get(f.rule) or diagnostic_rule(
        f.rule, f.level, "clippy" if f.rule.startswith("clippy") else "rustc"
    )


def _descriptor(rule: Rule, doc_root: Path | None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
    }
    uri = doc_uri(rule, doc_root)
    if uri:
        d["helpUri"] = uri
    return d


def _region(f: Finding) -> dict[str, Any]:
    r: dict[str, Any] = {"startLine": max(f.place.line, 1), "startColumn": max(f.place.column, 1)}
    if f.place.end_line:
        r["endLine"] = f.place.end_line
    if f.place.end_column:
        r["endColumn"] = f.place.end_column
    if f.line_text:
        r["snippet"] = {"text": f.line_text}
    return r


def _uri(crate_path: str, file: str) -> str:
    """A path relative to the repository's top, where code-scanning viewers resolve them."""
    return f"{crate_path}/{file}" if crate_path else file


def _fixes(f: Finding, crate_path: str) -> list[dict[str, Any]]:
    fix = f.fix
    if fix is None or fix.verdict != "green" or not fix.replacements:
        return []
    by_file: dict[str, list[dict[str, Any]]] = {}
    for r in fix.replacements:
        by_file.setdefault(r.file, []).append(
            {
                "deletedRegion": {"charOffset": r.offset, "charLength": r.length},
                "insertedContent": {"text": r.text},
            }
        )
    return [
        {
            "description": {"text": fix.description},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": _uri(crate_path, file), "uriBaseId": "SRCROOT"},
                    "replacements": reps,
                }
                for file, reps in by_file.items()
            ],
            "properties": {
                "applicability": fix.applicability,
                "source": fix.source,
                "validation": fix.verdict,
                "validationReason": fix.reason,
                "proofs": sarif_proofs(fix.proofs),
            },
        }
    ]


def sarif_proofs(proofs: tuple[Proof, ...]) -> list[dict[str, Any]]:
    """Each proof as a property bag entry, camelCase as SARIF's own names are; a timing's numbers
    only where one ran."""
    out = []
    for p in proofs:
        d: dict[str, Any] = {"kind": p.kind, "status": p.status, "detail": p.detail}
        if p.count:
            d |= {"count": p.count, "passed": p.passed}
        if p.seconds:
            d["seconds"] = p.seconds
        if p.cases:
            d["differingInputs"] = [{"call": c.call, "before": c.before, "after": c.after} for c in p.cases]
        if p.bench is not None:
            b = p.bench
            d["bench"] = {
                "verdict": b.verdict,
                "ratio": b.ratio,
                "interval95": [b.low, b.high],
                "oldNsPerCall": b.old_ns,
                "newNsPerCall": b.new_ns,
                "oldSpread": b.old_spread,
                "newSpread": b.new_spread,
                "samples": b.samples,
                "inputs": b.inputs,
                "noiseThreshold": b.noise,
                "controlRatio": b.control,
            }
        out.append(d)
    return out


def _result(f: Finding, index: int, crate_path: str) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": _SARIF_LEVEL[f.level],
        "message": {"text": f"{f.message} {f.explanation}".strip()},
        "partialFingerprints": {"rustaFinding/v1": f.fingerprint},
        "properties": {"kind": f.kind},
    }
    if f.place.file:
        where = {
            "artifactLocation": {"uri": _uri(crate_path, f.place.file), "uriBaseId": "SRCROOT"},
            "region": _region(f),
        }
    else:  # libtest gave no place (a test that never reached an assertion): the crate's manifest
        where = {
            "artifactLocation": {"uri": _uri(crate_path, "Cargo.toml"), "uriBaseId": "SRCROOT"},
            "region": {"startLine": 1},
        }
    res["locations"] = [{"physicalLocation": where}]
    fixes = _fixes(f, crate_path)
    if fixes:
        res["fixes"] = fixes
    elif f.fix is not None:  # a fix Rusta does not offer: why not, and what the sandbox ran for it
        res["properties"] |= {
            "fixValidation": f.fix.verdict,
            "fixValidationReason": f.fix.reason,
            "fixProofs": sarif_proofs(f.fix.proofs),
        }
    return res


def to_sarif(review: Review, *, doc_root: Path | None, repo_uri: str | None = None) -> dict[str, Any]:
    """The SARIF log of one review (one run). URIs are relative to the repository's top (SRCROOT),
    which `repo_uri` names when known."""
    rules: list[Rule] = []
    index: dict[str, int] = {}
    for f in review.findings:
        if f.rule not in index:
            index[f.rule] = len(rules)
            rules.append(_rule_of(f))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "rusta",
                "version": "0.1.0",
                "rules": [_descriptor(r, doc_root) for r in rules],
            }
        },
        "results": [_result(f, index[f.rule], review.crate_path) for f in review.findings],
        "properties": {
            "base": review.base.commit or review.base.label,
            "head": review.head.commit or review.head.label,
            "verdict": review.verdict,
            "testsBroken": list(review.tests.broken),
            "testsAdded": list(review.tests.added),
            "testsNotRun": list(review.tests.not_run),
            "model": review.model,
        },
    }
    if repo_uri:
        run["originalUriBaseIds"] = {"SRCROOT": {"uri": repo_uri.rstrip("/") + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}

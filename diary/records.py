"""Builders of conventional DevLog payloads (see `diary.replay` for the conventions).

Writers may build payload dicts by hand; these keep the keys right and turn toolbelt reports into
what the export and replay read: the argv that ran, the compiler's words quoted exactly, file
hashes around a patch. toolbelt types are duck-typed here so the diary does not depend on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

PatchOp = Literal["apply", "undo", "redo"]
Outcome = Literal["done", "failed", "abandoned", "rejected"]


def intent(
    summary: str, *, goal: str | None = None, mode: str | None = None, codes: Iterable[str] = ()
) -> dict[str, Any]:
    p: dict[str, Any] = {"summary": summary}
    if goal:
        p["goal"] = goal
    if mode:
        p["mode"] = mode
    if codes:
        p["codes"] = list(codes)
    return p


def run(process: Any, summary: str | None = None) -> dict[str, Any]:
    """An action "run" from a toolbelt ProcessResult (argv, cwd, outcome, returncode, duration)."""
    argv = [str(a) for a in process.argv]
    return {
        "summary": summary or " ".join(argv[:3]),
        "op": "run",
        "argv": argv,
        "cwd": str(process.cwd),
        "outcome": str(process.outcome),
        "returncode": process.returncode,
        "duration_s": round(float(process.duration_s), 3),
    }


def diagnostic(d: Any) -> dict[str, Any]:
    """One toolbelt Diagnostic as the export quotes it: level, code, message, primary file and line."""
    out: dict[str, Any] = {"level": d.level, "message": d.message}
    code = getattr(d, "code_str", None)
    if code:
        out["code"] = code
    span = getattr(d, "primary", None)
    if span is not None:
        out["file"] = span.file_name
        out["line"] = span.line_start
    return out


def validation(report: Any, summary: str | None = None, *, limit: int = 20) -> dict[str, Any]:
    """A validation from a toolbelt CheckReport or TestReport."""
    diags = [d for d in report.diagnostics if d.level in ("error", "warning")]
    errors = sum(1 for d in diags if d.level == "error")
    warnings = len(diags) - errors
    tests = getattr(report, "tests", None)
    tool = "test" if tests is not None else str(getattr(report, "tool", "check"))
    # CheckReport: clean | diagnostics | failed | timeout | error; TestReport: passed | failed | ...
    ok = report.status in ("clean", "passed") or (report.status == "diagnostics" and errors == 0)
    p: dict[str, Any] = {
        "summary": summary
        or (f"{tool}: green" if ok else f"{tool}: {errors} error(s), {warnings} warning(s)"),
        "tool": tool,
        "ok": ok,
        "status": str(report.status),
        "errors": errors,
        "warnings": warnings,
        "diagnostics": [diagnostic(d) for d in diags[:limit]],
    }
    if tests is not None:
        p["failed_tests"] = [t.name for t in tests if t.status == "failed"][:limit]
    return p


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def file_hashes(root: str | Path, files: Iterable[str]) -> dict[str, str | None]:
    """sha256 of each file under `root` (None when absent): call before and after a patch."""
    return {f: sha256_of(Path(root) / f) for f in files}


def patch(
    op: PatchOp,
    patch_id: str,
    files: Iterable[str],
    *,
    summary: str,
    before: dict[str, str | None] | None = None,
    after: dict[str, str | None] | None = None,
    snapshot: str | None = None,
    failed: bool = False,
) -> dict[str, Any]:
    p: dict[str, Any] = {"summary": summary, "op": op, "patch_id": patch_id, "files": list(files)}
    if before is not None:
        p["before"] = before
    if after is not None:
        p["after"] = after
    if snapshot:
        p["snapshot"] = snapshot
    p["status"] = "failed" if failed else "done"
    return p


def reflection(outcome: Outcome, summary: str, why: str | None = None) -> dict[str, Any]:
    p: dict[str, Any] = {"summary": summary, "outcome": outcome}
    if why:
        p["why"] = why
    return p


def note(text: str, *, author: Literal["user", "rusta"] = "rusta") -> dict[str, Any]:
    first = text.strip().splitlines()[0][:120] if text.strip() else ""
    return {"summary": first, "text": text, "author": author}


def repo_state(*, snapshot: str | None = None, toolchain: Any = None, **extra: Any) -> dict[str, Any]:
    """The `repo_state` of a record: snapshot id and toolchain versions (a toolbelt Toolchain)."""
    out: dict[str, Any] = {}
    if snapshot:
        out["snapshot"] = snapshot
    if toolchain is not None:
        for name in ("rustc", "cargo", "clippy", "rustfmt"):
            v = getattr(toolchain, name, "")
            if v:
                out[name] = v
    out.update({k: v for k, v in extra.items() if v is not None})
    return out

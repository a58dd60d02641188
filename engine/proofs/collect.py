"""The proofs a sandbox validation earned, from what actually ran: check, tests, and miri or why not.

When a patch changes items holding `unsafe` code, the miri proof says whether miri is installed (with
rustup's own reason when it is not); engine.proofs.miri runs it on a green patch when it is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from engine.patching.types import Proof
from engine.syntax.fn_items import changed_items
from toolbelt.miri import miri_status


def unsafe_changed(files: dict[str, tuple[bytes | None, bytes | None]]) -> list[str]:
    """Names of the changed items (path: name) that hold `unsafe` code, old or new side."""
    out = []
    for path, (old, new) in sorted(files.items()):
        if not path.endswith(".rs") or new is None:
            continue
        for prev, it in changed_items(old or b"", new):
            if it.has_unsafe or (prev is not None and prev.has_unsafe):
                out.append(f"{path}: {it.name}")
    return out


def miri_proof(unsafe: list[str]) -> Proof | None:
    """None when the patch touches no unsafe code (miri would add nothing)."""
    if not unsafe:
        return None
    where = ", ".join(unsafe[:5])
    st = miri_status()
    if not st.available:
        detail = (
            f"miri: not installed ({st.reason}); the unsafe code changed in {where} was not run under miri."
        )
    else:
        detail = f"miri: {st.version}; it runs on the tests reaching {where} once check and tests are green."
    return Proof(kind="miri", status="skipped", detail=detail, count=len(unsafe))


def run_proofs(f: dict[str, Any]) -> tuple[Proof, ...]:
    """Check and test proofs from a validation's fields, exactly as far as they ran."""
    errs, before = f.get("errors_after", 0), f.get("errors_before")
    status = f.get("check_status", "")
    secs = round(f.get("check_s", 0.0), 3)
    finished = status in ("clean", "diagnostics")
    tool = f.get("check_tool", "check")
    if not finished:
        check = Proof(kind="check", status="failed", detail=f"cargo {tool} {status}.", seconds=secs)
    elif errs and before is not None:
        added, hid = len(f.get("new_errors", ())), len(f.get("uncovered_errors", ()))
        good = not added and errs - hid < before  # an error rustc hid is no error the patch left
        also = (
            f", {hid} uncovered (rustc hid {'them' if hid > 1 else 'it'} behind the fixed ones)"
            if hid
            else ""
        )
        detail = f"cargo {tool}: errors {before} -> {errs}, {added or 'none'} added{also}{_lints(f)}."
        check = Proof(kind="check", status="passed" if good else "failed", detail=detail, seconds=secs)
    else:
        warned = f.get("warnings_after", 0)
        lints = _lints(f)
        # a deny-level lint is an `error:` of `cargo clippy`, not of the compiler: said apart, never
        # hidden in "0 error(s)" (review A a08: clippy::approx_constant)
        errors = f"{errs} compile error(s)" if tool == "clippy" else f"{errs} error(s)"
        said = f"{errors}{lints}" if lints else f"{errors}, {warned} warning(s)"
        detail = f"cargo {tool} {status}: {said}."
        # a lint the patch adds is said in the detail, never a failed proof: the verdict gates on
        # errors and tests, so "proof failed" beside "Applied" would contradict itself (reviews B, D)
        check = Proof(kind="check", status="failed" if errs else "passed", detail=detail, seconds=secs)
    ts = f.get("test_status", "not_run")
    run = f.get("tests_run", 0)
    if ts == "not_run":
        tests = Proof(
            kind="tests", status="skipped", detail="cargo test: not run (the crate does not compile)."
        )
    else:
        pre = f.get("preexisting_failures", ())
        failed = len(f.get("failing_tests", ())) + len(pre)
        passed = max(run - failed, 0)
        tests = Proof(
            kind="tests",
            status="passed" if ts == "passed" or not f.get("failing_tests") else "failed",
            detail=f"cargo test: {passed} of {run} test(s) passed"
            + (f"; {len(pre)} already failed before the patch." if pre else "."),
            count=run,
            passed=passed,
            seconds=round(f.get("test_s", 0.0), 3),
        )
        if ts in ("build_failed", "timeout", "error"):
            tests = Proof(kind="tests", status="failed", detail=f"cargo test {ts}.", seconds=tests.seconds)
    return (check, tests)


def _lints(f: dict[str, Any]) -> str:
    """What clippy said of the patch, against the crate without it: "" when clippy did not run. Why:
    a check that ran no lint cannot call a patch clean of warnings, and a patch that compiles can
    still add some (`*(&x)`, `&a * &b`). Warnings on code the patch did not write, which clippy could
    not reach before (it lints only a crate that builds), are said apart with their places and not
    called the patch's; nor called old: a fix can change what unwritten code means (a `move` that
    leaves `x += 1` assigning a copy), so the line says only what is known."""
    before = f.get("warnings_before")
    if f.get("check_tool") != "clippy" or before is None:
        return ""
    if f.get("errors_after", 0):
        return "; clippy lints the crate once it compiles, so no warning count yet"
    added = f.get("new_warnings", ())
    after = f.get("warnings_after", 0)
    hidden = f.get("hidden_warnings", ())
    also = ""
    if hidden:
        places = [f"{h} x{k}" if k > 1 else h for h, k in Counter(hidden).items()]
        shown = ", ".join(places[:4]) + (f" and {len(places) - 4} more" if len(places) > 4 else "")
        also = (
            f"; clippy also reports {len(hidden)} on code the patch did not write, "
            f"unseen before because the crate did not compile: {shown}"
        )
    denied_before, denied_after = f.get("lint_errors_before") or 0, f.get("lint_errors_after", 0)
    counts = f"clippy warnings {before} -> {after}"
    if denied_before or denied_after:
        counts = (
            f"clippy errors {denied_before} -> {denied_after} (lints at deny level: `cargo clippy` fails "
            f"on them), warnings {before} -> {after}"
        )
    if rewrote := f.get("rewritten_warnings", ()):
        places = [f"{h} x{k}" if k > 1 else h for h, k in Counter(rewrote).items()]
        also = (
            f"; clippy reports {len(rewrote)} on a line the patch rewrote (not on the code it wrote there), "
            f"unseen before because the crate did not compile: {', '.join(places[:4])}"
            + (f" and {len(places) - 4} more" if len(places) > 4 else "")
            + also
        )
    if not added:
        none = "none on the lines the patch writes" if hidden and not rewrote else "none added by the patch"
        none = "none on the code the patch writes" if rewrote else none
        return f"; {counts}, {none}{also}"
    names = ", ".join(f"{n} x{k}" if k > 1 else n for n, k in Counter(added).items())
    return f"; {counts}: the patch adds {len(added)} ({names}){also}"


def intent_for(level: str) -> Literal["refactor", "fix"]:
    """What a fix for a diagnostic at `level` means to do: a fix for a compile error changes
    behaviour on purpose (a difference is evidence); one for a warning or lint should keep it (red)."""
    return "fix" if level.startswith("error") else "refactor"


def proof_lines(proofs: tuple[Proof, ...], indent: str = "  ", *, skip: tuple[str, ...] = ()) -> list[str]:
    """The proofs list as the CLI, the app and the DevLog show it: one line each, what ran and what
    did not and why (check, tests with counts, fuzz with inputs, bench delta, miri or why not)."""
    return [f"{indent}proof {p.status}: {p.detail}" for p in proofs if p.kind not in skip]

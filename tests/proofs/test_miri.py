"""miri on a patch's unsafe code: which tests reach it, what miri's output means, and the absent case.

miri is not installed on this machine (rustup cannot fetch a component offline), so the run path is
driven end to end once through a stand-in `cargo` that runs the same tests natively: it checks the
selection, the argv, the scratch copy and the proof, never miri's judgement, which the transcripts
in miri's own diagnostic format stand for.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.types import Patch
from engine.proofs.miri import miri_run_proof, reaching_tests, unsafe_fn_names, with_miri
from tests.proofs.crates import UNSAFE_LIB, diff_of, make_crate
from toolbelt.miri import MiriStatus, parse_miri_test, probe_miri

UB = """\
running 2 tests
test tests::plain_is_plain ... ok
test tests::first_of_empty ... error: Undefined Behavior: memory access failed: attempting to access 1 byte, but got alloc91+0x0 which is at or beyond the end of the allocation of size 0 bytes
  --> src/lib.rs:2:14
   |
2  |     unsafe { *v.as_ptr() }
   |              ^^^^^^^^^^^ Undefined Behavior occurred here
   |
   = help: this indicates a bug in the program: it performed an invalid operation, and caused Undefined Behavior

note: some details are omitted, run with `MIRIFLAGS=-Zmiri-backtrace=full` for a verbose backtrace

error: aborting due to 1 previous error

error: test failed, to rerun pass `--lib`
"""
UNSUPPORTED = """\
running 1 test
test tests::calls_c ... error: unsupported operation: can't call foreign function `strlen` on OS `linux`
  --> src/lib.rs:9:5
error: aborting due to 1 previous error
"""
CLEAN = "running 2 tests\ntest tests::a ... ok\ntest tests::b ... ok\n\ntest result: ok. 2 passed; 0 failed\n"


def test_miri_output_a_finding_names_the_test_and_the_place_and_turns_red() -> None:
    run = parse_miri_test(UB, exited_ok=False)
    assert run.status == "finding" and run.test == "tests::first_of_empty" and run.where == "src/lib.rs:2:14"
    assert run.finding.startswith("Undefined Behavior: memory access failed")
    assert run.passed == ("tests::plain_is_plain",)
    p = miri_run_proof(run, ["first"], ["first_of_empty", "plain_is_plain"])
    assert p.status == "failed" and p.detail.startswith("miri: Undefined Behavior: memory access failed")
    assert "at src/lib.rs:2:14 in tests::first_of_empty" in p.detail


def test_miri_output_unsupported_is_skipped_in_miris_words_and_clean_passes() -> None:
    uns = miri_run_proof(parse_miri_test(UNSUPPORTED, exited_ok=False), ["c"], ["calls_c"])
    assert uns.status == "skipped" and "can't call foreign function `strlen`" in uns.detail
    ok = miri_run_proof(parse_miri_test(CLEAN, exited_ok=True), ["first"], ["a", "b"])
    assert (ok.status, ok.count, ok.passed) == (
        "passed",
        2,
        2,
    ) and "no undefined behaviour found" in ok.detail
    failed = parse_miri_test("test t ... FAILED\n", exited_ok=False)
    assert failed.status == "failed" and failed.failed == ("t",)


def test_the_tests_that_reach_changed_unsafe_code_directly_or_through_a_safe_wrapper() -> None:
    lib = b"""
pub fn raw(v: &[u8]) -> u8 { unsafe { *v.as_ptr() } }
pub fn safe(v: &[u8]) -> u8 { if v.is_empty() { 0 } else { raw(v) } }
pub fn other() -> u8 { 1 }
#[cfg(test)]
mod tests {
    use super::*;
    #[test] fn direct() { assert_eq!(raw(&[1]), 1); }
    #[test] fn wrapped() { assert_eq!(safe(&[]), 0); }
    #[test] fn unrelated() { assert_eq!(other(), 1); }
}
"""
    it = b"#[test]\nfn through_macro() { assert_eq!(proofs::safe(&[2]), 2); }\n"
    assert reaching_tests({"src/lib.rs": lib, "tests/it.rs": it}, {"raw"}) == [
        "direct",
        "through_macro",
        "wrapped",
    ]
    # a second shape: an unsafe method in an impl, reached from a test through a constructor's caller
    old = b"pub struct Buf(Vec<u8>);\nimpl Buf {\n    pub fn at(&self, i: usize) -> u8 { unsafe { *self.0.get_unchecked(i) } }\n}\n"
    new = old.replace(b"get_unchecked(i)", b"as_ptr().add(i)")
    assert unsafe_fn_names({"src/buf.rs": (old, new)}) == {"at"}
    src = (
        new
        + b"pub fn head(b: &Buf) -> u8 { b.at(0) }\n#[test]\nfn heads() { head(&Buf(vec![3])); }\n#[test]\nfn none() {}\n"
    )
    assert reaching_tests({"src/buf.rs": src}, {"at"}) == ["heads"]


@pytest.fixture(scope="module")
def green(tmp_path_factory: pytest.TempPathFactory):
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = make_crate(tmp_path_factory.mktemp("miri") / "crate", UNSAFE_LIB, name="proofs_miri")
    patch = Patch.new(diff_of(root, UNSAFE_LIB.replace("*v.as_ptr()", "*v.as_ptr().add(0)")), "add(0)")
    return root, patch, api.validate(root, patch)


@pytest.mark.slow
def test_without_miri_nothing_runs_and_the_proof_says_why_in_rustups_words(green) -> None:
    root, patch, v = green
    assert v.green, v.reason
    st = probe_miri()
    miri = next(p for p in v.proofs if p.kind == "miri")
    if st.available:
        pytest.fail("miri is installed here: this test is for the machine without it; see the stand-in test")
    assert miri.status == "skipped" and miri.detail.startswith(f"miri: not installed ({st.reason})")
    assert with_miri(root, patch, v) == v  # nothing ran, nothing changed
    assert with_miri(root, patch, v, status=MiriStatus(available=False, reason="r")) == v


@pytest.mark.slow
def test_with_miri_present_the_reaching_tests_run_through_cargo_miri_test(
    green, tmp_path: Path, monkeypatch
) -> None:
    root, patch, v = green
    real = os.environ.get("CARGO") or __import__("shutil").which("cargo")
    log = tmp_path / "argv.txt"
    shim = tmp_path / "bin" / "cargo"
    shim.parent.mkdir()
    # the stand-in: records its argv, then runs the same tests natively (`+nightly miri test` -> `test`)
    shim.write_text(
        f"#!{sys.executable}\nimport os, sys\nopen({str(log)!r}, 'w').write(' '.join(sys.argv[1:]))\n"
        f"a = sys.argv[1:]\nassert a[:3] == ['+nightly', 'miri', 'test'], a\n"
        f"os.execv({real!r}, [{real!r}, 'test'] + a[3:])\n"
    )
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    out = with_miri(root, patch, v, status=MiriStatus(available=True, version="miri (stand-in)"))
    argv = log.read_text()
    assert argv.startswith("+nightly miri test --offline") and argv.endswith(
        "-- first_is_first"
    )  # not plain_is_plain
    miri = next(p for p in out.proofs if p.kind == "miri")
    assert miri.status == "passed" and (miri.count, miri.passed) == (1, 1), miri.detail
    assert miri.detail == "miri: 1 test(s) reaching first ran under miri, no undefined behaviour found."
    assert out.green

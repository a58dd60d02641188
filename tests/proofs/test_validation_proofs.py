"""Proofs on a real validation: check and tests with counts, miri told truthfully, all in the DevLog."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from diary.devlog import DevLog
from engine.patching import api
from engine.patching.render import validation_lines
from engine.patching.types import Patch
from engine.proofs.collect import miri_proof
from engine.proofs.fuzz import fuzz_patch
from tests.proofs.crates import UNSAFE_LIB, diff_of, make_crate
from toolbelt.doctor import check_miri
from toolbelt.miri import probe_miri

pytestmark = pytest.mark.slow


def _miri_installed_per_rustup() -> bool:
    """An independent witness: rustup's own list of installed nightly components."""
    if shutil.which("rustup") is None:
        return False
    out = subprocess.run(
        ["rustup", "component", "list", "--installed", "--toolchain", "nightly"],
        capture_output=True,
        text=True,
        timeout=30,
        env=dict(os.environ, RUSTUP_AUTO_INSTALL="0"),
    )
    return out.returncode == 0 and any(ln.startswith("miri") for ln in out.stdout.splitlines())


def test_miri_availability_is_reported_truthfully_by_probe_and_doctor() -> None:
    truth = _miri_installed_per_rustup()
    st = probe_miri()
    assert st.available == truth, st
    doc = check_miri()
    assert (doc.status == "ok") == truth
    if not truth:
        assert st.reason and st.reason in doc.detail and doc.fix  # rustup's own words, and the way out
        assert miri_proof(["src/lib.rs: f"]).detail.startswith("miri: not installed (")


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory):
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = make_crate(tmp_path_factory.mktemp("val") / "crate", UNSAFE_LIB, name="proofs_unsafe")
    new = UNSAFE_LIB.replace("unsafe { *v.as_ptr() }", "unsafe { *v.as_ptr().add(0) }")
    patch = Patch.new(diff_of(root, new), "reads the first byte through add(0)")
    v = api.validate(root, patch)
    rec = api.apply(root, patch, v)
    return root, v, rec


def test_a_validation_lists_what_ran_with_counts_and_why_miri_did_not(applied) -> None:
    _root, v, _rec = applied
    assert v.green, v.reason
    kinds = {p.kind: p for p in v.proofs}
    # clippy says "0 compile error(s)": its deny-level lints are counted apart (review A a08)
    assert kinds["check"].status == "passed" and re.search(
        r"\b0 (?:compile )?error\(s\)", kinds["check"].detail
    )
    assert (kinds["tests"].count, kinds["tests"].passed) == (2, 2)
    miri = kinds["miri"]
    assert miri.status == "skipped" and "src/lib.rs: first" in miri.detail and "plain" not in miri.detail
    assert miri.detail.startswith("miri: not installed (") != probe_miri().available
    assert any(line.startswith("  proof skipped: miri:") for line in validation_lines(v))


def test_the_devlog_record_of_the_validation_carries_the_proofs(applied) -> None:
    root, v, rec = applied
    log = DevLog.open(root, readonly=True)
    try:
        recs = [e for e in log.entries() if e.kind == "validation" and e.task == rec.op_id]
    finally:
        log.close()
    assert recs, "no validation record for the apply"
    proofs = recs[-1].payload.get("proofs")
    assert [p["kind"] for p in proofs] == [p.kind for p in v.proofs]
    assert proofs[-1]["detail"] == v.proofs[-1].detail


def test_fuzzing_unsafe_code_names_the_input_that_crashed_the_old_version(applied) -> None:
    root, _v, _rec = applied
    lib = (root / "src" / "lib.rs").read_text()
    guarded = lib.replace("    unsafe {", "    assert!(!v.is_empty());\n    unsafe {", 1)
    patch = Patch.new(diff_of(root, guarded), "guard the empty slice")
    proof = next(p for p in fuzz_patch(root, patch, intent="fix", time_s=5) if "first" in p.detail)
    assert proof.status == "evidence", proof.detail
    assert "the old version crashes (SIGSEGV) on first(&[]), the new one does not" in proof.detail


def test_a_proof_not_run_beside_errors_the_patch_does_not_touch_says_so(tmp_path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    broken = 'pub fn plain(x: u8) -> u8 {\n    x + 0\n}\n\npub fn bad() -> u8 {\n    "no"\n}\n'
    crate = make_crate(tmp_path / "c", broken, name="beside")
    patch = Patch.new(diff_of(crate, broken.replace("x + 0", "x")), "drop the + 0")
    v = api.validate(crate, patch, fuzz="refactor")
    assert not v.green and v.errors_after == 1 and not v.new_errors, v.reason
    (fuzz,) = [p for p in v.proofs if p.kind == "fuzz"]
    assert fuzz.detail == (
        "fuzz: not run: the crate still has 1 compile error(s) the patch does not touch, so nothing runs."
    )
    worse = Patch.new(diff_of(crate, broken.replace("x + 0", "x + y")), "a new error")
    (fuzz,) = [p for p in api.validate(crate, worse, fuzz="refactor").proofs if p.kind == "fuzz"]
    assert fuzz.detail == "fuzz: not run: the patch is already red."
    # a partial fix is green, and no harness builds beside the error left: said, and no cargo run for it
    two = broken.replace("x + 0", 'x + "0"')
    (crate / "src" / "lib.rs").write_text(two)
    partial = Patch.new(diff_of(crate, broken), "fix the first")
    v = api.validate(crate, partial, fuzz="fix")
    assert v.green and v.errors_after == 1, v.reason
    (fuzz,) = [p for p in v.proofs if p.kind == "fuzz"]
    assert (
        fuzz.detail == "fuzz: not run: 1 other compile error(s) remain in the crate, so nothing can run yet."
    )

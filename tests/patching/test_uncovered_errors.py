"""The patch gate with real cargo: an error of a later rustc pass that a patch only lets rustc reach.

rustc's privacy pass runs after type checking, so a struct literal with private fields reports
E0451 only once the crate's E0624 (a private associated fn called) is gone. Making the fn `pub` is
a necessary first step: the gate must call that E0451 uncovered, not added by the patch, while an
error on a line the patch wrote stays the patch's own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.types import Patch
from tests.patching.helpers import git

pytestmark = [pytest.mark.slow]

LEDGER = """mod money {
    pub struct Entry {
        amount: i64,
        memo: String,
    }

    impl Entry {
        fn open(amount: i64) -> Entry {
            Entry { amount, memo: String::new() }
        }

        pub fn amount(&self) -> i64 {
            self.amount
        }
    }
}

pub fn first() -> i64 {
    money::Entry::open(5).amount()
}

pub fn zero() -> i64 {
    let e = money::Entry { amount: 0, memo: String::from("z") };
    e.amount()
}
"""


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "ledger"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(LEDGER)
    (root / ".gitignore").write_text("/target/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def _diff(root: Path, old: str, new: str) -> str:
    """The git diff of one replacement in lib.rs; the file is put back after."""
    lib = root / "src" / "lib.rs"
    lib.write_text(LEDGER.replace(old, new))
    try:
        return git(root, "diff")
    finally:
        lib.write_text(LEDGER)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.getbasetemp() / "rusta-cache"
    cache.mkdir(exist_ok=True)
    os.environ["RUSTA_CACHE_DIR"] = str(cache)
    return _crate(tmp_path_factory.mktemp("uncovered") / "ledger")


def test_a_privacy_error_rustc_hid_is_uncovered_not_added(ledger: Path) -> None:
    diff = _diff(ledger, "        fn open(", "        pub fn open(")
    v = api.validate(ledger, Patch.new(diff, "make open pub"), lints=False)
    assert v.verdict == "green", v.reason
    assert v.new_errors == () and v.errors_before == 1 and v.errors_after == 1
    assert "adds none" in v.reason and "E0451" in v.reason, v.reason
    assert (
        "rustc then reports 1 error(s) it had hidden behind it (a later pass), on lines the patch did not write"
        in (v.reason)
    ), v.reason
    assert "src/lib.rs:23" in v.reason, v.reason
    assert len(v.uncovered_errors) == 1 and "E0451" in v.uncovered_errors[0], v.uncovered_errors
    check = next(p for p in v.proofs if p.kind == "check")
    assert check.status == "passed" and "1 uncovered" in check.detail, check


def test_a_later_pass_error_on_a_written_line_is_the_patchs(ledger: Path) -> None:
    """The same E0451, but on a line the patch wrote (the call rewritten as a struct literal)."""
    diff = _diff(
        ledger,
        "    money::Entry::open(5).amount()",
        '    money::Entry { amount: 5, memo: String::from("m") }.amount()',
    )
    v = api.validate(ledger, Patch.new(diff, "build the entry by hand"), lints=False)
    assert v.verdict == "red", v.reason
    assert "the patch adds 1 compile error(s): error[E0451]" in v.reason, v.reason
    assert "src/lib.rs:19" in v.reason, v.reason
    # the untouched literal in zero() is still one rustc hid; the written one is the patch's
    assert v.new_errors == (v.new_errors[0],) and "src/lib.rs:19" in v.new_errors[0], v.new_errors
    assert len(v.uncovered_errors) == 1 and "src/lib.rs:23" in v.uncovered_errors[0], v.uncovered_errors

"""The gym's own test-code and failing-suite episodes, on a real crate with real cargo and git.

A mistake inside `#[cfg(test)]` breaks only the test build, so the gym must find it with the test
build and Rusta must repair it there. A crate whose suite already fails before the mistake must be
judged as `rusta fix` judges it: solved when only the test that already failed still fails.
"""

from __future__ import annotations

from pathlib import Path

from engine.gym.episodes import generate
from engine.gym.failing_suite import break_one_test, mend
from engine.gym.families import in_test_module
from engine.gym.mutate import apply
from engine.gym.runner import _snapshot, run_episode
from toolbelt.cargo_run import run_check, run_test

LIB = """pub fn total(values: &[u32]) -> u32 {
    let mut sum = 0;
    for v in values {
        sum += v;
    }
    sum
}

pub fn label(name: &str) -> String {
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums() {
        let mut values = vec![1, 2];
        values.push(3);
        assert_eq!(total(&values), 6);
    }

    #[test]
    fn labels() {
        assert_eq!(label("a"), "a");
    }
}
"""


def _crate(tmp_path: Path) -> Path:
    root = tmp_path / "tally"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "tally"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(LIB)
    return root


def test_a_mistake_in_test_code_is_found_by_the_test_build_and_repaired(tmp_path: Path) -> None:
    root = _crate(tmp_path)
    pristine = _snapshot(root)
    eps = generate("tally", root, seed=1, count=1, operators={"test-module-mistake": in_test_module})
    assert _snapshot(root) == pristine and len(eps) == 1
    ep = eps[0]
    assert ep.mutation.kind == "test-module-mistake" and ep.mutation.line > LIB[
        : LIB.index("#[cfg(test)]")
    ].count("\n")
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply(LIB.encode(), ep.mutation))
    assert run_check(root, all_targets=False).status == "clean"  # the library alone still builds
    lib.write_text(LIB)
    by = {o.method: o for o in run_episode(ep, root, pristine, ["nothing", "rusta"])}
    assert not by["nothing"].solved
    assert by["rusta"].solved and not by["rusta"].broken_apply


def test_an_already_failing_test_is_never_blamed_on_the_fix(tmp_path: Path) -> None:
    root = _crate(tmp_path)
    broken = break_one_test(root)
    assert broken is not None
    pre, failing = broken
    assert failing == frozenset({"tests::sums"}) and (root / ".git").is_dir()
    pristine = _snapshot(root)
    eps = generate("tally", root, seed=1, count=1)
    assert len(eps) == 1 and _snapshot(root) == pristine
    by = {o.method: o for o in run_episode(eps[0], root, pristine, ["nothing", "rusta"], excused=failing)}
    assert not by["nothing"].solved and not by["nothing"].broken_apply
    assert by["rusta"].solved and by["rusta"].exact and not by["rusta"].broken_apply
    # the same fix judged without the excuse: the gym would call it broken, whatever the patch did
    strict = run_episode(eps[0], root, pristine, ["rusta"])[0]
    assert not strict.solved and strict.broken_apply
    mend(root, pre)
    assert (root / "src" / "lib.rs").read_text() == LIB and not (root / ".git").exists()
    assert run_test(root).status == "passed"

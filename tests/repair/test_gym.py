"""The gym: mutation operators (pure), manifest stripping (pure), episodes and judging with real cargo."""

from __future__ import annotations

from engine.gym.crates import is_held_out, strip_manifest
from engine.gym.episodes import generate
from engine.gym.mutate import apply, sites
from engine.gym.runner import _snapshot, run_episode

SRC = """use std::fmt;

#[derive(Debug, Clone)]
pub struct A { v: Vec<u8> }

pub fn f(a: &A) -> Result<usize, fmt::Error> {
    let mut n = a.v.clone().len();
    n += g(&a.v)?;
    Ok(n)
}
// let mut not_code = 1;
#[cfg(test)]
mod tests { fn t() { let mut x = 1; x += 1; } }
"""


def test_operators_find_sites_outside_comments_and_tests():
    found = sites("src/lib.rs", SRC)
    kinds = {m.kind for m in found}
    assert {
        "missing-mut",
        "missing-clone",
        "missing-question-mark",
        "missing-use",
        "missing-derive",
        "missing-ref",
    } <= kinds
    for m in found:
        assert m.line < SRC.count("\n", 0, SRC.index("#[cfg(test)]")) + 1
        assert "not_code" not in SRC.splitlines()[m.line - 1]


def test_apply_is_exactly_one_edit():
    data = SRC.encode()
    for m in sites("src/lib.rs", SRC):
        out = apply(data, m)
        assert out != data
        assert out[: m.start] == data[: m.start]
        assert out[m.start + len(m.replacement.encode()) :] == data[m.end :]


def test_strip_manifest_drops_dev_sections_only():
    text = '[package]\nname = "x"\n\n[dependencies.a]\nversion = "1"\n\n[dev-dependencies.b]\nversion = "2"\n\n[[bench]]\nname = "z"\n\n[features]\nstd = []\n'
    out = strip_manifest(text)
    assert "[dependencies.a]" in out and "[features]" in out
    assert "dev-dependencies" not in out and "[[bench]]" not in out and 'version = "2"' not in out


def test_held_out_crates_are_recognised_in_both_spellings():
    assert is_held_out("unicode-width") and is_held_out("unicode_width") and is_held_out("semver-parser")
    assert not is_held_out("semver")


def test_episodes_are_deterministic_real_failures_and_judged(fixture_crate):
    root = fixture_crate("gym_small")
    pristine = _snapshot(root)
    first = generate("gym_small", root, seed=3, count=3, max_tries=12)
    assert _snapshot(root) == pristine, "generation must restore the crate"
    again = generate("gym_small", root, seed=3, count=3, max_tries=12)
    assert [e.id for e in first] == [e.id for e in again] and first
    assert all(e.codes for e in first)
    outcomes = run_episode(first[0], root, pristine, ["nothing", "rusta"])
    by = {o.method: o for o in outcomes}
    assert not by["nothing"].solved and not by["nothing"].broken_apply
    assert by["rusta"].solved and not by["rusta"].broken_apply
    assert _snapshot(root) == pristine


def test_prepare_drops_only_top_level_test_folders(tmp_path, monkeypatch):
    import engine.gym.crates as crates

    src = tmp_path / "registry" / "demo-1.0.0"
    (src / "src" / "tests").mkdir(parents=True)
    (src / "tests").mkdir()
    (src / "Cargo.toml").write_text(
        '[package]\nname = "demo"\nversion = "1.0.0"\n\n[dev-dependencies]\nx = "1"\n'
    )
    (src / "src" / "lib.rs").write_text("mod tests;\n")
    (src / "src" / "tests" / "mod.rs").write_text("\n")
    (src / "tests" / "it.rs").write_text("\n")
    (src / "Cargo.lock").write_text("\n")
    monkeypatch.setattr(crates, "REGISTRY", tmp_path / "registry")
    out = crates.prepare("demo", tmp_path / "out")
    assert (out / "src" / "tests" / "mod.rs").exists()
    assert not (out / "tests").exists() and not (out / "Cargo.lock").exists()
    assert "dev-dependencies" not in (out / "Cargo.toml").read_text()


def test_the_bench_rates_the_confidence_head_on_rustas_fixes() -> None:
    from bench.bench_repair import confidence_figures
    from engine.gym.runner import Outcome

    def o(conf: float | None, exact: bool, solved: bool = True, method: str = "rusta") -> Outcome:
        return Outcome(
            episode="e", kind="k", method=method, solved=solved, exact=exact, changed=(),
            broken_apply=False, validations=1, seconds=0.1, confidence=conf,
        )  # fmt: skip

    got = confidence_figures(
        [o(0.9, True), o(0.8, True), o(0.3, False), o(0.99, True, solved=False), o(None, True)]
    )
    assert got is not None and got["fixes rated"] == 3 and got["AUROC"] == 1.0
    assert 0 < got["ECE"] < 0.3
    assert confidence_figures([o(None, True), o(0.5, True, method="rusta-no-heads")]) is None


def test_the_bench_counts_what_the_confidence_gate_holds_back() -> None:
    from bench.bench_repair import gated_row
    from engine.gym.runner import Outcome

    def o(conf: float | None, exact: bool, solved: bool = True, method: str = "rusta") -> Outcome:
        return Outcome(
            episode="e", kind="k", method=method, solved=solved, exact=exact, changed=(),
            broken_apply=False, validations=2, seconds=0.1, confidence=conf,
        )  # fmt: skip

    outcomes = [
        o(0.9, True), o(0.8, False), o(0.3, False), o(0.5, True), o(None, False), o(0.99, True, solved=False),
        o(0.1, False, method="rusta-no-heads"),
    ]  # fmt: skip
    row = gated_row(outcomes, 0.75)
    assert row is not None and row["episodes"] == 6
    assert row["abstained"] == 2 and row["abstained, not exact"] == 1  # 0.3 and 0.5 held back
    assert row["applied, not exact"] == 2  # 0.8 and the unrated fix go through
    assert row["fix rate"] == 0.5 and row["exact among fixes"] == 0.333
    assert gated_row(outcomes, None) is None


def test_a_fresh_copy_is_rebuilt_not_judged_by_the_last_build_at_its_path(tmp_path, monkeypatch):
    """The registry's sources are years old: a copy that kept their mtimes looked older than the last
    build at the same path, so cargo reused that build's test binary (one with a failing test)."""
    import os

    import engine.gym.crates as crates
    from toolbelt.cargo_run import run_test

    src = tmp_path / "registry" / "demo-1.0.0"
    (src / "src").mkdir(parents=True)
    (src / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "1.0.0"\nedition = "2021"\n')
    (src / "src" / "lib.rs").write_text("#[cfg(test)]\nmod tests {\n    #[test]\n    fn ok() {}\n}\n")
    for p in (src / "Cargo.toml", src / "src" / "lib.rs"):
        os.utime(p, (1_500_000_000, 1_500_000_000))  # 2017, as Debian's sources are
    monkeypatch.setattr(crates, "REGISTRY", tmp_path / "registry")
    out = crates.prepare("demo", tmp_path / "out")
    lib = out / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("fn ok() {}", "fn ok() { assert!(false) }"))
    assert run_test(out).status == "failed"
    out = crates.prepare("demo", tmp_path / "out")
    assert run_test(out).status == "passed"

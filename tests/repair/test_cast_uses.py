"""A variable converted once for all its uses never casts a use that is cast already: the general
mistake is a conversion that writes `(n as T) as T` (or leaves `n as T` once `n` itself is `T`).
Real cargo on two crates written here: each has a use the code already casts beside bare ones."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.explain.casts import casts_cost
from engine.repair.numeric import operand_cast
from engine.repair.targets import errors_of
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SPREAD = """pub fn spread(total: u32, parts: usize) -> (u32, u32, u32) {
    let each = total / parts;
    let rest = total % parts;
    let check = total - (parts as u32) * each;
    (each, rest, check)
}
"""

BUCKET = """pub fn bucket(hash: u64) -> u64 {
    let slots = std::mem::size_of::<[u8; 24]>();
    let low = hash % slots;
    let high = (hash >> 8) % slots;
    let wide = (hash >> 16) % slots as u64;
    low ^ high ^ wide
}
"""


@pytest.mark.parametrize(
    ("name", "src", "var", "target", "hazard"),
    [
        (
            "spread",
            SPREAD,
            "parts",
            "u32",
            "keeps the low 32 bits: a `usize` above `u32::MAX` changes, and may turn zero",
        ),
        ("bucket", BUCKET, "slots", "u64", ""),
    ],
)
def test_a_use_cast_already_is_not_cast_again_and_each_conversion_compiles(
    tmp_path: Path, name: str, src: str, var: str, target: str, hazard: str
) -> None:
    root = write_lib(tmp_path, name, src)
    errors = errors_of(run_check(root, target_dir=tmp_path / "target"))
    assert errors

    def read(rel: str) -> bytes | None:
        return (root / rel).read_bytes()

    pairs = [(d, c) for d in errors for c in operand_cast(d, read) if f"`{var}`" in c.description]
    cands = [c for _, c in pairs]
    titles = {c.description for c in cands}
    assert f"convert `{var}` with `as {target}` at the 2 of its 3 uses that have no cast" in titles
    once = [c for c in cands if f"let {var} = {var} as {target};" in c.description]
    assert once
    for d, c in pairs:
        if "uses" not in c.description and "once" not in c.description:
            continue
        new = apply_edits(src.encode(), list(c.edits)).decode()
        diff = "".join(difflib.unified_diff(src.splitlines(True), new.splitlines(True)))
        # the narrowing is said even where the fix moves a cast the code had (net count unchanged);
        # a widening (`usize` to `u64` on a 64-bit target) has none to say
        assert hazard == casts_cost(c.edits, diff, None, d, lambda _: src.encode()), c.description
        assert f"as {target}) as {target}" not in new and f"as {target} as {target}" not in new, new
        if "once" in c.description:  # `var` is `target` now: its old cast would be `T as T`
            assert new.count(f"{var} as {target}") == 1, new
        (root / "src" / "lib.rs").write_text(new)
        assert not errors_of(run_check(root, target_dir=tmp_path / "target")), (c.description, new)

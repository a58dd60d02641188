"""A patch to one workspace member, validated from the workspace root (real cargo).

`broken` has a compile error of its own that no patch to `geom` can reach. Checking the whole
workspace made every patch to `geom` red ("fixes no compile error"), so a clean member's patch was
never proven from the root. The sandbox now checks and tests the members the patch can break:
`geom`, and `user`, which depends on it (by path, and through `[workspace.dependencies]`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.edits import unified_diff
from engine.patching import api
from engine.patching.types import Patch
from tests.proofs.crates import committed, run_rusta
from toolbelt.cargo_workspace import affected_packages

pytestmark = [pytest.mark.slow]


def member(name: str, deps: str = "") -> str:
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}'


GEOM = "pub fn area(w: u32, h: u32) -> u32 {\n    w * h\n}\n"
FILES = {
    "Cargo.toml": (
        '[workspace]\nmembers = ["geom", "user", "tool", "broken"]\nresolver = "2"\n\n'
        '[workspace.dependencies]\ngeom = { path = "geom" }\n'
    ),
    "geom/Cargo.toml": member("geom"),
    "geom/src/lib.rs": GEOM,
    "user/Cargo.toml": member("user", 'geom = { path = "../geom" }\n'),
    "user/src/lib.rs": (
        "pub fn square(s: u32) -> u32 {\n    geom::area(s, s)\n}\n\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn nine() {\n        assert_eq!(super::square(3), 9);\n    }\n}\n"
    ),
    "tool/Cargo.toml": member("tool", "geom.workspace = true\n"),
    "tool/src/lib.rs": "pub fn unit() -> u32 {\n    geom::area(1, 1)\n}\n",
    "broken/Cargo.toml": member("broken"),
    "broken/src/lib.rs": 'pub fn n() -> u32 {\n    "not a number"\n}\n',
}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return committed(root)


def geom_patch(root: Path, new: str) -> Patch:
    old = (root / "geom/src/lib.rs").read_bytes()
    return Patch.new(unified_diff({"geom/src/lib.rs": old}, {"geom/src/lib.rs": new.encode()}), "geom")


def test_the_packages_a_change_can_break(ws: Path) -> None:
    assert affected_packages(ws, ["geom/src/lib.rs"]) == ("geom", "tool", "user")
    assert affected_packages(ws, ["broken/src/lib.rs"]) == ("broken",)
    assert affected_packages(ws, ["Cargo.toml"]) is None, "the root manifest touches every member"
    assert affected_packages(ws, ["README.md"]) is None, "a file outside every package"


def test_a_clean_members_patch_is_proven_from_the_root(ws: Path) -> None:
    same = geom_patch(ws, "pub fn area(w: u32, h: u32) -> u32 {\n    h * w\n}\n")
    v = api.validate(ws, same)
    assert v.green, v.reason
    assert v.tests_run >= 1, "user's test ran: the patch's dependents are tested, not only built"

    wrong = geom_patch(ws, "pub fn area(w: u32, h: u32) -> u32 {\n    w + h\n}\n")
    v = api.validate(ws, wrong)
    assert not v.green and "nine" in v.reason, v.reason

    renamed = geom_patch(ws, "pub fn surface(w: u32, h: u32) -> u32 {\n    w * h\n}\n")
    v = api.validate(ws, renamed)
    assert not v.green and "compile error" in v.reason, "a dependent member that no longer builds is red"


def test_review_from_the_root_tests_the_members_a_change_reaches(ws: Path) -> None:
    """`broken` does not compile at base or head; the change to `geom` breaks `user`'s test, and the
    review says so (it ran no test at all when it tested the whole workspace)."""
    (ws / "geom/src/lib.rs").write_text("pub fn area(w: u32, h: u32) -> u32 {\n    w + h\n}\n")
    out = run_rusta(ws, "review", "--base", "HEAD", "--json", ".")
    review = json.loads(out.stdout)
    assert review["tests"]["broken"] == ["tests::nine"], out.stdout + out.stderr
    assert [f["rule"] for f in review["findings"]] == ["rusta/test-broken"]
    assert out.returncode == 1, "a broken test fails the review"

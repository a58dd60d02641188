"""The names each file defines are kept on disk: a second run parses no file that did not change, a
changed file is parsed again, a removed one drops out, and the answer is the parser's."""

from __future__ import annotations

from pathlib import Path

import pytest

import engine.syntax.tree as tree
from engine.explain import names_cache
from engine.explain.names_cache import crate_defined_names


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _crate(root: Path) -> Path:
    (root / "src" / "shapes").mkdir(parents=True)
    (root / "src" / "lib.rs").write_text(
        "pub mod shapes;\n#[derive(Clone)]\npub struct Pantry;\npub trait Stock {}\n"
    )
    (root / "src" / "shapes" / "mod.rs").write_text(
        "pub enum Shape { A }\nmod inner { pub struct Hidden; }\n"
    )
    return root


def test_a_second_run_parses_nothing_and_a_changed_file_is_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _crate(tmp_path / "c")
    rels = ["src/lib.rs", "src/shapes/mod.rs"]
    first = crate_defined_names(root, rels)
    assert first == {
        "type": frozenset({"Pantry", "Shape", "Hidden"}),
        "trait": frozenset({"Stock"}),
        "clone": frozenset({"Pantry"}),
    }
    parsed: list[bytes] = []
    real = tree.defined_names

    def counting(source: bytes) -> dict[str, frozenset[str]]:
        parsed.append(source)
        return real(source)

    monkeypatch.setattr(tree, "defined_names", counting)
    assert crate_defined_names(root, rels) == first and parsed == []
    (root / "src" / "lib.rs").write_text("pub mod shapes;\npub struct Larder;\n")
    assert crate_defined_names(root, rels) == {
        "type": frozenset({"Larder", "Shape", "Hidden"}),
        "trait": frozenset(),
        "clone": frozenset(),
    }
    assert len(parsed) == 1
    assert crate_defined_names(root, ["src/lib.rs"])["type"] == {"Larder"}  # the removed file drops out
    assert len(parsed) == 1


def test_a_damaged_cache_is_a_miss(tmp_path: Path) -> None:
    root = _crate(tmp_path / "d")
    crate_defined_names(root, ["src/lib.rs"])
    names_cache.cache_path(root).write_bytes(b"\x00garbage")
    assert crate_defined_names(root, ["src/lib.rs"]) == {
        "type": frozenset({"Pantry"}),
        "trait": frozenset({"Stock"}),
        "clone": frozenset({"Pantry"}),
    }

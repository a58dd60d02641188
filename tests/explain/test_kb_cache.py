"""The KB's parsed TOML is kept on disk: a second reader decodes the same table without tomllib, and
any change to the source's bytes (even one that keeps its size and mtime) is parsed again."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from engine.explain import kb_cache
from engine.explain.errors import KBEntryInvalid
from engine.explain.kb_loader import KB_DIR, load_entry

ENTRY = (KB_DIR / "rustc" / "E0382.toml").read_text()


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))  # no other test's KB entries in it


def test_the_cached_table_is_tomllibs_and_a_changed_source_is_parsed_again(tmp_path: Path) -> None:
    src = tmp_path / "rustc" / "E0382.toml"
    src.parent.mkdir()
    src.write_text(ENTRY)
    first = kb_cache.parse_toml(src)
    assert first == tomllib.loads(ENTRY)
    cached = list(kb_cache._folder().glob("E0382-*.msgpack"))
    assert len(cached) == 1
    assert kb_cache.parse_toml(src) == first
    stat = src.stat()
    changed = ENTRY.replace('code = "E0382"', 'code = "E0383"')
    assert len(changed) == len(ENTRY)
    src.write_text(changed)
    os.utime(src, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: the bytes decide
    assert kb_cache.parse_toml(src)["code"] == "E0383"
    assert list(kb_cache._folder().glob("E0382-*.msgpack")) == cached  # replaced, not added to


def test_a_damaged_cache_entry_is_a_miss_and_invalid_toml_is_still_refused(tmp_path: Path) -> None:
    src = tmp_path / "rustc" / "E0382.toml"
    src.parent.mkdir()
    src.write_text(ENTRY)
    kb_cache.parse_toml(src)
    for spot in kb_cache._folder().glob("E0382-*.msgpack"):
        spot.write_bytes(b"\x93not msgpack")
    assert load_entry(src).code == "E0382"
    src.write_text(ENTRY + "\n[broken\n")
    with pytest.raises(KBEntryInvalid, match="E0382.toml is invalid"):
        load_entry(src)


def test_a_warm_explain_reads_the_kb_without_importing_tomllib(tmp_path: Path) -> None:
    code = (
        "import sys; from engine.explain.kb_loader import lookup; from engine.explain.invariants import "
        "invariant_for; lookup('E0382'); invariant_for('E0433', ''); print('tomllib' in sys.modules)"
    )
    env = dict(os.environ)
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        for _ in "ab"
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]  # the first run parses and caches

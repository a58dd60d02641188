"""Every knowledge-base entry decodes with unknown fields forbidden; broken entries are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.errors import KBEntryInvalid
from engine.explain.kb_loader import KB_DIR, kb_files, load_entry, load_kb, lookup


@pytest.mark.parametrize("path", kb_files(), ids=lambda p: p.name)
def test_every_entry_loads(path: Path) -> None:
    entry = load_entry(path)
    assert entry.options and all(o.tradeoff.strip() for o in entry.options)
    assert entry.summary.strip() and entry.why.strip() and entry.invariant.strip()


def test_examples_are_present_and_looked_up_by_code() -> None:
    kb = load_kb()
    for code in ("E0382", "E0308", "E0599", "clippy::needless_range_loop"):
        assert code in kb
        assert lookup(code) == kb[code]
    assert lookup("E9999") is None and lookup(None) is None


def _write(tmp: Path, sub: str, name: str, text: str) -> Path:
    (tmp / sub).mkdir(parents=True, exist_ok=True)
    p = tmp / sub / name
    p.write_text(text)
    return p


GOOD = (KB_DIR / "rustc" / "E0382.toml").read_text()


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "rustc", "E0382.toml", GOOD + '\nsevrity = "high"\n')
    with pytest.raises(KBEntryInvalid, match="sevrity"):
        load_entry(p)


def test_file_name_must_match_code(tmp_path: Path) -> None:
    p = _write(tmp_path, "rustc", "E0383.toml", GOOD)
    with pytest.raises(KBEntryInvalid, match="does not match the file name"):
        load_entry(p)


def test_unknown_placeholder_in_summary_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "rustc", "E0382.toml", GOOD.replace("{root_label}", "{root_lable}"))
    with pytest.raises(KBEntryInvalid, match="root_lable"):
        load_entry(p)


def test_unknown_strategy_is_refused(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "rustc",
        "E0382.toml",
        GOOD.replace('root_cause = "moved_at"', 'root_cause = "moved_somewhere"'),
    )
    with pytest.raises(KBEntryInvalid):
        load_entry(p)

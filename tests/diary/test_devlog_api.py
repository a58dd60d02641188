"""The public DevLog API other packages write through: append, read back, settle, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary import schema
from diary.devlog import DevLog
from diary.errors import DiaryError, EntryNotFound, InvalidEntry


def test_append_read_settle_reopen(tmp_path: Path) -> None:
    with DevLog.open(tmp_path, session="s1") as log:
        a = log.append("intent", {"summary": "fix E0382 in src/lib.rs"}, repo_state={"snapshot": "abc"})
        b = log.append("action", {"summary": "cargo check", "argv": ["cargo", "check"]}, task=a)
        assert [e.id for e in log.open_intents()] == [a]
        c = log.append("validation", {"summary": "green"}, settles=a)
        assert log.open_intents() == []
    with DevLog.open(tmp_path) as log:
        got = list(log.entries())
        assert [e.id for e in got] == [a, b, c]
        assert [e.kind for e in got] == ["intent", "action", "validation"]
        assert got[0].task == a and got[1].task == a and got[2].task == a
        assert got[0].repo_state == {"snapshot": "abc"} and got[0].session == "s1"
        assert got[2].settles == a and got[0].version == schema.CURRENT_VERSION
        assert log.get(b).payload["argv"] == ["cargo", "check"]
        assert log.get(c[:-2]).id == c
        assert log.recovery.clean


def test_bad_input_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with DevLog.open(tmp_path) as log:
        with pytest.raises(InvalidEntry):
            log.append("bogus", {"summary": "x"})  # type: ignore[arg-type]
        with pytest.raises(InvalidEntry):
            log.append("note", {"summary": "x"}, settles="nope")
        with pytest.raises(InvalidEntry):
            log.append("note", {"summary": object()})
        with pytest.raises(EntryNotFound):
            log.get("nope")
        assert len(log) == 0
    assert issubclass(InvalidEntry, DiaryError) and DiaryError.user_facing


def test_readonly_open_of_missing_log_creates_nothing(tmp_path: Path) -> None:
    log = DevLog.open(tmp_path, readonly=True)
    assert list(log.entries()) == [] and log.open_intents() == []
    assert not (tmp_path / ".rusta").exists()
    with pytest.raises(InvalidEntry):
        log.append("note", {"summary": "x"})

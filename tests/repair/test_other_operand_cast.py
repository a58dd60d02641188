"""A cast dropped where one operand was bound shows up at the comparison as the other side's error:
rustc converts the side it reports (`stored.into()`), the fix is the other operand's cast where its
`let` gives it a value. Real cargo on two crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.cast_uses import other_operand_cast
from tests.explain.crates import write_lib
from tests.repair.restore import assert_restored
from toolbelt.cargo_run import run_check

CRC = """pub fn checks(data: &[u8], stored: u16) -> bool {
    let calced = data.iter().map(|b| *b as u32).sum::<u32>() as u16;
    calced == stored
}
"""

LIMIT = """pub fn fits(items: &[u64], limit: u8) -> bool {
    let count = (items.len() + 1) as u8;
    if count < limit {
        return true;
    }
    false
}
"""


@pytest.mark.parametrize(("name", "good", "cast"), [("crc", CRC, " as u16;"), ("limit", LIMIT, " as u8;")])
def test_the_other_operand_is_cast_where_it_is_bound(tmp_path: Path, name: str, good: str, cast: str) -> None:
    bad = (
        good.replace(cast, ";")
        if name == "crc"
        else good.replace("(items.len() + 1) as u8;", "items.len() + 1;")
    )
    assert_restored(tmp_path, name, bad, good)


def test_the_cast_goes_where_the_let_gives_the_value_and_at_the_operator(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "crc", CRC.replace(" as u16;", ";"))
    (d,) = [d for d in run_check(root).diagnostics if d.level == "error"]
    got = [c.edits[0].replacement for c in other_operand_cast(d, lambda rel: (root / rel).read_bytes())]
    assert got == [" as u16", "(calced as u16)"]

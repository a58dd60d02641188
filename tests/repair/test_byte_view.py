"""Text passed where bytes are read (`&[u8]` expected, `&str` or `String` found): the grammar offers
`.as_bytes()`, the view a developer writes. Real cargo on two crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repair.restore import assert_restored

EMIT = """use std::io::Write;

pub fn emit(out: &mut Vec<u8>, line: &str) -> std::io::Result<()> {
    out.write_all(line.as_bytes())?;
    out.write_all(b"\\n")
}
"""

DIGEST = """pub fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().map(|b| *b as u32).sum()
}

pub struct Doc {
    pub title: String,
}

impl Doc {
    pub fn digest(&self) -> u32 {
        checksum(self.title.as_bytes())
    }
}
"""


@pytest.mark.parametrize(
    ("name", "good", "view"), [("emit", EMIT, "line.as_bytes()"), ("digest", DIGEST, "self.title.as_bytes()")]
)
def test_text_where_bytes_are_read_is_viewed_as_bytes(
    tmp_path: Path, name: str, good: str, view: str
) -> None:
    assert_restored(tmp_path, name, good.replace(view, view.removesuffix(".as_bytes()")), good)

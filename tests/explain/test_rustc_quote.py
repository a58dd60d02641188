"""When Rusta says rustc's suggestion falls short, she quotes it as rustc wrote it: an inserted `&`
is quoted with the whole expression it borrows (`&self.shelf[k].title`), never cut at a bracket
(`&self.shelf`), which is code rustc never suggested (#14). Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

REPO = Path(__file__).resolve().parents[2]

SRC = """pub struct Book { pub title: String }
pub struct Library { pub shelf: Vec<Book> }

impl Library {
    pub fn titles(&self) -> Vec<String> {
        let mut out = Vec::new();
        for k in 0..self.shelf.len() {
            let t = self.shelf[k].title;
            out.push(t);
        }
        out
    }
}
"""


def test_rustcs_borrow_is_quoted_whole(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "quote", SRC)
    cache = {"RUSTA_CACHE_DIR": str(tmp_path / "cache")}
    text = rusta("explain", str(crate), "--no-clippy", "--no-log", env=cache, columns=200, timeout=300).stdout
    said = [ln for ln in text.splitlines() if "rustc's `" in ln]
    assert said, text
    assert all("`&self.shelf[k].title`" in ln for ln in said), said
    assert "`&self.shelf`" not in text

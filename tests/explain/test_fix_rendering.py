"""How `rusta explain` prints a fix and rustc's text, on crates written here and real cargo (#14):

- an inserted block reads as code: slid to whole lines (no stray `}` borrowed from the item above)
  and shown as a short hunk under where it goes, not as backticked fragments on one line;
- a pair-mode fix line is short enough to scan (the first remaining error's full message is study's);
- a second error folded into a story is one location line, not rustc's rendering again;
- a URL is never cut at a hyphen, and one name is used for one type across a story.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.edits import unified_diff
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

REPO = Path(__file__).resolve().parents[2]

# `?` needs `From<FromUtf8Error>`: the fix is a new impl right after the enum, whose `}` the naive
# diff takes as the first line it inserts
MISSING_FROM = """#[derive(Debug)]
pub enum FetchError {
    Empty,
    BadText(std::string::FromUtf8Error),
}

impl FetchError {
    pub fn is_empty(&self) -> bool {
        matches!(self, FetchError::Empty)
    }
}

pub fn decode(bytes: Vec<u8>) -> Result<String, FetchError> {
    if bytes.is_empty() {
        return Err(FetchError::Empty);
    }
    let text = String::from_utf8(bytes)?;
    Ok(text)
}
"""

# a private method and a private field of a type in a module: two stories, each fix leaves the other
PRIVATE_ITEMS = """mod stock {
    pub struct Item {
        name: String,
        pence: u64,
    }

    impl Item {
        pub fn new(name: &str) -> Self {
            Item { name: name.to_string(), pence: 0 }
        }

        fn reprice(&mut self, pence: u64) {
            self.pence = pence;
        }
    }
}

pub use stock::Item;

pub fn discount(item: &mut Item) -> u64 {
    item.reprice(10);
    item.pence / 2
}
"""

# one closure borrows two locals: two E0373 from one cause, folded into one story
TWO_BORROWS = """use std::thread;

pub fn measure() -> usize {
    let label = String::from("run");
    let extra = vec![1u8, 2, 3];
    let h = thread::spawn(|| label.len() + extra.len());
    h.join().unwrap()
}
"""

# clippy's map_entry help ends with a doc URL that has a hyphen in its host name
ENTRY_API = """use std::collections::HashMap;

pub struct Seen {
    pub times: u32,
    pub last: usize,
}

pub fn index(words: &[&str]) -> HashMap<String, Seen> {
    let mut out = HashMap::new();
    for (n, w) in words.iter().enumerate() {
        let name = w.to_lowercase();
        if !out.contains_key(&name) {
            out.insert(name, Seen { times: 1, last: n });
        } else {
            let s = out.get_mut(&name).unwrap();
            s.times += 1;
            s.last = n;
        }
    }
    out
}
"""


def _explain(tmp: Path, crate: Path, *args: str) -> str:
    cache = {"RUSTA_CACHE_DIR": str(tmp / "cache")}
    done = rusta("explain", str(crate), "--no-log", *args, env=cache, columns=200, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def _balanced(rows: list[str]) -> bool:
    depth = 0
    for ch in "".join(rows):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_an_inserted_block_is_slid_whole_and_shown_as_a_hunk(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "fetch", MISSING_FROM)
    pair = _explain(tmp_path, crate, "--mode", "pair", "--no-clippy").splitlines()
    enum_end = MISSING_FROM.splitlines().index("}") + 1
    head = next(i for i, ln in enumerate(pair) if "Fix ✓" in ln)
    assert pair[head].endswith(f"src/lib.rs, after line {enum_end}:"), pair[head]
    assert "insert `" not in pair[head] and "`}`" not in pair[head]
    block = [ln.strip()[2:] for ln in pair[head + 1 :] if ln.strip().startswith("+ ")]
    assert block[0].startswith("impl From<") and block[0].endswith("for FetchError {"), block
    assert block[-1] == "}" and _balanced(block), block
    # study shows the same edit as a diff: its added lines are the whole impl, not `}` ... `}` shifted
    study = _explain(tmp_path, crate, "--mode", "study", "--no-clippy").splitlines()
    first = next(i for i, ln in enumerate(study) if ln.strip().startswith("+impl From<"))
    assert study[first - 1].strip() in ("+", "}"), study[first - 1]  # a blank line, or the enum's own `}`
    added = []
    for ln in study[first:]:
        if not ln.strip().startswith("+"):
            break
        added.append(ln.strip()[1:])
    assert _balanced(added), added


def test_a_pair_fix_line_is_short_and_names_a_type_as_rustc_does(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "shop", PRIVATE_ITEMS)
    pair = _explain(tmp_path, crate, "--mode", "pair", "--no-clippy").splitlines()
    fixes = [ln for ln in pair if "Fix ✓" in ln]
    assert len(fixes) == 2, pair
    for ln in fixes:
        assert "(first:" not in ln and "is private" not in ln, ln  # the next error's text is study's
        assert "1 other error remains" in ln
    # the getter fix adds lines in two places: each place with its lines under it
    at = next(i for i, ln in enumerate(pair) if "Fix ✓" in ln and ln.endswith("src/lib.rs:"))
    below = [ln.strip() for ln in pair[at + 1 : at + 9]]
    assert below[0] == "after line 7:" and below[1] == "+ pub fn pence(&self) -> u64 {", below
    assert "- item.pence / 2" in below and "+ item.pence() / 2" in below
    study = _explain(tmp_path, crate, "--mode", "study", "--no-clippy")
    assert "(first: E0" in study  # the detail is kept where there is room for it
    heading = re.search(r"field `pence` of struct `([\w:]+)` is private", study)
    assert heading is not None
    assert f"Add a getter `pence(&self) -> u64` to `{heading.group(1)}`" in study


def test_a_folded_error_is_one_location_line(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "threads", TWO_BORROWS)
    pair = _explain(tmp_path, crate, "--mode", "pair", "--no-clippy")
    # one code reported twice at one closure: the heading counts them and names the place once (#14)
    assert pair.splitlines()[0].endswith("(×2 at line 6)"), pair.splitlines()[0]
    # rustc's rendering of the lead error only: one `help: ... move` block, one note
    assert pair.count("use the `move` keyword") == 1, pair
    assert pair.count("function requires argument type to outlive") == 1
    also = [ln for ln in pair.splitlines() if ln.strip().startswith("also error[E0373] src/lib.rs:6:")]
    assert len(also) == 1 and "closure may outlive the current function" in also[0], pair
    assert "error[E0373]:" not in pair  # rustc's own header of the folded one is not printed


def test_a_url_in_study_mode_is_never_cut(tmp_path: Path) -> None:
    crate = write_lib(tmp_path, "entry", ENTRY_API)
    study = _explain(tmp_path, crate, "--mode", "study", "--no-validate")
    urls = re.findall(r"https://doc\.rust-lang\.org/\S+", study)
    assert urls, study
    assert "doc.rust-\n" not in study and not any(
        ln.strip().startswith("lang.org") for ln in study.splitlines()
    )
    options = study[study.index("Options") :]
    assert "https://doc.rust-lang.org/std/collections/struct.HashMap.html#entry-api\n" in options


def test_the_diff_of_an_insertion_starts_and_ends_at_balanced_lines() -> None:
    """Pure: the slide in `engine.edits.unified_diff`. difflib's own diff of this insertion starts
    with the enum's `}` and ends before the new impl's; a `}` inside a string is no brace."""
    before = b"pub enum E {\n    A,\n}\n\nimpl E {\n    pub fn k(&self) -> u8 {\n        0\n    }\n}\n"
    new = b'impl E {\n    pub fn close() -> &\'static str {\n        "}"\n    }\n}\n\n'
    after = before.replace(b"impl E {", new + b"impl E {", 1).replace(
        b"impl E {", b"impl From<u8> for E {", 1
    )
    diff = unified_diff({"x.rs": before}, {"x.rs": after})
    added = [ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    assert added == [
        "",
        "impl From<u8> for E {",
        "    pub fn close() -> &'static str {",
        '        "}"',
        "    }",
        "}",
    ], diff
    assert "+}\n \n impl E {" in diff, diff

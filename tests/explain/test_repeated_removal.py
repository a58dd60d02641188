"""A transfer deletes the removal it replaces (#14). The general mistake: `let x = v[i];` (E0507)
fixed as `let x = v.remove(i);` while the code's own `v.remove(i);` on the next line stays, so two
elements are removed. Real cargo on crates written here: a help desk (`remove`, with a second error,
so its tests run only beside the other story's fix), an auction (`swap_remove`), and a player whose
index moves between the read and the removal (not provably the same element: the clone leads)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from engine.syntax.repeated_removal import later_removal
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

DESK = """/// A help desk that serves the oldest open ticket first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub title: String,
    pub age: u32,
}

pub struct Desk {
    open: Vec<Ticket>,
}

impl Desk {
    pub fn new(open: Vec<Ticket>) -> Self {
        Desk { open }
    }

    pub fn serve(&mut self) -> Option<Ticket> {
        if self.open.is_empty() {
            return None;
        }
        let mut oldest = 0;
        for k in 1..self.open.len() {
            if self.open[k].age > self.open[oldest].age {
                oldest = k;
            }
        }
        let t = self.open[oldest];
        self.open.remove(oldest);
        Some(t)
    }

    pub fn titles(&self) -> Vec<String> {
        self.open.iter().map(|t| t.title).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_the_oldest_once() {
        let mut d = Desk::new(vec![
            Ticket { title: "printer".into(), age: 3 },
            Ticket { title: "vpn".into(), age: 8 },
            Ticket { title: "mail".into(), age: 5 },
        ]);
        assert_eq!(d.serve().unwrap().title, "vpn");
        assert_eq!(d.titles(), vec!["printer", "mail"]);
        assert_eq!(d.serve().unwrap().title, "mail");
        assert_eq!(d.titles().len(), 1);
    }
}
"""

AUCTION = """/// An auction that sells the highest bid and forgets it.
#[derive(Debug, Clone)]
pub struct Bid {
    pub who: String,
    pub amount: u64,
}

pub struct Auction {
    bids: Vec<Bid>,
}

impl Auction {
    pub fn new() -> Self {
        Auction { bids: Vec::new() }
    }

    pub fn bid(&mut self, who: &str, amount: u64) {
        self.bids.push(Bid { who: who.to_string(), amount });
    }

    pub fn sell(&mut self) -> Option<Bid> {
        let mut top = None;
        for (n, b) in self.bids.iter().enumerate() {
            if top.map_or(true, |t: usize| b.amount > self.bids[t].amount) {
                top = Some(n);
            }
        }
        let top = top?;
        let won = self.bids[top];
        self.bids.swap_remove(top);
        Some(won)
    }

    pub fn left(&self) -> usize {
        self.bids.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sells_the_top_bid_only() {
        let mut a = Auction::new();
        a.bid("ann", 10);
        a.bid("bo", 30);
        a.bid("cy", 20);
        assert_eq!(a.sell().unwrap().who, "bo");
        assert_eq!(a.left(), 2);
        assert_eq!(a.sell().unwrap().who, "cy");
        assert_eq!(a.left(), 1);
    }
}
"""

PLAYER = """/// A playlist that hands out a track, then skips ahead before dropping one.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub name: String,
}

pub struct Player {
    tracks: Vec<Track>,
}

impl Player {
    pub fn new(names: &[&str]) -> Self {
        Player { tracks: names.iter().map(|n| Track { name: n.to_string() }).collect() }
    }

    pub fn play(&mut self, mut at: usize) -> Track {
        let t = self.tracks[at];
        at = (at + 1) % self.tracks.len();
        self.tracks.remove(at);
        t
    }

    pub fn count(&self) -> usize {
        self.tracks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_and_drops_the_next() {
        let mut p = Player::new(&["a", "b", "c"]);
        assert_eq!(p.play(0).name, "a");
        assert_eq!(p.count(), 2);
        assert_eq!(p.play(0).name, "a");
    }
}
"""


def _fn(body: str) -> bytes:
    return ("fn f(v: &mut Vec<String>, mut i: usize, c: bool) {\n    " + body + "\n}\n").encode()


def _after(body: str):  # noqa: ANN202 - a Removal or None
    src = _fn(body)
    at = src.index(b"v[i]")
    return later_removal(src, at, at + 4, "v", "i")


def test_the_removal_right_after_is_proven_the_same_element() -> None:
    r = _after("let x = v[i];\n    v.remove(i);")
    assert r is not None and r.proven and r.method == "remove" and r.text == "v.remove(i);"
    r = _after("let x = v[i];\n    let _ = v.swap_remove( i );")
    assert r is not None and r.proven and r.method == "swap_remove"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("let x = v[i];\n    i += 1;\n    v.remove(i);", "`i` is assigned between them"),
        ("let x = v[i];\n    v.push(String::new());\n    v.remove(i);", "`v` is used between them"),
        ("let x = v[i];\n    if c { v.remove(i); }", "runs only inside"),
        ("let x = v[i];\n    let y = v.remove(i);", "its value is used"),
    ],
)
def test_a_removal_that_may_name_another_element_is_not_proven(body: str, why: str) -> None:
    r = _after(body)
    assert r is not None and not r.proven and why in r.why, r


def test_no_removal_of_that_index_is_none() -> None:
    assert _after("let x = v[i];\n    v.remove(0);") is None
    assert _after("let x = v[i];\n    v.clear();") is None


def _stories(root: Path) -> list[dict]:
    r = rusta("explain", str(root), "--json", "--no-clippy", "--no-log")
    return [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]


def _cargo_test(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["cargo", "test", "-q", "--offline"], cwd=root, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "read", "removal", "method"),
    [
        ("desk", DESK, "let t = self.open[oldest];", "self.open.remove(oldest);", "remove"),
        ("auction", AUCTION, "let won = self.bids[top];", "self.bids.swap_remove(top);", "swap_remove"),
    ],
    ids=["desk-remove", "auction-swap_remove"],
)
def test_the_lead_transfer_deletes_the_removal_and_passes_the_tests(
    tmp_path: Path, name: str, src: str, read: str, removal: str, method: str
) -> None:
    root = write_lib(tmp_path, name, src)
    story = next(
        s
        for s in _stories(root)
        if s["code"] == "E0507" and s["primary"]["line"] == src[: src.index(read)].count("\n") + 1
    )
    lead = story["options"][0]
    # the code's own method leads, and the patch deletes the removal it replaces
    assert f".{method}(" in lead["shows"][0] and f"-        {removal}" in lead["patch"], lead
    assert lead["ticked"] and lead["tests_run"] == "passed", lead
    for o in story["options"]:  # no transfer keeps the second removal
        if ".remove(" in o["shows"][0] or ".swap_remove(" in o["shows"][0]:
            assert f"-        {removal}" in o["patch"], o
    # applied story by story (the other story's fix too, where there is one), the tests pass
    for _ in range(3):
        if not _stories(root):
            break
        r = rusta("explain", str(root), "--apply", "1", "--no-clippy", "--no-log")
        assert r.returncode == 0, r.stdout + r.stderr
    assert removal not in [ln.strip() for ln in (root / "src" / "lib.rs").read_text().splitlines()]
    assert _cargo_test(root).returncode == 0


@pytest.mark.slow
def test_a_removal_not_proven_the_same_ranks_the_transfer_below_the_clone(tmp_path: Path) -> None:
    untested = PLAYER[: PLAYER.index("#[cfg(test)]")]
    story = next(s for s in _stories(write_lib(tmp_path, "player", untested)) if s["code"] == "E0507")
    coded = [o for o in story["options"] if o.get("patch")]
    assert ".clone()" in coded[0]["shows"][0], coded
    takes = [o for o in coded if ".remove(at)" in o["shows"][0]]
    assert takes and all(
        "cannot prove" in o["state"] and "`at` is assigned between them" in o["state"] for o in takes
    )

"""A set of lead fixes that fails the crate's tests names the fix at fault, not the set or the fix
being applied (#14). The general mistake: two stories' fixes that each leave the other's error can be
tested only together; when that set fails, the failure was blamed on both (or on whichever fix was
applied next). The set is bisected: a swap of one lead for its story's next fix that makes the tests
pass proves that lead at fault and clears the rest. Real cargo on two programs of one shape: a
`&mut self` method that takes a field out with `std::mem::take` (it leads, as a transfer before a
clone) where the test reads the field again, beside an unrelated cast error."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

COUNTER = """\
pub struct Counter {
    name: String,
    hits: u32,
}

impl Counter {
    pub fn new(name: &str) -> Self {
        Counter { name: name.to_string(), hits: 0 }
    }

    pub fn tick(&mut self) -> String {
        let label = self.name;
        self.hits += 1;
        label
    }

    pub fn total(&self) -> u32 {
        self.hits as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_keep_the_name() {
        let mut c = Counter::new("door");
        assert_eq!(c.tick(), "door");
        assert_eq!(c.tick(), "door");
        assert_eq!(c.total(), 2);
    }
}
"""

INBOX = """\
pub struct Inbox {
    subject: String,
    read: u32,
}

impl Inbox {
    pub fn new(subject: &str) -> Self {
        Inbox { subject: subject.into(), read: 0 }
    }

    pub fn open(&mut self) -> String {
        let s = self.subject;
        self.read += 1;
        s
    }

    pub fn times_read(&self) -> u16 {
        self.read
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_twice() {
        let mut m = Inbox::new("hello");
        assert_eq!(m.open(), "hello");
        assert_eq!(m.open(), "hello");
        assert_eq!(m.times_read(), 2);
    }
}
"""

CASES = [("counter", COUNTER, "tests::ticks_keep_the_name"), ("inbox", INBOX, "tests::opens_twice")]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(("name", "src", "test"), CASES, ids=[c[0] for c in CASES])
def test_the_set_names_the_fix_that_breaks_the_test_and_clears_the_other(
    tmp_path: Path, name: str, src: str, test: str
) -> None:
    root = write_lib(tmp_path, name, src)
    r = rusta("explain", str(root), "--no-clippy", "--no-log", "--mode", "study")
    assert r.returncode == 0, r.stdout + r.stderr
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("Together"))
    assert re.fullmatch(
        r"Together, the first fixes of #1 and #2 compile, and the crate's tests pass with them; with #\d's"
        rf" `let \w+ = std::mem::take\(&mut self\.\w+\);` instead, the crate's test `{test}` fails\.",
        line,
    ), line

    stories = [
        json.loads(ln)
        for ln in rusta("explain", str(root), "--json", "--no-clippy", "--no-log").stdout.splitlines()
    ]
    moved = next(s for s in stories if s["code"] == "E0507")
    cast = next(s for s in stories if s["code"] == "E0308")
    lead = moved["options"][0]
    assert ".clone()" in lead["shows"][0] and lead["ticked"] and lead["tests_run"] == "passed", lead
    take = next(o for o in moved["options"] if "std::mem::take" in (o.get("patch") or ""))
    assert take["tests_failed"] == [test] and not take["ticked"], take
    assert "fails with it beside #" in take["state"], take
    # the cast's fix ran green beside the clone: it keeps its ✓ and is never named as the cause
    assert cast["options"][0]["ticked"] and cast["options"][0]["tests_run"] == "passed"
    assert "pass with it beside #" in cast["options"][0]["state"]
    assert not any(o.get("tests_failed") for o in cast["options"] if o.get("patch"))
    assert cast["options"][0]["shows"][0].strip() not in line


@pytest.mark.parametrize(("name", "src", "test"), CASES[:1], ids=["counter"])
def test_json_says_compiles_only_where_the_crate_builds(
    tmp_path: Path, name: str, src: str, test: str
) -> None:
    root = write_lib(tmp_path, name, src)
    out = rusta("explain", str(root), "--json", "--no-clippy", "--no-log").stdout
    coded = [o for ln in out.splitlines() for o in json.loads(ln)["options"] if o.get("patch")]
    assert coded
    for o in coded:  # every fix leaves the other story's error: the crate builds with none alone
        assert o["errors_left"] == 1 and o["validated"] == "fixes-this", o
        assert o["tests"] == ("cannot-run" if not o["tests_run"] else "reached"), o
        assert o["test_reach"] == "reached", o
    assert any(o["tests"] == "cannot-run" for o in coded)

"""A fix that clears its own story's error and leaves another story's error where the crate already
had it (same words, same moved line, on no line the fix wrote) leaves errors; it is never one that
"does not compile" (real cargo on a crate written here).

The general mistake: several private items used on one line from outside their module are several
stories (a private method, a private field). `pub` on the method clears its error; the field's error
on that line was there before the edit and is the other story's, so the edit type-checks. Each
story's own fix, checked with the other's as companion, likewise keeps its verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

METER = """mod meter {
    pub struct Meter {
        limit: u64,
        ticks: u64,
    }

    impl Meter {
        pub fn new(limit: u64) -> Self {
            Meter { limit, ticks: 0 }
        }

        fn left(&self) -> u64 {
            self.limit - self.ticks
        }
    }
}

pub fn show(m: &meter::Meter) -> String {
    format!("{} of {} after {}", m.left(), m.limit, m.ticks)
}

pub fn fresh() -> meter::Meter {
    meter::Meter::new(3)
}
"""


@pytest.mark.slow
def test_pub_on_the_method_is_not_blamed_for_the_fields_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "meter", METER)
    method = story(stories, METER, "m.left()", "E0624")
    fields = [e for e in stories if e.code == "E0616"]
    assert len(fields) == 2 and method not in fields, [(e.code, e.message) for e in stories]
    run = validate(stories, tmp_path / "meter")
    i = stories.index(method)
    shown = [(o.shows, o.validated) for o in run.explanations[i].fixes]
    pub = [o for o in run.explanations[i].fixes if any("pub fn left" in s for s in o.shows)]
    assert pub and pub[0].validated in ("type-checks", "compiles"), (shown, run.failed[i])
    assert not pub[0].fails_because, pub[0].fails_because
    # each field's own fix, checked beside the method's `pub`, keeps its verdict: the other field's
    # error on the line it rewrote was there before
    for field in fields:
        j = stories.index(field)
        kept = [o for o in run.explanations[j].fixes if o.validated in ("type-checks", "compiles")]
        assert kept, [(o.shows, o.fails_because) for o in run.failed[j]]

"""One fix for independent sites of one missing conversion is told as one fix, never as a chain of
causes (#14). Real cargo on crates written here.

- two `?` on a `ParseIntError` in a fn whose error has no `From<ParseIntError>`, one with a turbofish
  (E0277) and one inferred (E0271): two stories, one `impl From` clears both; neither is said to
  "follow from" the other (each offers the same edit for its own error);
- the same inferred `?` twice (one story, two places): the story does not claim each place needs a
  change; the validated `impl From` says one edit clears both places;
- a story cleared by another's fix "follows from" it only where the code ties them (a span in
  common, or an arm matching a value the other's error is in, directly or through a `let`);
  otherwise it only "goes with it too".
"""

from __future__ import annotations

import msgspec
import pytest

from engine.explain.joint import key as _key
from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story_text

pytestmark = pytest.mark.slow

COLOR = """use std::num::ParseIntError;

#[derive(Debug)]
pub enum ColorError {
    Short,
    Channel(ParseIntError),
}

pub struct Rgb {
    pub r: u8,
    pub g: u8,
}

pub fn rgb(text: &str) -> Result<Rgb, ColorError> {
    let mut parts = text.split(',');
    let r = parts.next().ok_or(ColorError::Short)?.trim().parse::<u8>()?;
    let mut g = 0;
    if let Some(p) = parts.next() {
        g = p.trim().parse()?;
    }
    Ok(Rgb { r, g })
}
"""

CLOCK = """#[derive(Debug)]
pub enum TimeError {
    NoColon,
    Number(std::num::ParseIntError),
}

#[derive(Default)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
}

pub fn time(text: &str) -> Result<Time, TimeError> {
    let (h, m) = text.split_once(':').ok_or(TimeError::NoColon)?;
    let mut t = Time::default();
    t.hour = h.parse()?;
    t.minute = m.parse()?;
    Ok(t)
}
"""


def test_two_sites_of_one_missing_from_are_one_fix_not_a_cause(tmp_path) -> None:
    stories = explain_lib(tmp_path, "color", COLOR)
    assert [e.code for e in stories] == ["E0277", "E0271"]
    run = validate(list(stories), tmp_path / "color")
    leads = [e.fixes[0] for e in run.explanations]
    assert leads[0].id == leads[1].id and "impl From<ParseIntError> for ColorError {" in leads[0].shows
    assert leads[0].validated == leads[1].validated == "compiles"
    assert (leads[0].clears, leads[0].shares) == ((), (1,))
    assert (leads[1].clears, leads[1].shares) == ((), (0,))
    assert "one fix clears both: this error and #2" in leads[0].state_words
    assert all("follow" not in o.state_words for o in leads)


def test_one_story_at_two_places_says_one_edit_clears_both(tmp_path) -> None:
    (e,) = explain_lib(tmp_path, "clock", CLOCK)
    assert len({d.primary.line_start for d in e.diagnostics}) == 2
    said = " ".join([e.root_cause_reason, *e.facts, story_text(e)])
    assert "needs the same change" not in said
    (checked,) = validate([e], tmp_path / "clock").explanations
    fix = next(o for o in checked.fixes if any("impl From" in ln for ln in o.shows))
    assert fix.validated == "compiles" and fix.places == 2
    assert "one edit clears both places" in fix.state_words
    single = [o for o in checked.fixes if o.id != fix.id and o.validated == "compiles"]
    assert all(o.places == 0 for o in single)  # a `map_err` at one `?` clears one place only


# a private method's result bound by a `let`, then matched: rustc cannot type the `Err(why)` arm
# (E0277 `str: Sized`) because it could not type the call (E0624)
GATE = """mod gate {
    pub struct Door {
        open: bool,
    }

    impl Door {
        pub fn shut() -> Door {
            Door { open: false }
        }

        fn unlock(&mut self, code: u32) -> Result<(), String> {
            if code == 42 {
                self.open = true;
                Ok(())
            } else {
                Err(format!("wrong code {code}"))
            }
        }
    }

    pub fn log(line: &str) -> bool {
        !line.is_empty()
    }
}

pub fn try_door() -> bool {
    let mut door = gate::Door::shut();
    let tried = door.unlock(7);
    match tried {
        Ok(()) => true,
        Err(why) => gate::log(&why),
    }
}
"""


def test_a_cleared_story_follows_only_where_the_code_ties_it(tmp_path) -> None:
    from engine.explain.followons import also_cleared, follow_ons

    stories = explain_lib(tmp_path, "gate", GATE)
    assert [e.code for e in stories][:1] == ["E0624"] and "E0277" in [e.code for e in stories]
    run = validate(list(stories), tmp_path / "gate")
    lead = run.explanations[0].fixes[0]
    j = [e.code for e in stories].index("E0277")
    # the arm matches `tried`, which a `let` bound to the call rustc could not type: a real cause
    assert lead.validated == "compiles" and lead.clears == (j,) and lead.shares == lead.also_clears == ()
    assert f"it clears #{j + 1} too, whose errors follow from this one" in lead.state_words
    # without the source no tie can be shown: the story is cleared, no cause is claimed
    keys = tuple(k for d in stories[j].diagnostics for k in [_key(d)])
    assert follow_ons(list(stories), 0, lead, keys) == ()
    assert also_cleared(list(stories), 0, lead, keys) == (j,)
    words = msgspec.structs.replace(lead, clears=(), also_clears=(j,)).state_words
    assert f"#{j + 1} goes with it too" in words and "follow" not in words

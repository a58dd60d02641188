"""The fix a Rust developer writes when the signature or a conversion is the mistake (#14).

- E0507 moving fields out of `&self` in a method every caller is done with: `fn finish(self)`, one
  edit for every field, ranked above the clone per field and priced "consumed; no copies"; not
  offered when a caller uses the value after the call.
- E0277 `Vec<&str>` built from `String` items made by a stray conversion in the `map` closure: the
  conversion goes, ranked above changing the public return type, which says it changes the API.
- E0507 moving an `Option<String>` field out of `&self`: `.as_deref()` lends the inside, above
  rustc's clone, with the default kept borrowed where the method takes one.

Real cargo on library crates written here (other programs than the reviewers' crates).
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import apply_fixes, errors_of, explain_lib, run_crate_tests, story

pytestmark = pytest.mark.slow


def _checked(tmp_path, name, src, text, code):
    stories = explain_lib(tmp_path, name, src)
    checked = validate(list(stories), tmp_path / name).explanations
    e = story(stories, src, text, code)
    return next(c for c in checked if c.primary == e.primary and c.code == e.code)


def _apply_and_test(tmp_path, name, *fixes) -> str:
    """Apply the fixes and run the crate's tests: "ok", or what cargo said."""
    root = tmp_path / name
    apply_fixes(root, *fixes)
    assert errors_of(root, tmp_path) == []
    return run_crate_tests(root, tmp_path)


DRAFT = """pub struct Email {
    pub to: Vec<String>,
    pub subject: String,
    pub attachments: Vec<Vec<u8>>,
}

pub struct Draft {
    to: Vec<String>,
    subject: String,
    attachments: Vec<Vec<u8>>,
}

impl Draft {
    pub fn new(subject: &str) -> Draft {
        Draft { to: Vec::new(), subject: subject.to_string(), attachments: Vec::new() }
    }

    pub fn to(mut self, who: &str) -> Draft {
        self.to.push(who.to_string());
        self
    }

    pub fn attach(mut self, data: &[u8]) -> Draft {
        self.attachments.push(data.to_vec());
        self
    }

    pub fn finish(&self) -> Email {
        Email { to: self.to, subject: self.subject, attachments: self.attachments }
    }
}

pub fn note(who: &str) -> Email {
    let d = Draft::new("note").to(who);
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends() {
        let e = Draft::new("hi").to("a@x").attach(b"zip").finish();
        assert_eq!(e.to, vec!["a@x".to_string()]);
        assert_eq!(e.attachments.len(), 1);
        assert_eq!(note("b@x").subject, "note");
    }
}
"""


def test_consuming_receiver_leads_and_applies(tmp_path):
    e = _checked(tmp_path, "draft", DRAFT, "Email { to: self.to", "E0507")
    lead = e.fixes[0]
    assert lead.validated == "compiles", [(f.name, f.validated) for f in e.fixes]
    assert any("pub fn finish(self) -> Email {" in ln for ln in lead.shows), lead.shows
    assert "the `Draft` is consumed; no copies" in lead.cost
    assert lead.errors_left == 0  # one edit clears the move of every field
    assert _apply_and_test(tmp_path, "draft", lead) == "ok"


def test_consuming_receiver_not_offered_when_a_caller_keeps_the_value(tmp_path):
    src = DRAFT.replace(
        '    let d = Draft::new("note").to(who);\n    d.finish()\n',
        '    let d = Draft::new("note").to(who);\n    let e = d.finish();\n    let _again = d.finish();\n    e\n',
    )
    e = _checked(tmp_path, "kept", src, "Email { to: self.to", "E0507")
    assert not any("finish(self)" in ln for f in e.fixes for ln in f.shows), [f.shows for f in e.fixes]
    assert e.fixes and e.fixes[0].validated == "compiles"  # rustc's clone still leads


POSTS = """pub struct Post {
    pub tag: String,
    pub likes: u32,
}

/// Tags of the posts with at least `min` likes, in order.
pub fn popular_tags(posts: &[Post], min: u32) -> Vec<&str> {
    posts.iter().filter(|p| p.likes >= min).map(|p| String::from(p.tag.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks() {
        let posts = vec![Post { tag: "rust".into(), likes: 9 }, Post { tag: "go".into(), likes: 1 }];
        assert_eq!(popular_tags(&posts, 5), vec!["rust"]);
    }
}
"""


def test_stray_conversion_removed_before_the_signature_changes(tmp_path):
    e = _checked(tmp_path, "posts", POSTS, "String::from(p.tag", "E0277")
    ok = [f for f in e.fixes if f.validated == "compiles"]
    lead = ok[0]
    assert any(".map(|p| p.tag.as_str()).collect()" in ln for ln in lead.shows), [f.shows for f in ok]
    assert not lead.cost
    sig = [f for f in ok if any("-> Vec<String>" in ln for ln in f.shows)]
    if sig:  # both compile: the public signature goes second and says its price
        assert ok.index(sig[0]) > 0
        assert "changes the public API of `popular_tags`" in sig[0].cost
        assert "allocates a `String` per element" in sig[0].cost
    assert _apply_and_test(tmp_path, "posts", lead) == "ok"


TEAMS = """pub struct Team {
    pub members: Vec<String>,
}

/// The first member of every team that has one.
pub fn captains(teams: &[Team]) -> Vec<&str> {
    teams.iter().filter_map(|t| t.members.first()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firsts() {
        let teams = vec![Team { members: vec!["ann".into()] }, Team { members: vec![] }];
        assert_eq!(captains(&teams), vec!["ann"]);
    }
}
"""


def test_collecting_borrowed_items_is_not_priced_as_an_allocation(tmp_path):
    """The items are `&String` borrowed from the input: changing the return type to `Vec<&String>`
    changes the API but allocates nothing, so its cost must not say it allocates per element."""
    e = _checked(tmp_path, "teams", TEAMS, "collect()", "E0277")
    sig = [f for f in e.fixes if any("-> Vec<&String>" in ln for ln in f.shows)]
    assert sig, [f.shows for f in e.fixes]
    assert "changes the public API of `captains`" in sig[0].cost
    assert "allocates" not in sig[0].cost, sig[0].cost
    assert "a borrow, no allocation" in sig[0].cost
    assert "from the input" not in sig[0].cost  # what it borrows from is not in rustc's type


PROFILE = """pub struct Profile {
    nickname: Option<String>,
    avatar: Option<Vec<u8>>,
}

impl Profile {
    pub fn new(nickname: Option<&str>) -> Profile {
        Profile { nickname: nickname.map(|s| s.to_string()), avatar: Some(vec![1, 2, 3]) }
    }

    pub fn shown_name(&self) -> String {
        self.nickname.unwrap_or(String::from("anonymous"))
    }

    pub fn avatar_size(&self) -> usize {
        self.avatar.map(|a| a.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let p = Profile::new(Some("kit"));
        assert_eq!(p.shown_name(), "kit");
        assert_eq!(p.shown_name(), "kit");
        assert_eq!(Profile::new(None).shown_name(), "anonymous");
        assert_eq!(p.avatar_size(), 3);
    }
}
"""


def test_option_field_is_viewed_with_as_deref(tmp_path):
    stories = explain_lib(tmp_path, "profile", PROFILE)
    checked = validate(list(stories), tmp_path / "profile").explanations
    name = next(c for c in checked if c.primary == story(stories, PROFILE, "self.nickname.unwrap_or").primary)
    size = next(c for c in checked if c.primary == story(stories, PROFILE, "self.avatar.map").primary)
    lead = name.fixes[0]
    assert lead.validated == "compiles", [(f.name, f.validated) for f in name.fixes]
    assert any('self.nickname.as_deref().unwrap_or("anonymous").to_owned()' in ln for ln in lead.shows)
    assert "the field stays in the struct" in lead.cost and "no copy of it" in lead.cost
    assert any(".clone()" in ln or "Clone>::clone" in ln for f in name.fixes[1:] for ln in f.shows)
    view = size.fixes[0]
    assert any("self.avatar.as_deref().map(|a| a.len())" in ln for ln in view.shows), [
        f.shows for f in size.fixes
    ]
    assert _apply_and_test(tmp_path, "profile", lead, view) == "ok"

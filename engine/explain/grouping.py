"""Grouping: one root cause that produces several diagnostics is one story, not five.

Four rules, all pure: diagnostics of the same severity whose root cause is the same place form one
group; unresolved-name errors (E0425, E0433, E0412, E0432, ...) about the same name form one group
whose root cause is the earliest occurrence; lint warnings with the same code and the same message
once item names are blanked (`dead_code` for ten functions, `needless_return` five times) form one
group whose root cause is the first place rustc reports. `unexpected_cfgs` keeps the cfg's name in
its key: every use of one undeclared cfg is one story, because one declaration fixes them all.
Compile errors of one shape (same code, same message once names are blanked, same expected and
found types in their typed facts) are one story too: one mistake made in several places. And an
error that rustc derives from another on the same line (a method whose trait bounds fail because
an earlier step lacks `Clone`; `u32 + usize` reported as a type mismatch and again as a missing
`Add<usize>`) joins that error's story: one mistake, seen twice. Errors that state the same fact
about one type (`ConfigError` lacks `From<ParseIntError>` at every `?`; a field read twice on a
future that was never awaited; one missing method called twice) are one story as well: one cause,
reported at each use (`cause_key`; also one trait not dyn compatible, one type indexed with `[]`).
References without a lifetime in one item's declaration (E0106 on three fields of one struct) are one
story rooted at the item, where rustc's help declares the one lifetime for all of them (`lifetime_site`).
A diagnostic that shares a key with two stories joins them into one, whatever order rustc reports
them in. Knock-on errors (a query cycle on a type E0072 says contains itself, ...) join their
cause's story in `engine.explain.consequences`.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from engine.explain.consequences import fix_sources as fix_sources  # the stories' callers read it here
from engine.explain.consequences import merge_consequences
from engine.explain.placeholders import short_type, texts
from engine.explain.types import Location
from engine.facts.parse import facts_of
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

RESOLUTION_CODES = frozenset(
    {"E0425", "E0433", "E0412", "E0432", "E0422", "E0423", "E0531", "E0405", "E0407"}
)
_NAME_RE = re.compile(r"`([^`]+)`")
_TICKED_RE = re.compile(r"`[^`]*`")
_ERROR_CODE_RE = re.compile(r"E\d{4}")
CFG_LINT = "unexpected_cfgs"

GroupKind = Literal["root", "name", "lint", "cfg", "shape", "consequence", "type", "declaration"]


class Located(NamedTuple):
    """A diagnostic with where rustc points and where Rusta says it starts."""

    diag: Diagnostic
    primary: Location
    root: Location
    reason: str
    strategy: str


class Group(NamedTuple):
    lead: Located
    members: tuple[Located, ...]
    root: Location
    reason: str
    kind: GroupKind = "root"


def _severity(d: Diagnostic) -> str:
    return "error" if d.level.startswith("error") else "other"


def unresolved_name(d: Diagnostic) -> str | None:
    """The name an unresolved-path error is about: `foo` in "cannot find value `foo` in this scope"."""
    if (d.code_str or "") not in RESOLUTION_CODES:
        return None
    m = _NAME_RE.search(d.message)
    if not m:
        return None
    name = m.group(1)
    return name.split("::")[0] if d.code_str == "E0433" else name


def lint_key(d: Diagnostic) -> tuple[str, str] | None:
    """(code, normalised message) for a lint warning; None for errors and E-coded diagnostics.

    Backticked names are blanked so "function `a` is never used" and "function `b` is never used"
    share a key; for `unexpected_cfgs` the message is kept whole, since the cfg's name is the cause.
    """
    code = d.code_str or ""
    if not code or _severity(d) == "error" or _ERROR_CODE_RE.fullmatch(code):
        return None
    if code == CFG_LINT:
        return code, d.message
    return code, _TICKED_RE.sub("`_`", d.message)


def shape_key(d: Diagnostic) -> tuple | None:
    """(code, message with names blanked, expected, found) for a compile error whose typed facts
    name both types: nine closures that take `&_` where `u32` is expected are one mistake, made
    nine times. None for lints and for errors without a type pair (their places differ in kind)."""
    code = d.code_str or ""
    if _severity(d) != "error" or not _ERROR_CODE_RE.fullmatch(code):
        return None
    f = facts_of(d)
    if not (f.expected and f.found):
        return None
    return code, _TICKED_RE.sub("`_`", d.message), f.expected, f.found


# one message word for word is one fact: the same missing method on one type (E0599), one trait that is
# not dyn compatible wherever `dyn` names it (E0038), one type indexed with `[]` (E0608)
_SAME_MESSAGE_CODES = frozenset({"E0599", "E0038", "E0608"})
PRIVATE = "private"  # what a privacy error's `cause_key` says of its item
_NOT_IMPL = re.compile(r"the trait `([^`]+)` is not implemented for `([^`]+)`")
_ON_TYPE = re.compile(r"\bon type `([^`]+)`")


def _primary_label(d: Diagnostic) -> str:
    return next((s.label or "" for s in d.spans if s.is_primary), "")


def cause_key(d: Diagnostic) -> tuple[str, str, str] | None:
    """(code, the type, what rustc says of it) for a compile error that states one fact about one
        type, so that every error with the same key has one cause: the type lacks the trait (E0277), a
        field is read on a type that only wraps the struct (E0609 whose label says where the field is;
        "unknown field" is a typo per place, not one cause), or the same method is missing on the same
        type (E0599), one trait that is not dyn compatible (E0038) or one type indexed (E0608): the same
    message word for word; or one item is private where these uses are (E0603, E0616, E0624, E0451)."""
    code = d.code_str or ""
    if _severity(d) != "error":
        return None
    if code == "E0277":
        m = next((m for t in texts(d) if (m := _NOT_IMPL.search(t))), None)
        return (code, short_type(m.group(2)), short_type(m.group(1))) if m else None
    if code in ("E0609", "E0610"):
        m, label = _ON_TYPE.search(d.message), _primary_label(d)
        if m and label and not label.startswith("unknown field"):
            return code, short_type(m.group(1)), _TICKED_RE.sub("`_`", label)
        return None
    if code in _SAME_MESSAGE_CODES:
        names = _NAME_RE.findall(d.message)
        return (code, short_type(names[-1]), d.message) if names else None
    if (item := (f := facts_of(d)).private_item) is not None:
        # one private item: four reads of one private field, four calls of one private fn, four
        # literals of one struct with private fields; where rustc says the item is defined, when it
        # does, tells two items of one name apart
        at = f.private_at
        use = "=" if code == "E0616" and _assigned(d) else ""  # a write and a read need two fixes
        return code, item, PRIVATE + use + (f"@{at.file}:{at.start}" if at is not None else "")
    return None


_ASSIGNS = re.compile(r"\s*(?:<<|>>|[-+*/%&|^])?=(?!=)")


def _assigned(d: Diagnostic) -> bool:
    """rustc's primary span (a field's name) is the place an assignment writes: `c.total += x`.
    Why: a type offers a write through one pub method and a read through another (or a getter), so
    the writes of a private field and its reads are two stories, each with its own fix."""
    span = next((s for s in d.spans if s.is_primary), None)
    line = span.text[-1] if span is not None and span.text else None
    return line is not None and _ASSIGNS.match(line.text[line.highlight_end - 1 :]) is not None


def fix_site(d: Diagnostic) -> tuple[str, int] | None:
    """Where rustc's help would edit to restrict a type parameter (`T: Clone + Hash` at the line of
    `T`'s bounds). A type parameter is a different type in each item that declares it: two errors
    that `T` lacks `Hash` in two functions are two fixes, not one cause."""
    for c in d.children:
        if "type parameter" not in c.message:
            continue
        for s in c.spans:
            if s.suggested_replacement is not None:
                return s.file_name, s.line_start
    return None


_DECLARES_LIFETIME = re.compile(r"^<?'[A-Za-z_]\w*\s*(?:,|>)")


def lifetime_site(d: Diagnostic) -> tuple[str, int, int] | None:
    """Where rustc's help declares the named lifetime a missing lifetime specifier (E0106) needs
    (`<'a>` after `struct Section`), as (file, line, column). The mistake it answers: three `&str`
    fields of one struct are three E0106 at three places, so three stories, although one edit (the
    struct's lifetime parameter, each field's `&'a`) fixes all of them; rustc's own help says so by
    declaring the lifetime at the same place for each. A fn's signature has a site of its own."""
    if (d.code_str or "") != "E0106":
        return None
    for c in d.children:
        for sp in c.spans:
            if sp.suggested_replacement is not None and _DECLARES_LIFETIME.match(sp.suggested_replacement):
                return sp.file_name, sp.line_start, sp.column_start
    return None


_BORROW_CODES = frozenset({"E0499", "E0502", "E0505", "E0506"})


def borrowed_place(d: Diagnostic) -> str | None:
    """The place a borrow conflict is about (`self.items` in "cannot borrow `self.items` as
    mutable"): two conflicts with one earlier borrow but on different places (`*self` through a
    method, `self.items` itself) need different fixes, so one root span alone is not one cause."""
    if (d.code_str or "") not in _BORROW_CODES:
        return None
    m = _NAME_RE.search(d.message)
    return m.group(1) if m else None


def cause_fact(key: tuple[str, str, str]) -> str:
    """The fact a `cause_key` stands for, in words."""
    code, typ, what = key
    if what.startswith(PRIVATE):
        return f"{typ} has private fields" if code == "E0451" else f"{typ} is private"
    return f"`{typ}` lacks `{what}`" if code == "E0277" else f"rustc reports the same {code} on `{typ}`"


_FORMAT_PARAM = "required by this formatting parameter"


def _obligation(d: Diagnostic) -> str | None:
    """What asks for the trait at this use, as rustc's notes give it: a bound of a callee ("required
    by a bound in `join_all`") or a `{}` in a format string; None when rustc names neither."""
    if (bound := facts_of(d).bound_at) is not None:
        return f"the bound at {bound.file}:{bound.line}"
    param = next((s for s in d.spans if s.label == _FORMAT_PARAM), None)
    if param is not None:
        return f"the formatting parameter at {param.file_name}:{param.line_start}:{param.column_start}"
    return None


def required_by(members: tuple[Located, ...] | list[Located], summary: str) -> str:
    """The summary of errors of one missing trait, with what asks for it at each use when that
    differs. Why: one cause is the type lacking the trait, but the obligations are rustc's, per
    diagnostic: the bound of `join_all` at one use and `format!`'s `{}` at the next are two asks, and
    a summary naming the bound for both credits it with a use it has nothing to do with."""
    key = cause_key(members[0].diag) if members else None
    asks = [_obligation(m.diag) for m in members]
    if key is None or key[0] != "E0277" or len(set(asks)) < 2:
        return summary
    where = [f"{m.primary.file}:{m.primary.line}:{m.primary.column}" for m in members]
    clauses = [
        f"{a} requires it for the use at {w}" if a else f"rustc names nothing that requires it at {w}"
        for a, w in zip(asks, where, strict=True)
    ]
    said = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + ", and " + clauses[-1]
    return f"`{key[1]}` does not implement `{key[2]}`: {said}."


def _lacking_type_at(members: list[Located]) -> Location | None:
    """Where rustc's help says the type that lacks the trait is ("the trait `Display` is not
    implemented for `Status`" at `pub enum Status`), when every error's help names that one place in
    the crate. Why: errors of one missing trait at uses with different obligations (a bound, a `{}`)
    share no bound; what they share is the type, and an impl or derive there clears them all."""
    spots: set[tuple[str, int, int, str]] = set()
    for m in members:
        hit = next(
            (
                (s.file_name, s.line_start, s.column_start, c.message)
                for c in m.diag.children
                if _NOT_IMPL.search(c.message)
                for s in c.spans
                if in_user_crate(s.file_name)
            ),
            None,
        )
        if hit is None:
            return None
        spots.add(hit)
    if len(spots) != 1:
        return None
    file, line, column, said = spots.pop()
    return Location(file=file, line=line, column=column, label=said)


def _cause_reason(key: tuple[str, str, str], n: int) -> str:
    return f"the first of {n} places where {cause_fact(key)}: one cause, reported at each use"


def _traits_reason(members: list[Located]) -> str | None:
    """One type missing several traits at one place (a map key without `Eq` and `Hash`): one story
    that names them all, since one derive list can carry them (rustc suggests each derive alone)."""
    keys = [cause_key(m.diag) for m in members]
    if any(k is None or k[0] != "E0277" for k in keys) or len({k[1] for k in keys if k}) != 1:
        return None
    typ = keys[0][1] if keys[0] else ""
    traits = list(dict.fromkeys(k[2] for k in keys if k))
    if len(traits) < 2:
        return None
    named = ", ".join(f"`{t}`" for t in traits[:-1]) + f" and `{traits[-1]}`"
    derive = all(
        any(re.search(rf"#\[derive\({re.escape(t)}\)\]", c.message) for c in m.diag.children)
        for m, t in zip(members, (k[2] for k in keys if k), strict=True)
    )
    tail = f"; one `#[derive({', '.join(traits)})]` on `{typ}` gives {'both' if len(traits) == 2 else 'all of them'} (rustc suggests each alone)"
    return f"`{typ}` needs {named} here{tail if derive else ''}"


def _pos(loc: Location) -> tuple[str, int, int]:
    return (loc.file, loc.line, loc.column)


def group(items: list[Located]) -> list[Group]:
    """Stories in the order their first diagnostic appeared; each carries all its diagnostics."""
    keys: dict[tuple, int] = {}
    buckets: list[list[Located]] = []
    for it in items:
        sev = _severity(it.diag)
        name = unresolved_name(it.diag)
        key_name = ("name", sev, name, it.primary.file) if name else None
        lint = lint_key(it.diag)
        key_lint = ("lint", *lint) if lint else None
        key_root = ("root", sev, _pos(it.root), borrowed_place(it.diag)) if it.root.line > 0 else None
        shape = shape_key(it.diag)
        key_shape = ("shape", *shape) if shape else None
        cause = cause_key(it.diag)
        key_cause = ("type", *cause, fix_site(it.diag)) if cause else None
        site = lifetime_site(it.diag)
        key_site = ("lifetime", sev, site) if site else None
        keyset = (key_name, key_lint, key_root, key_shape, key_cause, key_site)
        hits = sorted({keys[k] for k in keyset if k is not None and k in keys})
        if not hits:
            hits = [len(buckets)]
            buckets.append([])
        idx = hits[0]
        # one diagnostic that shares a root with one story and a cause with another joins them: an
        # error seen at the use and again at the call of one mistake (`[i64]: Sized` at the `let`
        # and at `collect`) is one story however rustc orders them
        for other in hits[:0:-1]:
            buckets[idx].extend(buckets[other])
            buckets[other] = []
            keys.update({k: idx for k, v in keys.items() if v == other})
        buckets[idx].append(it)
        for k in keyset:
            if k is not None:
                keys.setdefault(k, idx)
    order = {id(it): i for i, it in enumerate(items)}
    out: list[Group] = []
    for members in filter(None, buckets):
        members.sort(key=lambda m: order[id(m)])
        lead = members[0]
        if unresolved_name(lead.diag) is not None and len(members) > 1:
            first = min(members, key=lambda m: _pos(m.primary))
            reason = (
                f"the first of {len(members)} uses of an unresolved name; the others fail for the same reason"
            )
            out.append(
                Group(lead=first, members=tuple(members), root=first.primary, reason=reason, kind="name")
            )
        elif (
            len(members) > 1
            and (key := lint_key(lead.diag)) is not None
            and all(lint_key(m.diag) == key for m in members[1:])
        ):
            out.append(_lint_group(lead, members))
        elif (
            len(members) > 1
            and (shape := shape_key(lead.diag)) is not None
            and all(shape_key(m.diag) == shape for m in members[1:])
            and len({_pos(m.root) for m in members}) > 1
        ):
            n = len(members)
            reason = (
                f"the first of {n} places with the same mistake ({shape[0]}: expected `{shape[2]}`, "
                f"found `{shape[3]}`)"
            )
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="shape"))
        elif (
            len(members) > 1
            and (cause := cause_key(lead.diag)) is not None
            and all(cause_key(m.diag) == cause for m in members[1:])
            and len({fix_site(m.diag) for m in members}) == 1
            and len({_pos(m.root) for m in members}) > 1
        ):
            shared = sum(_pos(m.root) == _pos(lead.root) for m in members) > 1
            off = (lead.root.file, lead.root.line) != (lead.primary.file, lead.primary.line)
            # the lead's own root, off its line and shared (a trait's generic method): that is the cause
            reason = lead.reason if shared and off else _cause_reason(cause, len(members))
            # one type lacks the trait, asked for by different obligations: the type is the root
            root = lead.root if shared and off else (_lacking_type_at(members) or lead.root)
            out.append(Group(lead=lead, members=tuple(members), root=root, reason=reason, kind="type"))
        elif (
            len(members) > 1
            and (site := lifetime_site(lead.diag)) is not None
            and all(lifetime_site(m.diag) == site for m in members[1:])
        ):
            n = len(members)
            reason = (
                f"the item declared here has {n} references without a lifetime; rustc's help declares "
                f"one lifetime here for all of them, so one edit fixes the {n}"
            )
            root = Location(file=site[0], line=site[1], column=site[2], label="the item's declaration")
            out.append(Group(lead=lead, members=tuple(members), root=root, reason=reason, kind="declaration"))
        elif len(members) > 1 and (traits := _traits_reason(members)) is not None:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=traits))
        else:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=lead.reason))
    return merge_consequences(out)


def _lint_group(lead: Located, members: list[Located]) -> Group:
    """One story for a lint repeated in several places: the first place rustc reports leads."""
    code = lead.diag.code_str or ""
    n = len(members)
    if code == CFG_LINT:
        m = _NAME_RE.findall(lead.diag.message)
        cfg = m[-1] if m else "this cfg"
        reason = (
            f"the first of {n} uses of the cfg `{cfg}`, which the crate never declares; "
            "one declaration clears all of them"
        )
        return Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="cfg")
    tool = "clippy" if code.startswith("clippy::") else "rustc"  # a clippy lint is clippy's report
    reason = f"the first of {n} places where {tool} reports the same `{code}` lint; each place needs the same change"
    return Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="lint")

"""The memory in Rusta's words: each item, what it changes, and where she learned it."""

from __future__ import annotations

import time
from collections import Counter

from engine.memory.priors import adjustment, retired, shipped
from engine.memory.types import FamilyPref, Memory, Mistake, Seen, StyleFact, Voice

WEEK_S = 7 * 24 * 3600
STUBBORN_MIN, STUBBORN_MAX = 0.2, 0.8
_NOUN = {
    "kept": "apply",  # a patch applied; an undo after it is its own evidence
    "undone": "undo",
    "rejected": "rejection",
    "edited": "edit",
    "met": "meeting",
    "argued": "argument",
}
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def day(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


def _plural(noun: str, n: int) -> str:
    return noun if n == 1 else noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def learned_from(seen: tuple[Seen, ...]) -> str:
    """ "learned from 3 undos on 2026-11-30 and 1 rejection on 2026-12-01" (the newest evidence)."""
    if not seen:
        return "learned from nothing left in the DevLog"
    groups = Counter((s.what, day(s.ts)) for s in seen)
    parts = [
        f"{n} {_plural(_NOUN.get(what, what), n)} on {d}"
        for (what, d), n in sorted(groups.items(), key=lambda kv: kv[0][1])
    ]
    return "learned from " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


def pref_line(m: Memory, p: FamilyPref) -> str:
    bits = [f"kept {p.kept}", f"undone {p.undone}", f"rejected {p.rejected}", f"edited afterwards {p.edited}"]
    adj = adjustment(m, p.code, p.family) * shipped().pull  # in list places
    if retired(m, p.code, p.family) is not None:
        effect = (
            f"retired: refused {p.refused} times (the limit is {shipped().refusals}); the patches you refused are not "
            "proposed again, and one for changed code only last, saying why"
        )
    elif adj > 0:
        effect = f"ranked higher for {p.code or 'any code'} (+{adj:.2f} places)"
    elif adj < 0:
        effect = f"ranked lower for {p.code or 'any code'} ({adj:.2f} places)"
    else:
        effect = f"no effect on the order until it is refused {shipped().refusals} times"
    why = f' Your reason: "{p.reasons[-1]}".' if p.reasons else ""
    return f"{p.family} for {p.code or 'any code'}: {', '.join(bits)}; {effect}.{why} {_cap(learned_from(p.seen))}."


def this_week(x: Mistake, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return sum(1 for s in x.seen if s.what == "met" and now - s.ts <= WEEK_S)


def mistake_line(x: Mistake, now: float | None = None) -> str:
    how = ", ".join(f"{fam} {n}x" for fam, n in x.resolved) or "no fix of Rusta's kept yet"
    where = f"; last at {x.places[-1]}" if x.places else ""
    return (
        f"{x.code}: met in {x.count} task(s), {this_week(x, now)} this week; resolved by {how}{where}. "
        f"{_cap(learned_from(x.seen))}."
    )


def style_line(s: StyleFact) -> str:
    what = {
        "string-from-str": "a &str becomes a String with",
        "error-handling": "errors are passed on with",
        "import-groups": "`use` lines are",
        "impl-trait": "trait arguments are written as",
        "self-type": "inside an impl, the type is called",
        "closure-style": "a closure that only calls one function is written as a",
        "error-crate": "errors are built with",
        "config": "config",
    }[s.name]
    counts = ", ".join(f"{k} {n}" for k, n in s.counts)
    based = f" ({counts}; in {s.source})" if counts else f" (from {s.source})"
    rendered = " Candidates are rendered this way before validation."
    effect = {
        "string-from-str": rendered,
        "self-type": rendered,
        "closure-style": rendered,
        "import-groups": rendered if s.value == "grouped" else " Shown, not yet acted on.",
        "error-crate": " A boxed error in a return type is written as its Result before validation."
        if any(c.strip() in ("anyhow", "eyre", "color-eyre") for c in s.value.split("+"))
        else " Shown, not yet acted on.",
        "impl-trait": " A parameter a fix makes generic is written this way before validation, where the"
        " forms mean the same (the type named once, as one argument's type; no call naming type arguments).",
        "error-handling": ' An inserted .unwrap() or rustc\'s .expect("REASON") is rendered this way before'
        " validation, and fixes that pass an error on this way are tried earlier.",
        "config": " The items a fix changes are formatted with it before validation (each only if it was"
        " rustfmt-clean before)."
        if "rustfmt.toml" in s.value
        else " Shown, not yet acted on.",
    }.get(s.name, " Shown, not yet acted on.")
    return f"{what} {s.value}{based}.{effect}"


def stubbornness(v: Voice) -> float:
    """How firmly Rusta holds when argued with: the share of arguments where the compiler's evidence
    held, smoothed toward 0.5 by two imagined arguments, within [STUBBORN_MIN, STUBBORN_MAX]."""
    share = (v.rusta_held + 1) / (v.argued + 2)
    return round(max(STUBBORN_MIN, min(STUBBORN_MAX, share)), 2)


def voice_line(v: Voice) -> str:
    s = stubbornness(v)
    if not v.argued:
        return f"No argument yet in this repo; stubbornness {s:.2f} (bounds {STUBBORN_MIN}-{STUBBORN_MAX})."
    return (
        f"You argued {v.argued} time(s); the compiler's evidence held {v.rusta_held}, yours {v.conceded}: "
        f"stubbornness {s:.2f} (bounds {STUBBORN_MIN}-{STUBBORN_MAX}). {_cap(learned_from(v.seen))}."
    )


def study_line(
    m: Memory, code: str, place: str = "", message: str = "", now: float | None = None, mark: str = ""
) -> str:
    """What study mode says about a code the user meets again ("" on a first meeting). `m` may or
    may not hold this meeting yet: one whose `mark` (see `fold.occurrence_mark`) was counted already
    is that meeting, told by its own ordinal (a re-run never makes it "Second" or "Third"); without a
    mark, one at the last place with the last message is the same one.

    E.g. "Third E0502 this week: src/lib.rs:40 again; it went away with op:borrow 2 time(s) before."
    """
    x = next((x for x in m.mistakes if x.code == code), None)
    if x is None or x.count < 1:
        return ""
    week = this_week(x, now)
    k = next((k for mk, k in x.marks if mark and mk == mark), 0)
    if k:  # met before, unchanged: the k-th meeting, and the meetings after it are newer
        n, when = (k - (x.count - week), " this week") if k - (x.count - week) >= 2 else (k, " in this repo")
        if n < 2:
            return ""
        return (
            _cap(f"{_ORDINAL.get(n, f'{n}th')} {code}{when}")
            + "; this one is unchanged since Rusta first saw it."
        )
    same = not mark and bool(place) and x.places[-1:] == (place,) and x.messages[-1:] == (message,)
    new = 0 if same else 1
    n, when = (week + new, " this week") if week + new >= 2 else (x.count + new, " in this repo")
    if n < 2:
        return ""
    head = _cap(f"{_ORDINAL.get(n, f'{n}th')} {code}{when}")
    bits = []
    before = x.places[:-1] if same else x.places
    if place and place in before:
        bits.append(f"{place} again")
    elif before:
        bits.append(f"the last one was at {before[-1]}")
    if x.resolved:
        fam, k = max(x.resolved, key=lambda r: r[1])
        bits.append(f"it went away with {fam} {k} time(s) before")
    return head + (": " + "; ".join(bits) if bits else "") + "."


def recurring(m: Memory, limit: int = 3) -> list[Mistake]:
    """The user's recurring mistakes, most often met first (twice or more)."""
    return [x for x in m.mistakes if x.count >= 2][:limit]


def show(m: Memory) -> list[tuple[str, str]]:
    """Every item as (key, sentence), in the order `rusta memory show` lists them."""
    out = [(p.key, pref_line(m, p)) for p in m.prefs]
    out += [(x.key, mistake_line(x)) for x in m.mistakes]
    out += [(s.key, style_line(s)) for s in m.style]
    out.append((m.voice.key, voice_line(m.voice)))
    return out

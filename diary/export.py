"""Export the DevLog: JSON lines for machines, Markdown that reads like a colleague's notes.

The Markdown follows the payload conventions in `diary.replay`: per task, the intent, what was
run, what the compiler said (quoted exactly), what was changed, and what was decided and why.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import msgspec

from diary.payloads import as_dict, tag_of
from diary.types import Entry

_json = msgspec.json.Encoder()


def entry_json(e: Entry) -> dict[str, Any]:
    """A record as JSON builtins, its payload flat as its writer recorded it, plus its "type" tag."""
    d = msgspec.to_builtins(e)
    d["payload"] = {"type": tag_of(e.payload), **as_dict(e.payload)}
    return d


def to_jsonl(entries: Iterable[Entry]) -> Iterable[bytes]:
    for e in entries:
        yield _json.encode(entry_json(e)) + b"\n"


def when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ts))


def _code(s: str) -> str:
    """An inline code span that quotes `s` exactly, backticks included (CommonMark double ticks)."""
    return f"`` {s} ``" if "`" in s else f"`{s}`"


def _command(argv: list[str]) -> str:
    """The command as the user would type it: from the cargo/rustc word on, wrappers left out."""
    names = [a.rsplit("/", 1)[-1] for a in argv]
    for k in range(len(names) - 1, -1, -1):
        if names[k] in ("cargo", "rustc", "rustfmt", "git"):
            return " ".join([names[k], *argv[k + 1 :]])
    return " ".join(argv)


def _end(text: str) -> str:
    """The text as a sentence: one full stop, never two (summaries often end with their own)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def line(e: Entry) -> str:
    """One Markdown bullet for a record."""
    p = e.payload
    s = e.summary
    if e.kind == "intent":
        goal = f" Goal: {_end(p['goal'])}" if isinstance(p.get("goal"), str) else ""
        return f"- **Intent.** {_end(s)}{goal}"
    if e.kind == "action":
        op = p.get("op")
        if op == "run" and isinstance(p.get("argv"), list):
            res = f" → {p['outcome']}" if p.get("outcome") else ""
            rc = f" (exit {p['returncode']})" if isinstance(p.get("returncode"), int) else ""
            return f"- **Ran** {_code(_command([str(a) for a in p['argv']]))}{res}{rc}."
        if op in ("apply", "undo", "redo"):
            verb = {"apply": "Applied", "undo": "Undid", "redo": "Redid"}[op]
            files = ", ".join(map(str, p.get("files") or ())) or "no files listed"
            failed = " It failed and changed nothing." if p.get("status") == "failed" else ""
            return f"- **{verb}** patch {p.get('patch_id', '?')} ({files}): {_end(s)}{failed}"
        return f"- **Did:** {_end(s)}"
    if e.kind == "validation":
        tool = p.get("tool", "check")
        if p.get("ok"):
            verdict = "green"
        elif isinstance(p.get("errors"), int):
            verdict = f"not green, {_plural(p['errors'], 'error')}"
        else:
            verdict = "not green"
        extra = "" if s.startswith(str(tool)) or not s else f" {_end(s)}"
        out = [f"- **Checked** with cargo {tool}: {verdict}.{extra}"]
        for d in (p.get("diagnostics") or ())[:5]:
            out.append("  " + _diag(d))
        for t in (p.get("failed_tests") or ())[:5]:
            out.append(f"  - test failed: {_code(str(t))}")
        return "\n".join(out)
    if e.kind == "reflection":
        outcome = p.get("outcome")
        why = f" Why: {p['why']}" if isinstance(p.get("why"), str) else ""
        return f"- **Decided** ({outcome}): {_end(s)}{why}" if outcome else f"- **Decided:** {_end(s)}{why}"
    text = p.get("text") if isinstance(p.get("text"), str) else s
    who = "the user" if p.get("author") == "user" else "Rusta"
    return f"- **Note** from {who}: {text}"


def _diag(d: Any) -> str:
    if not isinstance(d, dict):
        return f"- the compiler said: {d}"
    code = f"[{d['code']}]" if d.get("code") else ""
    where = f" at {d['file']}:{d.get('line', '?')}" if d.get("file") else ""
    said = f"{d.get('level', 'error')}{code}: {d.get('message', '')}"
    return f"- the compiler said: {_code(said)}{where}"


def to_markdown(entries: Iterable[Entry], title: str = "Rusta's diary") -> str:
    """Tasks in the order they began, each with its records; loose notes where they fall."""
    sections: dict[str, list[Entry]] = {}
    order: list[str] = []
    for e in entries:
        key = e.task or e.id
        if key not in sections:
            sections[key] = []
            order.append(key)
        sections[key].append(e)
    out = [f"# {title}", ""]
    for key in order:
        recs = sections[key]
        head = recs[0]
        if head.kind == "intent":
            settled = any(r.settles == head.id for r in recs)
            status = "settled" if settled else "open (interrupted or in progress)"
            out.append(f"## {when(head.ts)}: {head.summary}")
            out.append(f"_task {head.id}, {status}, session {head.session}_")
        else:
            out.append(f"## {when(head.ts)}: {head.kind}")
        out.append("")
        out.extend(line(r) for r in recs)
        out.append("")
    return "\n".join(out).rstrip() + "\n"

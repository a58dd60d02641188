"""`rusta diary`: read and write the DevLog: append, list, show, tail, verify, replay, export, settle, compact.

Reading commands open the log read-only and take no lock, so they never hold up a running Rusta.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

KINDS = ("intent", "action", "validation", "reflection", "note")


ACTIONS = ("append", "list", "show", "tail", "verify", "replay", "export", "settle", "compact")


def crate_first(argv: list[str]) -> list[str]:
    """`rusta diary PATH ACTION ...` as `rusta diary --root PATH ACTION ...`: the crate positional for
    every action, append's included, whose text takes every word after it (so no PATH can follow it).
    argparse cannot tell an optional positional before the action from the action itself; the
    action names are a fixed set, so a first word that is none of them and no option is the PATH."""
    if len(argv) > 2 and argv[1] not in ACTIONS and not argv[1].startswith("-"):
        return [argv[0], "--root", argv[1], *argv[2:]]
    return argv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # the crate before the action (crate_first) or after it; --root is the older spelling, kept for scripts
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="diary_command", metavar="ACTION", required=True)
    # set after add_subparsers, which builds each action's usage from this one
    parser.usage = "rusta diary [PATH] ACTION ... (or ACTION ... PATH where the action takes no text)"
    ap = sub.add_parser("append", help="Write a record (a note by default); exits 0 once it is durable")
    ap.add_argument("--kind", choices=KINDS, default="note", help="the record's kind (default: note)")
    ap.add_argument("--task", default=None, help="task id (the intent's id) this record belongs to")
    ap.add_argument("--settles", default=None, help="id of the entry this record settles")
    ap.add_argument("text", nargs="+", help="the note's text")
    ls = sub.add_parser("list", help="One line per entry, oldest first")
    ls.add_argument("--kind", choices=KINDS, default=None, help="only entries of this kind")
    ls.add_argument("--open", action="store_true", help="only interrupted tasks, with what to do about them")
    ls.add_argument("-n", type=int, default=0, help="only the last N entries")
    sh = sub.add_parser("show", help="One entry in full (an id prefix is enough)")
    sh.add_argument("id", help="an entry id, or a prefix that matches one entry")
    tl = sub.add_parser("tail", help="The last entries; -f to follow new ones")
    tl.add_argument("-n", type=int, default=10, help="how many of the last entries (default 10)")
    tl.add_argument("-f", "--follow", action="store_true", help="keep printing new entries until Ctrl-C")
    tl.add_argument("--interval", type=float, default=0.2, help=argparse.SUPPRESS)
    vf = sub.add_parser("verify", help="Check every frame and entry; exact offsets of any damage")
    vf.add_argument("--json", action="store_true", help="the report as one JSON object")
    rp = sub.add_parser("replay", help="Re-derive open tasks and the undo stack from the log; check the repo")
    rp.add_argument("--json", action="store_true", help="the state as one JSON object")
    rp.add_argument("--no-check", action="store_true", help="do not compare with the repo's files")
    ex = sub.add_parser("export", help="Export the log as JSON lines or Markdown notes")
    ex.add_argument(
        "--format",
        choices=("jsonl", "md"),
        default="md",
        help="md (default): notes to read; jsonl: one entry per line",
    )
    ex.add_argument("--task", default=None, help="only this task")
    ex.add_argument("-o", "--output", type=Path, default=None, help="write to this file instead of stdout")
    st = sub.add_parser("settle", help="Close an interrupted task with a reflection")
    st.add_argument("id", help="the interrupted intent's id (`rusta diary list --open`)")
    st.add_argument("--outcome", choices=("done", "failed", "abandoned", "rejected"), default="abandoned")
    st.add_argument("--why", default="", help="why it ends this way (recorded in the reflection)")
    cp = sub.add_parser("compact", help="Fold old segments under a size limit; open tasks are kept")
    for action in (
        ls,
        sh,
        tl,
        vf,
        rp,
        ex,
        st,
        cp,
    ):  # the crate positional, as in check, fix, undo and history
        action.add_argument(
            "crate",
            nargs="?",
            type=Path,
            default=None,
            metavar="PATH",
            help="the crate or repo (default: found from the current folder)",
        )
    cp.add_argument(
        "--max-bytes", type=int, default=None, help="size to fold down to (default: half the log's limit)"
    )


def find_root(start: Path | None) -> Path:
    """The folder whose .rusta/devlog exists, else the nearest with Cargo.toml or .git, else cwd."""
    here = (start or Path.cwd()).resolve()
    if start is not None:
        if not here.is_dir():  # never create a diary in a folder the user did not have
            from diary.errors import DiaryError

            what = "is not a folder" if here.exists() else "does not exist"
            raise DiaryError(f"{start} {what}; PATH is the crate or repo folder.")
        return here
    for d in (here, *here.parents):
        if (d / ".rusta" / "devlog").is_dir():
            return d
    for d in (here, *here.parents):
        if (d / "Cargo.toml").exists() or (d / ".git").exists():
            return d
    return here


def run(args: argparse.Namespace) -> int:
    given = getattr(args, "crate", None)
    if given is not None and args.root is not None and given.resolve() != args.root.resolve():
        from diary.errors import DiaryError

        raise DiaryError(f"two folders given ({args.root} and {given}); give one.")
    root = find_root(given or args.root)
    cmd = args.diary_command
    handler = {
        "append": _append,
        "list": _list,
        "show": _show,
        "tail": _tail,
        "verify": _verify,
        "replay": _replay,
        "export": _export,
        "settle": _settle,
        "compact": _compact,
    }[cmd]
    return handler(root, args)


def _open(root: Path, *, readonly: bool):  # noqa: ANN202 - DevLog, imported lazily
    from diary.devlog import DevLog

    log = DevLog.open(root, readonly=readonly)
    for d in log.recovery.damage:
        if d.quarantined:
            print(
                f"rusta: the diary was damaged ({d.reason}) at {d.segment} bytes {d.start}-{d.end}; "
                f"cut out, the bytes are kept in {d.quarantined}.",
                file=sys.stderr,
            )
        else:
            print(
                f"rusta: damage in the diary ({d.reason}) at {d.segment} bytes {d.start}-{d.end}; "
                "the next write repairs it. `rusta diary verify` for details.",
                file=sys.stderr,
            )
    return log


def _row(e) -> str:  # noqa: ANN001
    t = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(e.ts))
    return f"{e.id}  {t}  {e.kind:<10}  {e.summary}"


def _append(root: Path, args: argparse.Namespace) -> int:
    text = " ".join(args.text).strip()
    summary = text.splitlines()[0][:120] if text else ""
    with _open(root, readonly=False) as log:
        if args.task is not None and args.task not in log:
            from diary.errors import InvalidEntry

            raise InvalidEntry(
                f"task '{args.task}' is not in the diary; `rusta diary list --kind intent` shows the tasks"
            )
        eid = log.append(
            args.kind,
            {"summary": summary, "text": text, "author": "user"},
            task=args.task,
            settles=args.settles,
        )
    print(eid)
    return 0


def _list(root: Path, args: argparse.Namespace) -> int:
    log = _open(root, readonly=True)
    if args.open:
        tasks = log.interrupted()
        for t in tasks:
            print(_row(t.intent))
            for r in t.records:
                print("    " + _row(r))
            print(f"    what to do: {t.advice}")
        if not tasks:
            print("No interrupted tasks.")
        return 0
    rows = [e for e in log.entries() if args.kind is None or e.kind == args.kind]
    for e in rows[-args.n :] if args.n else rows:
        print(_row(e))
    return 0


def _show(root: Path, args: argparse.Namespace) -> int:
    import msgspec

    log = _open(root, readonly=True)
    e = log.get(args.id)
    from diary.export import entry_json

    sys.stdout.write(msgspec.json.format(msgspec.json.encode(entry_json(e)), indent=2).decode() + "\n")
    return 0


def _tail(root: Path, args: argparse.Namespace) -> int:
    log = _open(root, readonly=True)
    rows = list(log.entries())
    for e in rows[-args.n :] if args.n else []:
        print(_row(e), flush=True)
    if not args.follow:
        return 0
    seen = len(rows)
    try:
        while True:
            time.sleep(args.interval)
            rows = list(log.entries())
            if len(rows) < seen:  # compacted under us: show only what is new by id
                seen = 0
            for e in rows[seen:]:
                print(_row(e), flush=True)
            seen = len(rows)
    except KeyboardInterrupt:
        return 0


def _verify(root: Path, args: argparse.Namespace) -> int:
    import msgspec

    from diary.verify import verify

    rep = verify(root)
    if args.json:
        sys.stdout.write(msgspec.json.encode(rep).decode() + "\n")
        return 0 if rep.ok else 1
    for d in rep.damage:
        print(f"DAMAGE  {d.segment} bytes {d.start}-{d.end} ({d.end - d.start} bytes): {d.reason}")
    for p in rep.problems:
        who = f" entry {p.entry_id}" if p.entry_id else ""
        print(f"{p.severity.upper():<7} {p.segment} offset {p.offset}{who}: {p.problem}")
    from diary.recovery import past_repairs

    repairs = past_repairs(root)
    if repairs:
        print(
            f"{len(repairs)} damaged ranges were cut out by earlier repairs; their bytes are in .rusta/devlog/quarantine/."
        )
    verdict = "ok" if rep.ok else "NOT ok"
    print(f"{verdict}: {len(rep.segments)} segments, {rep.frames} frames, {rep.entries} entries verified.")
    return 0 if rep.ok else 1


def _replay(root: Path, args: argparse.Namespace) -> int:
    import msgspec

    from diary.replay import advice, check_repo, replay

    log = _open(root, readonly=True)
    state = replay(log.entries())
    check = None if args.no_check else check_repo(state, root)
    if args.json:
        out = {"state": msgspec.to_builtins(state), "repo": msgspec.to_builtins(check) if check else None}
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
    else:
        print(
            f"{state.entries} records, {state.tasks} tasks, {state.settled} settled, {len(state.open_tasks)} open."
        )
        for t in state.open_tasks:
            print(f"open  {t.intent}  {t.summary}\n      {advice(t)}")
        print(
            "applied (undo stack, newest last): " + (", ".join(p.patch_id for p in state.applied) or "none")
        )
        print("undone (redo stack, newest last): " + (", ".join(p.patch_id for p in state.undone) or "none"))
        for p in state.problems:
            print(f"problem: {p}")
        if check is not None:
            if check.ok:
                print(f"repo matches the log ({check.checked} files checked).")
            for m in check.mismatches:
                print(f"repo differs: {m}")
    bad = bool(state.problems) or (check is not None and not check.ok)
    return 1 if bad else 0


def _export(root: Path, args: argparse.Namespace) -> int:
    from diary.export import to_jsonl, to_markdown

    log = _open(root, readonly=True)
    entries = [e for e in log.entries() if args.task is None or e.task == args.task or e.id == args.task]
    if args.task is not None and not entries:
        from diary.errors import EntryNotFound

        raise EntryNotFound(
            f"no task '{args.task}' in the diary; `rusta diary list --kind intent` shows the tasks"
        )
    if args.format == "jsonl":
        data = b"".join(to_jsonl(entries))
    else:
        data = to_markdown(entries, title=f"Rusta's diary: {root.name}").encode()
    if args.output:
        try:
            args.output.write_bytes(data)
        except OSError as e:
            from diary.errors import DiaryError

            raise DiaryError(f"cannot write {args.output}: {e.strerror or e}.") from e
    else:
        sys.stdout.buffer.write(data)
    return 0


def _settle(root: Path, args: argparse.Namespace) -> int:
    from diary.errors import InvalidEntry

    with _open(root, readonly=False) as log:
        e = log.get(args.id)
        if e.kind != "intent":
            raise InvalidEntry(f"{e.id} is a {e.kind}, not an intent; only an intent opens a task")
        why = args.why or "settled by hand after an interruption"
        eid = log.append(
            "reflection",
            {"summary": f"{args.outcome}: {e.summary}", "outcome": args.outcome, "why": why},
            settles=e.id,
        )
    print(eid)
    return 0


def _compact(root: Path, args: argparse.Namespace) -> int:
    with _open(root, readonly=False) as log:
        rep = log.compact(args.max_bytes)
    print(
        f"compacted {len(rep.folded_segments)} segments: dropped {rep.dropped} settled records, kept {rep.kept}; "
        f"{rep.bytes_before} -> {rep.bytes_after} bytes."
    )
    return 0

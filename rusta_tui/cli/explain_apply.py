"""`rusta explain --apply N`: the one fix a user picked, landed through the reversible patch path
after the same checks as the listing, or refused with the true reason and the next green fix. Kept
apart from the listing (`rusta_tui.cli.explain`), which calls `act` only when --apply is given."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from engine.explain.errors import ExplainError
from engine.explain.types import Explanation
from rusta_tui.cli.exitcodes import EXIT_REFUSED
from rusta_tui.cli.explain import _hot_bench, _humble_word, _read_alternative


def _story(chosen: tuple[Explanation, ...], n: int) -> int:
    if not 1 <= n <= len(chosen):
        raise ExplainError(
            f"there is no story {n}; {len(chosen)} {'is' if len(chosen) == 1 else 'are'} shown."
        )
    return n - 1


def _json_out(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _which(option: int) -> str:
    return f" (fix {option} of the story)" if option else ""


def _written(diff: str) -> str:
    """The diff's changed lines and their hunk headers, indented: what `--apply` wrote, never hidden."""
    keep = [
        ln
        for ln in diff.splitlines()
        if ln.startswith(("@@", "+", "-")) and not ln.startswith(("+++", "---"))
    ]
    files = [ln.removeprefix("+++ b/") for ln in diff.splitlines() if ln.startswith("+++ ")]
    return "\n".join([f"  wrote {', '.join(files)}:", *(f"    {ln}" for ln in keep)])


def _next_word(e: Explanation, n: int, green: int) -> str:
    """After a refused fix: the story's next fix that validated green and how to apply it, or that none did."""
    if not green:
        return f"No other fix of story #{n} validates green; nothing was applied."
    f = e.fixes[green - 1]
    shown = " / ".join(f"`{s.strip()}`" for s in f.shows[:2]) or f.name
    return (
        f"Fix {green} of story #{n} is green: {shown}. `rusta explain --apply {n} --fix {green}` applies it."
    )


def _unshown(
    chosen: tuple[Explanation, ...], args: argparse.Namespace, offered: tuple[int, ...] = ()
) -> str | None:
    """Why `--apply N` refuses before the sandbox: the fix it would land is not one explain showed as
    working. The mistake it answers is the apply path reaching past what was shown: rustc's own patch
    when every fix of the story failed its check (pair showed none), or a fix the check already saw
    break the crate's tests beside the other stories' fixes, which a sandbox run on this fix alone
    cannot see while other errors keep the tests from running (a fix the crate builds with alone is
    left to the sandbox, whose refusal says where the test panicked). None when the fix may be tried; the
    first case raises NoPatch (exit 4, no fix to apply), the second is a refusal (exit 3), as is a fix
    the check saw hang the tests or that holds a guard a later line takes again (review E: the sandbox
    took 5 to 7 minutes to refuse such a fix, waiting out its cap on the hang). A story that
    had no code fix before the check (`offered`, per story; its ways out are words) is told apart from
    one whose fixes all failed it: saying "none of its fixes compiled" of a story with none is false."""
    from engine.loop.errors import NoPatch

    i = _story(chosen, args.apply)
    e, n = chosen[i], args.apply
    tried = offered[i] if i < len(offered) else len(e.fixes)
    if not e.fixes and not tried and not (e.patch is not None and e.patch.diff.strip()):
        raise NoPatch(
            f"story #{n} ({e.code or e.message} at {e.primary.file}:{e.primary.line}) has no code fix, "
            "only advice, so there is nothing to apply. Nothing was changed; make the change yourself "
            "(then `rusta apply` a diff of it), or let `rusta fix` look for a green one."
        )
    if not e.fixes and not tried:
        # rustc's own patch, never a checked fix (placeholders, a `todo!()` arm): the loop's gates
        # and the sandbox refuse it with their own reason, as before 5575272
        return None
    if not e.fixes:  # exit 4: every code fix the story had failed its check; none is landed unseen
        none = f"none of its {tried} fixes passed" if tried != 1 else "its one fix did not pass"
        raise NoPatch(
            f"story #{n} has no fix shown ({none} the check in the scratch copy), so there is "
            "nothing checked to apply; nothing was changed."
        )
    m = args.fix if args.fix is not None else 1
    if not 1 <= m <= len(e.fixes):
        return None  # the loop names the numbers there are
    f = e.fixes[m - 1]
    if f.relocks:  # the syntax shows it: a later line takes the guard it holds (engine.explain.guard_marks)
        broke = f.guard_held
    elif f.tests_run == "timeout":  # seen, and cached: the sandbox would wait out its own cap to say it
        broke = f"the crate's tests hang with it (they did not finish in {f.hung_s:.0f} s)"
    elif f.left_in_edit:  # a dead end: the sandbox would count the errors it removes as progress
        return _dead_end(chosen, n, m, f)
    elif not (f.tests_failed and f.set_with):
        return None  # a fix the crate builds with alone: the sandbox runs the tests and says why itself
    else:
        them = ", ".join(f"`{t}`" for t in f.tests_failed[:3])
        broke = f"the crate's test{'s' if len(f.tests_failed) > 1 else ''} {them} failing with it beside the other stories' fixes"
    ok = next((k for k, g in enumerate(e.fixes, 1) if g.ticked), 0)
    then = (
        f"; fix {ok} has a ✓ (`rusta explain --apply {n} --fix {ok}`)"
        if ok
        else f"; no fix of story #{n} has a ✓"
    )
    return f"Refused fix {m} of story #{n}: explain's check showed {broke}; nothing was changed{then}."


def _dead_end(chosen: tuple[Explanation, ...], n: int, m: int, f) -> str:  # noqa: ANN001 (a PatchOption)
    """The refusal of a fix whose own code keeps an error the crate had (`engine.explain.dead_ends`):
    the sandbox would accept it as progress (it removes errors, adds none), yet no later fix completes
    it without rewriting it. Names a ✓ fix of any story that edits the same code, when one was checked."""
    spans = {(e.file, e.start, e.end) for e in f.edits}

    def overlaps(g) -> bool:  # noqa: ANN001
        """An edit of `g` in the same file that shares bytes with one of `f`'s (or inserts where one starts)."""
        return any(
            e.file == a and (e.start < c and b < e.end or e.start == b) for e in g.edits for a, b, c in spans
        )

    alt = next(
        (
            (k, j, g)
            for k, s in enumerate(chosen, 1)
            for j, g in enumerate(s.fixes, 1)
            if g.ticked and overlaps(g)
        ),
        None,
    )
    then = (
        f"; fix {alt[1]} of story #{alt[0]} has a ✓ and rewrites that code (`rusta explain --apply {alt[0]}"
        + (f" --fix {alt[1]}" if alt[1] > 1 else "")
        + "`)"
        if alt
        else "; no checked fix of that code has a ✓"
    )
    return (
        f"Refused fix {m} of story #{n}: explain's check left {f.left_in_edit} on the code the fix writes, "
        f"so it is no step toward a build that compiles (a later fix would rewrite it); nothing was changed{then}."
    )


def act(
    crate_root: Path,
    chosen: tuple[Explanation, ...],
    args: argparse.Namespace,
    checked: bool = False,
    offered: tuple[int, ...] = (),
) -> int:
    """Do or Reject through the core loop, so each step is a DevLog record and nothing red lands.
    `checked`: the stories' fixes went through the scratch copy, so `--apply` lands only one shown;
    `offered`: how many code fixes each story had before that check."""
    import msgspec

    from engine.loop import CoreLoop

    loop = CoreLoop(crate_root)
    try:
        if args.reject is not None:
            i = _story(chosen, args.reject)
            loop.say(
                f"reject the suggestion for {chosen[i].code or chosen[i].message}: {args.reason or 'no reason given'}"
            )
            loop.explain(chosen)
            alt = _read_alternative(args.alternative) if args.alternative else None
            answer = loop.reject(args.reason or "rejected without a reason", index=i, alternative_diff=alt)
            if args.json:  # stdout stays JSON lines: the answer is one more object, tagged by its kind
                _json_out({"kind": "answer", "story": args.reject, **msgspec.to_builtins(answer)})
            else:
                print(answer.text)
                for ev in answer.evidence:
                    print(f"  {ev.kind}: {ev.text}" + (f" ({ev.where})" if ev.where else ""))
                if not answer.conceded and alt is None and (humble := _humble_word(crate_root)):
                    print(humble)
            loop.reflect(
                "conceded: the user's evidence holds"
                if answer.conceded
                else "held: the evidence supports the suggestion"
            )
            return 0
        i = _story(chosen, args.apply)
        loop.say(f"apply the fix for {chosen[i].code or chosen[i].message}")
        loop.explain(chosen)
        from engine.loop.preferred import recall

        # an alternative conceded to with --reject is what lands, whatever Rusta's own fixes did
        mine = args.fix is None and recall(crate_root, chosen[i]) is not None
        if checked and not mine and (why := _unshown(chosen, args, offered)) is not None:
            if args.json:
                _json_out({"kind": "do", "story": args.apply, "applied": False, "reason": why})
            else:
                print(why)
            loop.reflect(f"refused: {why}", outcome="failed")
            return EXIT_REFUSED
        from engine.proofs.collect import intent_for, proof_lines

        option = args.fix if args.fix is not None else (1 if chosen[i].fixes and not mine else None)
        result = loop.do(i, option=option, fuzz=intent_for(chosen[i].level), hot_bench=_hot_bench(crate_root))
        if args.json:
            _json_out({"kind": "do", "story": args.apply, **msgspec.to_builtins(result)})
        if result.applied:
            if not args.json:
                print(
                    f"Applied {result.patch_id}{_which(result.option)}: {result.reason} `rusta undo` reverts it."
                )
                if 1 <= result.option <= len(chosen[i].fixes):
                    from engine.explain.joint_apply import companions, joint_words

                    if said := joint_words(companions(chosen, i, chosen[i].fixes[result.option - 1])):
                        print(said)
                print(_written(result.diff))
                print("\n".join(proof_lines(result.proofs)))
            loop.reflect(f"applied {result.patch_id}")
            return 0
        if not args.json:
            print(
                f"Refused {result.patch_id}{_which(result.option)}: {result.verdict}: {result.reason} "
                "Nothing was changed."
            )
            print("\n".join(proof_lines(result.proofs)))
            if result.option:
                print(_next_word(chosen[i], args.apply, result.next_green))
        loop.reflect(f"refused {result.patch_id}: {result.verdict}", outcome="failed")
        return EXIT_REFUSED  # a red patch refused on purpose, as rusta apply refuses one
    except BaseException as exc:  # an error or Ctrl-C: the task is settled with the reason, not left open
        loop.abandon(exc)
        raise
    finally:
        loop.close()

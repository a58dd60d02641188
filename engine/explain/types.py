"""Structs an explanation is made of: locations, choices, references, a suggested patch, the explanation.

These cross from the engine into modes, the TUI and `--json`; they are frozen msgspec Structs so a
render never changes the facts it renders.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from engine.edits import Edit
from toolbelt.types import Diagnostic


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


class Location(Base, frozen=True):
    """A place in the user's crate (file relative to the crate root as rustc names it, 1-based)."""

    file: str
    line: int
    column: int
    label: str | None = None


class Choice(Base, frozen=True):
    """One way out of the error and what it costs."""

    name: str
    how: str
    tradeoff: str


ReferenceKind = Literal["explain", "std-doc", "book", "reference", "url"]


class Reference(Base, frozen=True):
    """Something the user can open offline: a command (`rustc --explain E0382`) or a local file path."""

    title: str
    kind: ReferenceKind
    target: str


PatchSource = Literal["rustc", "template"]


class SuggestedPatch(Base, frozen=True):
    """A unified diff built from the compiler's suggestions; `applicability` is rustc's, unchanged."""

    diff: str
    applicability: str
    source: PatchSource = "rustc"


# "type-checks": the edit passed the checks rustc ran, but errors of an earlier phase were left in the
# crate, so borrow checking never ran on it, or a lint's fix sits in a crate with errors whose fixes
# may need what it removes (no ✓; `engine.explain.joint`). "uncovers": the story's
# error is gone, but rustc now reports another error away from the lines the edit wrote, one the
# first error hid or the same mistake made elsewhere (no ✓, not counted; `fails_because` quotes it)
Validation = Literal["compiles", "type-checks", "uncovers", "fails", "not-checked"]
FixKind = Literal["borrow", "clone", "other"]


class PatchOption(Base, frozen=True):
    """A way out that shows code: an edit set, its diff, and what the sandbox said of it.

    `shows` holds the added lines exactly as the diff has them, so what the user reads is what would
    land. `validated` is "not-checked" until `engine.explain.validation` ran it; a "fails" option is
    never shown. `cost` is empty unless a type fact supports a claim ("allocates" needs an owning type).
    """

    id: str  # engine.edits.edit_id of the edits
    name: str
    edits: tuple[Edit, ...]
    patch: str  # unified diff
    shows: tuple[str, ...]  # the `+` lines of the diff, without the `+`
    file: str
    line: int  # the first changed line, 1-based, in the file before the change
    source: str  # "rustc" or "template"
    applicability: str = "Unspecified"
    kind: FixKind = "other"
    cost: str = ""
    validated: Validation = "not-checked"
    check_s: float = 0.0  # added latency of its validation (0 when cached or not checked)
    errors_left: int = 0  # errors the crate already had that it still has with the edit in
    errors_new: int = 0  # errors that appear only with the edit in: never "remaining"
    # the compiler's first new error with the edit in, in its words: why it failed, or, for
    # "uncovers", the error it revealed
    fails_because: str = ""
    # the other stories' fix lines this option was checked with when it compiles only beside them
    # (`for n in &names` with `longest = n.clone();`): the set is what compiles, so it is named
    together_with: tuple[str, ...] = ()
    # the other stories (0-based, in the order validated) whose every error is gone with this edit in:
    # they follow from this story's mistake, so this fix is the one to apply first
    clears: tuple[int, ...] = ()
    # the other stories (0-based) this edit clears that offer the same edit for their own error:
    # independent sites of one mistake (two `?` without one `From`), so "one fix clears both"
    shares: tuple[int, ...] = ()
    # the other stories it clears with no shared edit and no tie in the code: cleared, no cause claimed
    also_clears: tuple[int, ...] = ()
    # the places of its own story's one mistake (2+ lines) that this edit clears writing none of them
    places: int = 0
    # a fix finished in steps (`engine.explain.chain`): each step after the first, in words, with
    # the error it answered
    steps: tuple[str, ...] = ()
    # the first step in its own words, when the title was re-read off the finished patch
    # (`engine.explain.patchwords`): "" means the title says what the first step did
    first_step: str = ""
    # "compiles" with errors left or brought: the first of them (code, message, file:line)
    first_error: str = ""
    # of its `errors_new`, those rustc hid behind the story's error (a later pass, on no line the
    # edit wrote; `engine.patching.uncovered`), in short words: said as hidden, never as brought
    hidden_new: tuple[str, ...] = ()
    # an error the crate had that stays on the code this fix wrote (`engine.explain.dead_ends`): a
    # later fix must rewrite this one's code, so it is no step toward a build and earns no ✓
    left_in_edit: str = ""
    # when this option is a fix written in the repo's style (`engine.memory.render`): the fix as
    # rustc or the template wrote it, validated and shown in its place only if this one fails
    plain: tuple[PatchOption, ...] = ()
    # rustc's suggestion inside this fix (Rusta added edits to it), run alone through the crate's
    # tests after this fix passed them: it hung or failed there (`fails_because`), so pair mode says
    # why rustc's own suggestion is not the fix (`engine.explain.rustc_alone`)
    alone: tuple[PatchOption, ...] = ()
    # the id of the option as "Checking N fixes" announced it (set by `engine.explain.validation`):
    # its other spelling, its settled words and its form finished in steps keep it through
    # `msgspec.structs.replace`, so the count line (`modes.fixcount`) follows each announced fix
    origin: str = ""
    # whether a test can run the code it changes (`engine.syntax.test_reach`): "no-tests",
    # "unreached", "reached" (by `reach_test`), "" when not known (the edit is in no fn)
    test_reach: str = ""
    reach_fn: str = ""
    reach_test: str = ""
    # the crate's tests run with it (`engine.explain.testing`, only when the whole crate compiles):
    # "passed", "failed" (the tests it breaks in `tests_failed`), "timeout" (they started and did not
    # finish in `hung_s` seconds: a hang, e.g. a lock held across a second lock), "" not run
    tests_run: str = ""
    tests_failed: tuple[str, ...] = ()
    hung_s: float = 0.0
    # the whole crate builds with it and a test could run it, but its tests were not run (the story's
    # test budget went to the fixes ranked above it, or the run did not finish): no ✓
    untested: bool = False
    # the patch edits test code that none of the story's errors sits in (engine.explain.test_edits):
    # its tests pass only as the patch rewrote them, so they prove nothing and it loses the ✓
    rewrites_tests: bool = False
    # the other stories (0-based) whose lead fixes were in the run behind `tests_run`: a fix that
    # leaves their errors can be tested only beside their fixes (`engine.explain.set_tests`)
    set_with: tuple[int, ...] = ()
    # a transfer out of `v[i]` whose index the fn advances after the read (`engine.syntax.cursor`),
    # not settled by a test: the index text; ranked below fixes that keep the container whole
    cursor: str = ""
    # a transfer out of `v[i]` with a later removal from `v` in the same block that cannot be proven
    # to take the same element (`engine.syntax.repeated_removal`): "`stmt` (why)"; ranked below the
    # clone, which keeps the code's own removal, since the two together may remove two elements
    removal_unsure: str = ""
    # a fix that names a lock or cell guard (rustc's E0716 `let binding = reg.lock().unwrap();`): what
    # holding it to the end of the block means, and `relocks` when a later line of that block takes
    # the same guard again, so it deadlocks or panics: no ✓ (`engine.explain.guard_marks`)
    guard_held: str = ""
    relocks: bool = False
    # the lints cargo clippy reports with it in that the crate without it did not have, by name
    # ("clippy::needless_borrow"; `engine.explain.linting`, run on the fixes the test gate runs):
    # ranked below an otherwise equal fix that adds none, and said in its cost line
    new_lints: tuple[str, ...] = ()

    @property
    def lint_words(self) -> str:
        """ "adds clippy::needless_borrow": what its cost line says of the lints it adds, "" for none."""
        return "adds " + " and ".join(self.new_lints) if self.new_lints else ""

    @property
    def panics_until_filled(self) -> bool:
        """The patch writes `todo!()` or `unimplemented!()`: it compiles, but it is a hole to fill."""
        return any("todo!(" in ln or "unimplemented!(" in ln for ln in self.shows)

    @property
    def ticked(self) -> bool:
        """Whether it earns the ✓: it compiled, and it is not a `todo!()` hole that the crate's own
        tests reach (a ✓ there reads as green where the tests would panic on it), nor one that
        brings a new error or breaks (or hangs) the crate's tests, nor one whose tests were not run or
        were rewritten by it to pass. In a
        crate with no tests the ✓ means it compiles, and its words say "the crate has no tests"
        (`explain --help` says so), never that tests passed."""
        return (
            self.validated == "compiles"
            and not self.errors_new
            and not self.tests_failed
            and self.tests_run != "timeout"
            and not self.relocks
            and not self.left_in_edit
            and not self.untested
            and not self.rewrites_tests
            and not (self.panics_until_filled and self.test_reach == "reached")
        )

    @property
    def state_words(self) -> str:
        """What validation earned, in words that claim no more than it showed."""
        words = self._state_words()
        if self.clears and self.validated in ("compiles", "uncovers"):
            them = " and ".join(f"#{j + 1}" for j in self.clears)
            words += f"; it clears {them} too, whose errors follow from this one"
        if self.also_clears and self.validated in ("compiles", "uncovers"):
            them = " and ".join(f"#{j + 1}" for j in self.also_clears)
            words += f"; {them} {'goes' if len(self.also_clears) == 1 else 'go'} with it too"
        if self.places > 1:
            one = "one edit" if len(self.edits) == 1 else "this fix"  # a where clause on each of two fns
            words += (
                f"; {one} clears both places"
                if self.places == 2
                else f"; {one} clears all {self.places} places"
            )
        if self.shares and self.validated in ("compiles", "uncovers"):
            *rest, last = [f"#{j + 1}" for j in self.shares]
            them = ", ".join(rest) + f" and {last}" if rest else last
            words += f"; one fix clears {'both' if len(self.shares) == 1 else 'all'}: this error and {them}"
        return words

    def _state_words(self) -> str:
        if self.validated == "type-checks":
            return "type-checks; the full check waits on the other errors" + self.steps_words
        if self.validated == "uncovers" and self.hidden_new:  # a later pass: hidden, said so
            return "fixes this error; " + self._hidden_words(self.hidden_new)
        if self.validated == "uncovers":
            return "fixes this error; rustc then reports " + (self.fails_because or "another error")
        if self.validated != "compiles":
            return "not checked yet" + (
                "; needs your input where it says todo!()" if self.panics_until_filled else ""
            )
        if self.together_with:
            return "compiles together with " + " and ".join(f"`{t}`" for t in self.together_with)
        n, k = self.errors_left, self.errors_new
        words = f"fixes this; {n} other error{'s' if n > 1 else ''} remain{'' if n > 1 else 's'}" if n else ""
        if k:
            words = f"{words}, and {self._brought_words}" if words else f"fixes this; {self._brought_words}"
        if words and self.first_error and not (k and len(self.hidden_new) == k):
            words += f" (first: {self.first_error})"
        if self.left_in_edit:
            words += (
                f"; {self.left_in_edit} stays on the code this fix writes, so a later fix must rewrite"
                " it: no step toward a build that compiles"
            )
        if self.panics_until_filled:  # the errors left first: "compiles" alone would hide them
            words = (
                words + ", and" if words else "compiles, but"
            ) + " its todo!() panics until you write that branch"
            if self.test_reach == "reached":
                words += f"; the crate's tests run `{self.reach_fn}` (from {self.reach_test}), so they may panic on it"
            return words + self.steps_words + self._reach_words
        return (words or "compiles") + self.steps_words + self._reach_words

    @property
    def _brought_words(self) -> str:
        """The errors the crate has only with it in: those rustc hid behind this one are named as
        hidden, in code the edit did not write (`hidden_new`); the rest appear with it."""
        k, hid = self.errors_new, self.hidden_new[: self.errors_new]
        words = []
        if k > len(hid):
            n = k - len(hid)
            words.append(f"{n} new error{'s' if n > 1 else ''} appear{'' if n > 1 else 's'} with it")
        if hid:
            words.append(self._hidden_words(hid))
        return ", and ".join(words)

    @staticmethod
    def _hidden_words(hid: tuple[str, ...]) -> str:
        they = f"{len(hid)} error{'s' if len(hid) > 1 else ''} it had hidden behind this one"
        return f"rustc then reports {they}, on lines the fix does not write ({'; '.join(hid)})"

    @property
    def _reach_words(self) -> str:
        """What holding a named guard means (`guard_held`), then what the tests said (`_tested_words`)."""
        return (f"; {self.guard_held}" if self.guard_held else "") + self._tested_words

    @property
    def _tested_words(self) -> str:
        """What the ✓ does not cover: a compiling fix is behaviour-checked only where a test runs it."""
        if self.tests_failed:
            n = len(self.tests_failed)
            them = ", ".join(f"`{t}`" for t in self.tests_failed[:3]) + (
                f" and {n - 3} more" if n > 3 else ""
            )
            return (
                f"; the crate's test{'s' if n > 1 else ''} {them} fail{'' if n > 1 else 's'} with it"
                + self._beside
            )
        if self.tests_run == "timeout":
            return (
                f"; the crate's tests hang with it (they did not finish in {self.hung_s:.0f} s)"
                + self._beside
            )
        if self.removal_unsure:
            return (
                f"; the later {self.removal_unsure} also removes an element, which Rusta cannot prove is"
                " this one, so the two may remove two: the clone keeps the code's own removal"
            )
        if self.tests_run == "passed" and self.rewrites_tests:
            return "; the crate's tests pass only as it rewrites them, which proves nothing" + self._beside
        if self.tests_run == "passed" and self.test_reach not in ("unreached", "no-tests"):
            # else passing says nothing: a green run of zero tests is not "the tests pass"
            return "; the crate's tests pass with it" + self._beside
        if self.untested:
            return "; tests not run" + (
                f"; no test runs `{self.reach_fn}`" if self.test_reach == "unreached" else ""
            )
        if self.cursor:
            return (
                f"; `{self.cursor}` moves on after this read, so taking the element out shifts the one"
                " it reads next: behaviour unchecked, no test ran it"
            )
        if self.test_reach == "no-tests":
            return "; the crate has no tests"
        if self.test_reach == "unreached":
            return f"; no test runs `{self.reach_fn}`"
        return ""

    @property
    def _beside(self) -> str:
        """The fixes a set run had beside this one: without them the crate does not build."""
        if not self.set_with:
            return ""
        *rest, last = [f"#{j + 1}" for j in self.set_with]
        them = ", ".join(rest) + f" and {last}" if rest else last
        return f" beside {them}'s first fix{'es' if rest else ''}"

    @property
    def steps_words(self) -> str:
        """A fix finished in steps, step by step: what the first did, then each later one."""
        if not self.steps:
            return ""
        first = (self.first_step or self.name).split(";")[0].strip()
        return f", in {len(self.steps) + 1} steps: {first}" + "".join(f", then {s}" for s in self.steps)


class Explanation(Base, frozen=True):
    """One story: a root cause, the invariant at stake, the ways out, and every diagnostic it explains.

    `primary` is where rustc points; `root_cause` is where Rusta says the problem starts.
    `summary` is one line (pair mode); `why` is the study-mode paragraph.
    """

    code: str | None
    level: str
    message: str
    primary: Location
    root_cause: Location
    root_cause_reason: str
    invariant: str
    summary: str
    why: str
    title: str = ""
    options: tuple[Choice, ...] = ()
    references: tuple[Reference, ...] = ()
    patch: SuggestedPatch | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    facts: tuple[str, ...] = ()
    explain_text: str = ""  # the relevant passage of `rustc --explain CODE`, quoted in study mode
    prompt: str = ""  # study mode asks this before revealing the root cause
    fixes: tuple[PatchOption, ...] = ()  # concrete patches, best first; "fails" ones are removed
    # the summary is a shape's own (a KB variant's, from a fact or the syntax), not the code's generic
    # line: pair mode shows it as Rusta's reason when rustc gives none
    shape_summary: bool = False
    # the story (1-based) whose validated fix also clears this one by changing the signature of a fn
    # this story's code calls (`engine.explain.cleared_by`): the root cause is that signature, and the
    # ways out in words, which restructure this story's code, are dropped; 0 when none
    goes_with: int = 0

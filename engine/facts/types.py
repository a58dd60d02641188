"""Structs of diagnostic facts: what rustc said, typed, with every place mapped to the user's code."""

from __future__ import annotations

from typing import Literal

import msgspec

from engine.edits import Suggestion


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


class Place(Base, frozen=True):
    """A span in the user's crate (crate-relative file, byte range, rustc's 1-based line and column)."""

    file: str
    start: int
    end: int
    line: int
    column: int
    label: str | None = None


class Note(Base, frozen=True):
    """One child note or help, with its places in the user's code (std's places are dropped)."""

    level: str
    message: str
    places: tuple[Place, ...] = ()


MoveKind = Literal["for-loop", "method", "closure", "call", "plain"]
OriginKind = Literal[
    "consuming-receiver",  # a method taking `self` by value moved the value
    "trait-bound",  # a bound (`T: Display`, `F: Fn()`) demands what the value lacks
    "closure-kind",  # the `Fn`/`FnMut` bound that forbids the closure to consume its capture
    "missing-else",  # an `if` without `else` evaluates to `()`
    "move",  # the move before the use
    "expected-type",  # where the expected type comes from
]


class Origin(Base, frozen=True):
    """Where the problem starts, when rustc's own children point there, and the sentence that says so."""

    kind: OriginKind
    place: Place
    reason: str


class Facts(Base, frozen=True):
    """What one diagnostic states. Absent facts are None: no fact, no statement."""

    code: str | None
    level: str
    message: str
    primary: Place | None = None
    expected: str | None = None  # the expected type, as rustc writes it
    found: str | None = None
    binding: str | None = None  # the variable the error is about (`v` in "use of moved value: `v`")
    # the local a closure that may outlive the function borrows (E0373 "but it borrows `r`"); kept
    # apart from `binding`, which the E0373 stories' words do not read
    captured_borrow: str | None = None
    # the parameter whose borrow escapes (E0521: "`jobs` escapes the function body here")
    escaping: str | None = None
    binding_type: str | None = None  # its type, from "move occurs because `v` has type `T`"
    not_copy: bool = False  # rustc says the type does not implement `Copy`
    moved_at: Place | None = None
    move_kind: MoveKind | None = None
    # rustc's move label ends "in previous iteration of loop": the move reaches the use over the
    # loop's back edge, so it runs again on every iteration that gets to it
    moved_in_loop: bool = False
    consumer: str | None = None  # `S::consume` in "`S::consume` takes ownership of the receiver `self`"
    consumer_at: Place | None = None  # its `self` parameter, when that is the user's code
    closure_kind: Literal["Fn", "FnMut"] | None = None
    closure_at: Place | None = None
    trait_name: str | None = None  # the unsatisfied trait
    bound_at: Place | None = None  # "required by this bound in `f`"
    bound_call_at: Place | None = None  # "required by a bound introduced by this call"
    expected_due_to: Place | None = None
    callee_at: Place | None = None  # "function defined here"
    missing_else: bool = False
    borrowed_at: Place | None = None  # the other borrow, still alive (E0499/E0502/E0505/E0506)
    later_used_at: Place | None = None
    similar_name_help: bool = False  # rustc's help names an item "with a similar name"
    clone_help: bool = False  # rustc's help says "consider cloning" the moved value
    behind_reference: bool = False  # "... which is behind a `&` reference": the binding is not the problem
    make_mut_at: Place | None = None  # rustc's "consider changing this to be mutable"
    type_defined_at: Place | None = (
        None  # "consider implementing `Clone` for this type", "... not found for this"
    )
    # a privacy error (E0603, E0616, E0624, E0451): the item it is about, as rustc names it
    # ("function `tax`", "field `total` of struct `Cart`"; for a struct literal, "struct `Point`",
    # whose private fields bar every literal of it), and where rustc says it is defined, if it does
    private_item: str | None = None
    private_at: Place | None = None
    notes: tuple[Note, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    origin: Origin | None = None

"""Structs the syntax layer answers with: shapes and bindings, never tree-sitter nodes (they hold a tree)."""

from __future__ import annotations

from typing import Literal

import msgspec


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


class Range(Base, frozen=True):
    """A byte range of one file, with rustc's 1-based line of its start."""

    start: int
    end: int
    line: int
    text: str


SelfKind = Literal["self", "&self", "&mut self", "mut self", "none"]


class FnSig(Base, frozen=True):
    """The function or method that encloses a place."""

    name: str
    range: Range  # the whole item
    self_param: SelfKind = "none"
    self_range: Range | None = None  # the `self` parameter, where there is one
    return_type: str | None = None  # None: the function returns `()`
    return_range: Range | None = None
    is_async: bool = False
    in_impl_of: str | None = None  # `Display` in `impl Display for T`; None in an inherent impl or free fn
    in_trait: bool = False


class Binding(Base, frozen=True):
    """Where a name is bound: a `let`, a parameter, a pattern of `for`/`match`/closure."""

    name: str
    kind: Literal["let", "param", "for", "pattern", "closure-param"]
    range: Range  # the identifier in its pattern
    mutable: bool
    type_text: str | None = None  # the annotation, when written


class Shape(Base, frozen=True):
    """What the code at a span is, as the syntax tree says (not as regexes over text guess).

    `kind` is tree-sitter-rust's node kind of the smallest named node covering the span.
    """

    kind: str
    text: str
    in_pattern: bool = False  # the span is (in) a pattern: `let &x`, a match arm, a parameter
    in_closure: Range | None = None  # the innermost closure around the span
    for_iterable: bool = False  # the span is the iterable of a `for` (its hidden `into_iter` moves it)
    tail_expression: bool = False  # the span is the value of a block (no `;` after it)
    statement: bool = False  # the span is an expression statement ending in `;`
    if_without_else: Range | None = None  # an `if` with no `else` that contains or is the span
    await_on: bool = False  # the span is the operand of `.await`
    method_call: str | None = None  # the span is the receiver of a method call: the method's name
    operator: str | None = None  # the span is an operand of a binary operator (`+`, `==`, `+=`): which
    operand_side: Literal["left", "right"] | None = None  # and which side of it
    enclosing_fn: FnSig | None = None


class Item(Base, frozen=True):
    """A top-level item: kind, name (fns; impls get their header), byte range, 0-based rows, text."""

    kind: str
    name: str
    start: int
    end: int
    row_start: int
    row_end: int
    text: str
    has_unsafe: bool = False
    params: tuple[tuple[str, str], ...] = ()  # (pattern, type) of a fn; () for other items
    generic: bool = False
    is_async: bool = False
    has_self: bool = False
    return_type: str | None = None
    body_start: int = 0  # byte offset of a fn's body block
    self_kind: str = ""  # a method's receiver as written: "&self", "&mut self", "self", "mut self"
    owner: str = ""  # a method's type: `Counter` in `impl Counter`


class FieldDef(Base, frozen=True):
    """One field of a struct: its name ("" in a tuple struct), type as written, and whether it is
    visible outside its module (`pub`, `pub(crate)`)."""

    name: str
    type_text: str
    public: bool


class StructDef(Base, frozen=True):
    """A struct of the crate as the fuzzer needs it: how to build one and whether it prints."""

    name: str
    file: str
    fields: tuple[FieldDef, ...] = ()
    tuple_struct: bool = False
    generic: bool = False
    has_debug: bool = False  # derived or implemented
    has_default: bool = False
    new_params: tuple[str, ...] | None = None  # the types `Name::new` takes, when it returns Self

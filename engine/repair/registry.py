"""Which repair template serves which error code, in the order candidates are proposed.

One table instead of a chain of `if code == …`: each row names the codes a template serves, so a
reader sees at a glance what is tried for a code, and a new template is one row, not a new branch.
Order matters only for ties: `search.rank` keeps the best score of an edit proposed twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from engine.repair.arc_atomic import arc_atomic, arc_mutex
from engine.repair.assignop import binary_for_assign
from engine.repair.bind_temporary import bind_temporary
from engine.repair.blocks import tail_semicolon
from engine.repair.borrow_input import borrow_copied_input
from engine.repair.borrowed_view import option_view
from engine.repair.boxed_impl import boxed_impl_return
from engine.repair.cast_uses import other_operand_cast
from engine.repair.cell_capture import cell_capture, rc_cell_capture
from engine.repair.check_then_borrow import checked_lookup
from engine.repair.closure_moves import keep_captured
from engine.repair.closure_params import unannotated_closure
from engine.repair.const_table import static_table
from engine.repair.consuming_receiver import consume_receiver
from engine.repair.containers import element_conversion
from engine.repair.debug_format import debug_format
from engine.repair.deref import (
    borrow_loop_source,
    borrow_self_param,
    closure_bound_mutability,
    deref_at_binding,
    deref_earlier_arm,
    deref_range_bounds,
    deref_receiver,
    deref_under_borrow,
    trait_receiver_like_impl,
)
from engine.repair.derive import missing_derive
from engine.repair.design import design_candidates
from engine.repair.disjoint_elements import disjoint_elements
from engine.repair.dyn_method import dyn_compatible_method
from engine.repair.elided_return import outer_lifetime_dropped
from engine.repair.empty_constant import empty_constant
from engine.repair.field_borrow import inline_field_method
from engine.repair.field_cell import field_cell
from engine.repair.fields import missing_fields, rename_field
from engine.repair.fill_each_slot import fill_each_slot
from engine.repair.float_order import total_order
from engine.repair.fnmut_bound import fnmut_bound
from engine.repair.fnpointer import closure_for_fn_pointer
from engine.repair.generic_args import args_from_other_uses
from engine.repair.grammar import grammar_candidates
from engine.repair.hoist import hoist_out_of_block
from engine.repair.impl_lifetime import impl_lifetime_in_item
from engine.repair.index_method import index_by_method
from engine.repair.into import conversion_before_into
from engine.repair.lazy_iter import collect_or_count
from engine.repair.map_entry import entry_for_get_insert
from engine.repair.map_entry_lint import LINT as MAP_ENTRY_LINT
from engine.repair.map_entry_lint import entry_for_contains_insert
from engine.repair.method_bounds import method_bound, unmet_param_bound
from engine.repair.move_bounds import moved_generic
from engine.repair.move_closure import move_closure
from engine.repair.mut_sibling import mut_sibling
from engine.repair.names import crate_root_import, method_typo, unresolved_name
from engine.repair.needless_copy import drop_needless_copy
from engine.repair.object_lifetime import fnmut_object_lifetime, object_lifetime
from engine.repair.okor import ok_before_question, propagate_wrapped
from engine.repair.op_bounds import closed_operators
from engine.repair.optioncmp import none_comparison
from engine.repair.optionview import view_before_default
from engine.repair.outlives import outlives_bound
from engine.repair.output_lifetime import named_output_lifetime
from engine.repair.owned_return import return_owned
from engine.repair.pattern_fields import pattern_field_count
from engine.repair.peek_copy import copied_peek
from engine.repair.placeholder_fill import filled_lifetimes, filled_placeholders
from engine.repair.privacy import add_getter, make_pub
from engine.repair.range_loop import items_for_index_loop
from engine.repair.read_before_move import read_before_move
from engine.repair.rebind import rebind_self_method
from engine.repair.rebind_capture import rebind_capture
from engine.repair.receiver_lifetime import receiver_param_lifetime
from engine.repair.recursive import box_recursive
from engine.repair.scope_names import binding_in_scope
from engine.repair.scoped_threads import scoped_spawn
from engine.repair.sender_drop import with_sender_drops
from engine.repair.state_replace import replace_state
from engine.repair.str_index import str_char_index
from engine.repair.struct_pattern import named_fields_pattern
from engine.repair.template_kit import Reader
from engine.repair.templates import (
    add_mut,
    differ_in_mutability,
    mismatched_types,
    moved_value,
    owned_for_trait,
    question_at_binding,
    question_on_scrutinee,
    receiver_by_reference,
)
from engine.repair.thread_shared import thread_safe_handle
from engine.repair.trait_item_body import body_from_fields
from engine.repair.turbofish import written_type_at_expression
from engine.repair.types import Candidate
from engine.repair.unsized import borrow_unsized_type
from engine.repair.variant_call import called_unit_variant
from toolbelt.std_source import std_callee
from toolbelt.types import Diagnostic

NO_CODE = ""  # rustc gives lifetime errors ("lifetime may not live long enough") no code


@dataclass(frozen=True)
class Template:
    """A template and the codes it serves; `needs_files` templates also read the crate's other files."""

    codes: frozenset[str]
    make: Callable[..., list[Candidate]]
    needs_files: bool = False


def _row(codes: str, make: Callable[..., list[Candidate]], needs_files: bool = False) -> Template:
    return Template(frozenset(codes.split()) if codes else frozenset({NO_CODE}), make, needs_files)


TEMPLATES: tuple[Template, ...] = (
    _row("E0618", called_unit_variant),
    _row("E0308", other_operand_cast),
    _row("E0308", mismatched_types),
    _row("E0308", written_type_at_expression),
    _row("E0308", differ_in_mutability),
    _row("E0308 E0599 E0609 E0608 E0369", question_at_binding),
    _row("E0308 E0599", propagate_wrapped),
    _row("E0368", binary_for_assign),
    _row("E0308", question_on_scrutinee),
    _row("E0308", deref_under_borrow),
    _row("E0308", element_conversion),
    _row("E0308", borrow_loop_source),
    _row("E0308", borrow_self_param),
    _row("E0308", deref_earlier_arm),
    _row("E0308", closure_for_fn_pointer),
    _row("E0308", boxed_impl_return, needs_files=True),
    _row("E0308", view_before_default),
    _row("E0308 E0369 E0277", deref_at_binding),
    _row("E0308 E0369 E0277 E0382 E0507 E0508 E0600", closed_operators),
    _row("E0507 E0508", moved_generic),
    _row("E0277 E0369 E0599", method_bound),
    _row("E0599", unmet_param_bound),
    _row("E0308 E0271", tail_semicolon),
    _row("E0599", deref_receiver),
    _row("E0599", collect_or_count),
    _row("E0599", method_typo),
    _row("E0053", trait_receiver_like_impl),
    _row("E0046", body_from_fields, needs_files=True),
    _row("E0072", box_recursive, needs_files=True),
    _row("E0369", none_comparison),
    _row("E0560", rename_field),
    _row("E0063", missing_fields, needs_files=True),
    _row("", outlives_bound),
    _row("", outer_lifetime_dropped),
    _row("", impl_lifetime_in_item),
    _row("E0502 E0499", entry_for_get_insert),
    _row(MAP_ENTRY_LINT, entry_for_contains_insert),
    _row("E0499 E0502", inline_field_method),
    _row("E0499", disjoint_elements),
    _row("E0499 E0502", copied_peek),
    _row("E0499 E0502", checked_lookup),
    _row("E0499 E0502 E0515 E0373", named_output_lifetime, needs_files=True),
    _row("E0515", drop_needless_copy),
    _row("E0515", borrow_copied_input),
    _row("E0515", receiver_param_lifetime, needs_files=True),
    _row("E0515", return_owned),
    _row("E0515", empty_constant),
    _row("E0597", hoist_out_of_block),
    _row("E0597 E0503 E0505 E0506", object_lifetime, needs_files=True),
    _row("E0594 E0596", fnmut_object_lifetime, needs_files=True),
    _row("E0373", move_closure),
    _row("E0521 E0373", scoped_spawn),
    _row("E0373 E0597", rebind_capture),
    _row("E0373", rc_cell_capture),
    _row("E0023", pattern_field_count),
    _row("E0164", named_fields_pattern),
    _row("E0107", args_from_other_uses, needs_files=True),
    _row("E0038", dyn_compatible_method, needs_files=True),
    _row("E0608", index_by_method, needs_files=True),
    _row("E0525", keep_captured),
    _row("E0015", static_table),
    _row("E0631", closure_bound_mutability),
    _row("E0631", unannotated_closure),
    _row("E0624", make_pub),
    _row("E0616", add_getter, needs_files=True),
    _row("E0596 E0594", mut_sibling),
    _row("E0596 E0594", fnmut_bound),
    _row("E0596 E0594", cell_capture),
    _row("E0596 E0594", field_cell, needs_files=True),
    _row("E0594", arc_atomic),
    _row("E0594 E0596", arc_mutex),
    _row("E0596 E0384 E0594", add_mut),
    _row("E0382 E0505 E0507 E0509", moved_value),
    _row("E0382 E0505 E0507 E0509", receiver_by_reference),
    _row("E0507", replace_state, needs_files=True),
    _row("E0507", consume_receiver, needs_files=True),
    _row("E0507", option_view),
    _row("E0382", rebind_self_method),
    _row("E0382", read_before_move),
    _row("E0425", binding_in_scope),
    _row("E0425 E0412 E0433 E0422 E0432 E0531 E0423", unresolved_name, needs_files=True),
    _row("E0432", crate_root_import, needs_files=True),
    _row("E0277 E0369 E0599 E0382 E0600", missing_derive, needs_files=True),
    _row("E0277", owned_for_trait),
    _row("E0277", conversion_before_into),
    _row("E0277", borrow_unsized_type, needs_files=True),
    _row("E0277", deref_range_bounds),
    _row("E0277", total_order),
    _row("E0277", thread_safe_handle),
    _row("E0277", ok_before_question),
    _row("E0277", str_char_index),
    _row("E0277", fill_each_slot),
    _row("E0277", debug_format),
    _row("E0716", bind_temporary),
    _row("clippy::needless_range_loop", items_for_index_loop),
)


def template_candidates(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """Every template's candidates for `d`, then the design fixes and the edit grammar's, for every code."""
    code = d.code_str or NO_CODE
    # rustc's `/* usize */` holes with plain values, or the ones a std callee's docs allow
    out: list[Candidate] = filled_placeholders(d, std_callee(d) if code == "E0061" else None)
    out += filled_lifetimes(d)  # rustc's `'lifetime` hole, with each named lifetime its note lists
    for t in TEMPLATES:
        if code in t.codes:
            out += t.make(d, read, crate_files) if t.needs_files else t.make(d, read)
    out += design_candidates(d, read, crate_files)  # fixes beyond rustc's span: signatures, callers, impls
    # the edit grammar: operators at the sites the facts name, for every code; an edit a template
    # also proposes is one candidate (search.rank keeps its best score)
    if os.environ.get("RUSTA_NO_GRAMMAR") != "1":  # the bench's ablation row, never a user setting
        out += grammar_candidates(d, read)
    return with_sender_drops(out, d, read)  # a cloned channel sender's original is dropped after its loop

""" "lifetime may not live long enough" where rustc's help names a bound (`'b: 'a`) in words only.

rustc says "consider adding the following bound: `'b: 'a`" without an edit. The bound goes on the
generic parameter rustc labels "lifetime `'b` defined here": `<'b>` becomes `<'b: 'a>` (an existing
bound list gets `+ 'a`). Pure; the sandbox says whether the bound is enough.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import node_at
from toolbelt.types import Diagnostic

_BOUND = re.compile(r"consider adding the following bound: `(?P<lt>'\w+): (?P<longer>'\w+)`")


def outlives_bound(d: Diagnostic, read: Reader) -> list[Candidate]:
    m = next((b for c in d.children if (b := _BOUND.search(c.message))), None)
    if m is None or "lifetime may not live long enough" not in d.message:
        return []
    lt, longer = m["lt"], m["longer"]
    site = next(
        (s for s in d.spans if s.label == f"lifetime `{lt}` defined here" and _span_text(s, read) == lt), None
    )
    source = read(site.file_name) if site is not None else None
    if site is None or source is None:
        return []
    param = node_at(source, site.byte_start, site.byte_end)
    if param.type == "lifetime" and param.parent is not None:
        param = param.parent
    if param.type not in ("lifetime_parameter", "constrained_type_parameter", "lifetime"):
        return []
    text = (param.text or b"").decode("utf-8", "replace")
    add = f" + {longer}" if ":" in text else f": {longer}"
    edit = Edit(file=site.file_name, start=param.end_byte, end=param.end_byte, replacement=add)
    return [_make([edit], f"require `{lt}: {longer}` ({lt} outlives {longer})", "outlives-bound", "", 0.75)]

"""Review's Where column counts terminal cells: a path with wide (CJK) characters takes two cells
each, and cut by characters it overflowed the column, so the `:line` a user looks for was cropped."""

from __future__ import annotations

from rich.cells import cell_len

from rusta_tui.screens.review import Bundle, cut_left, fit_columns


def test_cut_left_keeps_the_line_within_the_width_in_cells() -> None:
    for path in ("src/数据/模块.rs:33", "crates/ユーティリティ/src/lib.rs:7", "src/lib.rs:120"):
        for width in range(6, 30):
            cut = cut_left(path, width)
            assert cell_len(cut) <= width, (path, width, cut)
            assert cut == path or (cut.startswith("\u2026") and path.endswith(cut[1:])), (path, cut)
            if width >= 8:
                assert cut.endswith(path[path.rindex(":") :]), (path, width, cut)
    assert cut_left("src/lib.rs:3", 12) == "src/lib.rs:3"


def test_the_where_column_is_as_wide_as_its_widest_path_in_cells() -> None:
    wide = Bundle(key="k", where="src/数据.rs:3", rationale="", diff="", row=None, state=None, story="#1")
    _state, where, _story, _why = fit_columns([wide], 120)
    assert where == cell_len("src/数据.rs:3") == 13  # 11 characters

"""The house stays small enough to read: no function past radon's C, no file past 500 lines."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_rank, cc_visit

PACKAGE = Path(__file__).resolve().parent.parent / "plaintes_tui"
MAX_LINES = 500


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_function_is_harder_to_follow_than_radons_c() -> None:
    """What `radon cc -n D plaintes_tui` lists, which must stay nothing."""
    complex_ = [
        f"{path.relative_to(PACKAGE)}:{block.lineno} {block.name} ({block.complexity})"
        for path in _sources()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) >= "D"
    ]
    assert complex_ == []


def test_no_file_is_longer_than_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _sources()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}

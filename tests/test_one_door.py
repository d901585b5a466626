"""Every change of a case goes through one door: the rule, the version, the journal."""

from __future__ import annotations

import ast
from pathlib import Path

from plaintes_tui.domain.workflow import Move

PACKAGE = Path(__file__).resolve().parent.parent / "plaintes_tui"
DOOR = {"store/cases.py", "store/workflow.py"}


def test_only_the_workflow_calls_the_low_level_case_writer() -> None:
    callers = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "update_case":
                callers.add(path.relative_to(PACKAGE).as_posix())
    assert callers <= DOOR, callers - DOOR


def test_every_journal_action_written_is_a_move() -> None:
    """Journal actions are one enumeration: no writer spells an act its own way."""
    literals = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node.func, "id", "") if isinstance(node, ast.Call) else ""
            if name in ("append_journal", "update_case"):
                assert isinstance(node, ast.Call)
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        literals.add(keyword.value.value)
    assert literals == set(), literals
    assert {move.value for move in Move} >= {"logged", "assign", "close", "letter"}

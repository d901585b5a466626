"""Every change of a case goes through one door: the rule, the version, the journal."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from plaintes_tui.domain.workflow import Move

PACKAGE = Path(__file__).resolve().parent.parent / "plaintes_tui"
# Statements that write the cases table, wherever they are spelled (f-strings included).
WRITES_CASES = re.compile(r"\b(UPDATE|INSERT\s+INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+cases\b", re.I)
# Who may spell one: the door for existing cases, the logging of a new one, and the demo's
# bulk load into a training store (sealed in the journal after).
WRITERS = {
    "store/case_writer.py": {"UPDATE"},
    "store/cases.py": {"INSERT INTO"},
    "store/demo/load.py": {"INSERT INTO"},
}
# Who may call the door itself, besides the one move of a case (update_case).
DOOR_CALLERS = {"store/cases.py", "store/recompute.py", "store/rectify.py", "store/retention.py"}


def _sources() -> list[tuple[str, ast.AST]]:
    return [
        (path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _calls(name: str) -> set[str]:
    return {
        where
        for where, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == name
    }


def test_only_the_door_writes_the_cases_table() -> None:
    """Every string of the package (each piece of an f-string too) that writes ``cases``."""
    found: dict[str, set[str]] = {}
    for where, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for match in WRITES_CASES.finditer(node.value):
                    verb = " ".join(match.group(1).upper().split())
                    found.setdefault(where, set()).add(verb)
    assert found == WRITERS


def test_only_the_workflow_calls_the_one_move_writer() -> None:
    assert _calls("update_case") == {"store/workflow.py"}


def test_the_door_is_called_by_the_writers_named() -> None:
    assert _calls("write_cases") == DOOR_CALLERS


def test_every_journal_action_written_is_a_move() -> None:
    """Journal actions are one enumeration: no writer spells an act its own way."""
    literals = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node.func, "id", "") if isinstance(node, ast.Call) else ""
            if name in ("append_journal", "update_case", "write_cases"):
                assert isinstance(node, ast.Call)
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        literals.add(keyword.value.value)
    assert literals == set(), literals
    assert {move.value for move in Move} >= {"logged", "assign", "close", "letter"}

"""The catalogue: every message in French and in Dutch, with the same placeholders; nothing
translated when a module is imported (the agent's language is known only later)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import plaintes_tui
from plaintes_tui.i18n import catalogue

LANGUAGES = ("fr", "nl")
PACKAGE = Path(plaintes_tui.__file__).parent


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize(("one", "other"), [("fr", "nl"), ("nl", "fr")])
def test_every_key_is_in_both_languages(one: str, other: str) -> None:
    missing = sorted(set(catalogue(one)) - set(catalogue(other)))
    assert not missing, f"in {one}.toml, not in {other}.toml: {missing}"


def test_each_message_has_the_same_placeholders_in_both_languages() -> None:
    french, dutch = catalogue("fr"), catalogue("nl")
    different = {
        key: (_placeholders(french[key]), _placeholders(dutch[key]))
        for key in french
        if key in dutch and _placeholders(french[key]) != _placeholders(dutch[key])
    }
    assert not different


def test_the_dutch_catalogue_is_translated() -> None:
    """A Dutch message identical to the French one is a copy someone forgot to translate;
    names, codes and symbols are the same in both languages."""
    same_on_purpose = {
        *("channel.email", "field.email", "field.mail", "intake.email", "matched_field.email"),
        *("case_actions.means_email", "queue_screen.mail_short", "queue_screen.mail_waiting"),
        *(f"intake.language_{language}" for language in ("fr", "nl", "de", "en")),
        *("case_detail.title", "report.case", "report.handled", "person.cases"),  # dossier
        *("field.complainant_id", "inbox.key_quarantine", "mail.outcome_quarantined"),
        "scan.outcome_quarantined",
        "help.serve.port",  # (8000)
    }
    french, dutch = catalogue("fr"), catalogue("nl")
    copied = sorted(
        key
        for key, text in french.items()
        if dutch.get(key) == text and len(text) > 3 and key not in same_on_purpose
    )
    assert not copied


def _import_time_translations(path: Path) -> list[str]:
    """Calls of tr() run when ``path`` is imported: in a module or class body, outside any
    function."""
    found: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if (
                not in_function
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in ("tr", "tr_or")
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{child.lineno}")
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_nothing_is_translated_when_a_module_is_imported() -> None:
    found = [hit for path in PACKAGE.rglob("*.py") for hit in _import_time_translations(path)]
    assert not found, "translated before the agent's language is known: " + ", ".join(found)


def test_writing_for_someone_else_leaves_the_screens_language_alone() -> None:
    """A worker writing a Dutch summary does not turn the French agent's screen Dutch."""
    import threading

    from plaintes_tui.i18n import set_language, speaking, tr

    set_language("fr")
    inside = threading.Event()
    leave = threading.Event()
    seen: list[str] = []

    def worker() -> None:
        with speaking("nl"):
            seen.append(tr("app.quit"))
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(10)
    assert tr("app.quit") == "Quitter"  # this thread: the agent's language, meanwhile
    leave.set()
    thread.join(10)
    assert seen == ["Sluiten"]


def test_the_compiled_catalogue_says_what_the_source_says_and_never_older(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make compile`` writes the catalogues as JSON for a faster start; a TOML edited since
    is read instead, so an edit is never hidden by an old copy."""
    import os
    import shutil

    from plaintes_tui import i18n
    from plaintes_tui.packaged import compile_folder

    folder = tmp_path / "messages"
    folder.mkdir()
    source = folder / "fr.toml"
    shutil.copy(i18n.MESSAGES / "fr.toml", source)
    monkeypatch.setattr(i18n, "MESSAGES", folder)
    i18n.catalogue.cache_clear()
    try:
        from_source = i18n.catalogue("fr")
        assert [path.name for path in compile_folder(folder)] == ["fr.json"]
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("fr") == from_source
        source.write_text('[app]\nquit = "Partir"\n', encoding="utf-8")
        later = (folder / "fr.json").stat().st_mtime + 10
        os.utime(source, (later, later))
        i18n.catalogue.cache_clear()
        assert i18n.catalogue("fr") == {"app.quit": "Partir"}
    finally:
        i18n.catalogue.cache_clear()


def test_the_packaged_checklist_is_read_the_same_from_its_compiled_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checklist, reference lists and answers shipped are read at each start: from their
    JSON copy, which says what the TOML says; a TOML edited since is read instead."""
    import os
    import shutil

    from plaintes_tui.domain import admissibility
    from plaintes_tui.packaged import compile_folder

    folder = tmp_path / "admissibility"
    shutil.copytree(admissibility.PACKAGED, folder, ignore=shutil.ignore_patterns("*.json"))
    monkeypatch.setattr(admissibility, "PACKAGED", folder)
    from_source = admissibility.load_checklist(), admissibility.load_reference()
    assert [path.name for path in compile_folder(folder)] == [
        "answers.json",
        "checklist.json",
        "reference.json",
    ]
    assert (admissibility.load_checklist(), admissibility.load_reference()) == from_source
    checklist = folder / "checklist.toml"
    checklist.write_text("[[step]]\n", encoding="utf-8")  # broken, and newer than its copy
    later = (folder / "checklist.json").stat().st_mtime + 10
    os.utime(checklist, (later, later))
    with pytest.raises(admissibility.ChecklistError):
        admissibility.load_checklist()

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from plaintes_tui import __version__
from plaintes_tui.cli import build_parser, main
from plaintes_tui.i18n import catalogue


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_deadlines_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", "2026-12-18")
    assert code == 0
    assert out.strip() == (
        "reçue le vendredi 18 décembre 2026 → accusé de réception : lundi 28 décembre 2026 ; "
        "réponse motivée : lundi 18 janvier 2027"
    )


def test_deadlines_json_keeps_input_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", "--json", "2027-11-10", "2026-12-24")
    assert code == 0
    assert json.loads(out) == [
        {"received": "2027-11-10", "acknowledgement_due": "2027-11-19", "reply_due": "2027-12-10"},
        {"received": "2026-12-24", "acknowledgement_due": "2027-01-04", "reply_due": "2027-01-25"},
    ]


def test_deadlines_reads_stdin_and_reports_bad_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("2026-11-10\n2026-02-30\n\n2026-12-18\n"))
    code, out, err = run(capsys, "deadlines", "--json", "-")
    assert code == 1
    assert [row["received"] for row in json.loads(out)] == ["2026-11-10", "2026-12-18"]
    assert "ligne 2" in err and "2026-02-30" in err


def test_deadlines_explain_names_the_holiday(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadlines", "--explain", "2026-11-10")
    assert code == 0
    assert "mercredi 11 novembre 2026 : jour férié (Jour de l'Armistice)" in out
    assert "samedi 14 novembre 2026 : week-end" in out


def test_deadlines_explain_shows_closures(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "deadlines", "--explain", "2026-12-22")
    assert "samedi 26 décembre 2026 : week-end" in out
    _, out, _ = run(capsys, "deadlines", "--explain", "2027-12-22")
    assert "dimanche 26 décembre 2027 : week-end" in out
    _, out, _ = run(capsys, "deadlines", "--explain", "2026-10-28")
    assert "lundi 2 novembre 2026 : fermeture du service" in out


def test_deadlines_follow_the_settings_file(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    (isolated / "s.toml").write_text("[deadlines]\nacknowledgement_working_days = 10\n")
    _, out, _ = run(capsys, "--config", "s.toml", "deadlines", "--json", "2026-11-10")
    assert json.loads(out)[0]["acknowledgement_due"] == "2026-11-25"


def test_a_bad_settings_file_stops_with_one_sentence(
    capsys: pytest.CaptureFixture[str], isolated: Path
) -> None:
    (isolated / "s.toml").write_text("[deadlines]\nreply_calendar_days = 'trente'\n")
    code, out, err = run(capsys, "--config", "s.toml", "deadlines", "2026-11-10")
    assert code == 2
    assert out == ""
    assert err.startswith("plaintes : réglages s.toml, clé « deadlines.reply_calendar_days »")
    assert "Traceback" not in err


def test_deadlines_without_dates_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "deadlines")
    assert code == 2
    assert "aucune date donnée" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"plaintes {__version__}"


@pytest.mark.parametrize(
    ("language", "usage", "options"),
    [("fr", "utilisation : plaintes", "options:"), ("nl", "gebruik: plaintes", "opties:")],
)
def test_every_command_has_help_in_the_agents_language(
    capsys: pytest.CaptureFixture[str], language: str, usage: str, options: str
) -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert commands
    french, dutch = catalogue("fr"), catalogue("nl")
    for name in [None, *commands]:
        with pytest.raises(SystemExit) as exited:
            main(["--language", language, *([name] if name else []), "--help"])
        assert exited.value.code == 0
        out = capsys.readouterr().out
        assert usage in out and options in out
        # Every line of help is the catalogue's, in that language: none left in English.
        assert "show this help" not in out and "the " not in out.replace("\n", " ")
    assert french["help.command.queue"] != dutch["help.command.queue"]


def test_installed_command_reports_mistakes_without_traceback(isolated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plaintes_tui", "--config", "missing.toml", "deadlines", "x"],
        capture_output=True,
        text=True,
        cwd=isolated,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "plaintes : le fichier de réglages missing.toml n'existe pas."


def test_opening_the_app_reads_the_global_options_without_loading_a_command() -> None:
    """`plaintes --config … --db …` opens the app: its options are read as the whole parser
    reads them, and no command module is loaded for it (they cost a fifth of the start); a
    command named, or an option the app does not take, goes to the whole parser."""
    code = (
        "import sys\n"
        "from plaintes_tui.cli import parse_arguments\n"
        "args = parse_arguments(['--db', 'x.db', '--agent', 'report', '--language', 'nl'])\n"
        "print(args.db, args.agent, args.language, args.command)\n"
        "print(sorted(m for m in sys.modules if m.startswith('plaintes_tui.commands.')))\n"
        "print(parse_arguments(['--db', 'x.db', 'report', '--year', '2026']).command)\n"
        "print('plaintes_tui.commands.report' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0] == "x.db report nl None"
    assert lines[1] == "['plaintes_tui.commands.base']"
    assert lines[2:] == ["report", "True"]


def test_an_option_the_app_does_not_know_is_refused_as_before(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A word the global options do not take is read by the whole parser: refused in the same
    words as when every command was loaded at start."""
    from plaintes_tui.errors import UserError

    words = ["--db", "x.db", "--dbb", "y"]
    with pytest.raises(UserError) as refused:
        build_parser().parse_args(words)
    capsys.readouterr()
    code, _, err = run(capsys, *words)
    assert code != 0
    assert str(refused.value) in err
    assert "'y'" in str(refused.value)  # taken for a command: none is named so

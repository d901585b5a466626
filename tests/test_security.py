"""Who may touch the store: identity from the kernel, the service account's trusted paths, the
store's ownership, and the command line's one door."""

from __future__ import annotations

import os
import pwd
from datetime import date
from pathlib import Path

import pytest

from plaintes_tui import settings as settings_module
from plaintes_tui.cli import main
from plaintes_tui.store.database import Store, open_store
from plaintes_tui.store.permissions import store_problems
from tests.factories import add_case, as_account, new_store

DIRECTORY = """
[agents.directory.marie]
name = "Marie Leroy"
role = "coordinator"

[agents.directory.paul]
name = "Paul Henry"
"""


def _another_account() -> pwd.struct_passwd:
    """An account of this machine other than the one running the tests (sudo's caller)."""
    return next(a for a in pwd.getpwall() if a.pw_uid not in (0, os.getuid()))


@pytest.fixture
def store(isolated: Path) -> Store:
    (isolated / "data").mkdir()
    store = open_store(isolated / "data" / "plaintes.db", create=True)
    add_case(store, date(2026, 11, 20))
    return store


def settings_file(folder: Path, extra: str = "") -> Path:
    path = folder / "data" / "plaintes.toml"
    path.write_text(DIRECTORY + extra, encoding="utf-8")
    return path


def system_file(folder: Path, extra: str = "") -> Path:
    """The service's settings, where a server keeps them (root's file)."""
    path = settings_module.SYSTEM_CONFIG_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'store = "{folder / "data" / "plaintes.db"}"\n'
        f'output = "{folder / "data" / "output"}"\n'
        '[agents]\nservice_account = "plaintes"\n' + extra + DIRECTORY,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("variable", ["LOGNAME", "USER", "LNAME", "USERNAME"])
def test_no_variable_makes_anyone_another_agent(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
) -> None:
    settings_file(isolated)
    as_account(monkeypatch, "paul")
    monkeypatch.setenv(variable, "marie")  # marie is a coordinator; paul is not
    assert main(["person", "export", "Dubois", "--reason", "x"]) == 2
    assert "« paul » (agent) ne peut pas lancer « person »" in capsys.readouterr().err
    assert not (isolated / "data" / "output").exists()


def test_the_running_account_is_read_from_the_real_uid(monkeypatch: pytest.MonkeyPatch) -> None:
    from plaintes_tui.identity import running_account

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "somebody-else")
    assert running_account() == pwd.getpwuid(os.getuid()).pw_name


def test_sudo_names_the_agent_and_the_caller_chooses_nothing(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`sudo -u plaintes plaintes`: the agent is sudo's caller; the settings are the system
    file's; a settings file, a store or a name of the caller's choosing is refused."""
    caller = _another_account()
    system_file(isolated, extra=f'[agents.directory.{caller.pw_name}]\nname = "Caller"\n')
    evil = isolated / "evil.toml"
    evil.write_text('[agents]\nunlisted = "coordinator"\n', encoding="utf-8")
    as_account(monkeypatch, "plaintes")
    monkeypatch.setenv("SUDO_UID", str(caller.pw_uid))
    monkeypatch.setenv("SUDO_USER", "marie")  # sudo's uid counts, not a name beside it
    monkeypatch.setenv("PLAINTES_CONFIG", str(evil))  # never read under sudo
    for options in (["--config", str(evil)], ["--db", "x.db"], ["--agent", "marie"]):
        assert main([*options, "queue"]) == 2
        assert "refusé par sudo" in capsys.readouterr().err
    assert main(["--login=marie", "queue"]) == 2
    assert "--login : refusé par sudo" in capsys.readouterr().err
    assert main(["queue", "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["person", "export", "Dubois", "--reason", "x"]) == 2
    assert f"« {caller.pw_name} » (agent) ne peut pas lancer" in capsys.readouterr().err


def test_sudo_without_the_service_settings_opens_nothing(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file(isolated, '[agents]\nservice_account = "plaintes"\nunlisted = "coordinator"\n')
    as_account(monkeypatch, "plaintes")
    monkeypatch.setenv("SUDO_UID", str(_another_account().pw_uid))
    assert main(["queue"]) == 2  # the file in the caller's folder is not the service's
    assert "ne fait pas de ce compte le compte du service" in capsys.readouterr().err
    path = system_file(isolated)
    path.chmod(0o666)  # a system file anyone may write grants nothing
    assert main(["queue"]) == 2
    assert "ne fait pas de ce compte le compte du service" in capsys.readouterr().err


def test_the_ssh_key_names_the_agent_and_runs_only_commands(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """command="plaintes --login paul" in the service account's authorized_keys: `ssh
    plaintes@server queue` runs the queue as paul; a shell or a global option is refused."""
    config = str(system_file(isolated))
    as_account(monkeypatch, "plaintes")
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "queue --format json")
    assert main(["--config", config, "--login", "paul"]) == 0
    assert '"reference": "P-2026-00001"' in capsys.readouterr().out
    for asked in ("bash", "sh -c id", "--login marie queue", "--config /tmp/x queue"):
        monkeypatch.setenv("SSH_ORIGINAL_COMMAND", asked)
        assert main(["--config", config, "--login", "paul"]) == 2
        assert "\nplaintes : " in "\n" + capsys.readouterr().err, asked  # one sentence
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "person export Dubois --reason x")
    assert main(["--config", config, "--login", "paul"]) == 2
    assert "« paul » (agent) ne peut pas lancer « person »" in capsys.readouterr().err


def test_login_is_refused_but_from_the_service_account(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file(isolated, '[agents]\nservice_account = "plaintes"\n')
    as_account(monkeypatch, "paul")
    assert main(["--login", "marie", "queue"]) == 2
    assert "--login n'est accepté que du compte du service" in capsys.readouterr().err


def test_the_service_account_alone_runs_the_scheduled_jobs_and_nothing_else(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(system_file(isolated))
    as_account(monkeypatch, "plaintes")
    assert main(["--config", config, "backup", str(isolated / "backups")]) == 0
    assert main(["--config", config, "retention", "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["--config", config, "person", "export", "Dubois", "--reason", "x"]) == 2
    assert "le compte du service ne fait que les travaux planifiés" in capsys.readouterr().err
    assert main(["--config", config]) == 2  # the terminal application is for agents
    assert "le compte du service ne fait que les travaux planifiés" in capsys.readouterr().err


def test_refused_and_read_only_logins_run_nothing_that_writes_or_reads(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file(isolated)
    as_account(monkeypatch, "stranger")
    backups = isolated / "backups"
    for command in (
        ["queue"],
        ["export", "--format", "csv"],
        ["report", "--year", "2026"],
        ["demo", "--cases", "3"],
        ["backup", str(backups), "--keep", "1"],
    ):
        assert main(command) == 2, command
        assert "n'est pas dans l'annuaire" in capsys.readouterr().err
    assert not backups.exists()
    settings_file(isolated, '[agents]\nunlisted = "read_only"\n')
    assert main(["queue"]) == 0
    for command in (["demo", "--cases", "3"], ["backup", str(backups), "--keep", "1"]):
        assert main(command) == 2, command
        assert "accès en lecture seule" in capsys.readouterr().err
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)


def test_demo_cases_reach_only_a_training_store(
    isolated: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Demo cases can never be deleted: a real store is refused; a new one, or one made with
    `init --training`, takes them."""
    assert main(["--db", str(store.path), "demo", "--cases", "3"]) == 2
    assert "n'est pas une base de formation" in capsys.readouterr().err
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    assert main(["--db", "new.db", "demo", "--cases", "3"]) == 0
    assert main(["--db", "new.db", "demo", "--cases", "3"]) == 0  # it is marked for training
    assert main(["--db", "empty.db", "init"]) == 0
    assert main(["--db", "empty.db", "demo", "--cases", "3"]) == 2
    assert main(["--db", "training.db", "init", "--training"]) == 0
    assert main(["--db", "training.db", "demo", "--cases", "3"]) == 0


def test_a_store_other_accounts_can_write_is_refused_with_its_fix(
    isolated: Path, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.path.chmod(0o666)
    assert main(["--db", str(store.path), "queue"]) == 2
    error = capsys.readouterr().err
    assert "peut être modifié par d'autres comptes" in error
    assert f"chmod go-w {store.path}" in error
    store.path.chmod(0o600)
    store.path.parent.chmod(0o777)
    assert main(["--db", str(store.path), "queue"]) == 2
    assert f"chmod go-w {store.path.parent}" in capsys.readouterr().err
    store.path.parent.chmod(0o700)
    assert main(["--db", str(store.path), "queue"]) == 0


def test_a_store_of_another_account_is_refused_with_the_way_in(isolated: Path) -> None:
    """Run by root or an agent on the service's store: refused, saying to go through the
    account that owns it (and nothing created beside it)."""
    store = new_store(isolated)
    store.close()
    problems = store_problems(store.path, uid=os.getuid() + 4242)
    assert problems and "sudo -u" in problems[0] and "chown" in problems[0]


def test_a_shared_store_must_be_unreadable_by_others(isolated: Path) -> None:
    store = new_store(isolated)
    store.close()
    store.path.chmod(0o644)
    assert store_problems(store.path) == []  # a store of one's own may be
    (problem,) = store_problems(store.path, private=True)
    assert "peut être lu par d'autres comptes" in problem and "chmod go-rwx" in problem


def test_passwords_come_from_a_file_only_the_service_account_reads(isolated: Path) -> None:
    from plaintes_tui.errors import UserError
    from plaintes_tui.settings import MailSettings, SmtpSettings

    secret = isolated / "mail.password"
    secret.write_text("s3cret\n", encoding="utf-8")
    secret.chmod(0o600)
    assert SmtpSettings(password_file=secret).password() == "s3cret"
    assert MailSettings(password_file=secret).password() == "s3cret"
    secret.chmod(0o640)
    with pytest.raises(UserError, match="peut être lu par d'autres comptes"):
        MailSettings(password_file=secret).password()


def test_a_fault_with_no_log_file_says_so_rather_than_none() -> None:
    from plaintes_tui.tui.workers import failure_message

    told = failure_message(RuntimeError("boom"), None)
    assert "RuntimeError: boom" in told and "None" not in told
    assert "ne peut pas être écrit" in told
    assert "Le détail est dans /srv/x.log" in failure_message(RuntimeError("boom"), "/srv/x.log")


async def test_a_read_only_login_leaves_no_presence_row(isolated: Path) -> None:
    from plaintes_tui.domain.access import Actor
    from plaintes_tui.settings import Settings
    from plaintes_tui.tui.app import PlaintesApp
    from tests.pilot import settle

    store = new_store(isolated)
    add_case(store, date(2026, 11, 20))
    app = PlaintesApp(
        Settings(), agent=Actor("visitor", read_only=True), store=store, today=date(2026, 11, 28)
    )
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # a case file open: a writing login would be present
        await settle(pilot)
        app.beat()
        await app.workers.wait_for_complete()
        assert store.connection.execute("SELECT count(*) FROM presence").fetchone() == (0,)


def test_no_command_option_can_stand_for_a_global_one() -> None:
    """A command's option stored under a global option's name (``digest --for`` once stored
    as ``login``, the forced command's trusted --login) would make identity from an argument."""
    import argparse

    from plaintes_tui.cli import build_parser

    parser = build_parser()
    globals_ = {action.dest for action in parser._actions} - {"help", "command"}
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        for action in command._actions:
            assert action.dest not in globals_, (name, action.option_strings, action.dest)

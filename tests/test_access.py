"""Who is working and what their role lets them do: decided by the directory, checked by the
store's one door on every write, not only by the screens."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.domain.access import AccessRefused, Actor, Role
from plaintes_tui.domain.workflow import Move
from plaintes_tui.settings import Settings, load_settings
from plaintes_tui.store.case_writer import MoveRefused
from plaintes_tui.store.cases import get_case
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.workflow import perform
from plaintes_tui.tui.app import PlaintesApp
from plaintes_tui.tui.screens.intake import IntakeScreen
from tests.factories import CALCULATOR, NOW, add_case, as_account, new_store
from tests.pilot import settle
from tests.screen_text import rendered

DIRECTORY = """
[agents.directory.marie]
name = "Marie Leroy"
role = "coordinator"

[agents.directory.paul]
name = "Paul Henry"

[agents.directory.ex]
name = "Ex Agent"
active = false
"""


@pytest.fixture
def store(isolated: Path) -> Store:
    (isolated / "data").mkdir()
    return new_store(isolated / "data")


def settings_file(isolated: Path, extra: str = "") -> Path:
    path = isolated / "data" / "plaintes.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(extra + DIRECTORY, encoding="utf-8")
    return path


def test_an_agents_assignment_is_refused_by_the_domain_even_when_called_directly(
    store: Store,
) -> None:
    case = add_case(store, date(2026, 11, 20))
    with pytest.raises(MoveRefused, match="réservée aux superviseurs"):
        perform(
            store,
            case["id"],
            case["version"],
            Move.ASSIGN,
            {"agent": "paul"},
            actor=Actor("paul", Role.AGENT),
            now=NOW,
            calculator=CALCULATOR,
        )
    assert get_case(store, case["id"])["assigned_to"] is None
    assert [e["action"] for e in store.db["journal"].rows_where("case_id = ?", [case["id"]])] == [
        "logged"
    ]


def test_a_read_only_login_changes_nothing_and_logs_nothing(store: Store) -> None:
    case = add_case(store, date(2026, 11, 20))
    reader = Actor("visitor", read_only=True)
    with pytest.raises(MoveRefused, match="lecture seule"):
        perform(
            store,
            case["id"],
            case["version"],
            Move.NOTE,
            {"text": "x"},
            actor=reader,
            now=NOW,
            calculator=CALCULATOR,
        )
    with pytest.raises(StoreError, match="lecture seule"):
        add_case(store, date(2026, 11, 20), agent=reader)
    assert store.connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)


def test_a_read_only_login_attaches_no_message(store: Store, isolated: Path) -> None:
    from plaintes_tui.store.mailbox import attach_to_case, inbox
    from tests import mail_samples as samples
    from tests.test_inbox_screen import receive

    case = add_case(store, date(2026, 11, 20))
    receive(store, isolated, samples.plain(sender="x@y.be", subject=f"Re: {case['reference']}"))
    (mail,) = inbox(store)
    reader = Actor("visitor", read_only=True)
    with pytest.raises(MoveRefused, match="lecture seule"):
        attach_to_case(store, mail.id, case["id"], actor=reader, now=NOW)
    assert [m.id for m in inbox(store)] == [mail.id]
    assert store.connection.execute("SELECT count(*) FROM journal").fetchone() == (1,)


def test_a_read_only_login_imports_no_message_and_no_scan_but_may_try(
    store: Store, isolated: Path
) -> None:
    """The import's own door refuses who may only read; a dry run (what would come in) is
    theirs to run."""
    from plaintes_tui.mail import take_in
    from plaintes_tui.mail_sources import read_paths
    from plaintes_tui.scan_import import import_scans
    from plaintes_tui.store.mailbox import inbox
    from tests import mail_samples as samples

    (isolated / "one.eml").write_bytes(samples.plain())
    settings = Settings(output=isolated / "output")
    reader = Actor("visitor", read_only=True)
    tried = take_in(
        store, read_paths([isolated / "one.eml"]), settings=settings, actor=reader, now=NOW,
        dry_run=True,
    )  # fmt: skip
    assert tried.as_json()["new"] == 1
    with pytest.raises(MoveRefused, match="lecture seule"):
        take_in(store, read_paths([isolated / "one.eml"]), settings=settings, actor=reader, now=NOW)
    with pytest.raises(MoveRefused, match="lecture seule"):
        import_scans(store, [isolated], settings=settings, actor=reader, now=NOW)
    assert inbox(store) == [] and not (isolated / "output").exists()


async def test_a_read_only_agent_is_offered_no_change_in_the_inbox_or_the_actions(
    store: Store, isolated: Path
) -> None:
    """``a`` (attach) and ``d`` (set aside) in the inbox, ``n`` and ``enter`` on the actions'
    screen: each says the login may only read; nothing opens, nothing is written, no draft."""
    from plaintes_tui.store.mailbox import inbox
    from plaintes_tui.tui.screens.improvements import ImprovementsScreen
    from plaintes_tui.tui.screens.inbox import InboxScreen
    from tests import mail_samples as samples
    from tests.test_improvements import proposed
    from tests.test_inbox_screen import receive

    case = add_case(store, date(2026, 11, 20))
    receive(store, isolated, samples.plain(sender="x@y.be", subject=f"Re: {case['reference']}"))
    proposed(store)
    journal = store.connection.execute("SELECT count(*) FROM journal").fetchone()
    app = PlaintesApp(
        Settings(output=isolated / "output"),
        agent=Actor("visitor", read_only=True),
        store=store,
        today=date(2026, 11, 28),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for screen, keys in ((InboxScreen, "ad"), (ImprovementsScreen, ("n", "enter"))):
            app.push_screen(screen())
            await settle(pilot)
            for key in keys:
                app.clear_notifications()
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, screen), key
                assert any("lecture seule" in n.message for n in app._notifications), key
            app.pop_screen()
            await settle(pilot)
    assert len(inbox(store)) == 1
    assert store.connection.execute("SELECT count(*) FROM journal").fetchone() == journal
    assert store.connection.execute("SELECT count(*) FROM dialog_drafts").fetchone() == (0,)


def test_the_directory_gives_roles_refuses_strangers_and_those_who_left(isolated: Path) -> None:
    agents = load_settings(settings_file(isolated)).agents
    marie = agents.actor("marie")
    assert marie.role is Role.COORDINATOR and marie.supervising
    assert agents.actor("paul").role is Role.AGENT
    assert marie.assignable == frozenset({"marie", "paul"})  # not the one who left
    for login, key in (("stranger", "access.unknown"), ("ex", "access.inactive")):
        with pytest.raises(AccessRefused) as refused:
            agents.actor(login)
        assert refused.value.key == key
    reading = load_settings(settings_file(isolated, '[agents]\nunlisted = "read_only"\n'))
    assert reading.agents.actor("stranger").read_only
    with pytest.raises(AccessRefused):  # read-only access is for strangers, not for leavers
        reading.agents.actor("ex")


def test_a_login_not_in_the_directory_is_refused_at_start_with_what_to_do(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_file(isolated)
    as_account(monkeypatch, "stranger")
    assert main([]) == 2
    error = capsys.readouterr().err
    assert "« stranger » n'est pas dans l'annuaire des agents" in error
    assert "[agents.directory.stranger]" in error and str(path) in error
    as_account(monkeypatch, "ex")
    assert main([]) == 2
    assert "marqué inactif" in capsys.readouterr().err


def test_agent_option_is_refused_unless_the_settings_allow_it(
    isolated: Path,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file(isolated)
    as_account(monkeypatch, "paul")
    assert main(["--agent", "marie", "queue"]) == 2
    assert "--agent n'est permis que sur une base de formation" in capsys.readouterr().err
    assert main(["--agent", "paul", "queue"]) == 0  # naming oneself changes nothing
    settings_file(isolated, "[agents]\nagent_option = true\n")
    assert main(["--agent", "marie", "queue"]) == 0


async def test_a_read_only_agent_sees_the_queue_and_cases_but_is_offered_no_change(
    store: Store,
) -> None:
    add_case(store, date(2026, 11, 20))
    app = PlaintesApp(
        Settings(), agent=Actor("visitor", read_only=True), store=store, today=date(2026, 11, 28)
    )
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        assert "Lecture seule" in app.sub_title
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, IntakeScreen)
        await pilot.press("enter")
        await settle(pilot)
        actions = " ".join(rendered(app.screen.query_one("#case-actions")).split())
        assert actions.count("accès en lecture seule") >= 5
        for key in "nl":  # a note, a letter: nothing opens
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.query("#case-actions")
    assert store.connection.execute("SELECT count(*) FROM journal").fetchone() == (1,)


def test_the_demo_settings_let_any_local_user_in_and_name_every_demo_agent() -> None:
    from plaintes_tui.store.demo.vocabulary import DEMO_AGENTS

    demo = load_settings(Path(__file__).parent.parent / "data" / "demo.toml").agents
    assert demo.actor("whoever").role is Role.SUPERVISOR and demo.agent_option
    assert set(DEMO_AGENTS) <= set(demo.directory)
    assert demo.actor("dpeeters").supervising and not demo.actor("amartin").supervising


def test_a_browser_login_is_trusted_only_signed_and_only_by_the_service_account(
    isolated: Path,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Only `plaintes serve`, as the service account, names the agent of a browser tab: setting
    its variables by hand does not make anyone a coordinator, nor does a key of one's own."""
    from plaintes_tui.domain.access import web_signature

    key = isolated / "proxy.key"
    key.write_text("the-key\n")
    key.chmod(0o600)
    settings_file(
        isolated, f'[agents]\nservice_account = "plaintes"\n[serve]\nproxy_key_file = "{key}"\n'
    )
    monkeypatch.setenv("PLAINTES_WEB_AGENT", "marie")
    monkeypatch.setenv("PLAINTES_WEB_SIGNATURE", web_signature("my-own-key", "marie"))
    for account in ("paul", "plaintes"):  # an agent, then the service account: a forged key
        as_account(monkeypatch, account)
        assert main(["queue"]) == 2
        assert "seul « plaintes serve » désigne l'agent" in capsys.readouterr().err
    monkeypatch.setenv("PLAINTES_WEB_SIGNATURE", web_signature("the-key", "marie"))
    as_account(monkeypatch, "paul")  # the right signature, but not the service account
    assert main(["queue"]) == 2
    assert "seul « plaintes serve » désigne l'agent" in capsys.readouterr().err
    as_account(monkeypatch, "plaintes")
    assert main(["queue"]) == 0
    key.chmod(0o644)  # a key others can read is no key
    assert main(["queue"]) == 2
    assert "peut être lu par d'autres comptes" in capsys.readouterr().err

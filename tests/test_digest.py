"""The due-soon digest: each agent's cases falling due or late, printed or e-mailed."""

from __future__ import annotations

from datetime import date
from email.message import Message
from pathlib import Path

import pytest

from plaintes_tui.cli import main
from plaintes_tui.domain.workflow import Move
from tests.factories import add_case, as_account, do, new_store, person
from tests.mailserver import MailServer


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def settings_file(folder: Path, port: int = 0) -> str:
    path = folder / "plaintes.toml"
    smtp = f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n' if port else ""
    path.write_text(
        'store = "plaintes.db"\n'
        '[agents]\nservice_account = "plaintes"\n'  # cron runs it as the service account
        "[agents.directory]\n"
        'marie = { name = "Marie Leroy", email = "marie@minsoc.fed.be" }\n'
        'paul = { name = "Paul Claes" }\n'
        'sam = { name = "Sam Chef", role = "supervisor", email = "sam@minsoc.fed.be" }\n'
        'dirk = { name = "Dirk Peeters", role = "supervisor", email = "dirk@minsoc.fed.be", '
        'language = "nl" }\n' + smtp,
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def store_folder(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    as_account(monkeypatch, "plaintes")
    store = new_store(isolated)
    late = add_case(store, date(2026, 10, 1), complainant=person(last_name="Laat"))
    soon = add_case(store, date(2026, 11, 24), complainant=person(last_name="Bijna"))
    calm = add_case(store, date(2026, 11, 27), complainant=person(last_name="Kalm"))
    for case in (late, soon, calm):
        do(store, case["id"], Move.ASSIGN, supervisor=True, by="sam", agent="marie")
    add_case(store, date(2026, 10, 5), complainant=person(last_name="Niemand"))
    store.close()
    return isolated


def test_the_digest_lists_what_falls_due_or_is_late_per_agent(
    store_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = settings_file(store_folder)
    assert main(["--config", config, "digest", "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    marie = out.split("Marie Leroy —", 1)[1].split("\n\n", 1)[0]
    assert "LAAT" in marie and "BIJNA" in marie and "KALM" not in marie  # not due yet
    assert "Dossiers non attribués" in out and "NIEMAND" in out
    late = out.split("En retard, tous agents confondus", 1)[1]  # for the supervisors
    assert "LAAT" in late and "NIEMAND" in late and "BIJNA" not in late
    # Each list says who --send would mail it to.
    assert "→ envoyée à : Marie Leroy <marie@minsoc.fed.be>" in marie
    unassigned = out.split("Dossiers non attribués", 1)[1].split("\n\n", 1)[0]
    assert "à : Sam Chef <sam@minsoc.fed.be>, Dirk Peeters <dirk@minsoc.fed.be>" in unassigned
    assert main(["--config", config, "digest", "--send"]) == 2
    assert "Aucun serveur de messagerie" in capsys.readouterr().err


def test_the_digest_is_mailed_to_each_agent_and_the_unassigned_to_supervisors(
    store_folder: Path, mail: tuple[MailServer, int], capsys: pytest.CaptureFixture[str]
) -> None:
    server, port = mail
    config = settings_file(store_folder, port)
    assert main(["--config", config, "digest", "--send", "--today", "2026-11-27"]) == 0
    said = capsys.readouterr().out
    assert "Liste envoyée à Marie Leroy <marie@minsoc.fed.be> (2 dossier(s))." in said
    to_marie = [m for m in server.received if m["To"] == "marie@minsoc.fed.be"]
    to_sam = [m for m in server.received if m["To"] == "sam@minsoc.fed.be"]
    assert len(to_marie) == 1 and len(to_sam) == 2  # the unassigned, and every late case
    body = body_of(to_marie[0])
    assert "LAAT" in body and "KALM" not in body
    assert all(m["Auto-Submitted"] == "auto-generated" for m in to_sam)
    from email.header import decode_header, make_header

    subjects = " ".join(str(make_header(decode_header(m["Subject"]))) for m in to_sam)
    assert "Dossiers non attribués" in subjects and "tous agents confondus" in subjects
    # The supervisor who reads Dutch gets the same lists in Dutch.
    to_dirk = [m for m in server.received if m["To"] == "dirk@minsoc.fed.be"]
    subjects = " ".join(str(make_header(decode_header(m["Subject"]))) for m in to_dirk)
    assert "Niet-toegewezen dossiers" in subjects and "alle medewerkers samen" in subjects
    body = body_of(to_dirk[0])
    assert "Gemotiveerd antwoord" in body and "Réponse motivée" not in body


def test_the_digest_for_one_person_is_what_they_would_receive(
    store_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A supervisor has no cases of their own: their digest is the unassigned cases and
    every late one; an agent's, their own list only; someone without cases, nothing."""
    config = settings_file(store_folder)
    assert main(["--config", config, "digest", "--for", "sam", "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert "Dossiers non attribués" in out and "En retard, tous agents confondus" in out
    assert "Marie Leroy —" not in out
    assert main(["--config", config, "digest", "--for", "marie", "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert "Marie Leroy —" in out and "Dossiers non attribués" not in out
    assert main(["--config", config, "digest", "--for", "paul", "--today", "2026-11-27"]) == 0
    assert "Aucun dossier ne vient à échéance" in capsys.readouterr().out
    # A supervisor at their own terminal looks at theirs (--for names whose list, not who acts).
    as_account(monkeypatch, "sam")
    assert main(["--config", config, "digest", "--for", "sam", "--today", "2026-11-27"]) == 0
    assert "Dossiers non attribués" in capsys.readouterr().out


def test_a_stopped_replication_heads_the_supervisors_digest_in_their_language(
    store_folder: Path, mail: tuple[MailServer, int]
) -> None:
    """Set but not running (no `plaintes replicate` state beside the store): the late cases'
    e-mail to each supervisor says first that the standby no longer receives the changes."""
    server, port = mail
    config = Path(settings_file(store_folder, port))
    config.write_text(
        config.read_text(encoding="utf-8") + '[replication]\nreplica = "standby"\n',
        encoding="utf-8",
    )
    assert main(["--config", str(config), "digest", "--send", "--today", "2026-11-27"]) == 0
    late = {m["To"]: body_of(m) for m in server.received if "LAAT" in body_of(m)}
    assert late["sam@minsoc.fed.be"].startswith("Réplication vers standby : ARRÊTÉE")
    assert late["dirk@minsoc.fed.be"].startswith("Replicatie naar standby: GESTOPT")
    assert "ARRÊTÉE" not in late["marie@minsoc.fed.be"]  # an agent's own list


def test_the_digest_reminds_owners_of_their_late_improvement_actions(
    store_folder: Path, mail: tuple[MailServer, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """Late actions go to their owner: in their own list's e-mail (Marie), or alone when they
    have no case due (Dirk, in Dutch, the language he reads); the printed digest shows them;
    an action done or not yet due is not reminded."""
    from datetime import datetime

    from plaintes_tui.domain.access import Actor
    from plaintes_tui.store.database import open_store
    from plaintes_tui.store.improvements import create_improvement

    store = open_store(store_folder / "plaintes.db")
    now = datetime(2026, 11, 20, 10)
    for title, owner, due in (
        ("Revoir le modèle de réponse", "marie", date(2026, 11, 1)),
        ("Former l'accueil", "dirk", date(2026, 11, 15)),
        ("Plus tard", "marie", date(2027, 1, 15)),
    ):
        create_improvement(
            store, {"title": title, "owner": owner, "due": due}, actor=Actor("sam"), now=now
        )
    store.close()
    server, port = mail
    config = settings_file(store_folder, port)
    assert main(["--config", config, "digest", "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert "Actions d'amélioration en retard — Marie Leroy (1)" in out
    assert "A-2026-001  01/11/2026  Revoir le modèle de réponse" in out
    assert "Plus tard" not in out
    assert main(["--config", config, "digest", "--send", "--today", "2026-11-27"]) == 0
    capsys.readouterr()
    [to_marie] = [m for m in server.received if m["To"] == "marie@minsoc.fed.be"]
    body = body_of(to_marie)
    assert "LAAT" in body and "Revoir le modèle de réponse" in body
    to_dirk = [body_of(m) for m in server.received if m["To"] == "dirk@minsoc.fed.be"]
    assert any("Verbeteracties te laat — Dirk Peeters (1)" in b for b in to_dirk)

"""A person's data: the export on request, corrections, merging duplicates, retention."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from plaintes_tui.domain.access import Actor, Role
from plaintes_tui.domain.admissibility import load_reference
from plaintes_tui.domain.cases import ACTION_REDACTED, Language
from plaintes_tui.domain.letters import LetterKind
from plaintes_tui.domain.workflow import Move
from plaintes_tui.i18n import speaking
from plaintes_tui.letters import draft_letter, produce_letter
from plaintes_tui.settings import Settings
from plaintes_tui.store.cases import get_case, journal_of, read_case
from plaintes_tui.store.database import Store, StoreError
from plaintes_tui.store.drafts import DialogKey, save_dialog_draft, save_draft
from plaintes_tui.store.journal_text import facts_in_words
from plaintes_tui.store.person_file import PersonNotFound, export_person, one_person
from plaintes_tui.store.rectify import PersonChanged, duplicates_of, merge, rectify
from plaintes_tui.store.report import Period, build_report
from plaintes_tui.store.retention import apply, plan
from tests.factories import CALCULATOR, NOW, add_case, as_account, decide, do, person

COORDINATOR = Actor("emuller", Role.COORDINATOR)
SUPERVISOR = Actor("dpeeters", Role.SUPERVISOR)
AGENT = Actor("alice")
GRIET = person(
    last_name="Vandermeulen",
    first_name="Griet",
    phone="+32475112233",
    email="griet.vdm@example.be",
    niss="85073003328",
    street="Kerkstraat 12",
    postal_code="9000",
    town="Gent",
    language=Language.NL,
)
# A word found in nobody else's case: it must be gone from every byte after retention.
SECRET = "zwanenhalsbloem"


def griet_with_three_cases(store: Store, output: Path) -> list[dict[str, Any]]:
    first = add_case(
        store, date(2019, 3, 4), complainant=GRIET, description=f"Mijn {SECRET} verhaal."
    )
    cases = [
        first,
        add_case(store, date(2019, 6, 3), complainant=first["complainant_id"]),
        add_case(store, date(2020, 1, 6), complainant=first["complainant_id"]),
    ]
    settings = Settings(output=output)
    letter = draft_letter(
        store,
        read_case(store, cases[0]["id"]),
        LetterKind.ACKNOWLEDGEMENT,
        settings=settings,
        agent="alice",
        reference_data=load_reference(),
    ).letter
    produce_letter(
        store,
        cases[0]["id"],
        cases[0]["version"],
        LetterKind.ACKNOWLEDGEMENT,
        letter,
        settings=settings,
        actor=AGENT,
        now=NOW,
        calculator=CALCULATOR,
        send=False,
    )
    return [get_case(store, case["id"]) for case in cases]


def scanned_letter(store: Store, case_id: int) -> None:
    """Griet's letter, scanned by the mailroom and read by the OCR, in her case."""
    from zoneinfo import ZoneInfo

    from plaintes_tui.domain.mail import ParsedMail
    from plaintes_tui.store.mailbox import record_mail
    from plaintes_tui.store.scans import keep_reading

    when = datetime(2020, 1, 14, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    letter = ParsedMail(
        key="scan:griet", sender_name="Griet Vandermeulen", sender_email="",
        subject="klacht", body=f"Mijn {SECRET} brief.", arrived=when, date_trusted=True,
        attachments=(), references=(), auto_reply=False, web_form=False,
    )  # fmt: skip
    with store.write() as connection:
        mail_id = record_mail(
            connection, letter, folder="scans/griet", source="scan.png", case_id=case_id,
            agent="cron", now=when,
        )  # fmt: skip
        assert mail_id is not None
        keep_reading(connection, mail_id, {"street": "Kerkstraat 4", "text": SECRET})


def received_mail(store: Store, output: Path, reference: str) -> None:
    """Griet answers a letter by e-mail, with a scan attached."""
    from zoneinfo import ZoneInfo

    from plaintes_tui.mail import take_in
    from plaintes_tui.mail_sources import Incoming
    from tests.mail_samples import plain

    raw = plain(
        sender="Griet Vandermeulen <griet.vdm@example.be>",
        subject=f"Re: uw klacht {reference}",
        body=f"Hierbij mijn {SECRET} attest.",
        date="Mon, 13 Jan 2020 10:00:00 +0100",
    )
    take_in(
        store,
        [Incoming("test", raw)],
        settings=Settings(output=output),
        actor=Actor("cron"),
        now=datetime(2020, 1, 13, 11, 0, tzinfo=ZoneInfo("Europe/Brussels")),
    )


def test_the_export_says_why_her_messages_were_set_aside(store: Store, isolated: Path) -> None:
    """Her messages joined to no case: the note of the one set aside, and the note an agent
    was typing to set the other aside, are hers to read."""
    from plaintes_tui.mail import take_in
    from plaintes_tui.mail_sources import Incoming
    from plaintes_tui.store.drafts import mail_aside
    from plaintes_tui.store.mailbox import dismiss, inbox
    from tests.mail_samples import plain

    griet_with_three_cases(store, isolated / "output")
    sender = "Griet Vandermeulen <griet.vdm@example.be>"
    messages = [
        Incoming("test", plain(sender=sender, subject=f"Vraag {n}", message_id=f"<{n}@x.be>"))
        for n in (1, 2)
    ]
    take_in(
        store, messages, settings=Settings(output=isolated / "output"), actor=Actor("cron"), now=NOW
    )
    first, second = inbox(store)
    dismiss(store, first.id, "duplicate", "Twee keer verstuurd", actor=Actor("bob"), now=NOW)
    typed = {"reason": "other", "note": "Heeft teruggebeld"}
    save_dialog_draft(store, DialogKey("bob", mail_aside(second.id)), typed, NOW)

    griet = one_person(store, "85.07.30-033.28")
    made = export_person(
        store, griet, isolated / "exports", reason="demande", actor=COORDINATOR, now=NOW
    )

    data = json.loads((made.folder / "donnees.json").read_text(encoding="utf-8"))
    notes = {email["subject"]: (email["reason"], email["note"]) for email in data["emails"]}
    assert notes["Vraag 1"] == ("duplicate", "Twee keer verstuurd")
    assert {"agent": "bob", "updated_at": NOW.isoformat(timespec="seconds"), "form": typed} in (
        data["drafts"]
    )


def test_an_intake_linked_to_the_record_writes_only_what_it_typed_over_it(store: Store) -> None:
    """The record as the form was filled in from it (``seen``): a field the colleague changed
    since and the agent did not stays the colleague's; one both changed is refused."""
    from plaintes_tui.store.cases import ComplainantInput
    from plaintes_tui.store.rectify import person_record, update_record

    case = add_case(store, date(2026, 11, 2), complainant=GRIET)
    griet = case["complainant_id"]
    seen, _ = person_record(store, griet)
    rectify(store, griet, seen, {"email": "griet@nieuw.be"}, actor=Actor("bob"), now=NOW)
    typed = ComplainantInput(last_name="Vandermeulen", email=seen["email"], town="Leuven")
    done = update_record(store, griet, typed, seen=seen, actor=Actor("alice"), now=NOW)
    after, _ = person_record(store, griet)
    assert (after["email"], after["town"]) == ("griet@nieuw.be", "Leuven") and done == "localité"
    both = ComplainantInput(last_name="Vandermeulen", email="griet@derde.be")
    with pytest.raises(PersonChanged):
        update_record(store, griet, both, seen=seen, actor=Actor("alice"), now=NOW)
    assert person_record(store, griet)[0]["email"] == "griet@nieuw.be"


def test_a_name_shared_by_more_people_than_listed_says_how_many_others(store: Store) -> None:
    from plaintes_tui.store.person_file import MAX_CANDIDATES

    for n in range(MAX_CANDIDATES + 2):
        add_case(store, date(2026, 11, 2), complainant=person(last_name="Peeters", phone=None,
                 email=f"peeters{n}@example.be", niss=None))  # fmt: skip
    with pytest.raises(PersonNotFound) as refused:
        one_person(store, "peeters")
    said = str(refused.value)
    assert said.count("PEETERS") == MAX_CANDIDATES
    assert "… et 2 autre(s) : précisez avec un NISS, un e-mail, un téléphone" in said


def close(store: Store, case_id: int, day: date, *, admissible: bool = True) -> None:
    """Carry a case to its end on ``day``: a reasoned reply with an improvement action, or an
    answer routing it out of scope."""
    if not admissible:
        decide(store, case_id, "dispute")
        do(store, case_id, Move.ANSWER_OUT_OF_SCOPE, date=day)
        return
    decide(store, case_id, "admissible")
    do(
        store,
        case_id,
        Move.REPLY,
        date=day,
        outcome="founded",
        network_category="file_handling",
        summary=f"Excuses à Mme {SECRET}",
        improvement_action="Modèle de lettre revu",
    )
    do(store, case_id, Move.CLOSE, date=day)


def test_the_export_holds_every_data_point_of_the_person_and_nothing_of_anyone_else(
    store: Store, isolated: Path
) -> None:
    cases = griet_with_three_cases(store, isolated / "output")
    received_mail(store, isolated / "output", cases[2]["reference"])
    scanned_letter(store, cases[2]["id"])
    other = add_case(store, date(2020, 2, 3), description="Texte de Hélène Dubois.")
    save_draft(store, "bob", {"last_name": "vandermeulen", "phone": "0475 11 22 33"}, NOW)
    save_draft(store, "carl", {"last_name": "Dubois", "phone": "0477 84 86 64"}, NOW)
    # A namesake's unsaved call (Koen Vandermeulen, another phone): not Griet's data.
    save_draft(
        store,
        "dora",
        {"last_name": "Vandermeulen", "first_name": "Koen", "description": "ziekte van Koen"},
        NOW,
    )
    do(store, cases[1]["id"], Move.NOTE, text="Rappelée le matin")
    save_dialog_draft(
        store, DialogKey("bob", "reply", cases[1]["id"]), {"text": "Chère Madame"}, NOW
    )
    save_dialog_draft(store, DialogKey("bob", "reply", other["id"]), {"text": "Chère Hélène"}, NOW)

    griet = one_person(store, "85.07.30-033.28")
    made = export_person(
        store,
        griet,
        isolated / "exports",
        reason="demande du 2/12 par e-mail",
        actor=COORDINATOR,
        now=NOW,
    )

    data = json.loads((made.folder / "donnees.json").read_text(encoding="utf-8"))
    assert data["person"]["niss"] == "85073003328"
    assert data["person"]["street"] == "Kerkstraat 12"
    assert [c["reference"] for c in data["cases"]] == [c["reference"] for c in cases]
    assert SECRET in data["cases"][0]["description"]
    assert "Rappelée le matin" in json.dumps(data["cases"][1]["journal"], ensure_ascii=False)
    assert data["cases"][0]["letters"][0]["kind"] == "acknowledgement"
    assert [d["agent"] for d in data["drafts"]] == ["bob"]
    assert "Chère Madame" in data["cases"][1]["drafts"][0]["fields"]  # a reply she is owed
    assert "Chère Hélène" not in json.dumps(data, ensure_ascii=False)
    assert "ziekte van Koen" not in json.dumps(data, ensure_ascii=False)
    assert SECRET in data["cases"][2]["emails"][0]["body"]
    assert data["cases"][2]["emails"][1]["scan"] == {"street": "Kerkstraat 4", "text": SECRET}
    assert (made.folder / "e-mails" / "001" / "message.eml").is_file()
    letters = list((made.folder / "courriers" / cases[0]["reference"]).iterdir())
    assert sorted(p.suffix for p in letters) == [".eml", ".pdf"]
    summary = (made.folder / "resume.md").read_text(encoding="utf-8")
    assert "Vandermeulen" in summary and SECRET in summary and "85.07.30-033.28" in summary
    # Written for Griet, who reads Dutch, whoever the coordinator is.
    assert summary.startswith("# Persoonsgegevens bewaard door de klachtendienst")
    everything = "".join(p.read_text(errors="replace") for p in made.folder.rglob("*.*"))
    for other_data in ("Dubois", "helene.dubois", "+32477848664", other["reference"]):
        assert other_data not in everything
    for case in cases:  # who, when, why — on each case
        entry = journal_of(store, case["id"])[-1]
        assert (entry.action, entry.agent) == (Move.EXPORT.value, "emuller")
        assert entry.note == "demande du 2/12 par e-mail"


def test_only_coordinators_export_and_an_ambiguous_name_lists_the_persons(
    store: Store, isolated: Path
) -> None:
    first = add_case(store, date(2020, 1, 6))
    add_case(store, date(2020, 1, 7), complainant=person(phone="+32470000000", email=None))
    with pytest.raises(StoreError, match="coordinateurs"):
        export_person(
            store, first["complainant_id"], isolated, reason="x", actor=SUPERVISOR, now=NOW
        )
    with pytest.raises(PersonNotFound, match="#1") as several:
        one_person(store, "dubois")
    assert "#2" in str(several.value)
    with pytest.raises(PersonNotFound, match="Aucune personne"):
        one_person(store, "nobody@example.be")
    assert one_person(store, "0470 00 00 00") == 2
    assert one_person(store, first["reference"].lower()) == first["complainant_id"]
    assert not list(isolated.glob("personne-*"))


def test_a_correction_is_journaled_on_each_case_and_refused_from_a_stale_copy(
    store: Store,
) -> None:
    first = add_case(store, date(2020, 1, 6))
    second = add_case(store, date(2020, 2, 6), complainant=first["complainant_id"])
    seen = {"phone": "+32477848664", "last_name": "Dubois"}

    changed = rectify(
        store,
        first["complainant_id"],
        seen,
        {"phone": "+32470111111", "last_name": "Dubois-Martin"},
        actor=AGENT,
        now=NOW,
    )

    assert changed == ["last_name", "phone"]
    for case in (first, second):
        now = get_case(store, case["id"])
        assert now["complainant_phone"] == "+32470111111"
        assert now["version"] == case["version"] + 1  # a form opened before is stale
        entry = journal_of(store, case["id"])[-1]
        assert entry.action == Move.RECTIFY.value
        assert entry.changes["phone"] == ["+32477848664", "+32470111111"]
    with pytest.raises(PersonChanged, match="téléphone"):
        rectify(
            store, first["complainant_id"], seen, {"phone": "+32470222222"}, actor=AGENT, now=NOW
        )
    with pytest.raises(StoreError, match="lecture seule"):
        rectify(
            store,
            first["complainant_id"],
            {},
            {"phone": None},
            actor=Actor("ro", read_only=True),
            now=NOW,
        )


def test_a_common_name_lists_the_surest_duplicates_first_and_counts_the_rest(
    store: Store,
) -> None:
    """Twelve namesakes and, recorded last, one with the same phone under another name: the
    phone's first, then the oldest namesakes, ten in all, out of thirteen."""
    kept = add_case(store, date(2020, 1, 6), complainant=person(phone="+32470111111"))
    namesakes = [
        add_case(store, date(2020, 2, 3), complainant=person(phone=None, email=None))
        for _ in range(12)
    ]
    same_phone = add_case(
        store,
        date(2020, 3, 2),
        complainant=person(last_name="Dubois-Leclercq", email=None, phone="+32470111111"),
    )
    found, total = duplicates_of(store, kept["complainant_id"])
    assert total == 13
    assert [c.id for c in found] == [same_phone["complainant_id"]] + [
        case["complainant_id"] for case in namesakes[:9]
    ]


def test_merging_a_duplicate_keeps_every_case_and_every_value(store: Store) -> None:
    kept = add_case(store, date(2020, 1, 6), complainant=person(niss="85073003328", email=None))
    dup = add_case(
        store,
        date(2020, 3, 2),
        complainant=person(phone="+32470999999", email="h.dubois@example.be", niss=None),
    )
    found, total = duplicates_of(store, kept["complainant_id"])
    assert ([c.id for c in found], total) == ([dup["complainant_id"]], 1)
    with pytest.raises(StoreError, match="superviseurs"):
        merge(store, kept["complainant_id"], dup["complainant_id"], actor=AGENT, now=NOW)

    merged = merge(store, kept["complainant_id"], dup["complainant_id"], actor=SUPERVISOR, now=NOW)

    assert (merged.moved_cases, merged.filled) == (1, ["email"])
    moved = get_case(store, dup["id"])
    assert moved["complainant_id"] == kept["complainant_id"]
    assert moved["complainant_email"] == "h.dubois@example.be"  # filled in from the duplicate
    assert moved["complainant_phone"] == "+32477848664"  # the kept record's own value stays
    entry = journal_of(store, dup["id"])[-1]
    assert entry.action == Move.MERGE.value
    assert entry.changes["complainant_id"] == [dup["complainant_id"], kept["complainant_id"]]
    # The differing value is not lost; the merge is told in the reader's language.
    assert entry.changes["not_taken"] == [None, {"phone": "+32470999999"}]
    other, keep = dup["complainant_id"], kept["complainant_id"]
    assert facts_in_words(dict(entry.changes)) == [
        f"fiche #{other} fusionnée dans la fiche #{keep}.",
        "Valeurs différentes de la fiche fusionnée, non reprises : téléphone : +32470999999",
    ]
    with speaking("nl"):
        assert facts_in_words(dict(entry.changes))[0] == (
            f"fiche #{other} samengevoegd met fiche #{keep}."
        )
    assert journal_of(store, kept["id"])[-1].action == Move.MERGE.value
    count = store.connection.execute("SELECT count(*) FROM complainants").fetchone()[0]
    assert count == 1
    search = store.connection.execute(
        "SELECT rowid FROM cases_search WHERE cases_search MATCH 'dubois' ORDER BY rowid"
    ).fetchall()
    assert [r[0] for r in search] == [kept["id"], dup["id"]]


def file_bytes(store: Store) -> bytes:
    path = store.path
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def ombudsman_file(store: Store, case_id: int) -> None:
    """The Ombudsman's file of a case, their words naming the person."""
    do(store, case_id, Move.OMBUDSMAN, date=date(2019, 5, 2), reference=f"MF {SECRET}")
    do(
        store,
        case_id,
        Move.OMBUDSMAN_REQUEST,
        date=date(2019, 5, 10),
        asked=f"Pièces de {SECRET}",
        due=date(2019, 6, 10),
    )
    do(store, case_id, Move.OMBUDSMAN_ANSWER, date=date(2019, 6, 1), summary=f"Pour {SECRET}")
    do(
        store,
        case_id,
        Move.OMBUDSMAN_CONCLUDE,
        date=date(2019, 7, 1),
        conclusion="unfounded",
        recommendation=f"Écouter {SECRET}",
    )


def test_retention_leaves_no_trace_of_the_person_and_the_figures_unchanged(
    store: Store, isolated: Path
) -> None:
    output = isolated / "output"
    cases = griet_with_three_cases(store, output)
    do(store, cases[0]["id"], Move.NOTE, text=f"Rappel: {SECRET}")
    seen = {"phone": "+32475112233"}
    rectify(
        store, cases[0]["complainant_id"], seen, {"phone": "+32475998877"}, actor=AGENT, now=NOW
    )
    close(store, cases[0]["id"], date(2019, 4, 1))
    ombudsman_file(store, cases[0]["id"])
    close(store, cases[1]["id"], date(2019, 7, 1), admissible=False)
    do(  # recorded the day it began
        store,
        cases[2]["id"],
        Move.PAUSE,
        date=date(2020, 1, 8),
        reason=f"Attend {SECRET}",
        at=datetime(2020, 1, 8, 10),
    )
    do(store, cases[2]["id"], Move.RESUME, date=date(2020, 1, 15))
    close(store, cases[2]["id"], date(2020, 2, 3))
    received_mail(store, output, cases[2]["reference"])
    scanned_letter(store, cases[2]["id"])
    recent = add_case(store, date(2024, 5, 6), description="Toujours en cours")
    save_draft(store, "bob", {"last_name": "Vandermeulen"}, datetime(2025, 1, 1, 9, 0))
    # a reply begun on her case (recent: goes with her), an old note on a case that stays
    save_dialog_draft(
        store, DialogKey("bob", "reply", cases[0]["id"]), {"text": "Chère Griet"}, NOW
    )
    save_dialog_draft(
        store, DialogKey("bob", "note", recent["id"]), {"text": "x"}, datetime(2025, 1, 2)
    )
    from plaintes_tui.store.access_log import Access, record

    record(store, "bob", Access.NISS_SEARCH, now=NOW, detail="85073003328")  # her NISS looked up
    before = [build_report(store, Period.year(y), date(2031, 1, 1)) for y in (2019, 2020)]
    assert SECRET.encode() in file_bytes(store)

    dry = plan(store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30)
    assert (dry.persons, dry.cases, dry.drafts) == (1, 3, 2)
    assert b"Vandermeulen" in file_bytes(store)  # a dry run writes nothing

    done = apply(
        store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, actor=COORDINATOR
    )

    assert (done.persons, done.cases, done.letter_files, done.drafts) == (1, 3, 3, 2)
    assert store.connection.execute("SELECT count(*) FROM dialog_drafts").fetchone() == (0,)
    assert done.index_cleaned and done.wal_truncated
    raw = file_bytes(store)
    for trace in (
        "Vandermeulen",
        "Griet",
        "85073003328",
        "32475112233",
        "griet.vdm",
        "Kerkstraat",
        SECRET,
        "Rappel",
        "Modèle de lettre revu",  # an improvement action's words may name someone too
    ):
        assert trace.encode() not in raw, trace
        assert trace.encode("utf-16-le") not in raw, trace
    assert not [p for p in output.rglob("*") if p.is_file()]
    after = [build_report(store, Period.year(y), date(2031, 1, 1)) for y in (2019, 2020)]
    for report in before:  # the actions still count, without their words
        for item in report["improvement_action_list"]:
            item["action"] = ACTION_REDACTED
    assert after == before
    assert before[0]["improvement_actions"] == 1
    assert before[0]["second_line"]["recommendations"] == 1  # counted, its words gone
    case = get_case(store, cases[0]["id"])
    assert case["anonymised_at"] and case["channel"] == "phone" and case["closed_at"]
    journal = journal_of(store, cases[0]["id"])
    assert journal[-1].action == Move.ANONYMISE.value
    assert [e.action for e in journal][:2] == ["logged", "letter"]  # who did what stays
    corrected = next(e for e in journal if e.action == Move.RECTIFY.value)
    assert corrected.changes == {"phone": [None, None]} and corrected.agent == "alice"
    replied = next(e for e in journal if e.action == Move.REPLY.value)
    assert replied.changes["outcome"] == [None, "founded"] and replied.note == ""
    assert get_case(store, recent["id"])["description"] == "Toujours en cours"
    with pytest.raises(PersonNotFound):
        one_person(store, "Vandermeulen")


def test_after_retention_the_search_index_holds_the_others_and_follows_changes(
    store: Store,
) -> None:
    """Retention keeps the full-text index itself for its batch (schema 26): the persons it
    anonymised are found by nothing, everyone else as before, and the index follows the
    next changes again."""
    from plaintes_tui.store.queue import QueueFilter, queue_count

    old = add_case(store, date(2019, 3, 4), description="Perception tardive Zwanzeur")
    close(store, old["id"], date(2019, 4, 1))
    kept = add_case(store, date(2024, 5, 6), description="Toujours en cours Brol")
    day = date(2026, 11, 28)
    assert queue_count(store, QueueFilter(search="zwanzeur"), day) == 0  # closed: not queued

    def found(word: str) -> int:
        (count,) = store.connection.execute(
            "SELECT count(*) FROM cases_search WHERE cases_search MATCH ?", (word,)
        ).fetchone()
        return int(count)

    assert found("zwanzeur") == 1 and found("brol") == 1
    apply(store, today=day, now=NOW, years=5, draft_days=30, actor=COORDINATOR)
    assert found("zwanzeur") == 0 and found("brol") == 1
    flags = "SELECT * FROM housekeeping WHERE name LIKE 'index%'"
    assert store.connection.execute(flags).fetchall() == []
    (name,) = store.connection.execute(
        "SELECT last_name FROM complainants WHERE id = ?", (kept["complainant_id"],)
    ).fetchone()
    seen = {"last_name": name}
    rectify(store, kept["complainant_id"], seen, {"last_name": "Kalfater"}, actor=AGENT, now=NOW)
    assert found("kalfater") == 1  # the triggers keep the index again


def test_a_person_with_a_case_still_open_is_kept(store: Store) -> None:
    """Counted once each: kept for a case open, or closed within the period; a person with
    recent cases alone is not counted as kept."""
    old = add_case(store, date(2018, 1, 8))
    close(store, old["id"], date(2018, 2, 1))
    add_case(store, date(2026, 10, 5), complainant=old["complainant_id"])
    twice = add_case(store, date(2018, 3, 5), complainant=person(phone="+32470000077"))
    close(store, twice["id"], date(2018, 3, 20))
    for received, closed in ((date(2019, 5, 6), date(2019, 6, 3)), (date(2024, 2, 5), None)):
        case = add_case(store, received, complainant=twice["complainant_id"])
        if closed is not None:
            close(store, case["id"], closed)
    recent = add_case(store, date(2026, 9, 7), complainant=person(phone="+32470000078"))
    close(store, recent["id"], date(2026, 10, 1))

    done = apply(
        store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, actor=COORDINATOR
    )

    assert (done.persons, done.kept_open) == (0, 2)
    assert get_case(store, old["id"])["complainant_last_name"] == "Dubois"


def test_a_case_left_open_and_untouched_past_the_period_ends_its_persons_data(
    store: Store,
) -> None:
    """Waiting for details that never came since 2019: the person is anonymised like one
    whose case was closed then, and the case closed, so no clock runs for nobody."""
    waiting = add_case(store, date(2019, 3, 4), complainant=person(phone="+32470000099"))
    decide(store, waiting["id"], "incomplete", now=datetime(2019, 3, 5, 9, 0))
    recent = add_case(store, date(2019, 3, 4), complainant=person(phone="+32470000098"))
    decide(store, recent["id"], "incomplete", now=datetime(2026, 1, 5, 9, 0))  # touched

    dry = plan(store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30)
    assert (dry.persons, dry.cases, dry.inactive_closed) == (1, 1, 1)
    done = apply(
        store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, actor=COORDINATOR
    )
    assert (done.persons, done.inactive_closed) == (1, 1)
    ended = get_case(store, waiting["id"])
    assert ended["anonymised_at"] and ended["complainant_last_name"] == ""
    assert ended["status"] == "closed" and ended["closed_at"] == NOW.date().isoformat()
    assert ended["next_due"] is None
    kept = get_case(store, recent["id"])
    assert kept["status"] == "incomplete" and kept["complainant_last_name"] == "Dubois"
    # A service may keep open cases longer than closed ones.
    assert (
        plan(
            store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, inactive_years=10
        ).persons
        == 0
    )


def test_an_interrupted_run_resumes_where_it_stopped(store: Store) -> None:
    ids = []
    for month in (1, 2, 3):
        case = add_case(
            store, date(2018, month, 5), complainant=person(phone=f"+3247000000{month}")
        )
        close(store, case["id"], date(2018, month, 20))
        ids.append(case["id"])

    (usual,) = store.connection.execute("PRAGMA wal_autocheckpoint").fetchone()
    during = []

    def stop(run: Any) -> None:
        during.extend(store.connection.execute("PRAGMA wal_autocheckpoint").fetchone())
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        apply(
            store,
            today=date(2026, 11, 28),
            now=NOW,
            years=5,
            draft_days=30,
            actor=COORDINATOR,
            after_batch=stop,
            batch=1,
        )
    assert [bool(get_case(store, i)["anonymised_at"]) for i in ids] == [True, False, False]
    # the run spaced its checkpoints out; stopped, it left the connection's setting as it was
    assert during[0] > usual
    assert store.connection.execute("PRAGMA wal_autocheckpoint").fetchone() == (usual,)

    done = apply(
        store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, actor=COORDINATOR, batch=1
    )

    assert done.persons == 2 and done.index_cleaned
    assert all(get_case(store, i)["anonymised_at"] for i in ids)
    assert b"+32470000001" not in file_bytes(store)


def test_retention_is_for_coordinators_and_the_journal_stays_append_only(store: Store) -> None:
    import sqlite3

    case = add_case(store, date(2018, 1, 8))
    with pytest.raises(StoreError, match="coordinateurs"):
        apply(store, today=date(2026, 11, 28), now=NOW, years=5, draft_days=30, actor=SUPERVISOR)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connection.execute("UPDATE journal SET note = 'x' WHERE case_id = ?", (case["id"],))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connection.execute(
            "UPDATE journal SET agent = 'mallory', redacted = 'now' WHERE case_id = ?",
            (case["id"],),
        )


def settings_with_directory(folder: Path) -> Path:
    path = folder / "plaintes.toml"
    path.write_text(
        'store = "plaintes.db"\noutput = "output"\n'
        "[agents.directory]\n"
        'emuller = { name = "Eva Müller", role = "coordinator" }\n'
        'dpeeters = { name = "Dirk Peeters", role = "supervisor" }\n',
        encoding="utf-8",
    )
    return path


def test_the_commands_are_for_coordinators_and_print_what_they_did(
    store: Store,
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from plaintes_tui.cli import main

    old = add_case(store, date(2018, 1, 8), complainant=GRIET)
    close(store, old["id"], date(2018, 2, 1))
    config = str(settings_with_directory(isolated))
    as_account(monkeypatch, "dpeeters")
    assert main(["--config", config, "retention", "--dry-run"]) == 2
    assert "réservé aux coordinateurs" in capsys.readouterr().err
    assert main(["--config", config, "person", "export", "Vandermeulen", "--reason", "x"]) == 2
    assert "réservé aux coordinateurs" in capsys.readouterr().err
    assert not (isolated / "output" / "exports").exists()

    as_account(monkeypatch, "emuller")
    assert (
        main(
            [
                "--config",
                config,
                "person",
                "export",
                "griet vandermeulen",
                "--reason",
                "lettre du 3/12",
                "--json",
            ]
        )
        == 0
    )
    exported = json.loads(capsys.readouterr().out)
    assert exported["cases"] == 1 and Path(exported["folder"]).is_dir()
    assert (
        main(["--config", config, "retention", "--dry-run", "--today", "2026-11-28", "--json"]) == 0
    )
    dry = json.loads(capsys.readouterr().out)
    assert (dry["applied"], dry["persons"], dry["cases"]) == (False, 1, 1)
    assert main(["--config", config, "retention", "--apply", "--today", "2026-11-28"]) == 0
    assert not list((isolated / "output").rglob("*.*"))  # her export went with her data
    said = capsys.readouterr().out
    assert "1 personne(s) et 1 dossier(s) clôturé(s) avant le 28/11/2021 anonymisés" in said
    assert main(["--config", config, "retention", "--apply", "--today", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err
    assert main(["--config", config, "retention", "--apply", "--json"]) == 0  # nothing left
    assert json.loads(capsys.readouterr().out)["persons"] == 0


def test_two_exports_in_the_same_second_keep_both_folders(store: Store, isolated: Path) -> None:
    cases = griet_with_three_cases(store, isolated / "output")
    griet = cases[0]["complainant_id"]
    exports = isolated / "exports"
    first = export_person(store, griet, exports, reason="demande 1", actor=COORDINATOR, now=NOW)
    second = export_person(store, griet, exports, reason="demande 2", actor=COORDINATOR, now=NOW)
    assert first.folder != second.folder
    for made in (first, second):
        assert (made.folder / "donnees.json").is_file() and (made.folder / "resume.md").is_file()


def test_retention_removes_the_exports_of_a_record_merged_away(
    store: Store, isolated: Path
) -> None:
    """Griet was on two records; one was exported, then merged into the other: when her
    data goes, that export goes with it."""
    from plaintes_tui.store.rectify import merge

    output, exports = isolated / "output", isolated / "exports"
    cases = griet_with_three_cases(store, output)
    duplicate = add_case(
        store, date(2019, 5, 6), complainant=person(last_name="Vandermeulen", first_name="G.")
    )
    made = export_person(
        store, duplicate["complainant_id"], exports, reason="demande", actor=COORDINATOR, now=NOW
    )
    merge(store, cases[0]["complainant_id"], duplicate["complainant_id"], actor=SUPERVISOR, now=NOW)
    for case, day in zip(
        [*cases, duplicate],
        [date(2019, 4, 1), date(2019, 7, 1), date(2020, 2, 3), date(2019, 6, 1)],
        strict=True,
    ):
        close(store, case["id"], day)
    assert made.folder.is_dir()
    done = apply(
        store,
        today=date(2026, 11, 28),
        now=NOW,
        years=5,
        draft_days=30,
        actor=COORDINATOR,
        exports=exports,
    )
    assert done.persons == 1
    assert not made.folder.exists()

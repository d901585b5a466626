"""Keys an agent presses besides the text: a phone call and a tray of five letters, typed into
the app key by key and checked as saved (a count, not a time: the same on any machine).

"Extra keys" are every key that is not a character of the caller's or the letter's data:
moving between fields, choosing, saving, answering the question after a save. Goals: at most
12 for the call, at most 8 a letter.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from textual.pilot import Pilot

from bench.harness import heading
from bench.stores import TODAY
from plaintes_tui.settings import IntakeSettings, Settings
from plaintes_tui.store.database import open_store
from plaintes_tui.tui.app import PlaintesApp

CALL_GOAL, LETTER_GOAL = 12, 8
DESCRIPTION = (
    "J'ai envoyé un courrier le 3 octobre pour signaler un changement d'adresse et je n'ai "
    "reçu aucune réponse. On m'a dit au téléphone que le dossier était en cours, puis que "
    "personne ne le retrouvait. Mes courriers partent toujours à l'ancienne adresse."
)
# What the agent types, field by field, with the keys that are not text (in capitals).
CALL = [
    "Dubois", "ENTER", "Hélène", "ENTER", "0477 84 86 64", "ENTER",
    "helene.dubois@example.be", "ENTER", "Rue Haute 12", "ENTER", "1000", "ENTER",
    "Bruxelles", "PAGEDOWN", "1", "Changement d'adresse non traité", "ENTER", DESCRIPTION,
    "CTRL+S", "N",  # saved; the phone agent declines the admissibility check for now
]  # fmt: skip
LETTERS = [
    ("Peeters", "Jan", "Kerkstraat 14", "9000", "Gent", "1", "Geen antwoord op mijn brief"),
    ("Lambert", "Marie", "Rue de Namur 3", "5000", "Namur", "3", "Informations contradictoires"),
    ("Maes", "Els", "Stationsstraat 2", "2800", "Mechelen", "4", "Onleesbare brochure"),
    ("Renard", "Luc", "Rue Haute 4", "4000", "Liège", "1", "Pas de réponse"),
    ("Wouters", "An", "Dorpsstraat 9", "3000", "Leuven", "2", "Onvriendelijk onthaal"),
]


def a_letter(fields: tuple[str, ...], first: bool) -> list[str]:
    last, given, street, postal_code, town, subject_number, subject = fields
    keys = ["20/11/2026", "ENTER"] if first else []  # the tray's stamp, typed once
    keys += [last, "ENTER", given, "ENTER", street, "ENTER", postal_code, "ENTER", town]
    return [*keys, "PAGEDOWN", subject_number, subject, "CTRL+S"]


@dataclass
class Typed:
    characters: int = 0
    extra: int = 0


async def type_keys(pilot: Pilot[None], steps: list[str], typed: Typed) -> None:
    for step in steps:
        if step.isupper() and step.replace("+", "").isalpha():  # a key, not text
            await pilot.press(step.lower())
            typed.extra += 1
        elif len(step) == 1 and step.isdigit() and step in "123456789":  # a subject's number
            await pilot.press(step)
            typed.extra += 1
        else:
            await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in step])
            typed.characters += len(step)
        await pilot.pause()


async def measure(folder: Path) -> tuple[Typed, list[Typed], list[str]]:
    store = open_store(folder / "keys.db", create=True)
    call = Typed()
    app = PlaintesApp(Settings(), agent="phone", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await type_keys(pilot, CALL, call)
        await app.workers.wait_for_complete()
    mailroom = Settings(intake=IntakeSettings(channel_by_agent=(("mailroom", "letter"),)))
    letters = []
    app = PlaintesApp(mailroom, agent="mailroom", store=store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        for number, fields in enumerate(LETTERS):
            letters.append(Typed())
            await type_keys(pilot, a_letter(fields, number == 0), letters[-1])
            await app.workers.wait_for_complete()
            await pilot.pause()
    saved = [
        f"{reference} {channel} {received} {subject}"
        for reference, channel, received, subject in store.connection.execute(
            "SELECT reference, channel, received, subject FROM cases ORDER BY id"
        )
    ]
    store.close()
    return call, letters, saved


def main() -> None:
    heading("Keys besides the text (80×24; goals: call ≤ 12, letter ≤ 8)")
    with tempfile.TemporaryDirectory() as folder:
        call, letters, saved = asyncio.run(measure(Path(folder)))
    expected = [CALL[CALL.index("PAGEDOWN") + 2], *(letter[-1] for letter in LETTERS)]
    if [line.split(" ", 3)[3] for line in saved] != expected:
        print(f"  NOT SAVED AS TYPED: {saved}")
    verdict = "ok" if call.extra <= CALL_GOAL else f"OVER GOAL {CALL_GOAL}"
    print(f"  phone call: {call.characters} characters typed, {call.extra} extra keys  {verdict}")
    for number, letter in enumerate(letters, 1):
        verdict = "ok" if letter.extra <= LETTER_GOAL else f"OVER GOAL {LETTER_GOAL}"
        print(
            f"  letter {number} of the tray: {letter.characters} characters, "
            f"{letter.extra} extra keys  {verdict}"
        )
    average = sum(letter.extra for letter in letters) / len(letters)
    print(f"  letters, average: {average:.1f} extra keys a letter")
    print(f"  saved: {len(saved)} cases — {saved[0]} … {saved[-1]}")


if __name__ == "__main__":
    main()

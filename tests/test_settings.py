from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from plaintes_tui.domain.deadlines import ReceiptOnDayOff
from plaintes_tui.settings import Settings, SettingsError, load_settings

REPO = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_follow_the_published_procedure() -> None:
    settings = load_settings()
    assert settings.source is None
    assert settings.deadlines.acknowledgement_working_days == 5
    assert settings.deadlines.reply_calendar_days == 30
    assert settings.deadlines.closure_days == ("11-02", "11-15", "12-26")
    assert settings.service.phone == "02 528 60 31"
    assert settings.ombudsman["fr"].address == "Rue Ducale 43, 1000 Bruxelles"
    assert settings.service.in_language("nl")[0].place == "Brussel"
    assert settings.timezone == "Europe/Brussels"


def test_the_example_file_parses_to_the_defaults() -> None:
    settings = load_settings(REPO / "data" / "plaintes.example.toml")
    assert settings.deadlines == Settings().deadlines
    assert settings.service == Settings().service
    assert settings.ombudsman == Settings().ombudsman
    assert settings.agents == Settings().agents
    assert settings.intake == Settings().intake
    assert settings.personal_data == Settings().personal_data
    assert settings.mail == Settings().mail


def test_precedence_option_then_environment_then_data_folder(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(isolated / "data" / "plaintes.toml", "[deadlines]\nreply_calendar_days = 31\n")
    assert load_settings().deadlines.reply_calendar_days == 31
    env = write(isolated / "env.toml", "[deadlines]\nreply_calendar_days = 32\n")
    monkeypatch.setenv("PLAINTES_CONFIG", str(env))
    assert load_settings().deadlines.reply_calendar_days == 32
    option = write(isolated / "opt.toml", "[deadlines]\nreply_calendar_days = 33\n")
    assert load_settings(option).deadlines.reply_calendar_days == 33


def test_keys_left_out_take_their_defaults(isolated: Path) -> None:
    path = write(
        isolated / "s.toml",
        '[deadlines]\nworking_week = "mon-sat"\nclosure_dates = ["2027-05-07", 2027-05-14]\n'
        'receipt_on_day_off = "next-working-day"\noffice_closes_at = "16:30"\n',
    )
    settings = load_settings(path)
    assert settings.deadlines.working_week == "mon-sat"
    assert settings.deadlines.closure_dates == (date(2027, 5, 7), date(2027, 5, 14))
    assert settings.deadlines.receipt_on_day_off is ReceiptOnDayOff.NEXT_WORKING_DAY
    assert settings.deadlines.office_closes_at == time(16, 30)
    assert settings.deadlines.acknowledgement_working_days == 5


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[deadlines]\nacknowledgement_working_days = 'five'\n", "acknowledgement_working_days"),
        ("[deadlines]\nacknowledgement_working_days = 0\n", "acknowledgement_working_days"),
        ("[deadlines]\nroll_forward = 1\n", "roll_forward"),
        ("[deadlines]\nworking_week = 'mon-sun'\n", "working_week"),
        ("[deadlines]\nclosure_days = ['11-31']\n", "closure_days"),
        ("[deadlines]\nclosure_dates = ['2027-02-30']\n", "closure_dates"),
        ("[deadlines]\noffice_closes_at = '25:00'\n", "office_closes_at"),
        ("[deadlines]\nack_days = 5\n", "deadlines.ack_days"),
        ("timezone = 'Mars/Olympus'\n", "timezone"),
        ("[servise]\nname = 'x'\n", "servise"),
        ("deadlines = 5\n", "[deadlines]"),
        ("[agents]\nsupervisors = 'alice'\n", "supervisors"),
        ("[agents]\nstart_view = 'theirs'\n", "start_view"),
        ("[intake]\ndefault_channel = 'fax'\n", "default_channel"),
        ("[intake]\nchannel_by_agent = { bob = 'fax' }\n", "channel_by_agent"),
    ],
)
def test_a_mistake_names_the_file_and_the_key(isolated: Path, text: str, named: str) -> None:
    path = write(isolated / "bad.toml", text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert str(path) in message
    assert named in message
    assert "attendu" in message or "clé inconnue" in message


def test_malformed_toml_is_refused_with_the_file_name(isolated: Path) -> None:
    path = write(isolated / "broken.toml", "[deadlines\nreply_calendar_days = \n")
    with pytest.raises(SettingsError, match="n'est pas un TOML valide"):
        load_settings(path)


def test_a_missing_explicit_file_is_refused(isolated: Path) -> None:
    with pytest.raises(SettingsError, match="n'existe pas"):
        load_settings(isolated / "nowhere.toml")


def test_today_is_the_service_date_whatever_the_server_zone() -> None:
    settings = Settings(timezone="Europe/Brussels")
    now = settings.now()
    assert now.tzinfo == ZoneInfo("Europe/Brussels")
    utc_now = datetime.now(ZoneInfo("UTC"))
    assert abs((now - utc_now).total_seconds()) < 60  # same instant, another zone
    assert settings.today() == now.date()


def test_the_mailroom_starts_its_forms_with_letters(isolated: Path) -> None:
    path = write(isolated / "s.toml", '[intake]\nchannel_by_agent = { courrier1 = "letter" }\n')
    intake = load_settings(path).intake
    assert intake.channel_for("courrier1") == "letter"
    assert intake.channel_for("alice") == "phone"


def test_paths_are_read_from_the_settings_files_folder_whatever_the_current_one(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = isolated / "service"
    write(service / "plaintes.toml", 'store = "cases/plaintes.db"\noutput = "/srv/letters"\n')
    elsewhere = isolated / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    settings = load_settings(service / "plaintes.toml")
    assert settings.store == service / "cases" / "plaintes.db"
    assert settings.output == Path("/srv/letters")
    assert settings.overrides == service


def test_settings_are_found_in_the_users_config_folder(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated / "config"))
    write(isolated / "config" / "plaintes-tui" / "plaintes.toml", 'store = "p.db"\n')
    settings = load_settings()
    assert settings.store == isolated / "config" / "plaintes-tui" / "p.db"
    write(isolated / "data" / "plaintes.toml", "")  # ./data/plaintes.toml comes first
    assert load_settings().store == isolated / "data" / "plaintes.db"


def test_without_a_settings_file_the_store_is_in_the_data_folder(isolated: Path) -> None:
    assert load_settings().store == isolated / "data" / "plaintes.db"


def test_letters_reference_data_per_language_and_the_agent_directory(isolated: Path) -> None:
    path = write(
        isolated / "s.toml",
        '[service]\nemail = "klachten@example.be"\n'
        '[service.nl]\nname = "Klachtendienst X"\nsignature = ["De dienst", "Team 2"]\n'
        '[ombudsman.de]\naddress = ""\n'
        '[agents.directory]\njdupont = { name = "Julie Dupont", phone = "02 528 60 45" }\n',
    )
    settings = load_settings(path)
    nl, borrowed = settings.service.in_language("nl")
    assert (nl.name, nl.place, nl.signature, borrowed) == (
        "Klachtendienst X",
        "Brussel",
        ("De dienst", "Team 2"),
        (),
    )
    assert settings.service.email == "klachten@example.be"
    from plaintes_tui.domain.contacts import in_language

    de, borrowed = in_language(settings.ombudsman, "de")
    assert de.address == "Rue Ducale 43, 1000 Bruxelles" and borrowed == ("address",)
    assert settings.agents.directory["jdupont"].name == "Julie Dupont"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[service]\nname = "X"\n', "service.name"),
        ("[service.nl]\nstreet = 1\n", "street"),
        ('[ombudsman.it]\nname = "X"\n', "ombudsman.it"),
        ('[agents.directory]\njdupont = { phone = "02" }\n', "jdupont"),
        ('[agents.directory]\njdupont = { name = "J", language = "it" }\n', "jdupont.language"),
        ("[service.fr]\nletterhead = [1]\n", "letterhead"),
        (
            '[agents.directory]\nj = { name = "J", offer_admissibility = "no" }\n',
            "offer_admissibility",
        ),
    ],
)
def test_a_mistake_in_the_letters_settings_is_named(isolated: Path, text: str, named: str) -> None:
    path = write(isolated / "s.toml", text)
    with pytest.raises(SettingsError) as raised:
        load_settings(path)
    assert named in str(raised.value)

"""The service's settings: one TOML file, every key optional, every mistake named.

Where the file comes from, the first that applies: ``--config``, ``PLAINTES_CONFIG``,
``./data/plaintes.toml``, the user's ``~/.config/plaintes-tui/plaintes.toml`` (or under
``$XDG_CONFIG_HOME``), then ``/etc/plaintes-tui/plaintes.toml``; else the built-in defaults
(the published procedure's). The store, the letters' folder and the overrides folder are
settings: a relative path is read from the settings file's folder (``./data`` without one).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from plaintes_tui.domain.access import UNLISTED, Actor, Entry, Role, identify
from plaintes_tui.domain.calendar import WORKING_WEEKS
from plaintes_tui.domain.contacts import (
    LETTER_LANGUAGES,
    OMBUDSMAN,
    SERVICE,
    OmbudsmanText,
    Person,
    ServiceText,
    in_language,
)
from plaintes_tui.domain.deadlines import DeadlineRules, ReceiptOnDayOff
from plaintes_tui.domain.services import DEFAULT_SERVICES, Service
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import tr
from plaintes_tui.settings_sections import (
    PersonalDataSettings,
    ReplicationSettings,
    ServeSettings,
)
from plaintes_tui.settings_values import (
    CHANNELS,
    UI_LANGUAGES,
    Converter,
    channel_by_agent,
    choice,
    clock_time,
    closure_dates,
    closure_days,
    directory,
    expect,
    int_between,
    language_texts,
    optional_path,
    path,
    services,
    string,
    string_list,
)

DEFAULT_CONFIG_PATH = Path("data/plaintes.toml")
SYSTEM_CONFIG_PATH = Path("/etc/plaintes-tui/plaintes.toml")
CONFIG_ENV = "PLAINTES_CONFIG"
# Without a settings file, relative paths are read from here.
DEFAULT_BASE = Path("data")


class SettingsError(UserError):
    """The settings file cannot be used as it is."""


@dataclass(frozen=True)
class ServiceContact:
    """The service's numbers, the same in every language, and its names and addresses in
    each letter language."""

    phone: str = "02 528 60 31"
    urgent_phone: str = "0477 84 86 64"
    email: str = "plainte@minsoc.fed.be"
    texts: Mapping[str, ServiceText] = field(default_factory=lambda: dict(SERVICE))

    def in_language(self, language: str) -> tuple[ServiceText, tuple[str, ...]]:
        return in_language(self.texts, language)


@dataclass(frozen=True)
class AgentSettings:
    """Who may work here, with which role, and how the queue opens for them."""

    supervisors: tuple[str, ...] = ()  # logins with the supervisor role, directory or not
    start_view: str = "all"  # "mine": the queue opens on the agent's own cases
    # login → the person letters name as the contact (full name, direct phone, e-mail), with
    # their role and whether they still work here
    directory: Mapping[str, Person] = field(default_factory=dict)
    # A login missing from the directory: "refuse", "read_only", or a role (demo, training).
    unlisted: str = "refuse"
    # Whether ``--agent`` may name someone else than the operating-system user (training).
    agent_option: bool = False
    # The operating-system account that owns the store on a shared server; agents reach it
    # through sudo or SSH, and it runs the scheduled jobs. "" : a store of one's own.
    service_account: str = ""

    def name_of(self, login: str) -> str:
        """How an agent is named: their full name in the directory, else their login."""
        person = self.directory.get(login)
        return person.name if person is not None else login

    def lists(self, login: str) -> bool:
        """Whether the settings name ``login`` (in the directory or among the supervisors)."""
        return login in self.directory or login in self.supervisors

    def actor(self, login: str) -> Actor:
        """Who ``login`` works as; :class:`AccessRefused` when they may not.

        Settings that name nobody (no directory, no supervisor, no service account) are a
        store of one's own: its owner, the only account that can open it, has every role."""
        named = self.directory or self.supervisors or self.service_account
        if not named and self.unlisted == "refuse":
            return Actor(login, Role.COORDINATOR)
        return self._identify(login, self.unlisted)

    def trusted(self, login: str) -> Actor:
        """``login`` as the settings see them, let in as an agent when not listed: for tests
        and tools that name the agent themselves (the command line uses :meth:`actor`)."""
        return self._identify(
            login, Role.AGENT.value if self.unlisted == "refuse" else self.unlisted
        )

    def _identify(self, login: str, unlisted: str) -> Actor:
        entries = {name: Entry(Role(p.role), p.active) for name, p in self.directory.items()}
        return identify(login, entries, unlisted=unlisted, supervisors=frozenset(self.supervisors))


@dataclass(frozen=True)
class IntakeSettings:
    """What a new form starts with: the channel, by agent for the mailroom."""

    default_channel: str = "phone"
    # The mailroom logs letters: agent → the channel their new forms start with.
    channel_by_agent: tuple[tuple[str, str], ...] = ()

    def channel_for(self, agent: str) -> str:
        return dict(self.channel_by_agent).get(agent, self.default_channel)


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mails are sent from the app; an empty host means e-mails are only written."""

    host: str = ""
    port: int = 25
    starttls: bool = False
    username: str = ""
    password_env: str = ""  # the name of the environment variable holding the password
    password_file: Path | None = None  # or a file only the service account reads (better)
    timeout: int = 30  # seconds without an answer before the e-mail is marked not sent

    def password(self) -> str:
        return _password(self.password_file, self.password_env, "smtp.password_file")

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class MailSettings:
    """The service's mailbox, read by ``plaintes mail import`` (and the inbox's key)."""

    host: str = ""  # the IMAP server; "" : no mailbox (import files given on the command line)
    port: int = 993
    tls: str = "ssl"  # "ssl" (IMAPS), "starttls" or "none" (a server on this machine only)
    user: str = ""
    password_env: str = ""  # the name of the environment variable holding the password
    password_file: Path | None = None  # or a file only the service account reads (better)
    folder: str = "INBOX"
    processed_folder: str = "Traitees"  # where imported messages are moved
    max_message_mb: int = 25  # a larger message, or attachment, goes to quarantine
    timeout: int = 30

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def password(self) -> str:
        return _password(self.password_file, self.password_env, "mail.password_file")


@dataclass(frozen=True)
class ScanSettings:
    """The mailroom scanner's folder, read by ``plaintes scan import`` (from cron)."""

    folder: Path | None = None  # where the scanner drops its files; none: files named on the line
    processed: Path | None = None  # where each goes once stored; by default FOLDER/traites

    def processed_folder(self) -> Path | None:
        return self.processed or (self.folder / "traites" if self.folder else None)


def _password(path: Path | None, variable: str, setting: str) -> str:
    """A password from its file (read only by the account running the program), else from the
    environment variable the settings name, else none."""
    if path is not None:
        from plaintes_tui.secret_file import read_secret

        return read_secret(path, setting)
    return os.environ.get(variable, "") if variable else ""


@dataclass(frozen=True)
class Settings:
    """The service's settings, each section with its defaults (see ``load_settings``)."""

    timezone: str = "Europe/Brussels"
    language: str = "fr"
    deadlines: DeadlineRules = field(default_factory=DeadlineRules)
    service: ServiceContact = field(default_factory=ServiceContact)
    ombudsman: Mapping[str, OmbudsmanText] = field(default_factory=lambda: dict(OMBUDSMAN))
    agents: AgentSettings = field(default_factory=AgentSettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    personal_data: PersonalDataSettings = field(default_factory=PersonalDataSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)
    replication: ReplicationSettings = field(default_factory=ReplicationSettings)
    services: tuple[Service, ...] = DEFAULT_SERVICES
    # Where things are; relative paths are resolved against the settings file's folder.
    store: Path = DEFAULT_BASE / "plaintes.db"
    output: Path = DEFAULT_BASE / "output"
    overrides: Path = DEFAULT_BASE
    backups: Path = DEFAULT_BASE / "backups"
    backups_kept: int = 14  # the newest N backups are kept, older ones removed
    source: Path | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """The service's local date and time, whatever zone the server runs in."""
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()


# -- reading the file (each value's reader: settings_values.py) ------------------------------


def _service_contact(**section: Any) -> ServiceContact:
    texts = {language: section.pop(language, SERVICE[language]) for language in LETTER_LANGUAGES}
    return ServiceContact(**section, texts=texts)


def _ombudsman(**section: Any) -> dict[str, OmbudsmanText]:
    return {language: section.get(language, OMBUDSMAN[language]) for language in LETTER_LANGUAGES}


def _timezone(value: Any) -> str:
    expected = tr("settings.expect_timezone")
    if not isinstance(value, str):
        raise ValueError(expected)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{expected} ({value!r})") from None
    return value


_TOP: dict[str, Converter] = {
    "timezone": _timezone,
    "language": choice(UI_LANGUAGES),
    "store": path,
    "output": path,
    "overrides": path,
    "backups": path,
    "backups_kept": int_between(1, 1000),
    "services": services,
}
_PATHS = ("store", "output", "overrides", "backups")
_SECTIONS: dict[str, tuple[Callable[..., Any], dict[str, Converter]]] = {
    "deadlines": (
        DeadlineRules,
        {
            "acknowledgement_working_days": int_between(1, 60),
            "reply_calendar_days": int_between(1, 365),
            "working_week": choice(tuple(WORKING_WEEKS)),
            "roll_forward": expect(lambda v: isinstance(v, bool), "settings.expect_bool"),
            "reply_moves_on_closure_days": expect(
                lambda v: isinstance(v, bool), "settings.expect_bool"
            ),
            "closure_days": closure_days,
            "closure_dates": closure_dates,
            "warning_working_days": int_between(0, 30),
            "receipt_on_day_off": expect(
                lambda v: v in tuple(ReceiptOnDayOff),
                "settings.expect_choice",
                ReceiptOnDayOff,
                choices=", ".join(f'"{c}"' for c in ReceiptOnDayOff),
            ),
            "office_closes_at": clock_time,
        },
    ),
    "service": (
        _service_contact,
        {
            "phone": string(),
            "urgent_phone": string(),
            "email": string(),
            **{language: language_texts(SERVICE, language) for language in LETTER_LANGUAGES},
        },
    ),
    "ombudsman": (
        _ombudsman,
        {language: language_texts(OMBUDSMAN, language) for language in LETTER_LANGUAGES},
    ),
    "agents": (
        AgentSettings,
        {
            "supervisors": string_list(),
            "start_view": choice(("all", "mine")),
            "directory": directory,
            "unlisted": choice(UNLISTED),
            "agent_option": expect(lambda v: isinstance(v, bool), "settings.expect_bool"),
            "service_account": string(),
        },
    ),
    "smtp": (
        SmtpSettings,
        {
            "host": string(),
            "port": int_between(1, 65535),
            "starttls": expect(lambda v: isinstance(v, bool), "settings.expect_bool"),
            "username": string(),
            "password_env": string(),
            "password_file": optional_path,
            "timeout": int_between(1, 600),
        },
    ),
    "serve": (
        ServeSettings,
        {
            "host": string(),
            "port": int_between(1, 65535),
            "public_url": string(),
            "user_header": string(),
            "proxy_key_file": optional_path,
        },
    ),
    "mail": (
        MailSettings,
        {
            "host": string(),
            "port": int_between(1, 65535),
            "tls": choice(("ssl", "starttls", "none")),
            "user": string(),
            "password_env": string(),
            "password_file": optional_path,
            "folder": string(),
            "processed_folder": string(),
            "max_message_mb": int_between(1, 500),
            "timeout": int_between(1, 600),
        },
    ),
    "scan": (ScanSettings, {"folder": optional_path, "processed": optional_path}),
    "personal_data": (
        PersonalDataSettings,
        {
            "retention_years": int_between(1, 100),
            "inactive_years": int_between(1, 100),
            "draft_days": int_between(1, 3650),
            "access_log_years": int_between(1, 100),
        },
    ),
    "replication": (
        ReplicationSettings,
        {
            "replica": string(),
            "key_file": optional_path,
            "host_key": string(),
            "sync_seconds": int_between(1, 3600),
            "point_in_time_hours": int_between(1, 24 * 366),
            "snapshot_hours": int_between(1, 24 * 366),
            "retention_hours": int_between(1, 24 * 3660),
        },
    ),
    "intake": (
        IntakeSettings,
        {"default_channel": choice(CHANNELS), "channel_by_agent": channel_by_agent},
    ),
}


def _fail(path: Path, key: str, problem: str) -> SettingsError:
    return SettingsError(tr("settings.error", path=path, key=key, problem=problem))


def settings_from_mapping(data: Mapping[str, Any], path: Path) -> Settings:
    """Build settings from a parsed TOML document, refusing unknown keys and wrong types."""
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key in _TOP:
            try:
                values[key] = _TOP[key](raw)
            except ValueError as error:
                raise _fail(path, key, str(error)) from None
        elif key in _SECTIONS:
            cls, fields = _SECTIONS[key]
            if not isinstance(raw, dict):
                raise _fail(path, f"[{key}]", tr("settings.expect_table"))
            section: dict[str, Any] = {}
            for name, item in raw.items():
                if name not in fields:
                    known = ", ".join(fields)
                    raise _fail(path, f"{key}.{name}", tr("settings.unknown_key", known=known))
                try:
                    section[name] = fields[name](item)
                except ValueError as error:
                    raise _fail(path, f"{key}.{name}", str(error)) from None
            values[key] = cls(**section)
        else:
            known = ", ".join([*_TOP, *(f"[{s}]" for s in _SECTIONS)])
            raise _fail(path, key, tr("settings.unknown_key", known=known))
    base = path.absolute().parent
    for key in _PATHS:
        values[key] = base / values.get(key, getattr(Settings, key).relative_to(DEFAULT_BASE))
    return Settings(**values, source=path)


def user_config_path() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config_home) / "plaintes-tui" / "plaintes.toml"


def config_path(explicit: str | os.PathLike[str] | None) -> Path | None:
    """Which settings file applies, or None for the built-in defaults."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env)
    for candidate in (DEFAULT_CONFIG_PATH, user_config_path(), SYSTEM_CONFIG_PATH):
        if candidate.is_file():
            return candidate
    return None


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    path = config_path(explicit)
    if path is None:
        base = Path.cwd()
        return Settings(**{key: base / getattr(Settings, key) for key in _PATHS})
    if path.exists() and not path.is_file():  # a pipe would wait for ever
        raise SettingsError(tr("settings.not_a_file", path=path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(tr("settings.missing", path=path)) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(tr("settings.unreadable", path=path, error=error)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(tr("settings.malformed", path=path, error=error)) from None
    except RecursionError:  # arrays nested thousands deep
        raise SettingsError(tr("settings.too_deep", path=path)) from None
    return settings_from_mapping(data, path)

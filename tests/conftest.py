"""Tests never read the developer's own settings or store: each runs in an empty folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from plaintes_tui import i18n
from plaintes_tui import settings as settings_module
from plaintes_tui.store.database import Store
from tests.factories import new_store
from tests.mailserver import MailServer, running_mail_server

# A busy two-core machine (CI) is slow at times: no example may fail for its time alone.
settings.register_profile("plaintes", deadline=None)
settings.load_profile("plaintes")

# What sudo, sshd and `plaintes serve` set: a test that wants one sets it itself.
_IDENTITY_VARIABLES = (
    "SUDO_UID",
    "SUDO_USER",
    "SUDO_GID",
    "SUDO_COMMAND",
    "SSH_ORIGINAL_COMMAND",
    "PLAINTES_WEB_AGENT",
    "PLAINTES_WEB_SIGNATURE",
)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("PLAINTES_DB", "PLAINTES_CONFIG", *_IDENTITY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    # The machine's own settings (a server where the app is installed) are never read.
    monkeypatch.setattr(settings_module, "SYSTEM_CONFIG_PATH", tmp_path / "etc" / "plaintes.toml")
    monkeypatch.chdir(tmp_path)
    i18n.set_language("fr")
    # What the program's main() sets: its files are its account's alone.
    umask = os.umask(0o077)
    yield tmp_path
    os.umask(umask)


@pytest.fixture
def mail() -> Iterator[tuple[MailServer, int]]:
    """A mail server on this machine's loopback: (the server, its port)."""
    with running_mail_server() as running:
        yield running


@pytest.fixture
def store(isolated: Path) -> Store:
    """An empty store of the current version in the test's folder (a test module whose cases
    need more overrides it)."""
    return new_store(isolated)

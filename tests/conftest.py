"""Tests never read the developer's own settings or store: each runs in an empty folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from plaintes_tui import i18n
from tests.mailserver import MailServer, running_mail_server

# A busy two-core machine (CI) is slow at times: no example may fail for its time alone.
settings.register_profile("plaintes", deadline=None)
settings.load_profile("plaintes")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("PLAINTES_DB", raising=False)
    monkeypatch.delenv("PLAINTES_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    monkeypatch.chdir(tmp_path)
    i18n.set_language("fr")
    yield tmp_path


@pytest.fixture
def mail() -> Iterator[tuple[MailServer, int]]:
    """A mail server on this machine's loopback: (the server, its port)."""
    with running_mail_server() as running:
        yield running

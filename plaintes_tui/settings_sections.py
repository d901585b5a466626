"""The settings' sections that are plain values: the browser, personal data, replication."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServeSettings:
    """``plaintes serve``: the app in a browser, behind the service's reverse proxy."""

    host: str = "127.0.0.1"  # only this machine: the proxy in front authenticates
    port: int = 8000
    public_url: str = ""  # the address browsers use, e.g. "https://plaintes.intra.example"
    # The request header in which the proxy names the authenticated user ("" : the agent is
    # the operating-system user running plaintes serve, as in a terminal).
    user_header: str = ""
    # The file holding a key the proxy sends in X-Plaintes-Proxy-Key, so that nobody on this
    # machine can reach the server past the proxy with a made-up user header; readable by the
    # service account alone.
    proxy_key_file: Path | None = None


@dataclass(frozen=True)
class PersonalDataSettings:
    """How long personal data is kept (``plaintes retention``); the service decides."""

    # Years after a person's last case was closed; then their cases are anonymised.
    retention_years: int = 5
    # Years after the last change of a case left open (waiting for details that never came,
    # never answered): then it counts as ended, and is closed when its person is anonymised.
    inactive_years: int = 5
    # An intake draft not touched for this many days is deleted.
    draft_days: int = 30
    # Years the log of who consulted whose data is kept (GDPR accountability).
    access_log_years: int = 2


@dataclass(frozen=True)
class ReplicationSettings:
    """``plaintes replicate``: the store shipped continuously to a standby (Litestream)."""

    # A folder on another disk or an NFS mount (relative: to this file's folder), or an
    # "sftp://user@host/path" or "s3://bucket/path" address; "" : no replication.
    replica: str = ""
    # An SFTP replica: the service account's private key for the standby (a file only it
    # reads) and the standby's public host key ("ssh-ed25519 AAAA…", from its
    # /etc/ssh/ssh_host_ed25519_key.pub): a server that shows another key is refused.
    key_file: Path | None = None
    host_key: str = ""
    sync_seconds: int = 1  # at most this many seconds of changes lost with the disk
    point_in_time_hours: int = 24  # a restore to any second within this
    snapshot_hours: int = 24  # a whole copy this often
    retention_hours: int = 72  # restore points kept (the replica holds personal data)

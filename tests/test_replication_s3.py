"""An S3-compatible replica, for real: Litestream ships the store and the program sends the
output folder's files to an S3 server on 127.0.0.1 (moto's); the disk lost, both come back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from plaintes_tui.replication import State, replica_of, replication_said
from plaintes_tui.replication_s3 import S3
from plaintes_tui.settings import load_settings
from tests.test_replication import ODD, lost_and_restored

BUCKET = "plaintes"
CREDENTIALS = {"LITESTREAM_ACCESS_KEY_ID": "test", "LITESTREAM_SECRET_ACCESS_KEY": "test"}


@pytest.fixture
def s3(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An S3 server on a free port with an empty bucket; yields its address. Nothing of this
    account's AWS settings is read."""
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)  # a machine's (a CA bundle, a profile) changes nothing here
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(name, str(isolated / "no-aws-settings"))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def client(endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def keys(endpoint: str, prefix: str) -> list[str]:
    listed = client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def settings_file(folder: Path, endpoint: str) -> Path:
    path = folder / "plaintes.toml"
    path.write_text(
        'store = "plaintes.db"\noutput = "output"\n[replication]\n'
        f'replica = "s3://{BUCKET}/standby?endpoint={endpoint}&region=us-east-1"\n',
        encoding="utf-8",
    )
    return path


def test_the_store_and_its_letters_come_back_from_an_s3_replica(isolated: Path, s3: str) -> None:
    def arrived() -> bool:
        return f"standby/files/scans/{ODD}" in keys(s3, "standby/files/") and any(
            key.endswith(".ltx") for key in keys(s3, "standby/store/")
        )

    lost_and_restored(settings_file(isolated, s3), arrived, "in the bucket")


def test_a_name_in_the_bucket_that_leads_elsewhere_is_not_written(isolated: Path, s3: str) -> None:
    settings = load_settings(settings_file(isolated, s3))
    files = replica_of(settings).files
    assert isinstance(files, S3) and files.prefix == "standby" and files.path_style
    client(s3).put_object(Bucket=BUCKET, Key="standby/files/../../escaped.txt", Body=b"x")
    with pytest.raises(OSError, match="leads out of"):
        files.fetch(isolated / "fetched")
    assert not list(isolated.rglob("escaped.txt"))


def test_status_says_a_remote_replica_runs_without_making_up_its_lag() -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    said = replication_said(State(True, now, None, None, f"s3://{BUCKET}/standby"), now)
    assert "en marche" in said and "retard" not in said
    folder = replication_said(State(True, now, now, None, "/mnt/standby"), now)
    assert "retard 0 s" in folder

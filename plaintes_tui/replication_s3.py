"""An S3-compatible replica (the administration's object store, AWS S3, MinIO…).

Litestream ships the store there itself; the output folder's files go beside it under
``files/`` (``replication_files.py``) by boto3, with the credentials Litestream uses
(``LITESTREAM_ACCESS_KEY_ID`` and ``LITESTREAM_SECRET_ACCESS_KEY`` from the unit's
environment file, else boto3's own: ``AWS_…`` variables, the account's ``~/.aws``). An object
is written whole or not at all: the standby never holds half a letter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from plaintes_tui.replication_files import FILES_FOLDER, inside, record_sent, unsent


@dataclass(frozen=True)
class S3:
    bucket: str
    prefix: str  # the replica's path in the bucket, without a leading "/"
    endpoint: str | None  # another store than AWS: its address
    region: str | None
    path_style: bool  # bucket in the path (most stores other than AWS)

    def _client(self) -> Any:
        import boto3  # loaded by an S3 replica's replication alone
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region or "us-east-1",
            aws_access_key_id=os.environ.get("LITESTREAM_ACCESS_KEY_ID"),
            aws_secret_access_key=os.environ.get("LITESTREAM_SECRET_ACCESS_KEY"),
            config=Config(
                s3={"addressing_style": "path" if self.path_style else "auto"},
                connect_timeout=10,
                read_timeout=60,
                retries={"max_attempts": 3},
            ),
        )

    def _key(self, name: str) -> str:
        return "/".join(part for part in (self.prefix, FILES_FOLDER, name) if part)

    def mirror(self, source: Path, listed: Path) -> int:
        from botocore.exceptions import BotoCoreError, ClientError

        new = unsent(source, listed)
        if not new:
            return 0
        try:
            client = self._client()
            for name in new:
                client.upload_file(str(source / name), self.bucket, self._key(name))
        except (BotoCoreError, ClientError) as error:
            raise OSError(str(error)) from None
        record_sent(listed, new)
        return len(new)

    def fetch(self, target: Path) -> int:
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = self._key("") + "/"
        count = 0
        try:
            client = self._client()
            pages = client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    path = inside(target, item["Key"][len(prefix) :])
                    path.parent.mkdir(parents=True, exist_ok=True)
                    part = path.with_name(path.name + ".part")
                    client.download_file(self.bucket, item["Key"], str(part))
                    part.replace(path)
                    count += 1
        except (BotoCoreError, ClientError, ValueError) as error:
            raise OSError(str(error)) from None
        return count


def s3_of(replica: str) -> S3:
    """The S3 replica an address names, read as Litestream reads it:
    ``s3://bucket/path?endpoint=…&region=…&forcePathStyle=true``."""
    address = urlsplit(replica)
    query = {name: values[-1] for name, values in parse_qs(address.query).items()}
    endpoint = query.get("endpoint") or None
    style = query.get("forcePathStyle", query.get("force-path-style", ""))
    return S3(
        bucket=address.hostname or "",
        prefix=unquote(address.path).strip("/"),
        endpoint=endpoint,
        region=query.get("region") or None,
        path_style=style == "true" or (endpoint is not None and style != "false"),
    )

"""A real S3-compatible server for the tests: moto in server mode (HTTP on a
free loopback port, in a thread of the test process), and a fresh bucket per
test that the settings' storage points at, through the same STORAGE_URL a
deployment writes (liaison.storage_url). Processes the test starts reach
the same server and bucket with `Bucket.url`."""

import logging
import uuid
from typing import Any

import boto3

from liaison.storage_url import storage_backend

REGION = "us-east-1"
KEY, SECRET = "testing-key", "testing-secret"  # moto takes any


class S3Server:
    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer  # heavy: only for the tests that ask

        # Its server logs a line per request at INFO, into the tests' captured output.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        _host, port = self._server.get_host_and_port()  # the address asked for above
        self.endpoint = f"http://127.0.0.1:{port}"

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY,
            aws_secret_access_key=SECRET,
        )

    def stop(self) -> None:
        self._server.stop()


class Bucket:
    """A bucket of its own on the server; `url` is its STORAGE_URL."""

    def __init__(self, server: S3Server) -> None:
        self.name = f"liaison-{uuid.uuid4().hex[:12]}"
        self.client = server.client()
        self.client.create_bucket(Bucket=self.name)
        self.url = (
            f"s3://{KEY}:{SECRET}@{self.name}?endpoint_url={server.endpoint}"
            f"&region={REGION}&addressing_style=path"
        )

    def backend(self) -> dict[str, Any]:
        return storage_backend(self.url)

    def object_keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

"""A fake SMS gateway for tests: a real HTTP server on a free local port that records what the
outbox sends (JSON as sla.sms posts it) and can be told to refuse (503) to imitate an outage."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sla.sms import SmsSettings

API_KEY = "test-key"


class FakeGateway:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.down = False
        self.url = ""

    def to(self, mobile: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["to"] == f"91{mobile}"]

    @property
    def settings(self) -> SmsSettings:
        return SmsSettings(url=self.url, sender_id="ODOPUP", api_key=API_KEY, entity_id="1101000000000000001", timeout=2)


@contextmanager
def fake_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if gateway.down:
                self._answer(503, {"error": "service unavailable"})
            elif self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self._answer(401, {"error": "bad key"})
            else:
                gateway.messages.append(json.loads(body))
                self._answer(200, {"status": "accepted"})

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()

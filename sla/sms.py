"""SMS through an HTTP gateway (URL, sender id, API key and DLT entity id from the environment).

One POST per message, JSON in, any 2xx out means accepted; anything else (a refusal, a timeout, no
answer) raises, and the outbox sender retries with backoff and finally shows an incident.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass


class SmsFailed(Exception):
    """The gateway did not accept the message."""


@dataclass(frozen=True)
class SmsSettings:
    url: str = ""  # empty: no gateway, SMS wait in the outbox (D82)
    sender_id: str = "ODOPUP"  # the six-letter header registered on DLT
    api_key: str | None = None
    entity_id: str | None = None  # the principal entity id registered on DLT
    timeout: float = 10.0


class HttpSmsGateway:
    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def send(self, *, to: str, text: str, dlt_template_id: str, message_id: str) -> None:
        s = self.settings
        payload = {
            "sender": s.sender_id, "to": f"91{to}", "message": text, "dlt_template_id": dlt_template_id,
            "dlt_entity_id": s.entity_id, "unicode": not text.isascii(), "reference": message_id,
        }
        request = urllib.request.Request(
            s.url, data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {s.api_key}"} if s.api_key else {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=s.timeout) as answer:  # noqa: S310 - the configured gateway
                answer.read()
        except urllib.error.HTTPError as err:
            raise SmsFailed(f"The SMS gateway answered {err.code}: {err.read()[:200].decode(errors='replace')}") from None
        except (urllib.error.URLError, OSError) as err:
            raise SmsFailed(f"The SMS gateway could not be reached: {getattr(err, 'reason', err)}") from None

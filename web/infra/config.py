"""Settings, read from environment variables (see README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sla.mailer import SmtpSettings
from sla.sms import SmsSettings

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "instance"
DEFAULT_DB = f"sqlite:///{INSTANCE / 'odop.db'}"


@dataclass
class Settings:
    database_url: str = DEFAULT_DB
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    # The key of the Aadhaar numbers' keyed hashes (D70): the same key must be kept for as long as
    # the applications are, or earlier numbers are no longer recognised by the eligibility rules.
    aadhaar_key: str = field(default_factory=lambda: secrets.token_hex(32))
    run_scheduler: bool = False
    bpmn_dir: Path = ROOT / "bpmn"
    # Uploaded documents live here, outside the web root.
    upload_dir: Path = INSTANCE / "uploads"
    # One deployment serves one state: its holidays count in every deadline.
    state: str = "UP"
    # Weekly offs of the state's offices, e.g. "sun,sat2,sat4" (see sla.calendar.WeeklyOffs.parse).
    weekly_offs: str = "sun,sat2,sat4"
    secure_cookies: bool = True
    # A signed-in session that has seen no request for this long ends (shared centre PCs).
    idle_timeout_minutes: int = 30
    # The reverse proxy's address whose X-Forwarded-For gives the client's (sign-in throttling).
    trusted_proxy: str = ""
    smtp: SmtpSettings = field(default_factory=lambda: SmtpSettings(host=""))
    # The HTTP SMS gateway; without a URL, SMS wait in the outbox (shown on its page, D82).
    sms: SmsSettings = field(default_factory=SmsSettings)
    testing: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL", DEFAULT_DB),
            secret_key=env.get("SECRET_KEY") or _instance_secret(),
            aadhaar_key=env.get("ODOP_AADHAAR_KEY") or _instance_secret("aadhaar_key"),
            run_scheduler=env.get("ODOP_SCHEDULER", "0") == "1",
            bpmn_dir=Path(env.get("ODOP_BPMN_DIR", str(ROOT / "bpmn"))),
            upload_dir=Path(env.get("ODOP_UPLOAD_DIR", str(INSTANCE / "uploads"))),
            state=env.get("ODOP_STATE", "UP"),
            weekly_offs=env.get("ODOP_WEEKLY_OFFS", "sun,sat2,sat4"),
            secure_cookies=env.get("ODOP_SECURE_COOKIES", "1") != "0",
            idle_timeout_minutes=_minutes(env.get("ODOP_IDLE_TIMEOUT_MINUTES", "30")),
            trusted_proxy=env.get("ODOP_TRUSTED_PROXY", ""),
            smtp=SmtpSettings(
                host=env.get("ODOP_SMTP_HOST", ""),
                port=int(env.get("ODOP_SMTP_PORT", "25")),
                security=env.get("ODOP_SMTP_SECURITY", "none"),
                username=env.get("ODOP_SMTP_USER") or None,
                password=env.get("ODOP_SMTP_PASSWORD") or None,
                sender=env.get("ODOP_MAIL_FROM", SmtpSettings.sender),
            ),
            sms=SmsSettings(
                url=env.get("ODOP_SMS_URL", ""),
                sender_id=env.get("ODOP_SMS_SENDER_ID", SmsSettings.sender_id),
                api_key=env.get("ODOP_SMS_API_KEY") or None,
                entity_id=env.get("ODOP_SMS_ENTITY_ID") or None,
            ),
        )


def _minutes(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 24 * 60:
        raise ValueError(f"ODOP_IDLE_TIMEOUT_MINUTES must be a whole number of minutes from 1 to 1440, not {text!r}")
    return int(text)


def _instance_secret(name: str = "secret_key") -> str:
    """Without SECRET_KEY (ODOP_AADHAAR_KEY), a key generated once and kept in instance/, so sign-ins
    survive restarts (and Aadhaar hashes stay comparable)."""
    path = INSTANCE / name
    if path.exists():
        return path.read_text().strip()
    INSTANCE.mkdir(exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key

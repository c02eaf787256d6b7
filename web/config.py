"""Settings, read from environment variables (see README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = f"sqlite:///{ROOT / 'instance' / 'odop.db'}"


@dataclass
class Settings:
    database_url: str = DEFAULT_DB
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    run_scheduler: bool = False
    bpmn_dir: Path = ROOT / "bpmn"
    # One deployment serves one state: its holidays count in every deadline.
    state: str = "UP"
    testing: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL", DEFAULT_DB),
            secret_key=env.get("SECRET_KEY") or secrets.token_hex(32),
            run_scheduler=env.get("ODOP_SCHEDULER", "0") == "1",
            bpmn_dir=Path(env.get("ODOP_BPMN_DIR", str(ROOT / "bpmn"))),
            state=env.get("ODOP_STATE", "UP"),
        )

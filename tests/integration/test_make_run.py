"""What `make run` does to a new SQLite database, through the real command line: migrate, deploy the
bundled flows and schemes, load the demo data, simulate history (documents included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from web.cli import main


def test_make_run_prepares_four_schemes_with_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'odop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ODOP_UPLOAD_DIR", str(tmp_path / "uploads"))
    runner = CliRunner()
    for args in (["db", "upgrade"], ["deploy"], ["demo", "load"], ["simulate", "--applications", "12", "--days", "20", "--if-empty"]):
        result = runner.invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    engine = create_engine(url)
    with engine.connect() as conn:
        schemes = {row[0] for row in conn.execute(text("SELECT DISTINCT code FROM scheme_versions"))}
        applications = conn.execute(text("SELECT count(*) FROM applications")).scalar()
        documents = conn.execute(text("SELECT count(*) FROM documents")).scalar()
        without = conn.execute(text(
            "SELECT count(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.application_id = a.id)"
        )).scalar()  # fmt: skip
    engine.dispose()
    assert schemes == {"MM", "CFC", "MDA", "SDT"}
    assert applications == 12 and documents > 0 and without == 0  # each with its checklist's documents

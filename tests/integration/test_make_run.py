"""What `make run` does to a new SQLite database, through the real command line: migrate, deploy the
bundled flows and schemes, load the demo data, simulate history (documents and appeals included)."""

from __future__ import annotations

from collections import Counter
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
        appeals = conn.execute(text("SELECT level, outcome, cause FROM appeals")).all()
        # The history has the time limits at work: reminders and escalations, told to officers (D91).
        fired = dict(conn.execute(text("SELECT kind, count(*) FROM timers WHERE fired_at IS NOT NULL GROUP BY kind")).all())
        told = {row[0] for row in conn.execute(text(
            "SELECT DISTINCT u.role FROM notifications n JOIN users u ON u.username = n.recipient WHERE n.channel = 'in_app'"
        ))}
        late = conn.execute(text("SELECT count(*) FROM tasks WHERE state = 'completed' AND completed_at > due_at")).scalar()
    engine.dispose()
    assert schemes == {"MM", "CFC", "MDA", "SDT"}
    assert applications == 12 and documents > 0 and without == 0  # each with its checklist's documents
    assert fired.get("sla_reminder", 0) > 0 and fired.get("sla_breach", 0) > 0, fired
    assert told - {"applicant", "facilitation_operator"}, told  # officers have notifications
    assert late > 0  # not 100 % on time
    # Appeals in the history (D97): first appeals, decided and pending, and a second appeal.
    levels = Counter(level for level, _, _ in appeals)
    assert levels[1] >= 2 and levels[2] >= 1, (appeals, result.output)
    assert {outcome for level, outcome, _ in appeals if level == 1} >= {"allowed", "dismissed"}, appeals
    assert None in {outcome for _, outcome, _ in appeals}, "some appeals are pending"
    assert "Appeals: first appeals" in result.output

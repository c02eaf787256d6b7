"""workflows/sample: see docs/architecture.md for what lives here."""

"""workflows/readmodels: see docs/architecture.md for what lives here."""

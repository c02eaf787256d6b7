"""workflows/usecases: see docs/architecture.md for what lives here."""

"""workflows/catalogue: see docs/architecture.md for what lives here."""

"""workflows/printing: see docs/architecture.md for what lives here."""

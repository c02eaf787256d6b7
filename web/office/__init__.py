"""web/office: see docs/architecture.md for what lives here."""

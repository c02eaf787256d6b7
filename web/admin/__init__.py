"""web/admin: see docs/architecture.md for what lives here."""

"""web/account: see docs/architecture.md for what lives here."""

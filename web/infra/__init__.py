"""web/infra: see docs/architecture.md for what lives here."""

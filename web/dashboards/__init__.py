"""web/dashboards: see docs/architecture.md for what lives here."""

"""web/portal: see docs/architecture.md for what lives here."""

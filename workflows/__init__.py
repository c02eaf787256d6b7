"""The scheme layer: ODOP schemes, applications, people, and the use cases officers and applicants run."""

"""Service levels: the business calendar, deadlines, timers, escalation and notifications."""

"""`make bench`: every benchmark of the project, one table each."""

from __future__ import annotations

from bench import dashboards, inbox, lifecycle, timers


def main() -> None:
    lifecycle.main()
    print()
    inbox.main()
    print()
    timers.main()
    print()
    dashboards.main()


if __name__ == "__main__":
    main()

"""`make bench`: every benchmark of the project, one table each."""

from __future__ import annotations

from bench import dashboards, inbox, timers, usecase


def main() -> None:
    usecase.main()  # SpiffWorkflow in memory, the engine alone, the whole use case
    print()
    inbox.main()
    print()
    timers.main()
    print()
    dashboards.main()


if __name__ == "__main__":
    main()

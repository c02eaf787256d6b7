"""`make bench`: every benchmark of the project, one table each."""

from __future__ import annotations

from bench import inbox, lifecycle


def main() -> None:
    lifecycle.main()
    print()
    inbox.main()


if __name__ == "__main__":
    main()

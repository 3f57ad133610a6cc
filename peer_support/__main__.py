"""``python -m peer_support`` and the ``peer-support`` console script."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    from peer_support.cli import main as cli_main

    try:
        return cli_main(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        # The reader went away (``peer-support families list | head``): not an error, and
        # Python must not complain about flushing stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())

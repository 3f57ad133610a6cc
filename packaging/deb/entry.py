"""Entry point of the frozen bundle: the same ``main`` as the ``peer-support`` script."""

import sys

from peer_support.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

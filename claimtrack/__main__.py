"""``python -m claimtrack``: the same as the ``claimtrack`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

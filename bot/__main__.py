"""``python -m bot``: the same as the ``waitingroom`` command."""

import sys

from bot.cli import main

sys.exit(main())

"""Peer supporters: accounts, roles, passwords, sessions, lockout and Telegram link codes.

Pure rules with the clock passed in; the SQL is in ``bot.store.staff``, the pages in
``bot.web.dashboard`` and the ``waitingroom supporters`` command in ``cli``.
"""

from .models import InvalidField, Role, Supporter

__all__ = ["InvalidField", "Role", "Supporter"]

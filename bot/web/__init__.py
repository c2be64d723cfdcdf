"""The HTTP side: one Starlette app for the web chat, health, and later webhooks and
the supporters' dashboard."""

"""Channel adapters: each turns a medium (web chat, terminal, Telegram, SMS) into engine
messages and renders replies for it. A new channel is one new module here."""

"""Peer support: the queue's rules (pure) and the desk where supporters act on them."""

"""Waiting Room: a chatbot for the digital waiting room."""

"""Rasa event brokers: how the bot publishes its conversations to the other services."""

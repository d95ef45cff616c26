"""Intents, their examples and responses: read, checked, validated, written, versioned."""

"""A separate program that turns text into speech with Piper (see README.md: why separate)."""

"""The outcome dashboard: figures (pure functions) and their CSV export."""

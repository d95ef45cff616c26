"""Escalation thresholds in the console: the routing preview on stored conversations."""

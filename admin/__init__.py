"""The admin console: intents and their responses, safe retraining, escalation thresholds,
expression and tone settings, and the outcome dashboard (docs/admin.md)."""

"""When the assistant hands a conversation to a person: the configuration (config.py, defaults.yml),
its stored form in Redis (stored.py), the pure decision rules (rules.py) and the reasons in words
(reasons.py, reasons.yml). The action server applies them; the handoff service's admin console
edits the configuration and previews it."""

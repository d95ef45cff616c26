"""When the assistant hands a conversation to a person: the config (config.py, defaults.yml), its
store in Redis with an audit trail (store.py) and the pure decision rules (rules.py).

Standard library, PyYAML and redis only: the action server imports this package too."""

"""Entry points of the two Rasa processes, each behind our services' credentials
(docs/operations.md "Threat model"): `python -m bot.server.rasa` and `python -m bot.server.actions`."""

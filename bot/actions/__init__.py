"""Custom actions of the assistant, one module per skill.

The action server (`rasa run actions --actions bot.actions`) imports every module of this package
and registers each concrete `rasa_sdk.Action` subclass it finds, so modules must stay free of side
effects at import time: settings, the customer database and Redis are opened lazily on first use
(see `settings.py` and `base.py`).
"""

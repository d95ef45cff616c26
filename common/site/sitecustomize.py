"""Loaded by Python at start-up in the processes whose PYTHONPATH lists this directory (the
launcher adds it for Rasa and the action server): masks personal data in every log record of
those processes (common/log_privacy.py). Rasa and Sanic configure their own handlers; the record
factory catches records before any handler sees them."""

try:
    from common.log_privacy import install
except ImportError:  # the repository root is not on the path: nothing to install
    pass
else:
    install()

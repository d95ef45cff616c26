"""Small pieces shared by every service: log privacy, the HTTP guard, the Redis token bucket.

Kept free of service imports so both virtualenvs (.venv and .venv-rasa) can load what they need;
``log_privacy`` uses only the standard library.
"""

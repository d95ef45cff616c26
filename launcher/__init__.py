"""Starts, watches and stops the local system (Redis, Rasa, the action server and our services).

Used by `make run` (`python -m launcher run`) and by the integration tests, so both start the
system the same way.
"""

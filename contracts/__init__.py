"""The facts the services share: the emotion taxonomy and the distress formula, the escalation
configuration and rules, reason texts, the handoff record's schema and builder, Redis key names,
and the shop's customer token.

The Rasa action server (Python 3.10, pydantic 1) and the services (Python 3.11) both import this
package, so it uses only the standard library, PyYAML and jsonschema, keeps Python 3.10 syntax,
and keeps its facts as data files where it can (contracts/README.md).
"""

"""Incidents: what operators tell customers about an outage, a carrier delay or a recall.

Admins and supervisors publish them in the admin console (admin/incidents/); the action server
mentions an active incident to the customers it affects and answers questions about it
(bot/actions/incidents.py); the agent console shows the active ones next to a conversation.

- model.py: the record, its scope and the validation of what an operator typed;
- stored.py: the Redis form that the writer and the readers share.
"""

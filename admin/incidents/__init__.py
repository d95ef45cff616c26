"""Incidents that admins and supervisors publish (contracts/incidents/), stored in Redis."""

"""Sign-in for agents, supervisors and admins: users in SQL, bearer tokens in Redis."""

from handoff.auth.roles import ROLES, role_at_least
from handoff.auth.tokens import AuthUser, TokenStore

__all__ = ["ROLES", "role_at_least", "AuthUser", "TokenStore"]

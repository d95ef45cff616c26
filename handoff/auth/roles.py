"""Roles are hierarchical: admin ⊇ supervisor ⊇ agent."""

ROLES = ("agent", "supervisor", "admin")
SKILLS = ("billing", "technical", "general")
LANGUAGES = ("en", "de")


def role_at_least(role: str, required: str) -> bool:
    if role not in ROLES or required not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(required)

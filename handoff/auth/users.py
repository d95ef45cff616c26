"""User management used by the CLI, the seed hook, sign-in and the admin console."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.auth.models import User
from handoff.auth.passwords import hash_password, password_problem, verify_password
from handoff.auth.roles import LANGUAGES, ROLES, SKILLS

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


class UserError(ValueError):
    """Invalid user data; the message says what is wrong."""


def validate_user(username: str, display_name: str, role: str, skills: list[str], languages: list[str]) -> None:
    if not USERNAME.match(username):
        raise UserError("username: 2-64 characters, lower-case letters, digits, . _ -, starting with a letter")
    if not display_name.strip() or len(display_name) > 80:
        raise UserError("display name: 1-80 characters")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if unknown := set(skills) - set(SKILLS):
        raise UserError(f"unknown skills: {', '.join(sorted(unknown))}")
    if unknown := set(languages) - set(LANGUAGES):
        raise UserError(f"unknown languages: {', '.join(sorted(unknown))}")


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    skills: list[str] | None = None,
    languages: list[str] | None = None,
) -> User:
    skills = list(skills if skills is not None else SKILLS)
    languages = list(languages if languages is not None else LANGUAGES)
    validate_user(username, display_name, role, skills, languages)
    if problem := password_problem(password):
        raise UserError(problem)
    if session.get(User, username) is not None:
        raise UserError(f"user {username!r} exists already")
    user = User(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
        skills=skills,
        languages=languages,
        active=True,
    )
    session.add(user)
    session.commit()
    return user


def set_password(session: Session, username: str, password: str) -> None:
    user = session.get(User, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    if problem := password_problem(password):
        raise UserError(problem)
    user.password_hash = hash_password(password)
    session.commit()


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.get(User, username)
    if user is None or not user.active:
        # Same cost as a real check, so timing does not reveal which usernames exist.
        verify_password(password, "scrypt$16384$8$1$00$" + "00" * 32)
        return None
    return user if verify_password(password, user.password_hash) else None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))

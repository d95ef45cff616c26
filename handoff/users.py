"""``python -m handoff.users``: manage console users.

    python -m handoff.users create USERNAME --role agent --name "Mia Berger" \
        --skills billing,general --languages en,de      # asks for the password (or HANDOFF_NEW_PASSWORD)
    python -m handoff.users list
    python -m handoff.users passwd USERNAME
    python -m handoff.users seed-demo                   # development only: the demo users in README
"""

import argparse
import getpass
import os
import sys

from handoff.auth.users import UserError, create_user, list_users, set_password
from handoff.core.config import HandoffSettings
from handoff.core.db import create_schema, make_engine, make_session_factory

# Development only (refused in production mode); README lists them.
DEMO_USERS = (
    {
        "username": "mia",
        "display_name": "Mia",
        "role": "agent",
        "password": "mia-demo-pass",
        "skills": ["billing", "general"],
        "languages": ["en", "de"],
    },
    {
        "username": "tom",
        "display_name": "Tom",
        "role": "agent",
        "password": "tom-demo-pass",
        "skills": ["technical", "general"],
        "languages": ["en"],
    },
    {
        "username": "sam",
        "display_name": "Sam",
        "role": "supervisor",
        "password": "sam-demo-pass",
        "skills": ["billing", "technical", "general"],
        "languages": ["en", "de"],
    },
    {
        "username": "alex",
        "display_name": "Alex",
        "role": "admin",
        "password": "alex-demo-pass",
        "skills": ["billing", "technical", "general"],
        "languages": ["en", "de"],
    },
)


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def _password(prompt: str) -> str:
    if os.environ.get("HANDOFF_NEW_PASSWORD"):
        return os.environ["HANDOFF_NEW_PASSWORD"]
    if not sys.stdin.isatty():
        raise UserError("no terminal: set HANDOFF_NEW_PASSWORD")
    first = getpass.getpass(prompt)
    if getpass.getpass("Again: ") != first:
        raise UserError("the passwords differ")
    return first


def _revoke_sign_ins(settings: HandoffSettings, username: str) -> bool:
    """Ends the user's existing sign-ins (tokens in Redis); False if Redis cannot be reached."""
    from redis.exceptions import RedisError

    from common.redis_pool import sync_redis

    client = sync_redis(settings.redis_url, password=settings.redis_password_value())
    try:
        digests = client.smembers(settings.key("user_tokens", username))
        if digests:
            client.delete(*(settings.key("token", digest) for digest in digests))
        client.delete(settings.key("user_tokens", username))
        return True
    except (RedisError, OSError):
        return False
    finally:
        client.close()


def seed_demo(session_factory, settings: HandoffSettings) -> list[str]:  # noqa: ANN001
    if settings.production:
        raise UserError("demo users are never created in production mode")
    created = []
    with session_factory() as session:
        for user in DEMO_USERS:
            try:
                create_user(session, **user)
                created.append(user["username"])
            except UserError as error:
                if "exists already" not in str(error):
                    raise
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handoff.users", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=("agent", "supervisor", "admin"))
    create.add_argument("--name", required=True)
    create.add_argument("--skills")
    create.add_argument("--languages")
    commands.add_parser("list")
    passwd = commands.add_parser("passwd")
    passwd.add_argument("username")
    commands.add_parser("seed-demo")
    args = parser.parse_args(argv)

    settings = HandoffSettings()
    engine = make_engine(settings.database_url)
    create_schema(engine)
    sessions = make_session_factory(engine)
    try:
        if args.command == "seed-demo":
            created = seed_demo(sessions, settings)
            print(f"demo users: {', '.join(created) if created else 'present already'}")
        elif args.command == "list":
            with sessions() as session:
                for user in list_users(session):
                    print(
                        f"{user.username}\t{user.role}\t{user.display_name}\t{','.join(user.skills)}\t"
                        f"{','.join(user.languages)}\t{'active' if user.active else 'inactive'}"
                    )
        elif args.command == "create":
            password = _password("Password: ")
            with sessions() as session:
                create_user(
                    session,
                    username=args.username,
                    display_name=args.name,
                    role=args.role,
                    password=password,
                    skills=_split(args.skills),
                    languages=_split(args.languages),
                )
            print(f"created {args.username}")
        elif args.command == "passwd":
            password = _password("New password: ")
            with sessions() as session:
                set_password(session, args.username, password)
            signed_out = _revoke_sign_ins(settings, args.username)
            print(
                f"password changed for {args.username}"
                + (
                    "; signed out everywhere"
                    if signed_out
                    else "; Redis unreachable: existing sign-ins end with their TTL"
                )
            )
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

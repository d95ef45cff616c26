# The handoff service's database (users, outcomes) and, in development only, the demo users that
# README lists. Idempotent and cheap, so it runs every time; production mode refuses demo users.
if [ "${PRODUCTION:-false}" != "true" ]; then
  .venv/bin/python -m handoff.users seed-demo >/dev/null
fi

# The demo shop's customer database (SQLite by default; CUSTOMER_DB_URL may name any SQLAlchemy URL).
# Seeding is idempotent, so this is cheap on every run.
.venv/bin/python -m customer_db.seed --url "$CUSTOMER_DB_URL" >/dev/null

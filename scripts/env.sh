# Defaults for running the system locally; every value can be overridden from the environment.
# Sourced by the Makefile's scripts; each service reads these through its own settings object.
ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export PROJECT_ROOT="$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
export REDIS_PORT="${REDIS_PORT:-6390}"
export REDIS_DB="${REDIS_DB:-0}"
export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB}"
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_SERVER_PORT="${ACTION_SERVER_PORT:-5055}"
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:$ACTION_SERVER_PORT/webhook}"
export AVATAR_BRIDGE_PORT="${AVATAR_BRIDGE_PORT:-8765}"
export AVATAR_BRIDGE_NLG_URL="${AVATAR_BRIDGE_NLG_URL:-http://127.0.0.1:$AVATAR_BRIDGE_PORT/nlg}"
# Development secrets between our own services (public values, common/service_auth.py);
# production mode refuses to start with them (docs/operations.md "Threat model").
export AVATAR_BRIDGE_NLG_TOKEN="${AVATAR_BRIDGE_NLG_TOKEN:-local-development-token}"
export RASA_JWT_SECRET="${RASA_JWT_SECRET:-development-rasa-jwt-secret-not-for-production}"
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-development-action-server-token}"
# Shared with the shop, which signs its customer tokens with it (docs/shop-integration.md).
export SHOP_TOKEN_SECRET="${SHOP_TOKEN_SECRET:-development-shop-token-secret}"
# No Redis password in development (Redis listens on loopback only); production requires one.
export REDIS_PASSWORD="${REDIS_PASSWORD:-}"
# The handoff service: agent, supervisor and admin consoles (docs/handoff.md).
export HANDOFF_PORT="${HANDOFF_PORT:-8780}"
# Rasa keeps a conversation this long after its last message (bot/endpoints.yml): 30 days.
export RASA_TRACKER_RETENTION_S="${RASA_TRACKER_RETENTION_S:-2592000}"
# Trainings (make train, the cross-validation folds, admin retraining) keep the sentence embeddings
# of their examples here, keyed by the encoder file's checksum (bot/emotion/embedding_store.py).
export SENTENCE_EMBEDDING_STORE="${SENTENCE_EMBEDDING_STORE:-$ROOT/var/cache/sentence-embeddings.sqlite}"
export CUSTOMER_DB_URL="${CUSTOMER_DB_URL:-sqlite:///$ROOT/var/customer.db}"
# Offline by default: no telemetry, no model hub look-ups.
export RASA_TELEMETRY_ENABLED=false
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1

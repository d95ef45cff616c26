#!/usr/bin/env bash
# Trains a model on first start (the models volume keeps it), then serves it.
set -euo pipefail
cd /app
if ! ls models/*.tar.gz >/dev/null 2>&1; then
  rasa train --config bot/config.yml --domain bot/domain --data bot/data nlu_data/intents --out models
fi
# The HTTP API behind JWT (RASA_JWT_SECRET), no CORS: bot/server/rasa.py.
exec python -m bot.server.rasa --port 5005 --endpoints bot/endpoints.yml --credentials bot/credentials.yml --model models

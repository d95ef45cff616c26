# Action server: the official SDK image plus the customer database connector.
FROM rasa/rasa-sdk:3.6.2
USER root
RUN pip install --no-cache-dir "SQLAlchemy>=1.4,<2.1" "psycopg2-binary>=2.9" "redis>=4.5,<5" PyYAML
COPY bot /app/bot
COPY customer_db /app/customer_db
# Personal data masked in every log record (common/site/sitecustomize.py, docs/operations.md).
COPY common /app/common
# The facts the services share (emotion taxonomy, escalation rules, handoff record schema).
COPY contracts /app/contracts
ENV PYTHONPATH=/app:/app/common/site
USER 1001
# Our entry point instead of the image's `start`: it answers only Rasa (bot/server/actions.py).
ENTRYPOINT ["python", "-m", "bot.server.actions"]

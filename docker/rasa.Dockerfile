# Rasa server with the project's NLU components (ONNX emotion encoder, language detector).
FROM rasa/rasa:3.6.21
USER root
RUN pip install --no-cache-dir onnxruntime==1.23.2 tokenizers==0.23.3
COPY bot /app/bot
COPY nlu_data /app/nlu_data
COPY docker/rasa-start.sh /app/docker/rasa-start.sh
# Personal data masked in every log record (common/site/sitecustomize.py, docs/operations.md).
COPY common /app/common
# The facts the services share (emotion taxonomy, escalation rules, handoff record schema).
COPY contracts /app/contracts
RUN mkdir -p /app/models && chown 1001 /app/models
ENV PYTHONPATH=/app:/app/common/site RASA_TELEMETRY_ENABLED=false
USER 1001
ENTRYPOINT ["bash", "/app/docker/rasa-start.sh"]

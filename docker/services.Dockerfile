# The project's own Python 3.11 services and tools (encoder export, database seed, later the
# avatar bridge and the handoff service). torch comes from the CPU index inside the image.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng libespeak-ng1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/services.txt requirements/services.txt
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -r requirements/services.txt
COPY . /app
ENV PYTHONPATH=/app HF_HUB_OFFLINE=1

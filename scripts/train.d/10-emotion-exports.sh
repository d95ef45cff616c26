# A Hugging Face emotion model named in bot/config.yml is exported to ONNX before training
# (nothing to do with the default encoder).
.venv-rasa/bin/python scripts/emotion/pending_exports.py --run

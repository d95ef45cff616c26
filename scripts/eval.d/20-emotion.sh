# Emotion classifier on GoEmotions dev (Reddit comments, mapped to our labels through their Ekman
# groups): a domain the training data does not cover, so expect far lower scores than on our own.
if [ -f "$DATA/goemotions/dev.tsv" ]; then
  mkdir -p results/eval
  .venv-rasa/bin/python scripts/emotion/evaluate.py --data "$DATA/goemotions/dev.tsv" --format goemotions \
    --png results/eval/emotion_goemotions_dev.png --skip-missing | tee results/eval/emotion_goemotions.md
fi

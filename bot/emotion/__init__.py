"""Emotion recognition for customer messages.

Pure library code shared by the Rasa component (`bot.components.emotion_classifier`), the
slot-tracking action (`bot.actions.emotion`) and the command-line scripts in `scripts/emotion/`.
Nothing here imports Rasa, and nothing does work at import time.
"""

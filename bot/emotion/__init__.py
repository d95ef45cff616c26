"""Emotion recognition for customer messages.

Pure library code of the running assistant, shared by the Rasa component
(`bot.components.emotion_classifier`, which also trains its head at `rasa train`), the
slot-tracking action (`bot.actions.emotion`) and the command-line scripts in `scripts/emotion/`.
What only evaluation and offline training need lives in `scripts/emotion/training/`; the taxonomy
and the distress formula are shared facts in `contracts/emotion/`. Nothing here imports Rasa, and
nothing does work at import time.
"""

"""What only training and evaluation need (never the running assistant): held-out splits and their
report, the metrics and confusion plots, label-map arguments, the list of pending model exports.
Used by the scripts beside it (`train_head.py`, `evaluate.py`, `bench.py`, `pending_exports.py`)
with Rasa's environment; the runtime library is `bot/emotion/`."""

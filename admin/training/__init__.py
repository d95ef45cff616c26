"""Retraining without downtime: train a candidate, compare it on held-out data, switch Rasa."""

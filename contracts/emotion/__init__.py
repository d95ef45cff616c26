"""The emotion taxonomy (taxonomy.yml) and the one distress formula (distress.py)."""

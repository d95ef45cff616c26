"""What a supervisor watches: live figures, the agents' load over the shift, conversations at risk."""

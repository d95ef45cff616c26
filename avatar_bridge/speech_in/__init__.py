"""Speech in: the customer's voice -> text, offline, with Whisper base in bounded worker processes."""

"""Custom dialogue policies (referenced from bot/config.yml as `bot.policies.<module>.<Class>`)."""

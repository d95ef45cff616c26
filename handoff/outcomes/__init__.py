"""One outcome record per conversation (bot-only and handed over), for the admin figures."""

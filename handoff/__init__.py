"""The handoff service: takes conversations the assistant hands to a person, queues and routes
them to agents, relays the chat with the customer's widget and records outcomes (docs/handoff.md)."""

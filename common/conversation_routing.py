"""How a request names its conversation to the load balancer in front of the Rasa servers.

nginx hashes on this header (launcher/balancer.py), so every request about one conversation
reaches the same Rasa server; Rasa's Redis lock store is not safe across servers.
"""

CONVERSATION_HEADER = "X-Conversation-Id"


def conversation_headers(conversation_id: str) -> dict[str, str]:
    return {CONVERSATION_HEADER: conversation_id}

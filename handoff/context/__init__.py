"""The context package an agent receives with a handoff (docs/handoff.md, "The context package").

from handoff.context import build_context_package
package = build_context_package(record, customer_connector, history)
"""

from handoff.context.history import ConversationHistory, InMemoryConversationHistory
from handoff.context.package import SCHEMA, InvalidRecord, build_context_package

__all__ = ["SCHEMA", "ConversationHistory", "InMemoryConversationHistory", "InvalidRecord", "build_context_package"]

"""Guided troubleshooting for sign-in and loading problems.

The tree is data (troubleshooting_tree.yml): yes/no questions that end in a fix or in the offer
of a person. `troubleshoot_step` holds the node whose question waits for an answer and
`troubleshoot_active` tells the rules that the next affirm/deny belongs to it.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.base import latest_intent, offer_human

TREE_PATH = Path(__file__).with_name("troubleshooting_tree.yml")
TOPIC_FOR_INTENT = {"troubleshoot_login": "login", "troubleshoot_loading": "loading"}


@dataclass(frozen=True)
class Node:
    name: str
    ask: Optional[str] = None
    yes: Optional[str] = None
    no: Optional[str] = None
    fix: Optional[str] = None
    say: Optional[str] = None
    handoff: Optional[str] = None

    @property
    def kind(self) -> str:
        return "question" if self.ask else "fix" if self.fix else "handoff"


@dataclass(frozen=True)
class Topic:
    intro: str
    start: str


@dataclass(frozen=True)
class TroubleshootingTree:
    topics: Dict[str, Topic]
    nodes: Dict[str, Node]

    def responses(self) -> List[str]:
        """Every response the tree can send (for the domain consistency test)."""
        names = [topic.intro for topic in self.topics.values()]
        for node in self.nodes.values():
            names += [name for name in (node.ask, node.fix, node.say) if name]
        return names


def parse_tree(data: Dict[str, Any]) -> TroubleshootingTree:
    """Build and check a tree; a broken tree fails when first used, with the reason."""
    nodes = {name: Node(name=name, **spec) for name, spec in data["nodes"].items()}
    topics = {name: Topic(**spec) for name, spec in data["topics"].items()}
    for node in nodes.values():
        kinds = [bool(node.ask), bool(node.fix), bool(node.handoff)]
        if sum(kinds) != 1:
            raise ValueError(f"node {node.name!r} must have exactly one of ask, fix, handoff")
        if node.ask and (node.yes not in nodes or node.no not in nodes):
            raise ValueError(f"question {node.name!r} needs existing 'yes' and 'no' nodes")
    for name, topic in topics.items():
        if topic.start not in nodes:
            raise ValueError(f"topic {name!r} starts at unknown node {topic.start!r}")
    return TroubleshootingTree(topics=topics, nodes=nodes)


@lru_cache(maxsize=1)
def load_tree() -> TroubleshootingTree:
    with TREE_PATH.open(encoding="utf-8") as handle:
        return parse_tree(yaml.safe_load(handle))


class ActionTroubleshoot(Action):
    def name(self) -> Text:
        return "action_troubleshoot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        tree = load_tree()
        intent = latest_intent(tracker)
        topic_name = TOPIC_FOR_INTENT.get(intent)
        if topic_name:
            topic = tree.topics[topic_name]
            dispatcher.utter_message(response=topic.intro)
            events: List[EventType] = [SlotSet("troubleshoot_topic", topic_name)]
            if tracker.get_slot("human_offered"):
                events.append(SlotSet("human_offered", False))
            return events + self._enter(tree.nodes[topic.start], dispatcher)

        current = tree.nodes.get(tracker.get_slot("troubleshoot_step") or "")
        if not tracker.get_slot("troubleshoot_active") or current is None or not current.ask:
            dispatcher.utter_message(response="utter_ask_how_to_help")
            return [SlotSet("troubleshoot_active", False)]
        if intent not in ("affirm", "deny"):
            return self._enter(current, dispatcher)  # ask the open question again
        following = current.yes if intent == "affirm" else current.no
        return self._enter(tree.nodes[following], dispatcher)

    @staticmethod
    def _enter(node: Node, dispatcher: CollectingDispatcher) -> List[EventType]:
        step = [SlotSet("troubleshoot_step", node.name)]
        if node.kind == "question":
            dispatcher.utter_message(response=node.ask)
            return step + [SlotSet("troubleshoot_active", True)]
        if node.kind == "fix":
            dispatcher.utter_message(response=node.fix)
            return step + [SlotSet("troubleshoot_active", False)]
        if node.say:
            dispatcher.utter_message(response=node.say)
        return step + [SlotSet("troubleshoot_active", False)] + offer_human(dispatcher, node.handoff)

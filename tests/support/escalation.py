"""Escalation configurations for tests: the shipped defaults with a few values changed."""

from __future__ import annotations

import copy

from handoff.escalation.config import default_config


def config_data_with(**changes) -> dict:
    """The default configuration as data, with `section__key=value` changes applied.

    `config_data_with(fallbacks__max_fallbacks=3)` sets `fallbacks.max_fallbacks` to 3.
    """
    data = copy.deepcopy(default_config().to_dict())
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value
    return data

"""What the admin accepts in a response text: the bridge's own placeholders, no slot placeholders."""

import pytest

from admin.intents.checks import check_response
from contracts.wording import RESPONSE_PLACEHOLDERS


@pytest.mark.parametrize("name", sorted(RESPONSE_PLACEHOLDERS))
def test_a_placeholder_the_bridge_fills_is_accepted(name: str) -> None:
    assert check_response(f"Hi, I'm {{{name}}}. How can I help?", max_chars=300) == []


@pytest.mark.parametrize(
    "text",
    ["Hello {customer_name}", "Hi {assistant_name} and {order}", "a stray } brace", "{assistant_name"],
)
def test_any_other_curly_brace_is_refused(text: str) -> None:
    problems = check_response(text, max_chars=300)
    assert len(problems) == 1 and "curly braces" in problems[0]

"""`scripts/bench/run.py --only` replaces just the measured sections of docs/benchmarks.md."""

from scripts.bench.run import replace_section

DOCUMENT = """# Benchmarks

## Machine

- old machine

## Turn latency through Rasa's REST channel (issue 2)

old rasa table

### a subsection stays with its section

## Avatar bridge: WebSocket sessions (issue 4)

old bridge table

## Emotion classification (issue 3)

kept
"""


def test_a_middle_section_is_replaced_with_its_subsections_and_the_rest_kept():
    updated = replace_section(
        DOCUMENT, "## Turn latency", "## Turn latency through Rasa's REST channel (issue 2)\n\nnew\n"
    )
    assert "old rasa table" not in updated and "a subsection" not in updated
    assert "\n\nnew\n\n## Avatar bridge" in updated
    assert "old bridge table" in updated and "kept" in updated and "old machine" in updated


def test_the_last_section_and_a_missing_one():
    updated = replace_section(DOCUMENT, "## Emotion", "## Emotion classification (issue 3)\n\nfresh\n")
    assert updated.endswith("fresh\n") and "kept" not in updated
    appended = replace_section(DOCUMENT, "## Handoff", "## Handoff\n\nnew section\n")
    assert appended.startswith(DOCUMENT.rstrip("\n")) and appended.endswith("## Handoff\n\nnew section\n")


def test_a_re_measured_section_says_when_and_under_what_load():
    import argparse

    from scripts.bench.run import with_run_stamp

    args = argparse.Namespace(only=["bridge"], note="other engineers' tests shared the CPU")
    section = with_run_stamp("## Avatar bridge: x\n\nbody\n", "2026-11-22 06:20 UTC, load average 1.00 2.00 3.00", args)
    heading, blank, stamp, blank2, body = section.splitlines()[:5]
    assert heading == "## Avatar bridge: x" and blank == blank2 == "" and body == "body"
    assert "06:20 UTC" in stamp and "load average 1.00" in stamp and "--only bridge" in stamp
    assert "other engineers' tests shared the CPU" in stamp

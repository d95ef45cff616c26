"""Loading emotion examples (project YAML, text<TAB>label, GoEmotions) and the fixed split."""

from __future__ import annotations

import pytest

from bot.emotion.data import (
    EmotionDataError,
    Example,
    LoadReport,
    load_goemotions,
    load_tsv,
    load_yaml_dir,
    stratified_split,
)

from emotion_test_data import PROJECT_EMOTION_DATA, SMALL_EXAMPLES, write_emotion_data


def test_yaml_folder_loads_every_label_and_language(tmp_path):
    examples = load_yaml_dir(write_emotion_data(tmp_path))

    assert {e.language for e in examples} == {"en", "de"}
    assert {e.label for e in examples} == set(SMALL_EXAMPLES["en"])
    assert Example("thank you, that solved it", "happy", "en") in examples


def test_yaml_with_an_unknown_label_is_rejected(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "angry.yml").write_text("language: en\nlabel: angry\nexamples:\n- grr\n", encoding="utf-8")

    with pytest.raises(EmotionDataError, match="angry"):
        load_yaml_dir(tmp_path)


def test_project_examples_follow_the_agreed_format():
    examples = load_yaml_dir(PROJECT_EMOTION_DATA)
    counts = {}
    for example in examples:
        counts[(example.language, example.label)] = counts.get((example.language, example.label), 0) + 1

    assert {language for language, _ in counts} == {"en", "de"}
    assert min(counts.values()) >= 150, counts


def test_tsv_maps_foreign_labels_and_counts_what_it_skips(tmp_path):
    path = tmp_path / "data.tsv"
    path.write_text(
        "my parcel is late again\tanger\n"
        "thanks, lovely\tjoy\tEN\n"
        "so tired of this\tgrumpy\n"
        "\tneutral\n"
        "what is this fee?\tconfused\n"
        "meh\tmeh-label\n",
        encoding="utf-8",
    )
    report = LoadReport()

    examples = load_tsv(path, label_map={"grumpy": "frustrated"}, report=report)

    assert [(e.text, e.label) for e in examples] == [
        ("my parcel is late again", "frustrated"),
        ("thanks, lovely", "happy"),
        ("so tired of this", "frustrated"),
        ("what is this fee?", "confused"),
    ]
    assert (report.read, report.skipped_unmapped, report.skipped_empty) == (6, 1, 1)


def test_goemotions_rows_map_ids_through_the_ekman_groups(tmp_path):
    # ids: 2 anger, 3 annoyance, 15 gratitude, 19 nervousness, 25 sadness, 27 neutral
    path = tmp_path / "goemotions.tsv"
    path.write_text(
        "why is this still broken\t3\tid1\n"
        "thank you kindly\t15,27\tid2\n"
        "I am nervous about it\t19\tid3\n"
        "happy and sad at once\t15,25\tid4\n"
        "just a statement\t27\tid5\n"
        "broken ids\tx,y\tid6\n",
        encoding="utf-8",
    )
    report = LoadReport()

    examples = load_goemotions(path, report=report)

    assert [(e.text, e.label) for e in examples] == [
        ("why is this still broken", "frustrated"),
        ("thank you kindly", "happy"),
        ("I am nervous about it", "anxious"),
        ("just a statement", "neutral"),
    ]
    assert (report.skipped_ambiguous, report.skipped_unmapped) == (1, 1)


def test_split_is_stratified_fixed_and_stable():
    examples = [
        Example(f"{language} {label} {i}", label, language)
        for language in ("en", "de")
        for label in ("happy", "sad")
        for i in range(10)
    ]

    train, held_out = stratified_split(examples, 0.2, seed=13)
    again_train, again_held_out = stratified_split(list(reversed(examples)), 0.2, seed=13)

    assert len(held_out) == 8 and len(train) == 32
    assert sorted(e.text for e in held_out) == sorted(e.text for e in again_held_out)
    assert {(e.language, e.label) for e in held_out} == {
        (lang, label) for lang in ("en", "de") for label in ("happy", "sad")
    }
    assert not set(train) & set(held_out)

"""Settings of the admin console (environment prefix ``ADMIN_``).

The console's own object: created once, lazily, by ``admin.deps`` (never at import time). What
belongs to the service that hosts it (Redis, Rasa's address, sign-in) comes through
``admin.host.AdminHost`` instead.
"""

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.redis_keys import CONVERSATION_EVENTS_PREFIX, CONVERSATIONS_BY_LAST_EVENT

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


class AdminSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ADMIN_", extra="ignore")

    # The project tree the training reads (bot/ and nlu_data/); tests point it at a temp copy.
    data_root: Path = REPOSITORY_ROOT
    # Where trained models go and where `models/CURRENT` names the active one.
    models_dir: Path = REPOSITORY_ROOT / "models"
    # The Rasa environment's interpreter and CLI (Python 3.10).
    rasa_python: Path = REPOSITORY_ROOT / ".venv-rasa" / "bin" / "python"
    rasa_cli: Path = REPOSITORY_ROOT / ".venv-rasa" / "bin" / "rasa"
    # Held-out phrasings the candidate model and the active one are compared on (docs/admin.md).
    heldout_path: Path = Path(__file__).resolve().parent / "training" / "heldout.yml"
    # A candidate may be at most this much worse than the active model on the held-out set.
    max_accuracy_drop: float = Field(0.02, ge=0, le=1)
    # Run `rasa data validate` on every change (a few seconds to half a minute).
    rasa_validate: bool = True
    validate_timeout_seconds: float = Field(180, gt=0)
    train_timeout_seconds: float = Field(1800, gt=0)
    # Bound a single training run by passing --epoch-fraction to Rasa (1.0: the full epochs).
    epoch_fraction: float = Field(1.0, gt=0, le=1)
    # Where trainings keep the sentence embeddings of their examples (bot/emotion/embedding_store.py),
    # shared with `make train`; empty: none. Read from SENTENCE_EMBEDDING_STORE as scripts/env.sh sets it.
    sentence_embedding_store: str = Field(
        str(REPOSITORY_ROOT / "var" / "cache" / "sentence-embeddings.sqlite"),
        validation_alias=AliasChoices("ADMIN_SENTENCE_EMBEDDING_STORE", "SENTENCE_EMBEDDING_STORE"),
    )

    # The avatar bridge's customer page as the admin's browser reaches it: the "Expression & tone"
    # page frames its face preview from there (`?preview=face`). Empty: no preview.
    face_preview_url: str = Field("http://127.0.0.1:8765/", pattern=r"^(https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/?)?$")

    # The bot's conversation log (contracts/redis_keys.py): the escalation preview's source.
    conversation_index_key: str = CONVERSATIONS_BY_LAST_EVENT
    conversation_events_prefix: str = CONVERSATION_EVENTS_PREFIX

    # Limits on what an admin can send.
    max_example_chars: int = Field(200, ge=10)
    max_examples_per_language: int = Field(500, ge=1)
    max_response_chars: int = Field(1000, ge=10)
    max_responses_per_language: int = Field(10, ge=1)
    max_yaml_bytes: int = Field(60_000, ge=1000)
    # How many stored conversations the escalation preview replays at most.
    max_preview_conversations: int = Field(500, ge=1)

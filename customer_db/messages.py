"""Texts of the messages the shop sends customers, per language.

Plain text on purpose: the outbox stands in for a mail service, and plain text cannot smuggle
markup into whatever later renders it. Unknown languages fall back to English.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str


_PASSWORD_RESET: dict[str, MessageText] = {
    "en": MessageText(
        subject="Your link to set a new password",
        body=(
            "Hello {first_name},\n"
            "\n"
            "we received a request to reset the password of your customer account {customer_id}.\n"
            "Open the following link within {ttl_minutes} minutes to choose a new password:\n"
            "\n"
            "{url}\n"
            "\n"
            "The link can be used once. If you did not ask for a new password, you can ignore this "
            "e-mail: your current password stays valid.\n"
            "\n"
            "Your customer service team\n"
        ),
    ),
    "de": MessageText(
        subject="Ihr Link zum Festlegen eines neuen Passworts",
        body=(
            "Hallo {first_name},\n"
            "\n"
            "wir haben eine Anfrage erhalten, das Passwort Ihres Kundenkontos {customer_id} "
            "zurückzusetzen.\n"
            "Öffnen Sie innerhalb von {ttl_minutes} Minuten den folgenden Link und wählen Sie ein "
            "neues Passwort:\n"
            "\n"
            "{url}\n"
            "\n"
            "Der Link funktioniert nur ein einziges Mal. Falls Sie kein neues Passwort angefordert "
            "haben, können Sie diese E-Mail ignorieren: Ihr bisheriges Passwort bleibt gültig.\n"
            "\n"
            "Ihr Kundenservice-Team\n"
        ),
    ),
}


def password_reset_message(
    language: str, *, first_name: str, customer_id: str, url: str, ttl_minutes: int
) -> MessageText:
    template = _PASSWORD_RESET.get(language, _PASSWORD_RESET[DEFAULT_LANGUAGE])
    values = {"first_name": first_name, "customer_id": customer_id, "url": url, "ttl_minutes": ttl_minutes}
    return MessageText(subject=template.subject, body=template.body.format(**values))

"""The avatar's tone settings as a service: the expression table and the locale playbooks, read,
checked and replaced through the bridge's internal interface (/internal/tone), applied live."""

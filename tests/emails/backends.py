"""Email backends for tests: they fail the way real providers do."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Fails the first ``failures`` messages with a connection error, then delivers."""

    failures = 0
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


class RefusingBackend(LocmemBackend):
    """The receiving server says the mailbox does not exist."""

    def send_messages(self, messages):
        recipients = {address: (550, b"5.1.1 no such user") for address in messages[0].to}
        raise smtplib.SMTPRecipientsRefused(recipients)

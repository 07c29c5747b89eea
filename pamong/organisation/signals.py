"""Signals other apps listen to without organisation importing them."""

from django.dispatch import Signal

# Sent when a user has just proven their password: at web login (``request``), when an API token is
# issued (``api_token`` and its one-time ``token_secret``), and on a password change
# (``old_password``). Receivers may need the password itself (e.g. to unlock a key), so it is passed
# along and must never be stored or logged.
password_verified = Signal()

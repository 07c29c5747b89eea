"""Authentication for the JSON API: a bearer token, or the browser session (second factor passed)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from pamong.organisation.services import requires_two_factor, user_for_api_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = user_for_api_token(token)
        if user is None:
            return None
        request.user = user
        # Kept in memory for this request only: it unlocks the keys sealed for this token (cases).
        request.api_token_secret = token  # type: ignore[attr-defined]
        return user


class VerifiedSession(SessionAuth):
    """The session of a logged-in user; for roles that need it, only after the second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if requires_two_factor(user) and not user.is_verified():
            return None
        return user


staff_auth = [BearerToken(), VerifiedSession()]

"""Who is asking: the signed session cookie of a browser, or a personal API token."""

from __future__ import annotations

from fastapi import Request

from ontrack.app import accounts
from ontrack.store.accounts import User
from ontrack.web.context import State


class SignInNeeded(Exception):
    """No session and no valid token: pages send the browser to sign in; the API says 401."""


def user_of(request: Request) -> User:
    state: State = request.app.state.ontrack
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        found = (
            accounts.user_for_token(state.engine, token.strip())
            if scheme.lower() == "bearer"
            else None
        )
        if found is None:
            raise SignInNeeded("the API token is not valid: make one with `ontrack token add`")
        return found
    user_id = request.session.get("uid")
    found = accounts.user(state.engine, user_id) if isinstance(user_id, int) else None
    if found is None:
        raise SignInNeeded("sign in first")
    return found

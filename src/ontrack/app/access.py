"""Who may do what on a project: the four roles and what each allows.

A person with no role on a project is told it does not exist (NotFound), so project
names do not leak; a person whose role falls short is told so (Denied).
"""

from __future__ import annotations

from typing import Literal

from ontrack.store import NotFound

Role = Literal["owner", "manager", "member", "client"]
Permission = Literal["see", "see_team", "record", "edit", "grant"]

_TEAM: frozenset[Role] = frozenset({"owner", "manager", "member"})
ALLOWED: dict[Permission, frozenset[Role]] = {
    "see": _TEAM | {"client"},  # the client portal: outcomes, deliverables, milestones
    "see_team": _TEAM,  # tasks, costs, findings, baselines, history, notes
    "record": _TEAM,  # progress on tasks, conversation notes
    "edit": frozenset({"owner", "manager"}),  # anything in the plan; baselines; restore
    "grant": frozenset({"owner"}),  # who has which role
}


class Denied(PermissionError):
    """Signed in with a role on the project, but not one that allows this."""


def require(role: str | None, permission: Permission, project: str) -> Role:
    """The role, if it allows `permission` on `project`; else NotFound or Denied."""
    if role is None:
        raise NotFound(f"no project {project!r}")
    if role not in ALLOWED[permission]:
        roles = " or ".join(sorted(ALLOWED[permission]))
        raise Denied(f"your role on {project!r} is {role}; this needs {roles}")
    return role


def is_team(role: str) -> bool:
    return role in _TEAM

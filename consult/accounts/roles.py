"""Roles, and which roles may do what: the one home of every role list the views use."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """An account's role: admins may do everything, the others act on their own surveys."""

    admin = "admin"
    organizer = "organizer"  # distributes, monitors and exports its surveys
    viewer = "viewer"  # sees counts and aggregated results of its surveys
    enumerator = "enumerator"  # enters answers on behalf of respondents


# Who may do what on a survey they are a member of (admins may do everything, always).
STAFF = (Role.organizer, Role.viewer)  # see counts, results and the summary workbook
ORGANIZERS = (Role.organizer,)  # distribute, import, export raw responses, preview
INTERVIEWERS = (Role.enumerator, Role.organizer)  # enter answers for respondents
MEMBERS = (Role.organizer, Role.viewer, Role.enumerator)  # any part in the survey

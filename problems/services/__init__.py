"""Every write to problems, known errors, suggestions and proposals (CONVENTIONS.md: services own state)."""

from problems.services.lifecycle import (
    EDITABLE_FIELDS,
    problem_create,
    problem_link_incidents,
    problem_publish,
    problem_transition,
    problem_unlink_incident,
    problem_update,
)
from problems.services.proposals import (
    problem_proposal_accept,
    problem_proposal_dismiss,
    problem_proposals_detect,
)
from problems.services.suggestions import (
    clean_draft,
    problem_apply_workaround,
    suggestion_record_deflection,
    suggestions_record_shown,
)

__all__ = [
    "EDITABLE_FIELDS",
    "clean_draft",
    "problem_apply_workaround",
    "problem_create",
    "problem_link_incidents",
    "problem_proposal_accept",
    "problem_proposal_dismiss",
    "problem_proposals_detect",
    "problem_publish",
    "problem_transition",
    "problem_unlink_incident",
    "problem_update",
    "suggestion_record_deflection",
    "suggestions_record_shown",
]

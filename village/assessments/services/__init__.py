"""Writes for self-assessments, one module per subject: rubrics (loading, editing, versions),
cycles (an assessment, its team, submission and reopening), ratings (each member's ratings, the
consensus and its evidence) and plans (goals and steps). Every write is one transaction,
checks before it changes anything, and is audit-logged. Re-exported here
(`from village.assessments import services`)."""

from village.assessments.services.cycles import (
    assessment_create,
    assessment_reopen,
    assessment_submit,
    member_add,
    member_invite,
)
from village.assessments.services.plans import goal_carry, goal_create, step_create, step_update
from village.assessments.services.ratings import (
    consensus_save,
    member_ratings_submit,
    rating_save,
)
from village.assessments.services.rubrics import (
    indicator_edit,
    rubric_as_data,
    rubric_load,
    rubric_replace,
)

__all__ = [
    "assessment_create",
    "assessment_reopen",
    "assessment_submit",
    "consensus_save",
    "goal_carry",
    "goal_create",
    "indicator_edit",
    "member_add",
    "member_invite",
    "member_ratings_submit",
    "rating_save",
    "rubric_as_data",
    "rubric_load",
    "rubric_replace",
    "step_create",
    "step_update",
]

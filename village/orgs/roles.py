"""Roles and what each may do. The one table every permission check reads.

A membership gives a person one role in one organisation; a role's permissions reach that
organisation and everything below it in the tree (a district's staff reach its schools).
Later apps add their permissions here, so who-may-do-what stays readable in one place.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STATE_STAFF = "state_staff", _("State staff")
    DISTRICT_STAFF = "district_staff", _("District family engagement staff")
    SCHOOL_LIAISON = "school_liaison", _("School family liaison")
    TEAM_MEMBER = "team_member", _("Team member")
    REVIEWER = "reviewer", _("Reviewer")
    FAMILY = "family", _("Family")


class Permission(models.TextChoices):
    VIEW_ORGANISATION = "orgs.view_organisation", _("See the organisation's staff pages")
    VIEW_PEOPLE = "orgs.view_people", _("See the people of an organisation")
    MANAGE_MEMBERSHIPS = "orgs.manage_memberships", _("Give and take away roles")
    VIEW_AUDIT_LOG = "orgs.view_audit_log", _("Read the audit log")
    VIEW_FAMILIES = "families.view", _("See family records")
    EDIT_FAMILIES = "families.edit", _("Change family records and log contacts")
    EXPORT_FAMILIES = "families.export", _("Export family data")
    IMPORT_ROSTERS = "families.import", _("Import rosters")
    SEND_MESSAGES = "messaging.send", _("Send messages to families")
    SEND_URGENT_MESSAGES = "messaging.send_urgent", _("Send urgent and emergency messages")
    MANAGE_MESSAGING = "messaging.manage", _("Set quiet hours for messages")
    MANAGE_EVENTS = "events.manage", _("Run events and registrations")
    MANAGE_PROGRAMS = "programs.manage", _("Run programs and applications")
    REVIEW_APPLICATIONS = "programs.review", _("Score applications")
    VIEW_ASSESSMENTS = "assessments.view", _("See self-assessments, results and action plans")
    EDIT_RUBRICS = "assessments.edit_rubrics", _("Write and change self-assessment rubrics")
    RATE_ASSESSMENTS = "assessments.rate", _("Rate the partnership self-assessment")
    MANAGE_ASSESSMENTS = "assessments.manage", _("Run self-assessments and action plans")
    PUBLISH_PORTAL = "portal.publish", _("Write portal pages and publish resources")
    MANAGE_GROUPS = "groups.manage", _("Run affinity groups and advisory councils")
    VIEW_TITLEI = "titlei.view", _("See Title I family engagement evidence")
    MANAGE_TITLEI = "titlei.manage", _("Record Title I family engagement evidence")
    MANAGE_SURVEYS = "surveys.manage", _("Run surveys and read their results")


P = Permission

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.STATE_STAFF: frozenset(
        {
            P.VIEW_ORGANISATION,
            P.VIEW_PEOPLE,
            P.MANAGE_MEMBERSHIPS,
            P.VIEW_AUDIT_LOG,
            P.MANAGE_EVENTS,
            P.MANAGE_PROGRAMS,
            P.MANAGE_ASSESSMENTS,
            P.VIEW_ASSESSMENTS,
            P.EDIT_RUBRICS,
            P.SEND_MESSAGES,
            P.MANAGE_MESSAGING,
            P.PUBLISH_PORTAL,
            P.MANAGE_GROUPS,
            P.VIEW_TITLEI,
            P.MANAGE_SURVEYS,
        }
    ),
    Role.DISTRICT_STAFF: frozenset(
        {
            P.VIEW_ORGANISATION,
            P.VIEW_PEOPLE,
            P.MANAGE_MEMBERSHIPS,
            P.VIEW_AUDIT_LOG,
            P.VIEW_FAMILIES,
            P.EDIT_FAMILIES,
            P.EXPORT_FAMILIES,
            P.IMPORT_ROSTERS,
            P.SEND_MESSAGES,
            P.SEND_URGENT_MESSAGES,
            P.MANAGE_MESSAGING,
            P.MANAGE_EVENTS,
            P.MANAGE_ASSESSMENTS,
            P.VIEW_ASSESSMENTS,
            P.RATE_ASSESSMENTS,
            P.PUBLISH_PORTAL,
            P.MANAGE_GROUPS,
            P.VIEW_TITLEI,
            P.MANAGE_TITLEI,
            P.MANAGE_SURVEYS,
        }
    ),
    Role.SCHOOL_LIAISON: frozenset(
        {
            P.VIEW_ORGANISATION,
            P.VIEW_PEOPLE,
            P.VIEW_FAMILIES,
            P.EDIT_FAMILIES,
            P.SEND_MESSAGES,
            P.MANAGE_EVENTS,
            P.VIEW_ASSESSMENTS,
            P.RATE_ASSESSMENTS,
            P.PUBLISH_PORTAL,
            P.MANAGE_GROUPS,
            P.VIEW_TITLEI,
            P.MANAGE_TITLEI,
            P.MANAGE_SURVEYS,
        }
    ),
    Role.TEAM_MEMBER: frozenset({P.VIEW_ORGANISATION, P.VIEW_ASSESSMENTS, P.RATE_ASSESSMENTS}),
    Role.REVIEWER: frozenset({P.REVIEW_APPLICATIONS}),
    Role.FAMILY: frozenset(),
}

STAFF_ROLES = frozenset(
    {Role.STATE_STAFF, Role.DISTRICT_STAFF, Role.SCHOOL_LIAISON, Role.TEAM_MEMBER, Role.REVIEWER}
)


def roles_granting(permission: str) -> list[str]:
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


# Which kinds of organisation each role belongs in (a liaison works at a school, and so on).
ROLE_PLACES: dict[str, frozenset[str]] = {
    Role.STATE_STAFF: frozenset({"state", "office"}),
    Role.DISTRICT_STAFF: frozenset({"district", "charter"}),
    Role.SCHOOL_LIAISON: frozenset({"school"}),
    Role.TEAM_MEMBER: frozenset({"district", "charter", "school"}),
    Role.REVIEWER: frozenset({"state", "office"}),
    Role.FAMILY: frozenset({"school"}),
}

# Which roles a holder of a role may give to others (within their reach). Family accounts are
# not handed out by staff: families reach Village through their own links.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.STATE_STAFF: frozenset(
        {
            Role.STATE_STAFF,
            Role.DISTRICT_STAFF,
            Role.SCHOOL_LIAISON,
            Role.TEAM_MEMBER,
            Role.REVIEWER,
        }
    ),
    Role.DISTRICT_STAFF: frozenset({Role.DISTRICT_STAFF, Role.SCHOOL_LIAISON, Role.TEAM_MEMBER}),
}

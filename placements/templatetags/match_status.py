"""A match's status as a GOV.UK tag: a tag, not an included template, since long lists show one per row."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from placements.models import MatchStatus as S

register = template.Library()

COLOUR: dict[str, str] = {
    S.CONFIRMED: "green",
    S.COMPLETED: "green",
    S.ACCEPTED: "green",
    S.OFFERED: "yellow",
    S.EMPLOYER_CONFIRMED: "yellow",
    S.PROPOSED: "yellow",
    S.APPROVED: "blue",
    S.REJECTED: "red",
    S.EMPLOYER_DECLINED: "red",
    S.PUPIL_DECLINED: "red",
    S.CANCELLED: "red",
    S.LAPSED: "red",
}


@register.simple_tag
def match_status(status: str, label: str) -> SafeString:
    colour = COLOUR.get(status)
    modifier = f" govuk-tag--{colour}" if colour else ""
    return format_html('<strong class="govuk-tag{}">{}</strong>', modifier, label)

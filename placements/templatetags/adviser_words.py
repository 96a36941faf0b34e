from django import template

from placements.models import MatchRun
from placements.web import adviser_words

register = template.Library()


@register.filter
def policy_words(run: MatchRun) -> str:
    return adviser_words.policy_words(run)

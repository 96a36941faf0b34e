"""A pupil's or employer's answer about one match, posted through a form."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from mobility.accounts.web import AuthedRequest
from mobility.web_forms import submit_form
from placements.lifecycle.exceptions import LifecycleError
from placements.models import Match


def match_answer(
    request: AuthedRequest, form: forms.BaseForm, service: Callable[..., object], match: Match, *, done: str
) -> bool:
    """Record a posted, valid form's answers on ``match`` through a lifecycle ``service`` (given
    the match, the actor and the form's fields): a refusal goes onto the form, success becomes the
    message ``done``. Says whether it went through."""
    return submit_form(
        request,
        form,
        lambda: service(match_id=match.pk, actor=request.user, **form.cleaned_data),
        done=done,
        refusals=(LifecycleError,),
    )

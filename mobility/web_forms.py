"""Forms that render as GOV.UK Design System components (see templates/includes/field.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.http import HttpRequest

from mobility.errors import Conflict

INPUT_CLASS = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
NO_ERROR_MODIFIER = {"govuk-checkboxes__input", "govuk-radios__input"}
# The five-point scale pupils and employers rate a placement on, best first.
RATINGS = [(5, "5: excellent"), (4, "4: good"), (3, "3: all right"), (2, "2: not great"), (1, "1: poor")]
T = TypeVar("T")


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs: dict[str, Any], widget: Any = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        base = INPUT_CLASS.get(self.widget_type, "govuk-input")
        classes = [base]
        if self.errors and base not in NO_ERROR_MODIFIER:
            classes.append(f"{base}--error")
        extra = (widget or self.field.widget).attrs.get("class", "")
        attrs["class"] = " ".join([*classes, extra]).strip()
        return attrs


class GovukMixin:
    """Server-side validation only, so every error reaches the error summary."""

    bound_field_class: type[BoundField] | None = GovukBoundField
    use_required_attribute = False


class GovukForm(GovukMixin, forms.Form):
    pass


class GovukModelForm(GovukMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


class DateField(forms.DateField):
    """A native date picker: keyboard operable, and the value format (YYYY-MM-DD) is unambiguous."""

    widget = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


def error_messages(error: Exception) -> list[str]:
    """A service's ValidationError or domain error as sentences for a person."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(getattr(error, "message", error))]


def add_service_error(form: forms.BaseForm, error: Exception) -> None:
    """Put a service's error on the form: on the field it names when the form has one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
        return
    form.add_error(None, error_messages(error))


def form_step(form: forms.BaseForm, step: Callable[[], T]) -> T | None:
    """Take a service step for a valid form: a refusal goes onto the form's fields (None then)."""
    try:
        return step()
    except ValidationError as error:
        add_service_error(form, error)
        return None


def submit_form(
    request: HttpRequest,
    form: forms.BaseForm,
    step: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    refusals: tuple[type[Exception], ...] = (),
) -> bool:
    """Take a service step for a posted, valid form: a ValidationError (or one of ``refusals``)
    goes onto the form's fields; success becomes the message ``done`` (or ``done(result)``).
    Says whether it went through: redirect then, else show the form again."""
    if request.method != "POST" or not form.is_valid():
        return False
    caught: tuple[type[Exception], ...] = (ValidationError, *refusals)
    try:
        result = step()
    except caught as error:
        add_service_error(form, error)
        return False
    messages.success(request, done if isinstance(done, str) else done(result))
    return True


def text_input(
    label: str, *, max_length: int, missing: str | None = None, help_text: str = "", **options: Any
) -> forms.CharField:
    """One line of text: required when ``missing`` says what to ask for, else optional."""
    return forms.CharField(
        label=label,
        required=missing is not None,
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": missing} if missing else {},
        **options,
    )


def email_input(
    label: str = "Email address", *, missing: str = "Enter an email address", help_text: str = ""
) -> forms.EmailField:
    """An email address, with the GOV.UK wording for a missing or malformed one."""
    return forms.EmailField(
        label=label,
        max_length=254,
        help_text=help_text,
        error_messages={
            "required": missing,
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


def text_area(
    label: str, *, missing: str | None = None, max_length: int = 1000, rows: int = 3, help_text: str = ""
) -> forms.CharField:
    """Free text in a text area: required when ``missing`` says what to ask for, else optional."""
    return forms.CharField(
        label=label,
        required=missing is not None,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": missing} if missing else {},
    )


def radios(
    choices: Any,
    label: str,
    *,
    missing: str | None = None,
    coerce: Callable[[Any], Any] | None = None,
    **options: Any,
) -> forms.ChoiceField:
    """One answer from a set of radios: required when ``missing`` says what to ask for, else
    optional; ``coerce`` turns the chosen value into its type (e.g. ``int``)."""
    kwargs: dict[str, Any] = {
        "choices": choices,
        "widget": forms.RadioSelect,
        "label": label,
        "required": missing is not None,
        "error_messages": {"required": missing} if missing else {},
        **options,
    }
    if coerce is not None:
        return forms.TypedChoiceField(coerce=coerce, **kwargs)
    return forms.ChoiceField(**kwargs)


def attempt(request: HttpRequest, step: Callable[[], object], *, done: str, refused: str = "") -> bool:
    """Take a service step for a page: a refusal becomes an error message (after ``refused``),
    success the message ``done``. Says whether it went through."""
    try:
        step()
    except (Conflict, ValidationError) as error:
        messages.error(request, refused + " ".join(error_messages(error)))
        return False
    messages.success(request, done)
    return True


LAST_DAY_BEFORE_FIRST = "The last day must be the same as or after the first day"


def check_day_order(form: forms.BaseForm, data: dict[str, Any], first: str, last: str) -> None:
    """A last day before the first is an error on the last day's field (as the services say it)."""
    start, end = data.get(first), data.get(last)
    if start and end and end < start:
        form.add_error(last, LAST_DAY_BEFORE_FIRST)


class ColleagueForm(GovukForm):
    """A colleague to invite: they set their own password through the emailed link."""

    first_name = text_input("First name", max_length=150, missing="Enter a first name")
    last_name = text_input("Last name", max_length=150, missing="Enter a last name")
    email = email_input()
    job_title = text_input("Job title (optional)", max_length=120)

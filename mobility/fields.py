"""Model fields more than one app declares the same way."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models


def bounded_text(
    max_length: int, verbose_name: str | None = None, *, blank: bool = True, help_text: str = ""
) -> models.TextField[str, str]:
    """Free text, optional unless ``blank=False``, held to ``max_length`` wherever the record is
    validated (forms, serializers and services all call ``full_clean``)."""
    return models.TextField(
        verbose_name, blank=blank, validators=[MaxLengthValidator(max_length)], help_text=help_text
    )

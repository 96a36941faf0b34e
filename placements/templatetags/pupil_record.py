"""Filters for reading a pupil's record as a page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def field_words(key: str) -> str:
    return str(key).replace("_", " ").capitalize()


@register.filter
def as_text(value: Any) -> str:
    """Lists joined; a change as "field: before → after"."""
    if isinstance(value, dict):
        parts = []
        for name, change in value.items():
            if isinstance(change, list | tuple) and len(change) == 2:
                parts.append(f"{field_words(name)}: {as_text(change[0])} → {as_text(change[1])}")
            else:
                parts.append(f"{field_words(name)}: {as_text(change)}")
        return "; ".join(parts)
    if isinstance(value, list | tuple):
        return ", ".join(as_text(v) for v in value)
    if value is None or value == "":
        return "–"
    return str(value)

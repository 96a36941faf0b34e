"""A JSON parser that refuses bodies nested too deeply to be anything but an attack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def depth_of(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0); no recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, Mapping) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser; nesting past JSON_MAX_DEPTH (or past Python's recursion limit) is a 400."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.JSON_MAX_DEPTH
        too_deep = ParseError(f"JSON parse error - nested deeper than {limit} levels.")
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if depth_of(data) > limit:
            raise too_deep
        return data

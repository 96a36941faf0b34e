"""OpenAPI post-processing: document the error answers every operation can give."""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or non_field_errors) to messages.",
    "additionalProperties": {},
}


def _response(description: str, ref: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Add 400/401/403/404/409 answers (as they apply) to each operation in the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", _ERROR)
    schemas.setdefault("FieldErrors", _FIELD_ERRORS)
    error, fields = "#/components/schemas/Error", "#/components/schemas/FieldErrors"
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", _response("Not signed in (or the credentials are wrong).", error))
            responses.setdefault("403", _response("Not allowed: not signed in, or not for this role.", error))
            if "{" in path or method == "get":
                # Out-of-scope objects answer 404 so ids leak nothing; so does a page past the end.
                responses.setdefault("404", _response("Not found (or not yours to see).", error))
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("409", _response("Conflicts with the current state.", error))
            if method in ("post", "put", "patch") or operation.get("parameters"):
                responses.setdefault("400", _response("Invalid input, with messages per field.", fields))
    return result

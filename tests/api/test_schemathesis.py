"""Property-based checks of the live API against its own OpenAPI schema (Schemathesis).

For every operation, a few generated requests (valid and invalid) are sent to a live
server as each of two roles; every answer must be documented, match its schema and never
be a server error. Bounded: a handful of examples per operation, derandomised.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.core.result import Err

from .conftest import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXAMPLES = 5


def check_operation(operation: Any, mode: GenerationMode, base_url: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        # Left out: ``ignored_auth`` cannot know the token is sent outside the generated
        # credentials (anonymous access is covered by the authorisation matrix), and
        # ``positive_data_acceptance`` cannot know which ids exist, so a reference to a
        # made-up school or region rightly answers 400. For invalid input we ask for no server
        # error and a documented answer, not that every oddity is refused (django-filter
        # ignores an empty query value, for example).
        excluded = [checks.ignored_auth, checks.positive_data_acceptance]
        if mode == GenerationMode.NEGATIVE:
            excluded.append(checks.negative_data_rejection)
        case.call_and_validate(base_url=base_url, headers=headers, excluded_checks=excluded)

    run()


@pytest.mark.parametrize("role", ["admin", "pupil", "employer"])
def test_live_api_conforms_to_its_schema(live_server: Any, role: str) -> None:
    world = build_world()
    token = world.tokens[role]
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    # DRF refuses NUL characters in text (a 400), which JSON Schema cannot express.
    schema.config.generation.update(allow_x00=False)
    failures = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the schema itself is broken
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                check_operation(operation, mode, live_server.url, {"Authorization": f"Token {token}"})
            except Unsatisfiable:
                continue  # e.g. no parameter to make invalid
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}")
                print(failures[-1])
    assert not failures, "\n\n".join(failures)

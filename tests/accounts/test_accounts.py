"""Creating users: one role each, admins alone are staff, emails are case-blind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mobility.accounts.models import Role, User
from tests.factories import (
    PASSWORD,
    CareersAdviserFactory,
    EmployerMemberFactory,
    PupilFactory,
    SchoolStaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.PUPIL, Role.EMPLOYER, Role.SCHOOL_STAFF, Role.ADVISER, Role.ADMIN])
def test_create_user_keeps_the_role_and_grants_no_staff_access(role: str) -> None:
    user = User.objects.create_user("Someone@Example.TEST", "a-long-password", first_name="Sam", role=role)
    user.refresh_from_db()
    assert user.role == role
    assert user.email == "someone@example.test"
    assert not user.is_staff and not user.is_superuser
    assert user.check_password("a-long-password")


def test_create_superuser_is_always_an_admin() -> None:
    user = User.objects.create_superuser(
        "boss@example.test", "a-long-password", first_name="Jo", role=Role.PUPIL
    )
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


def test_a_user_needs_a_role_and_an_email() -> None:
    with pytest.raises(ValidationError) as caught:
        User.objects.create_user("norole@example.test", "a-long-password", first_name="Al")
    assert "role" in caught.value.message_dict
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user("", "a-long-password", first_name="Al", role=Role.PUPIL)
    assert not User.objects.exists()


def test_create_user_refuses_staff_access_for_a_non_admin() -> None:
    with pytest.raises(ValidationError, match="user_only_admins_are_staff"):
        User.objects.create_user(
            "p@example.test", "a-long-password", first_name="P", role=Role.PUPIL, is_staff=True
        )
    assert not User.objects.exists()


def test_an_email_cannot_be_registered_twice_in_another_case() -> None:
    User.objects.create_user("twice@example.test", "a-long-password", first_name="A", role=Role.PUPIL)
    with pytest.raises(ValidationError) as caught:
        User.objects.create_user("TWICE@example.test", "a-long-password", first_name="B", role=Role.PUPIL)
    assert "email" in caught.value.message_dict
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("factory", "role", "profile"),
    [
        (PupilFactory, Role.PUPIL, "pupil"),
        (EmployerMemberFactory, Role.EMPLOYER, "employer_member"),
        (SchoolStaffFactory, Role.SCHOOL_STAFF, "school_staff"),
        (CareersAdviserFactory, Role.ADVISER, "careers_adviser"),
    ],
)
def test_each_role_factory_makes_a_user_of_that_role_with_its_profile(
    factory: type, role: str, profile: str
) -> None:
    made = factory()
    user = User.objects.get(pk=made.user_id)
    assert user.role == role
    assert getattr(user, profile) == made
    assert user.check_password(PASSWORD)


def test_the_admin_factory_makes_a_staff_superuser() -> None:
    user = UserFactory.create(admin=True)
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)

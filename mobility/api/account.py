"""Who am I, and tokens for clients that do not keep a session: issue, list, revoke.

Tokens are django-rest-knox's: only a SHA-512 digest is stored, each expires after
``REST_KNOX["TOKEN_TTL"]``, and signing out of the web pages revokes them all.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mobility.accounts import twofactor
from mobility.permissions import acting_user, employer_id_of, pupil_id_of, role_of, school_ids_of
from mobility.security.lockout import record_failure


class MeSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    role = serializers.CharField()
    pupil_id = serializers.IntegerField(allow_null=True)
    employer_id = serializers.IntegerField(allow_null=True)
    school_ids = serializers.ListField(child=serializers.IntegerField())


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: MeSerializer}, summary="The signed-in user, their role and what it reaches"
    )
    def get(self, request: Request) -> Response:
        user = acting_user(request)
        data = {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": role_of(user),
            "pupil_id": pupil_id_of(user),
            "employer_id": employer_id_of(user),
            "school_ids": school_ids_of(user),
        }
        return Response(MeSerializer(data).data)


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, max_length=200)
    otp_code = serializers.CharField(
        required=False,
        max_length=20,
        help_text=(
            "For an account that signs in with a second factor: the 6-digit code from its "
            "authenticator app now, or one of its recovery codes."
        ),
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    token_key = serializers.CharField(help_text="The token's first characters, to find it in the list.")
    expiry = serializers.DateTimeField(allow_null=True)


class TokenListItemSerializer(serializers.Serializer[Any]):
    token_key = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class TokenView(APIView):
    """Exchange an email and password for an API token (send it as ``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]
    # Listed so that a wrong password answers 401 with WWW-Authenticate; no token is needed here.
    authentication_classes = [TokenAuthentication]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request, username=body.validated_data["email"], password=body.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Email or password is not right.")
        self._check_second_factor(request, user, body.validated_data.get("otp_code", ""))
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if (
            limit is not None
            and AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).count() >= limit
        ):
            raise exceptions.PermissionDenied(
                f"This account already has {limit} API tokens. Revoke one first."
            )
        instance, token = AuthToken.objects.create(user=user)
        return Response({"token": token, "token_key": instance.token_key, "expiry": instance.expiry})

    @staticmethod
    def _check_second_factor(request: Request, user: Any, code: str) -> None:
        """A token is as strong as a web sign-in: an account with a second factor sends its code,
        and one whose role requires it enrols on the website first. Wrong codes count towards the
        sign-in lockout."""
        if not twofactor.needed(user):
            return
        if not twofactor.enrolled(user):
            raise exceptions.PermissionDenied(
                "Your role signs in with two factors. Set up an authenticator app by signing in "
                "on the website, then ask for a token with the code it shows (otp_code)."
            )
        if not code:
            raise exceptions.AuthenticationFailed(
                "This account signs in with two factors: send otp_code, the 6-digit code from "
                "your authenticator app or a recovery code.",
                code="second_factor_required",
            )
        try:
            twofactor.second_factor_check(user=user, code=code)
        except twofactor.SecondFactorRefused as error:
            record_failure(request._request, user.email)
            raise exceptions.AuthenticationFailed(error.message, code=error.code) from error


class TokenListView(APIView):
    """The signed-in user's unexpired API tokens (never the secret part)."""

    @extend_schema(responses={200: TokenListItemSerializer(many=True)}, summary="Your API tokens")
    def get(self, request: Request) -> Response:
        tokens = AuthToken.objects.filter(user=acting_user(request), expiry__gt=timezone.now()).order_by(
            "-created"
        )
        return Response(TokenListItemSerializer(tokens, many=True).data)


class TokenRevokeView(APIView):
    """Revoke one of the signed-in user's API tokens, found by its first characters."""

    @extend_schema(responses={204: None}, summary="Revoke one of your API tokens")
    def delete(self, request: Request, token_key: str) -> Response:
        revoked, _ = AuthToken.objects.filter(user=acting_user(request), token_key=token_key).delete()
        if not revoked:
            raise exceptions.NotFound("You have no API token with this key.")
        return Response(status=204)

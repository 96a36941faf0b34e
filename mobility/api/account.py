"""Who am I, and a token for clients that do not keep a session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mobility.permissions import acting_user, employer_id_of, pupil_id_of, role_of, school_ids_of


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


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class TokenView(APIView):
    """Exchange an email and password for an API token (send it as ``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request, username=body.validated_data["email"], password=body.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Email or password is not right.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

"""Model fields shared by everything that has a place: a postcode and its grid point."""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import models

from mobility.geography import postcodes


class Located(models.Model):
    """A postcode with its British National Grid point (metres) and local authority.

    The grid point is derived from the postcode in `clean()`; it is never typed in.
    """

    postcode = models.CharField(max_length=8)
    easting = models.PositiveIntegerField(editable=False)
    northing = models.PositiveIntegerField(editable=False)
    local_authority_code = models.CharField(max_length=9, editable=False)

    class Meta:
        abstract = True

    def locate(self) -> None:
        try:
            location = postcodes.locate(self.postcode)
        except postcodes.PostcodeError as error:
            raise ValidationError({"postcode": str(error)}) from error
        self.postcode = location.postcode
        self.easting = location.easting
        self.northing = location.northing
        self.local_authority_code = location.local_authority_code

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Tidy spacing first so " ch41 5fn " is not refused for its length.
        self.postcode = " ".join((self.postcode or "").split())
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.locate()

    @property
    def grid_point(self) -> tuple[int, int]:
        return (self.easting, self.northing)

"""Regions, local authorities and sectors.

These tables began in the ``placements`` app and keep its table names, so moving them here
moved no data.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from mobility.accounts.fields import account_of


class Region(models.Model):
    """A combined authority or other area that runs matching for its schools."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    growth_sectors: models.ManyToManyField[Sector, Any] = models.ManyToManyField(
        "Sector",
        blank=True,
        related_name="growth_regions",
        help_text="Sectors the region's industrial strategy names for growth.",
        db_table="placements_region_growth_sectors",
    )

    class Meta:
        db_table = "placements_region"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    code = models.CharField(max_length=9, unique=True, help_text="ONS code, e.g. E08000012.")
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")

    class Meta:
        db_table = "placements_localauthority"
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)
    sic_sections = models.CharField(
        max_length=21, help_text="UK SIC 2007 section letters this sector covers, e.g. 'C' or 'J,M'."
    )

    class Meta:
        db_table = "placements_sector"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionLead(models.Model):
    """A region lead's membership: the one region whose reports they may read."""

    user = account_of("region_lead")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="leads")
    organisation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["region", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} ({self.region})"

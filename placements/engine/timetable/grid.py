"""WGS84 latitude/longitude to British National Grid metres, and back.

GTFS stops are WGS84; everything else in the engine is on the National Grid.
A seven-parameter Helmert shift to OSGB36 then the Ordnance Survey's
Transverse Mercator series: within about 5 m of the OSTN15 grid across
Great Britain, which is ample for walking distances.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._types import F64

# Ellipsoids (semi-major, semi-minor axes in metres).
_GRS80 = (6378137.000, 6356752.3141)
_AIRY = (6377563.396, 6356256.909)
# National Grid projection.
_F0 = 0.9996012717
_LAT0 = np.radians(49.0)
_LON0 = np.radians(-2.0)
_E0 = 400000.0
_N0 = -100000.0
# WGS84 -> OSGB36: translation (m), scale (ppm), rotations (arc seconds).
_TO_OSGB36 = (-446.448, 125.157, -542.060, 20.4894, -0.1502, -0.2470, -0.8421)


def _to_cartesian(lat: F64, lon: F64, axes: tuple[float, float]) -> tuple[F64, F64, F64]:
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    return (
        nu * np.cos(lat) * np.cos(lon),
        nu * np.cos(lat) * np.sin(lon),
        (1 - e2) * nu * np.sin(lat),
    )


def _from_cartesian(x: F64, y: F64, z: F64, axes: tuple[float, float]) -> tuple[F64, F64]:
    a, b = axes
    e2 = 1 - (b * b) / (a * a)
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - e2))
    for _ in range(6):  # converges to well under a millimetre
        nu = a / np.sqrt(1 - e2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + e2 * nu * np.sin(lat), p)
    return lat, np.arctan2(y, x)


def _helmert(x: F64, y: F64, z: F64, sign: float) -> tuple[F64, F64, F64]:
    tx, ty, tz, s, rx, ry, rz = (sign * v for v in _TO_OSGB36)
    s = 1 + s * 1e-6
    rx, ry, rz = (np.radians(r / 3600.0) for r in (rx, ry, rz))
    return (
        tx + s * x - rz * y + ry * z,
        ty + rz * x + s * y - rx * z,
        tz - ry * x + rx * y + s * z,
    )


def _meridional_arc(lat: F64) -> F64:
    a, b = _AIRY
    n = (a - b) / (a + b)
    d, s = lat - _LAT0, lat + _LAT0
    arc: F64 = (
        b
        * _F0
        * (
            (1 + n + 1.25 * n**2 + 1.25 * n**3) * d
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * np.sin(d) * np.cos(s)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * np.sin(2 * d) * np.cos(2 * s)
            - 35 / 24 * n**3 * np.sin(3 * d) * np.cos(3 * s)
        )
    )
    return arc


def _radii(lat: F64) -> tuple[F64, F64, F64]:
    a, b = _AIRY
    e2 = 1 - (b * b) / (a * a)
    w = 1 - e2 * np.sin(lat) ** 2
    nu = a * _F0 / np.sqrt(w)
    rho = a * _F0 * (1 - e2) / w**1.5
    return nu, rho, nu / rho - 1


def osgb36_to_grid(lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[F64, F64]:
    """Transverse Mercator projection of OSGB36 latitude/longitude (degrees)."""
    lat = np.radians(np.asarray(lat_deg, dtype=np.float64))
    dl = np.radians(np.asarray(lon_deg, dtype=np.float64)) - _LON0
    nu, rho, eta2 = _radii(lat)
    sin, cos, tan2 = np.sin(lat), np.cos(lat), np.tan(lat) ** 2
    north = (
        _meridional_arc(lat)
        + _N0
        + nu / 2 * sin * cos * dl**2
        + nu / 24 * sin * cos**3 * (5 - tan2 + 9 * eta2) * dl**4
        + nu / 720 * sin * cos**5 * (61 - 58 * tan2 + tan2**2) * dl**6
    )
    east = (
        _E0
        + nu * cos * dl
        + nu / 6 * cos**3 * (nu / rho - tan2) * dl**3
        + nu / 120 * cos**5 * (5 - 18 * tan2 + tan2**2 + 14 * eta2 - 58 * tan2 * eta2) * dl**5
    )
    return east, north


def grid_to_osgb36(easting: ArrayLike, northing: ArrayLike) -> tuple[F64, F64]:
    """Inverse projection: OSGB36 latitude/longitude (degrees) of grid points."""
    e = np.asarray(easting, dtype=np.float64) - _E0
    n = np.asarray(northing, dtype=np.float64)
    a = _AIRY[0]
    lat = (n - _N0) / (a * _F0) + _LAT0
    for _ in range(10):
        lat = lat + (n - _N0 - _meridional_arc(lat)) / (a * _F0)
    nu, rho, eta2 = _radii(lat)
    tan, sec = np.tan(lat), 1 / np.cos(lat)
    lat = (
        lat
        - tan / (2 * rho * nu) * e**2
        + tan / (24 * rho * nu**3) * (5 + 3 * tan**2 + eta2 - 9 * tan**2 * eta2) * e**4
        - tan / (720 * rho * nu**5) * (61 + 90 * tan**2 + 45 * tan**4) * e**6
    )
    lon = (
        _LON0
        + sec / nu * e
        - sec / (6 * nu**3) * (nu / rho + 2 * tan**2) * e**3
        + sec / (120 * nu**5) * (5 + 28 * tan**2 + 24 * tan**4) * e**5
    )
    return np.degrees(lat), np.degrees(lon)


def wgs84_to_grid(lat_deg: ArrayLike, lon_deg: ArrayLike) -> tuple[F64, F64]:
    """National Grid easting and northing (metres) of WGS84 points (degrees)."""
    lat = np.radians(np.asarray(lat_deg, dtype=np.float64))
    lon = np.radians(np.asarray(lon_deg, dtype=np.float64))
    x, y, z = _helmert(*_to_cartesian(lat, lon, _GRS80), sign=1.0)
    lat36, lon36 = _from_cartesian(x, y, z, _AIRY)
    return osgb36_to_grid(np.degrees(lat36), np.degrees(lon36))


def grid_to_wgs84(easting: ArrayLike, northing: ArrayLike) -> tuple[F64, F64]:
    """WGS84 latitude and longitude (degrees) of National Grid points."""
    lat36, lon36 = grid_to_osgb36(easting, northing)
    x, y, z = _helmert(*_to_cartesian(np.radians(lat36), np.radians(lon36), _AIRY), sign=-1.0)
    lat, lon = _from_cartesian(x, y, z, _GRS80)
    return np.degrees(lat), np.degrees(lon)

"""REST API for applications, matches and match runs (mounted under /api/v1/)."""

"""REST API for employers, their sites, opportunities and compliance records."""

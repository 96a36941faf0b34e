"""REST API for schools, their pupils and work-experience windows."""

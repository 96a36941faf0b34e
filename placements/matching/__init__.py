"""The database side of matching: snapshot in, proposed matches and a report out.

The algorithm itself lives in ``placements.engine`` and never touches Django.
"""

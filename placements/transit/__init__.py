"""Timetable journeys on the database side: importing a feed and reading journeys.

The models live in the kernel (``mobility.transit``) so any app may store or
read them; the planner is the engine's (``placements.engine.timetable``).
"""

"""Pupils' rights over their data: a copy of everything held, erasure, and retention limits."""

"""A match's life after a run: adviser approval, offers, answers, consent, completion.

Every status change goes through ``services``; ``transitions`` holds the one table of
allowed moves. Nothing else writes ``Match.status``.
"""

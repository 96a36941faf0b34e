"""Send unsent outbox rows to the broker: once, or in a loop (a relay process beside beat)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from mobility.outbox import services
from mobility.outbox.selectors import outbox_unsent


class Command(BaseCommand):
    help = "Hand recorded background tasks to the broker, retrying with backoff until it takes them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep relaying until stopped.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes.")

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            close_old_connections()
            try:
                sent = failed = 0
                while True:
                    result = services.outbox_send()
                    sent, failed = sent + result.sent, failed + result.failed
                    if result.failed or not result.sent:
                        break
                waiting = outbox_unsent().count()
                if sent or failed or not loop:
                    self.stdout.write(f"Sent {sent}; broker refused {failed}; {waiting} waiting.")
            except Exception as error:  # a dropped database connection: try again next pass
                if not loop:
                    raise
                self.stderr.write(f"Relay pass failed: {type(error).__name__}: {error}")
            if not loop:
                return
            time.sleep(interval)

"""What the schools app announces for other apps to act on."""

from django.dispatch import Signal

# Sent inside the transaction that records a parent's or carer's answer, with ``pupil``,
# ``status``, ``actor`` and ``now``. A receiver returns the ids of records it changed; an
# error it raises undoes the recording.
consent_recorded = Signal()

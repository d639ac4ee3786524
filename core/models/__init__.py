from .attachments import Attachment
from .audit import AuditRecord
from .feedback import SatisfactionRating
from .heartbeat import WorkerHeartbeat
from .notifications import Notification
from .numbering import NumberSequence
from .ticket import Ticket
from .timeline import TimelineEntry

__all__ = [
    "Attachment",
    "AuditRecord",
    "Notification",
    "NumberSequence",
    "SatisfactionRating",
    "Ticket",
    "TimelineEntry",
    "WorkerHeartbeat",
]

"""Every write of the sla app. Import from here: `from sla.services import sla_clocks_start`."""

from sla.services.clocks import (
    sla_clock_complete,
    sla_clock_reopen,
    sla_clocks_cancel,
    sla_clocks_pause,
    sla_clocks_reprioritize,
    sla_clocks_resume,
    sla_clocks_start,
    sla_team_change,
)
from sla.services.config import calendar_save, calendar_validate, policy_save, sla_config_delete
from sla.services.recompute import sla_recompute_apply, sla_recompute_preview
from sla.services.scan import sla_scan

__all__ = [
    "calendar_save",
    "calendar_validate",
    "policy_save",
    "sla_clock_complete",
    "sla_clock_reopen",
    "sla_clocks_cancel",
    "sla_clocks_pause",
    "sla_clocks_reprioritize",
    "sla_clocks_resume",
    "sla_clocks_start",
    "sla_config_delete",
    "sla_recompute_apply",
    "sla_recompute_preview",
    "sla_scan",
    "sla_team_change",
]

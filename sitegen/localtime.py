"""The sites' time zone: Örebro's. "Today", a date without a time and a time without an
offset are Stockholm time, whatever the zone of the machine that builds or serves."""
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

"""What kinds of publication a source can be, and how each ranks as a record of official figures."""

from __future__ import annotations

from types import MappingProxyType

SOURCE_KINDS = (
    "statistical_bulletin",
    "statistical_release",
    "departmental_release",
    "government_report",
    "government_site",
    "press_release",
    "news_agency_report",
    "news_report",
    "newspaper_feature",
    "secondary_summary",
    "reference_page",
    "blog",
    "printed_gazetteer",
)

# A source's rank as a record of official figures, best first, by its kind: the statistics bureau's
# bulletin, then the government's work report, then a release of a department (a statistics bureau's
# release, a government website, a plan report's office), then anything a medium relays.
SOURCE_TIERS = MappingProxyType(
    {
        "statistical_bulletin": "bulletin",
        "government_report": "work_report",
        "statistical_release": "departmental_release",
        "departmental_release": "departmental_release",
        "government_site": "departmental_release",
        "printed_gazetteer": "departmental_release",
        "press_release": "media_report",
        "news_agency_report": "media_report",
        "news_report": "media_report",
        "newspaper_feature": "media_report",
        "secondary_summary": "media_report",
        "reference_page": "media_report",
        "blog": "media_report",
    }
)
TIER_ORDER = ("bulletin", "work_report", "departmental_release", "media_report")

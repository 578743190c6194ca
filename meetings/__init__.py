"""Everything about SCP meetings: packs (snapshot, rendering, charts), the annual review
and the published scorecard."""

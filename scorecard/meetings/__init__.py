"""Everything about SCP meetings: packs (snapshot, rendering, charts), the annual review,
actions agreed in meetings, and the published scorecard. The models stay in
``scorecard.models`` so the migrations did not move."""

"""SCP meetings and their packs, the annual review, and the public scorecard."""

from django.urls import path

from meetings import public, views

PACK = "meetings/<int:pk>/packs/<int:version>"

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/issue/", views.pack_issue, name="pack_issue"),
    path(f"{PACK}/", views.pack_detail, name="pack_detail"),
    path(f"{PACK}/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path(f"{PACK}/pack.xlsx", views.pack_xlsx, name="pack_xlsx"),
    path(f"{PACK}/retry/", views.pack_retry, name="pack_retry"),
    path(f"{PACK}/publish/", views.pack_publish, name="pack_publish"),
    path("meetings/<int:pk>/theme/", views.meeting_theme, name="meeting_theme"),
    path("meetings/<int:pk>/actions/", views.action_record, name="action_record"),
    path("annual-review/<str:year_slug>/", views.annual_review, name="annual_review"),
    path(
        "annual-review/<str:year_slug>/download.<str:ext>",
        views.annual_review_download,
        name="annual_review_download",
    ),
    # The published scorecard: public, no sign-in
    path("public/", public.scorecard, name="public_scorecard"),
    path("public/scorecard.csv", public.scorecard_csv, name="public_scorecard_csv"),
    path("public/scorecard.json", public.scorecard_json, name="public_scorecard_json"),
    path(
        "public/scorecard.csv-metadata.json",
        public.scorecard_csv_metadata,
        name="public_scorecard_csv_metadata",
    ),
    # Each partnership's, in an installation of several (the paths above are the only
    # partnership's, or the list of those that publish).
    path("public/<slug:slug>/", public.scorecard, name="public_partnership_page"),
    path("public/<slug:slug>/scorecard.csv", public.scorecard_csv, name="public_partnership_csv"),
    path(
        "public/<slug:slug>/scorecard.json",
        public.scorecard_json,
        name="public_partnership_json",
    ),
    path(
        "public/<slug:slug>/scorecard.csv-metadata.json",
        public.scorecard_csv_metadata,
        name="public_partnership_csv_metadata",
    ),
    path("robots.txt", public.robots, name="robots"),
]

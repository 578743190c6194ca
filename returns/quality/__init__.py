"""Data quality before approval, as DHIS2 does it: validation rules over a partner's
figures (``rules``: the grammar and the check, plain Python), outliers against each
figure's own history (``outliers``, plain Python), and ``checks``, which runs both over
the database's figures for the return form, the review queue and
``validation_analysis``."""

"""The pack's charts are scaled as the screen scales them: to the figures' own range, so
two years of a count near 2,000 fill the chart instead of a thin band at its top."""

from meetings.charts import quarterly_chart, xmr_chart

ASB_LIKE = [1864, 1931, 2010, 1950, 1892, 1988, 2076, 1903]  # two financial years


def snapshot_item(values, **extra) -> dict:
    history = [
        {
            "year": 2018 + i // 4,
            "quarter": i % 4 + 1,
            "label": f"{2018 + i // 4}-{(19 + i // 4) % 100:02d} Q{i % 4 + 1}",
            "value": str(v),
        }
        for i, v in enumerate(values)
    ]
    return {
        "name": "Anti-social behaviour incidents",
        "measure": "count",
        "unit": "incidents",
        "period": history[-1]["label"],
        "rag": "red",
        "rag_label": "Red",
        "history": history,
        **extra,
    }


def filled_share(chart, values) -> float:
    """How much of the y axis the figures take up."""
    return (max(values) - min(values)) / (chart.ticks[-1] - chart.ticks[0])


def test_the_quarterly_chart_starts_near_its_figures_not_at_zero():
    chart = quarterly_chart(snapshot_item(ASB_LIKE, target_quarter="1900"))
    assert 0 < chart.ticks[0] <= min(ASB_LIKE)
    assert chart.ticks[-1] > max(ASB_LIKE)
    assert filled_share(chart, ASB_LIKE) > 0.5


def test_a_count_near_zero_never_gets_an_axis_below_zero():
    small = [3, 1, 4, 2, 5, 0, 2, 1]
    chart = quarterly_chart(snapshot_item(small))
    assert chart.ticks[0] == 0


def test_the_target_line_stays_in_view():
    chart = quarterly_chart(snapshot_item(ASB_LIKE, target_quarter="1500"))
    assert chart.ticks[0] <= 1500 < min(ASB_LIKE)


def test_the_spc_chart_is_scaled_to_its_points_and_limits():
    series = [{"label": f"Q{i}", "value": str(v), "kind": "common"} for i, v in enumerate(ASB_LIKE)]
    item = snapshot_item(
        ASB_LIKE, spc_series=series, spc_mean="1952", spc_upper="2150", spc_lower="1754"
    )
    chart = xmr_chart(item)
    assert 1600 <= chart.ticks[0] <= 1754 and chart.ticks[-1] >= 2150

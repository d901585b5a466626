"""Rules that must hold for every date of receipt, not just the worked examples."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from plaintes_tui.domain.deadlines import DeadlineCalculator, DeadlineRules

RULES = DeadlineRules()
MON_FRI = DeadlineCalculator(RULES)
MON_SAT = DeadlineCalculator(DeadlineRules(working_week="mon-sat"))
receipts = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
month_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31))


@given(receipts)
def test_acknowledgement_due_is_a_working_day_n_working_days_later(received: date) -> None:
    due = MON_FRI.acknowledgement_due(received)
    assert MON_FRI.calendar.is_working_day(due)
    working = sum(
        MON_FRI.calendar.is_working_day(received + timedelta(days=i))
        for i in range(1, (due - received).days + 1)
    )
    assert working == RULES.acknowledgement_working_days


@given(receipts)
def test_reply_due_is_never_before_n_calendar_days(received: date) -> None:
    due = MON_FRI.reply_due(received)
    raw = received + timedelta(days=RULES.reply_calendar_days)
    assert due >= raw
    assert MON_FRI.calendar.is_working_day(due)
    assert all(
        not MON_FRI.calendar.is_working_day(raw + timedelta(days=i))
        for i in range((due - raw).days)
    )


@given(receipts)
def test_due_dates_do_not_decrease_with_the_date_of_receipt(received: date) -> None:
    later = received + timedelta(days=1)
    assert MON_FRI.acknowledgement_due(later) >= MON_FRI.acknowledgement_due(received)
    assert MON_FRI.reply_due(later) >= MON_FRI.reply_due(received)


@given(receipts)
def test_monday_to_saturday_is_never_later(received: date) -> None:
    assert MON_SAT.acknowledgement_due(received) <= MON_FRI.acknowledgement_due(received)
    assert MON_SAT.reply_due(received) <= MON_FRI.reply_due(received)


@settings(max_examples=50)
@given(receipts, month_days)
def test_a_new_closure_day_never_makes_a_deadline_earlier(received: date, extra: date) -> None:
    closed = DeadlineCalculator(
        DeadlineRules(closure_days=(*RULES.closure_days, extra.strftime("%m-%d")))
    )
    assert closed.acknowledgement_due(received) >= MON_FRI.acknowledgement_due(received)
    assert closed.reply_due(received) >= MON_FRI.reply_due(received)

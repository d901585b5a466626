from datetime import date, time

import pytest

from plaintes_tui.domain.calendar import DayOffKind, WorkingCalendar, parse_month_day
from plaintes_tui.domain.deadlines import (
    Band,
    DeadlineCalculator,
    DeadlineRules,
    ReceiptOnDayOff,
    ReplyPause,
    paused_days,
)
from plaintes_tui.i18n import speaking

calculator = DeadlineCalculator()


@pytest.mark.parametrize(
    ("received", "acknowledgement", "reply"),
    [
        # The worked examples of the domain notes.
        (date(2026, 12, 18), date(2026, 12, 28), date(2027, 1, 18)),
        (date(2026, 12, 24), date(2027, 1, 4), date(2027, 1, 25)),
        (date(2026, 11, 10), date(2026, 11, 18), date(2026, 12, 10)),
        (date(2027, 11, 10), date(2027, 11, 19), date(2027, 12, 10)),
    ],
)
def test_worked_examples(received: date, acknowledgement: date, reply: date) -> None:
    clocks = calculator.clocks(received)
    assert clocks.acknowledgement_due == acknowledgement
    assert clocks.reply_due == reply


def test_legal_holidays_are_the_ten_public_ones_not_the_bank_ones() -> None:
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not cal.is_working_day(date(2026, 5, 14))  # Ascension
    assert not cal.is_working_day(date(2026, 7, 21))  # national day
    assert cal.is_working_day(date(2026, 4, 3))  # Good Friday is a bank holiday only
    assert cal.is_working_day(date(2026, 5, 15))  # nor is the Friday after Ascension


def test_the_legal_holidays_are_the_holidays_packages_from_1975_to_2100() -> None:
    import holidays

    from plaintes_tui.domain.calendar import legal_holidays

    public = holidays.country_holidays("BE", categories=("public",), years=range(1975, 2101))
    for year in range(1975, 2101):
        weekday_dates = {d for d in public if d.year == year and d.weekday() != 6}
        assert {d for d in legal_holidays(year) if d.weekday() != 6} == weekday_dates, year


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "Jour de l'Armistice"), ("nl", "Wapenstilstand"), ("de", "Waffenstillstand")],
)
def test_day_off_names_the_holiday_in_the_readers_language(language: str, name: str) -> None:
    calendar = WorkingCalendar()
    with speaking(language):
        off = calendar.day_off(date(2026, 11, 11))
    assert off is not None
    assert off.kind is DayOffKind.HOLIDAY
    assert off.name == name


def test_closure_days_and_dates_are_days_off() -> None:
    cal = WorkingCalendar(closure_days=[(11, 2)], closure_dates=[date(2027, 5, 7)])
    monday_2_nov = cal.day_off(date(2026, 11, 2))
    assert monday_2_nov is not None and monday_2_nov.kind is DayOffKind.CLOSURE
    assert not cal.is_working_day(date(2027, 5, 7))
    assert cal.is_working_day(date(2026, 5, 7))


def test_bridge_day_moves_the_acknowledgement() -> None:
    plain = DeadlineCalculator(DeadlineRules())
    bridged = DeadlineCalculator(DeadlineRules(closure_dates=(date(2027, 5, 7),)))
    # Thursday 6 May 2027 is Ascension; Friday 7 May a bridge day.
    assert plain.acknowledgement_due(date(2027, 5, 4)) == date(2027, 5, 12)
    assert bridged.acknowledgement_due(date(2027, 5, 4)) == date(2027, 5, 13)


def test_monday_to_saturday_week_counts_saturdays() -> None:
    mon_sat = DeadlineCalculator(DeadlineRules(working_week="mon-sat"))
    # Friday 4 Dec 2026: Sat 5, Mon 7, Tue 8, Wed 9, Thu 10.
    assert mon_sat.acknowledgement_due(date(2026, 12, 4)) == date(2026, 12, 10)
    assert calculator.acknowledgement_due(date(2026, 12, 4)) == date(2026, 12, 11)


def test_a_reply_due_on_a_saturday_moves_whatever_the_working_week() -> None:
    """Judicial Code art. 53: a deadline ending on a Saturday, a Sunday or a legal holiday
    moves to the next day that is none of them — with a Monday-to-Saturday week too."""
    mon_sat = DeadlineCalculator(DeadlineRules(working_week="mon-sat"))
    # Received Thursday 5 March 2026: day 30 is Saturday 4 April; Sunday 5 is Easter, Monday
    # 6 Easter Monday: the reply is due Tuesday 7 April (the acknowledgement counts Saturdays).
    assert mon_sat.reply_due(date(2026, 3, 5)) == date(2026, 4, 7)
    assert mon_sat.acknowledgement_due(date(2026, 3, 5)) == date(2026, 3, 11)
    assert calculator.reply_due(date(2026, 3, 5)) == date(2026, 4, 7)


def test_a_reply_due_on_a_closure_day_moves_when_the_service_says_so() -> None:
    # Received Wednesday 26 November 2025: day 30 is Friday 26 December, a closure day.
    assert calculator.reply_due(date(2025, 11, 26)) == date(2025, 12, 29)
    stays = DeadlineCalculator(DeadlineRules(reply_moves_on_closure_days=False))
    assert stays.reply_due(date(2025, 11, 26)) == date(2025, 12, 26)
    # ...while the acknowledgement still skips it: 22, 23, 24, 29, 30 December.
    assert stays.acknowledgement_due(date(2025, 12, 19)) == date(2025, 12, 30)


def test_reply_not_rolled_forward_when_the_setting_is_off() -> None:
    raw = DeadlineCalculator(DeadlineRules(roll_forward=False))
    assert raw.reply_due(date(2026, 12, 18)) == date(2027, 1, 17)  # a Sunday


def test_durations_are_settings() -> None:
    dutch_page = DeadlineCalculator(DeadlineRules(acknowledgement_working_days=10))
    assert dutch_page.acknowledgement_due(date(2026, 11, 10)) == date(2026, 11, 25)


def test_receipt_on_a_day_off_can_count_from_the_next_working_day() -> None:
    policy = DeadlineCalculator(DeadlineRules(receipt_on_day_off=ReceiptOnDayOff.NEXT_WORKING_DAY))
    saturday = date(2026, 12, 5)
    assert calculator.acknowledgement_due(saturday) == date(2026, 12, 11)
    clocks = policy.clocks(saturday)
    assert clocks.received == saturday
    # Deemed received Monday 7, a day of receipt is not counted: Tuesday 8 to Monday 14.
    assert clocks.acknowledgement_due == date(2026, 12, 14)
    assert clocks.reply_due == date(2027, 1, 6)


def test_after_hours_receipt_counts_from_the_next_working_day() -> None:
    policy = DeadlineCalculator(
        DeadlineRules(
            receipt_on_day_off=ReceiptOnDayOff.NEXT_WORKING_DAY, office_closes_at=time(17, 0)
        )
    )
    friday = date(2026, 12, 4)
    assert policy.clocks(friday, time(16, 59)).acknowledgement_due == date(2026, 12, 11)
    assert policy.clocks(friday, time(17, 30)).acknowledgement_due == date(2026, 12, 14)


class TestBands:
    due = date(2026, 12, 10)  # a Thursday

    def test_sent_on_time_or_late(self) -> None:
        assert calculator.band(self.due, date(2026, 12, 10), date(2027, 1, 1)) is Band.MET
        assert calculator.band(self.due, date(2026, 12, 11), date(2027, 1, 1)) is Band.MET_LATE

    def test_overdue_the_day_after(self) -> None:
        assert calculator.band(self.due, None, date(2026, 12, 11)) is Band.OVERDUE

    def test_due_soon_counts_working_days_with_today_as_zero(self) -> None:
        assert calculator.band(self.due, None, date(2026, 12, 10)) is Band.DUE_SOON  # 0 left
        assert calculator.band(self.due, None, date(2026, 12, 8)) is Band.DUE_SOON  # 2 left
        assert calculator.band(self.due, None, date(2026, 12, 7)) is Band.ON_TRACK  # 3 left

    def test_weekend_does_not_count_towards_due_soon(self) -> None:
        monday = date(2026, 12, 14)
        assert calculator.band(monday, None, date(2026, 12, 10)) is Band.DUE_SOON  # Fri, Mon
        assert calculator.band(monday, None, date(2026, 12, 9)) is Band.ON_TRACK

    def test_warning_window_is_a_setting(self) -> None:
        strict = DeadlineCalculator(DeadlineRules(warning_working_days=0))
        assert strict.band(self.due, None, date(2026, 12, 9)) is Band.ON_TRACK
        assert strict.band(self.due, None, date(2026, 12, 10)) is Band.DUE_SOON


def test_pause_moves_the_reply_by_the_paused_calendar_days() -> None:
    received = date(2026, 11, 10)
    pauses = [
        ReplyPause(date(2026, 11, 20), date(2026, 11, 27), "attente du numéro de dossier"),
        ReplyPause(date(2026, 12, 1), None, "attente de pièces"),
    ]
    assert paused_days(pauses, today=date(2026, 12, 4)) == 7 + 3
    original = calculator.reply_due(received)
    adjusted = calculator.reply_due(received, paused=10)
    assert original == date(2026, 12, 10)
    assert adjusted == date(2026, 12, 21)  # 20 Dec is a Sunday: rolled to Monday


def test_explain_lists_what_was_skipped() -> None:
    explanation = calculator.explain(date(2026, 11, 10))
    skipped = [(off.day, off.kind) for off in explanation.acknowledgement_skipped]
    assert skipped == [
        (date(2026, 11, 11), DayOffKind.HOLIDAY),
        (date(2026, 11, 14), DayOffKind.WEEKEND),
        (date(2026, 11, 15), DayOffKind.WEEKEND),
    ]
    rolled = calculator.explain(date(2026, 12, 18)).reply_rolled_over
    assert [off.day for off in rolled] == [date(2027, 1, 17)]


def test_calendar_grows_over_any_span_of_years() -> None:
    cal = WorkingCalendar()
    assert cal.add_working_days(date(2026, 11, 10), 1) == date(2026, 11, 12)
    assert cal.add_working_days(date(1990, 1, 1), 1) == date(1990, 1, 2)
    assert cal.working_days_between(date(1990, 1, 1), date(2030, 1, 1)) > 10_000
    assert cal.add_working_days(date(2026, 1, 1), 2000) > date(2033, 1, 1)
    assert cal.working_days_between(date(2026, 11, 18), date(2026, 11, 10)) == -5


@pytest.mark.parametrize("text", ["13-01", "02-30", "2-1", "1102", "", "aa-bb"])
def test_month_day_rejects_what_is_not_mm_dd(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month_day(text)

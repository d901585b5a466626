"""`plaintes report`: the yearly figures, as Markdown, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from plaintes_tui.commands.base import EXIT_OK, Context, int_between, parse_date_option
from plaintes_tui.commands.progress import working
from plaintes_tui.domain.access import Job
from plaintes_tui.domain.cases import ACTION_REDACTED
from plaintes_tui.domain.services import Service, named
from plaintes_tui.errors import UserError
from plaintes_tui.i18n import interface_language, month_name, percent, short_date, tr, tr_or
from plaintes_tui.printable import one_line
from plaintes_tui.store.report import UNCLASSIFIED, Period, Report, build_report


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "report",
        help=tr("help.command.report"),
        description=tr("help.about.report"),
    )
    parser.add_argument(
        "--year",
        type=int_between(1000, 9998),
        metavar="YYYY",
        help=tr("help.report.year"),
    )
    parser.add_argument("--from", dest="start", metavar="DATE", help=tr("help.report.from"))
    parser.add_argument("--to", dest="end", metavar="DATE", help=tr("help.report.to"))
    parser.add_argument("--format", choices=("md", "csv", "json"), default="md")
    parser.add_argument("--today", metavar="DATE", help=tr("help.report.today"))
    parser.set_defaults(handler=run, job=Job.READ)


def period_from(args: argparse.Namespace, today: date) -> Period:
    if args.year is not None and (args.start or args.end):
        raise UserError(tr("report.year_or_dates"))
    if args.start or args.end:
        if not (args.start and args.end):
            raise UserError(tr("report.both_dates"))
        period = Period(parse_date_option(args.start), parse_date_option(args.end))
        if period.end < period.start:
            raise UserError(tr("report.dates_reversed"))
        return period
    return Period.year(args.year or today.year)


def run(context: Context, args: argparse.Namespace) -> int:
    today = parse_date_option(args.today) if args.today is not None else context.settings.today()
    period = period_from(args, today)
    with context.open_store() as store, working(tr("progress.report")):
        report = build_report(store, period, today)
    out = sys.stdout
    if args.format == "json":
        json.dump(report, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["figure", "value"])
        writer.writerows(flatten(report))
    else:
        service = context.settings.service.in_language(interface_language())[0].name
        out.write(markdown(report, service, context.settings.services))
    return EXIT_OK


def flatten(report: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``by_channel.phone``, ``outcomes.file_handling.founded``… one figure a row."""
    for key, value in report.items():
        if isinstance(value, dict):
            yield from flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", "" if value is None else value


def _cell(text: str) -> str:
    """Free text in one Markdown table cell: one line, no column break."""
    return one_line(text).replace("|", "\\|")


def _days(value: int | None) -> str:
    return "—" if value is None else tr("report.days", days=value)


def _table(header: list[str], rows: Iterable[list[object]], *, text_columns: int = 1) -> list[str]:
    """A Markdown table: the first ``text_columns`` columns left-aligned, numbers right."""
    numbers = len(header) - text_columns
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * text_columns + "---:|" * numbers,
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


def _title(report: Report, service: str) -> list[str]:
    start = date.fromisoformat(report["period"]["from"])
    end = date.fromisoformat(report["period"]["to"])
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    title = (
        tr("report.title", service=service, year=start.year)
        if whole_year
        else tr(
            "report.title_period", service=service, start=short_date(start), end=short_date(end)
        )
    )
    today = short_date(date.fromisoformat(report["as_of"]))
    period = tr("report.period", start=short_date(start), end=short_date(end), today=today)
    return [f"# {title}", "", period, ""]


def _received(report: Report) -> list[str]:
    channels = list(report["by_channel"])
    count = tr("report.count")
    return [
        f"## {tr('report.received')}",
        "",
        tr(
            "report.received_total",
            total=report["received_total"],
            complaints=report["complaints_received"],
            others=report["non_complaints_received"],
            anonymous=report["anonymous_received"],
        ),
        tr(
            "report.out_of_scope_line",
            inadmissible=report["inadmissible_total"],
            forwarded=report["forwarded_other_institution"],
        ),
        "",
        *_table(
            [tr("report.channel"), count],
            ([tr(f"channel.{k}"), v] for k, v in report["by_channel"].items()),
        ),
        "",
        *_table(
            [tr("report.month"), *(tr(f"channel.{k}") for k in channels), tr("report.total")],
            (
                [month_name(month), *(counts[k] for k in channels), counts["total"]]
                for month, counts in report["by_month"].items()
            ),
        ),
        "",
        *_table(
            [tr("report.category"), count],
            ([tr_or(f"category.{k}", k), v] for k, v in report["by_category"].items()),
        ),
        "",
        *_table(
            [tr("report.language"), count],
            ([tr(f"language_name.{k}"), v] for k, v in report["by_language"].items()),
        ),
        "",
    ]


def _services(report: Report, services: Sequence[Service]) -> list[str]:
    """Cases received by the part of the FPS they are about."""
    language = interface_language()
    return [
        *_table(
            [tr("report.service"), tr("report.count")],
            (
                [named(services, code, language) if code else tr("report.no_service"), count]
                for code, count in report["by_service"].items()
            ),
        ),
        "",
    ]


def _decisions(report: Report) -> list[str]:
    outcomes = list(next(iter(report["outcomes"].values())))
    return [
        f"## {tr('report.admissibility')}",
        "",
        *_table(
            [tr("report.decision"), tr("report.count")],
            (
                [tr(f"admissibility.{k}") if k != "not_checked" else tr("report.not_checked"), v]
                for k, v in report["admissibility"].items()
            ),
        ),
        "",
        f"## {tr('report.outcomes')}",
        "",
        *_table(
            [tr("report.category"), *(tr(f"outcome.{o}") for o in outcomes)],
            (
                [
                    tr(f"network.{c}") if c != UNCLASSIFIED else tr("report.unclassified"),
                    *counts.values(),
                ]
                for c, counts in report["outcomes"].items()
            ),
        ),
        "",
    ]


def _deadlines(report: Report) -> list[str]:
    return [
        f"## {tr('report.deadlines')}",
        "",
        tr(
            "report.ack_line",
            pct=percent(report["acknowledged_within_deadline_pct"]),
            done=report["acknowledgements_due"],
            median=_days(report["days_to_acknowledge"]["median"]),
            p90=_days(report["days_to_acknowledge"]["p90"]),
        ),
        tr(
            "report.reply_line",
            pct=percent(report["replied_within_deadline_pct"]),
            raw=percent(report["replied_within_deadline_raw_pct"]),
            done=report["replies_due"],
            median=_days(report["days_to_reply"]["median"]),
            p90=_days(report["days_to_reply"]["p90"]),
        ),
        "",
    ]


def _second_line(report: Report) -> list[str]:
    """The Ombudsman's requests and conclusions, each by its own date."""
    figures = report["second_line"]
    conclusions = ", ".join(
        f"{tr(f'ombudsman_conclusion.{code}')} {count}"
        for code, count in figures["conclusions"].items()
    )
    return [
        tr(
            "report.ombudsman_requests_line",
            requests=figures["requests"],
            on_time=figures["answered_on_time"],
            late=figures["answered_late"],
            unanswered=figures["unanswered"],
            overdue=figures["unanswered_overdue"],
        ),
        tr(
            "report.ombudsman_conclusions_line",
            conclusions=conclusions,
            recommendations=figures["recommendations"],
        ),
    ]


def _actions(report: Report, services: Sequence[Service]) -> list[str]:
    """The improvement actions alive in the period: each with its status, then counted."""
    actions = report["improvements"]
    if not actions["list"]:
        return []
    language = interface_language()

    def service(code: str) -> str:
        return named(services, code, language) if code else tr("report.no_service")

    return [
        f"## {tr('report.actions')}",
        "",
        *_table(
            [
                tr("report.action_reference"),
                tr("report.action"),
                tr("report.service"),
                tr("report.action_status"),
                tr("report.action_due"),
                tr("report.action_cases"),
            ],
            (
                [
                    item["reference"],
                    _cell(item["title"]),
                    _cell(service(item["service"])),
                    tr(f"improvement_status.{item['status']}"),
                    short_date(date.fromisoformat(item["due"])) if item["due"] else "—",
                    item["cases"],
                ]
                for item in actions["list"]
            ),
            text_columns=5,
        ),
        "",
        tr(
            "report.actions_by_status",
            counts=", ".join(
                f"{tr(f'improvement_status.{code}')} {count}"
                for code, count in actions["by_status"].items()
            ),
        ),
        tr(
            "report.actions_by_service",
            counts=", ".join(
                f"{service(code)} {count}" for code, count in actions["by_service"].items()
            ),
        ),
        "",
    ]


def _follow_up(report: Report) -> list[str]:
    lines = [
        f"## {tr('report.follow_up')}",
        "",
        tr("report.open_line", open=report["open"], overdue=report["overdue"]),
        tr("report.ombudsman_line", count=report["ombudsman"]),
        *_second_line(report),
        tr("report.improvement_line", count=report["improvement_actions"]),
        "",
    ]
    actions = report["improvement_action_list"]
    if actions:
        lines += _table(
            [tr("report.case"), tr("report.network"), tr("report.action")],
            (
                [
                    item["reference"],
                    tr_or("network." + item["category"], tr("report.unclassified")),
                    _cell(
                        tr("report.action_redacted")
                        if item["action"] == ACTION_REDACTED
                        else item["action"]
                    ),
                ]
                for item in actions
            ),
            text_columns=3,
        )
        lines.append("")
    return lines


def _agents(report: Report) -> list[str]:
    unassigned = report["unassigned"]
    agents = report["per_agent"].items()
    return [
        f"## {tr('report.per_agent')}",
        "",
        *_table(
            [tr("report.agent"), tr("report.handled"), tr("report.overdue")],
            [
                *([one_line(a), v["handled"], v["overdue"]] for a, v in agents),
                [tr("report.unassigned"), unassigned["handled"], unassigned["overdue"]],
            ],
        ),
        "",
    ]


def markdown(report: Report, service: str, services: Sequence[Service] = ()) -> str:
    """The page a complaint coordinator pastes into the yearly report, section by section
    (``services``: the settings' list, naming the services concerned)."""
    sections = (
        _title(report, service),
        _received(report),
        _services(report, services),
        _decisions(report),
        _deadlines(report),
        _follow_up(report),
        _actions(report, services),
        _agents(report),
    )
    return "\n".join(line for section in sections for line in section)

"""The queue as a list to print or mail: an aligned table, CSV for a spreadsheet, or a PDF
(landscape A4, the header on every page) — the same columns everywhere: reference, received,
channel, complainant, agent, status, both due dates and how many days late."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from plaintes_tui.domain.deadlines import DeadlineCalculator
from plaintes_tui.filter_words import filter_parts
from plaintes_tui.i18n import short_date, tr
from plaintes_tui.printable import one_line, shortened
from plaintes_tui.store.queue import QueueFilter, QueueRow


@dataclass(frozen=True)
class ListLine:
    reference: str
    received: str
    channel: str
    complainant: str
    agent: str
    status: str
    acknowledgement: str
    reply: str
    days_late: int  # 0: on time


COLUMNS = (
    "reference",
    "received",
    "channel",
    "complainant",
    "agent",
    "status",
    "acknowledgement",
    "reply",
    "days_late",
)


def headers() -> list[str]:
    return [tr(f"queue_list.{column}") for column in COLUMNS]


def lines_of(
    rows: Sequence[QueueRow],
    calculator: DeadlineCalculator,
    today: date,
    name_of: Callable[[str], str],
) -> list[ListLine]:
    """The rows as the list shows them: dates, words, the agent's name, the days late."""
    lines = []
    for row in rows:
        ack_band = row.acknowledgement_band(calculator, today)
        reply_band = row.reply_band(calculator, today)
        ack = f"{short_date(row.clocks.acknowledgement_due)} {tr('band.' + ack_band.value)}"
        reply = (
            f"{short_date(row.clocks.reply_due)} {tr('band.' + reply_band.value)}"
            if row.clocks.reply_due and reply_band
            else "—"
        )
        if row.reply_due_original and row.clocks.reply_due != row.reply_due_original:
            reply += " *"  # moved by a pause: the original date is in the case
        ombudsman_band = row.clocks.ombudsman_band(calculator, today)
        if row.ombudsman_first and row.clocks.ombudsman_due and ombudsman_band:
            reply = (
                f"{tr('queue.ombudsman')} {short_date(row.clocks.ombudsman_due)} "
                f"{tr('band.' + ombudsman_band.value)}"
            )
        lines.append(
            ListLine(
                reference=row.reference,
                received=short_date(row.received),
                channel=tr("channel." + row.channel),
                complainant=one_line(row.complainant or tr("queue_screen.anonymous")),
                agent=one_line(name_of(row.assigned_to)) if row.assigned_to else "—",
                status=tr("status." + row.status),
                acknowledgement=ack,
                reply=reply,
                days_late=max(0, (today - row.next_due).days),
            )
        )
    return lines


def describe(
    flt: QueueFilter,
    name_of: Callable[[str], str],
    me: str | None = None,
    service_name: Callable[[str], str] = str,
) -> str:
    """What a list holds, in words (the filter line, a PDF's subtitle)."""
    parts = filter_parts(flt, name_of, me, service_name)
    return " · ".join(parts) or tr("queue_screen.filter_none")


def _cells(line: ListLine) -> list[str]:
    late = f"+{line.days_late}" if line.days_late else ""
    return [
        line.reference,
        line.received,
        line.channel,
        line.complainant,
        line.agent,
        line.status,
        line.acknowledgement,
        line.reply,
        late,
    ]


def table_text(lines: Sequence[ListLine]) -> str:
    """An aligned table with its header, for a terminal or a text file."""
    rows = [headers(), *(_cells(line) for line in lines)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    widths[3] = min(widths[3], 30)  # a long name is cut (ending in …), not the table widened
    out = []
    for row in rows:
        cells = [shortened(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row)]
        cells[-1] = row[-1].rjust(widths[-1])
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def write_csv(lines: Sequence[ListLine], out: TextIO) -> None:
    """CSV for a spreadsheet; a cell starting like a formula is shown as typed."""
    writer = csv.writer(out)
    writer.writerow(headers())
    for line in lines:
        cells = _cells(line)
        cells[-1] = str(line.days_late)
        writer.writerow(
            [
                f"'{c}" if c[:1] in ("=", "+", "-", "@") and i != 8 else c
                for i, c in enumerate(cells)
            ]
        )


_PDF_WIDTHS = (27, 19, 20, 46, 32, 34, 35, 35, 17)  # mm, landscape A4 less the margins


def write_list(
    lines: Sequence[ListLine],
    path: Path,
    *,
    today: date,
    flt: QueueFilter,
    name_of: Callable[[str], str],
    service: str,
    service_name: Callable[[str], str] = str,
) -> Path:
    """The list as a PDF titled with its day and count, saying what it holds and whose."""
    title = tr("queue_list.title", day=short_date(today), count=len(lines))
    what = describe(flt, name_of, service_name=service_name)
    subtitle = tr("queue_list.subtitle", what=what, service=service)
    return write_pdf(lines, path, title=title, subtitle=subtitle)


def write_both(
    lines: Sequence[ListLine],
    folder: Path,
    now: datetime,
    *,
    flt: QueueFilter,
    **pdf: Any,
) -> tuple[Path, Path]:
    """The list as a PDF to print (``write_list``'s other arguments) and a CSV for a
    spreadsheet, side by side in ``folder``, named for when it was made and what it holds."""
    stem = list_name(now, "en-retard" if flt.overdue_only else "dossiers")
    pdf_path = write_list(lines, folder / f"{stem}.pdf", flt=flt, **pdf)
    csv_path = folder / f"{stem}.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        write_csv(lines, out)
    return pdf_path, csv_path


def write_pdf(lines: Sequence[ListLine], path: Path, *, title: str, subtitle: str) -> Path:
    """Landscape A4 with the title, what the list holds, and the header on every page."""
    from fpdf import FPDF

    from plaintes_tui.domain.letters import FONTS  # the letters' fonts, loaded with the PDF

    class ListPdf(FPDF):
        def header(self) -> None:
            self.set_font("List", "B", 12)
            self.multi_cell(0, 7, title, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_font("List", "", 8)  # what the list holds, wrapped: never past the edge
            self.multi_cell(0, 5, subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(1)
            self.set_font("List", "B", 8)
            self.set_fill_color(225, 225, 225)
            for width, text in zip(_PDF_WIDTHS, headers(), strict=True):
                self.cell(width, 6, text, border=1, fill=True)
            self.ln()

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("List", "", 7)
            self.cell(0, 5, tr("queue_list.page", page=self.page_no()), align="R")

    pdf = ListPdf(orientation="L", format="A4", unit="mm")
    pdf.add_font("List", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("List", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(12, 10, 12)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    pdf.set_font("List", "", 7.5)
    for number, line in enumerate(lines):
        fill = number % 2 == 1
        pdf.set_fill_color(245, 245, 245)
        for index, (width, text) in enumerate(zip(_PDF_WIDTHS, _cells(line), strict=True)):
            while text and pdf.get_string_width(text) > width - 2:  # cut, never overflow
                text = text[:-2] + "…"
            pdf.cell(width, 5, text, border="B", fill=fill, align="R" if index == 8 else "L")
        pdf.ln()
    if not lines:
        pdf.cell(0, 8, tr("queue_list.none"))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def list_name(now: datetime, what: str) -> str:
    """``file-20261129-0930-en-retard``: a list's file name, without its extension."""
    return f"{tr('queue_list.file')}-{now:%Y%m%d-%H%M}-{what}"

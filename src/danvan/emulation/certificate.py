"""The certificate of merit of a decided commendation as a PDF: A4 landscape in a frame, the
national heading, the issuer, the title by form (giấy khen, bằng khen, emulation flag), "awarded
to" the recipient, the reason, the decision's number and date, the place and date, and the signer's
title. Printed in the user's language with Be Vietnam Pro, so that no diacritic falls back to
another font. The caller has found the commendation in the user's scope and checked it is decided.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from danvan.core.fonts import FONT_FAMILY, FONT_FILES, font_path

from . import presenters, selectors
from .models import Commendation, Recipient

WIDTH, HEIGHT = 297, 210  # mm, A4 landscape
FRAME_OUTER, FRAME_INNER = 8, 11  # mm from the edge of the page
TEXT_MARGIN = 24  # mm from the edge, left and right
RED = (155, 20, 20)
BLACK = (0, 0, 0)
REASON_SIZES = (14, 13, 12, 11, 10, 9)
REASON_MAX_LINES = 5


def _place(commendation: Commendation) -> str:
    unit = selectors.decision_unit(commendation) or selectors.area_of(commendation.unit)
    return unit.short_name or unit.name


def certificate_pdf(commendation: Commendation) -> bytes:
    """The certificate of `commendation`, which must be decided (its decision date is printed)."""
    from fpdf import FPDF

    if commendation.decided_on is None:  # the views refuse any commendation not decided
        raise ValueError("a certificate is printed for a decided commendation only")
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(TEXT_MARGIN, FRAME_INNER + 6, TEXT_MARGIN)
    for style in FONT_FILES:
        pdf.add_font(FONT_FAMILY, style, str(font_path(style)))
    title = str(presenters.CERTIFICATE_TITLES.get(commendation.form, presenters.TITLE_MERIT))
    pdf.set_title(f"{title} – {commendation.recipient_name}")
    pdf.set_creator("danvan")
    pdf.set_lang(get_language() or "vi")
    pdf.add_page()

    # The frame: a thick line and a thin one inside it.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(FRAME_OUTER, FRAME_OUTER, WIDTH - 2 * FRAME_OUTER, HEIGHT - 2 * FRAME_OUTER)
    pdf.set_line_width(0.4)
    pdf.rect(FRAME_INNER, FRAME_INNER, WIDTH - 2 * FRAME_INNER, HEIGHT - 2 * FRAME_INNER)

    def line(text: str, size: float, *, bold: bool = False, color=BLACK, height: float | None = None) -> None:
        pdf.set_text_color(*color)
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        pdf.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(FRAME_INNER + 6)
    line(_("SOCIALIST REPUBLIC OF VIET NAM"), 13, bold=True, height=6)
    motto = _("Independence - Freedom - Happiness")
    line(motto, 12, bold=True, height=6)
    rule = min(pdf.get_string_width(motto), 90)
    pdf.set_draw_color(*BLACK)
    pdf.set_line_width(0.3)
    pdf.line((WIDTH - rule) / 2, pdf.get_y() + 0.5, (WIDTH + rule) / 2, pdf.get_y() + 0.5)
    pdf.ln(6)
    line(commendation.issuer.upper(), 14, bold=True, height=7)
    pdf.ln(3)
    line(title, 30, bold=True, color=RED, height=14)
    pdf.ln(2)
    line(_("Awarded to"), 13, height=7)
    line(commendation.recipient_name, 20, bold=True, color=RED, height=10)
    if commendation.recipient == Recipient.INDIVIDUAL:
        if commendation.person_position:
            line(commendation.person_position, 13, height=6.5)
        line(commendation.unit.name, 13, height=6.5)
    elif commendation.group_name:
        line(commendation.unit.name, 13, height=6.5)
    pdf.ln(3)

    # The reason, in the largest size that keeps it within a few lines.
    reason = commendation.reason.replace("\n", " ")
    for size in REASON_SIZES:
        pdf.set_font(FONT_FAMILY, "", size)
        lines = pdf.multi_cell(0, size * 0.5, reason, align="C", dry_run=True, output="LINES")
        if len(lines) <= REASON_MAX_LINES:
            break
    line(reason, size, height=size * 0.5)

    # The foot: the decision on the left, the place, date and signer on the right.
    foot_y = HEIGHT - FRAME_INNER - 42
    half = (WIDTH - 2 * TEXT_MARGIN) / 2
    pdf.set_text_color(*BLACK)
    pdf.set_xy(TEXT_MARGIN, foot_y + 8)
    pdf.set_font(FONT_FAMILY, "", 11)
    decision = _("Decision No. %(number)s of %(date)s") % {
        "number": commendation.decision_number,
        "date": f"{commendation.decided_on:%d/%m/%Y}",
    }
    pdf.multi_cell(half - 10, 5.5, decision, align="L")
    pdf.set_xy(TEXT_MARGIN + half, foot_y)
    pdf.set_font(FONT_FAMILY, "", 12)
    place_date = _("%(place)s, %(date)s") % {
        "place": _place(commendation),
        "date": presenters.document_date(commendation.decided_on),
    }
    pdf.multi_cell(half, 6, place_date, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, "B", 13)
    for signer in presenters.SIGNER_TITLES.get(commendation.form, presenters.SIGNER_HEAD):
        pdf.multi_cell(half, 6.5, str(signer), align="C", new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())

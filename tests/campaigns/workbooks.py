"""Ballot workbooks for tests, written in the documented format (sheets 评分 and 民主测评)."""

import io

from shuping.campaigns import excel
from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet


def ballot_workbook(scores=(), votes=(), *, score_headers=None, vote_headers=None, sheets=("评分", "民主测评")) -> io.BytesIO:
    workbook = new_workbook()
    if "评分" in sheets:
        write_sheet(workbook, excel.SCORE_SHEET, score_headers or excel.SCORE_HEADERS, [list(r) for r in scores])
    if "民主测评" in sheets:
        write_sheet(workbook, excel.VOTE_SHEET, vote_headers or excel.VOTE_HEADERS, [list(r) for r in votes])
    if not sheets:
        write_sheet(workbook, "其他", ["列"], [])
    data = io.BytesIO(workbook_bytes(workbook))
    data.name = "测评票.xlsx"
    return data


def import_ballots(campaign, scores=(), votes=()):
    return excel.ballots_import(ballot_workbook(scores, votes), actor=None, campaign=campaign)

"""The phone's scoring page, assembled from escaped parts instead of by the template engine.

A ballot page is viewed once per reporter per card (4,500 views for 300 cards × 15 reporters,
most of them in the same few minutes); the template engine's per-node work was the largest
share of a page view's CPU (issue 18). The page shell (head, stylesheets, script) still comes
from `meetings/phone_base.html`, rendered once per campaign title and process. Every value that
varies by card is escaped here, and every value that could reveal a score is padded to one width
(the page's size in an access log says nothing about scores).
"""

from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.html import escape

from .models import MeetingStatus

_CONTENT_MARK = "\x00ballot-content\x00"


@lru_cache(maxsize=64)
def _shell(campaign_title: str) -> tuple[str, str]:
    """(before, after) the page's content: phone_base.html rendered once per campaign title."""
    html = render_to_string("meetings/phone_shell.html", {
        "title": f"测评 · {campaign_title}", "voter": {"campaign_title": campaign_title}, "content": _CONTENT_MARK})
    before, after = html.split(_CONTENT_MARK)
    return before, after


def header_html(voter, done_count: int, total_count: int, what: str) -> str:
    """Card number, progress and the group's secrecy notice (the scoring and 民主测评 pages)."""
    who = escape(voter.group_name) + " · " + escape(voter.number)
    if not voter.anonymous:
        who += " · " + escape(voter.name)
    parts = [
        '  <div class="d-flex justify-content-between align-items-center my-2">\n'
        f'    <div class="small text-muted">{who}</div>\n'
        f'    <div class="progress-count" id="progress">已评 {done_count}/{total_count}</div>\n'
        "  </div>\n  "
    ]
    if voter.anonymous:
        parts.append('<div class="small text-muted mb-2">本组为匿名测评：会议关闭后测评票随机打乱重存，'
                     f"任何人（包括会务人员）都无法查出您的{what}。</div>\n  ")
    else:
        parts.append('<div class="alert alert-info py-2" id="named-notice">本组为实名测评：您的测评票与您的姓名一并记录。</div>\n  ')
    if voter.meeting_status == MeetingStatus.TEST:
        parts.append('<div class="alert alert-warning py-2">测试模式：本轮测评票仅用于演练，正式测评前会全部清除。</div>')
    parts.append("\n  ")
    if voter.meeting_status == MeetingStatus.PREPARING:
        parts.append('<div class="alert alert-info py-2">测评尚未开始，请等待主持人宣布开始。</div>')
    parts.append("\n")
    return "".join(parts)


def _summary_html(summary) -> str:
    rows = "".join(
        f'\n    <tr><td><a href="{row["url"]}">{escape(row["p"].org_name)}</a></td><td class="text-end">'
        f'{escape(row["total"]) if row["total"] else "本机未录入"}{row["pad"]}</td>'
        f'<td class="text-center">{escape(row["democratic"])}</td></tr>\n    '
        for row in summary)
    return ('\n  <h2 class="h6 mt-2" id="own-totals">本机录入的总分（仅本机可见，核对无误即完成；点述职人可修改）</h2>\n'
            '  <table class="table table-sm own-totals">\n'
            '    <thead><tr><th>述职人</th><th class="text-end">总分</th><th class="text-center">民主测评</th></tr></thead>\n'
            f"    <tbody>{rows}</tbody>\n  </table>\n  ")


def _form_html(context: dict, csrf_token: str) -> str:
    voter, selected = context["voter"], context["selected"]
    label = "正在述职" if selected.pk == voter.current_id else escape(selected.presentation_label)
    already = ""
    if context["already"]:
        hidden = "" if context["revealed"] else "（本机看不到此前的打分，重新提交须完整填写并替换原测评）"
        already = f'<div class="small text-success mt-1">✓ 已提交，可修改后重新提交{hidden}</div>'
    quick = ""
    if context["quick"]:
        bands = "".join(f'<label class="band"><input type="radio" name="b_all" value="{escape(band)}"> {escape(band)}</label>'
                        for band in context["bands"])
        quick = ('\n    <fieldset class="indicator band-all" id="band-all">\n'
                 '      <legend class="form-label fw-bold fs-6 mb-1">一键打分（各项按同一档位填入，可再逐项修改）</legend>\n'
                 f'      <div class="band-row">{bands}</div>\n    </fieldset>\n    ')
    missing, first_error = context["missing"], context["first_error"]
    choices = "".join(
        f'\n        <label class="choice"><input type="radio" name="democratic" value="{escape(c["value"])}"{c["attr"]}'
        f'{" autofocus" if index == 0 and first_error == "democratic" else ""}> {escape(c["value"])}</label>\n        '
        for index, c in enumerate(context["choices"]))
    democratic_missing = "democratic" in missing
    missing_note = '<div class="text-danger small">请选择民主测评等次</div>' if democratic_missing else ""
    return (
        f'\n  <form method="post" action="{escape(context["action"])}" class="ballot-form" id="ballot-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">\n'
        '    <div class="reporter-card">\n'
        f'      <div class="small text-muted">{label}</div>\n'
        f'      <h1 class="h4 mb-0">{escape(selected.org_name)}</h1>\n'
        f"      <div>{escape(selected.secretary_name)}</div>\n"
        f"      {already}\n    </div>\n    {quick}\n    {context['fields_html']}\n"
        f'    <fieldset class="indicator{" indicator-error" if democratic_missing else ""}" id="democratic">\n'
        '      <legend class="form-label fw-bold fs-6">民主测评</legend>\n'
        f'      <div class="choice-row">\n        {choices}\n      </div>\n'
        f"      {missing_note}\n"
        "    </fieldset>\n"
        '    <div class="total-line">合计 <span id="ballot-total" aria-live="polite">—</span></div>\n'
        '    <button class="btn btn-danger btn-lg w-100 my-3" id="submit-ballot"'
        f'{" disabled" if voter.meeting_status == MeetingStatus.PREPARING else ""}>提交测评</button>\n'
        "  </form>\n  ")


def scoring_page(context: dict, csrf_token: str) -> str:
    """The whole scoring page for `_ballot_context`'s context."""
    voter = context["voter"]
    before, after = _shell(voter.campaign_title)
    done, total = context["done_count"], context["total_count"]
    saved = ""
    if context.get("saved_participant"):
        finished = ("您已完成全部测评，感谢参与！请在下方核对本机录入的总分，会议关闭前仍可修改。"
                    if done == total else "")
        saved = (f'<div class="alert alert-success py-2" role="status">已提交对“'
                 f'{escape(context["saved_participant"].org_name)}”的测评。{finished}</div>')
    error = ""
    if context.get("error"):
        error = f'<div class="alert alert-danger" role="alert" id="ballot-error">{escape(context["error"])}</div>'
    summary = _summary_html(context["summary"]) if context["summary"] else ""
    form = _form_html(context, csrf_token) if context["selected"] else ""
    content = (
        '\n<div class="ballot-narrow">\n'
        + "  " + header_html(voter, done, total, "打分")
        + f"\n  {saved}\n  {error}\n\n  {summary}\n\n  {form}\n\n\n"
        '  <h2 class="h6 mt-3">全部述职人</h2>\n  <ol class="reporter-list">\n    '
        f'{context["reporters_html"]}\n  </ol>\n</div>\n')
    return before + content + after

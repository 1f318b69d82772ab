"""What kind of document is this: a 述职报告, a 点评 / speech, or a news item about a meeting?

The kind decides what counts as the unit's work: in a news item the meeting's own figures (attendees, number of
reporters) and quoted speech are not; in a speech the requirements are listed in running text.

Cues are counted in the first part of the text only (a report's opening says who speaks), each cue family
weighted; the highest score wins and ties go to "report", the kind the product mainly checks.
"""

from __future__ import annotations

import re

KINDS = ("report", "critique", "news", "speech")
_HEAD = 1500

# First-person reporting on one's own work.
_REPORT_RE = re.compile(
    r"述职如下|报告如下|(?<!听取)(?<!收看)(?<!作了)(?<!做了)述职报告(?!会)|汇报如下|现将.{0,20}(?:述职|报告|汇报)|我(?:们)?(?:始终|认真|坚持|带头|主持|先后|深入)"
    # A page that publishes reports after an editor's note: 「编者按：…现将述职报告予以刊发」.
    r"|编者按|予以刊发|现予刊发|刊发如下|全文如下"
    r"|本人|(?:我村|我镇|我乡|我社区|我院|我校|我局|我公司)(?!召开|举行|举办|组织)|履职情况|工作开展情况|主要做法"
    r"|(?m:^[ \t\u3000]*[一二三四五六七八九十]、)|(?m:^[ \t\u3000]*[（(][一二三四五六七八九十][)）])"
)
# A speaker addressing a meeting and judging others' reports.
_SPEECH_RE = re.compile(
    r"同志们|刚才|下面[，,]?我|讲几点|几点意见|几点要求|几点建议|提几点|各位书记|大家|与大家共勉|谢谢大家|受.{0,12}委托"
)
_CRITIQUE_RE = re.compile(r"点评|述职(?:情况|中)|听取[^。]{0,12}述职|问题找得|讲成绩|找问题|评价意见|肯定成绩")
# A third-person news item about a meeting.
_NEWS_RE = re.compile(
    r"^\s*(?:\d{1,2}|[一二三]?[一二三四五六七八九十])月\d{0,2}[日号]?|^\s*(?:日前|近日|昨日|昨天|据悉)|本报讯|讯[（(]|通讯员|记者|[（(]来源|责任编辑"
    r"|(?:召开|举行|举办|组织开展|组织召开)(?:了)?[^。]{0,40}述职[^。]{0,12}(?:会议?|大会)"
    r"|[^。]{0,3}(?:名|位|个)[^。]{0,12}(?:书记|负责人)[^。]{0,12}(?:依次|分别|先后)?[^。]{0,6}(?:进行|作了?|做了?)[^。]{0,6}述职"
    r"|近日|日前|据悉|据了解|记者了解到|\d{1,2}月\d{1,2}日(?:上午|下午|晚上)?[，,]|述职(?:大会|评议会|测评大会)"
    r"|[\u4e00-\u9fff]{2}(?:镇|乡|街道|县|区|市)(?:组织|召开|开展)"
    # Reporting style: a narrator quoting people («…地说。», «介绍说»), a unit named as the subject of the lead.
    r"|地说[。，,]|介绍说|告诉记者|侃侃而谈"
    r"|^\s*[\u4e00-\u9fff]{2,8}(?:镇|乡|街道|县|区|市|社区)(?:扎实|积极|大力|深入|持续|着力|创新|坚持|多措并举)"
    # A unit told about in the third person (brand news): 「该校党支部…」「兴四村党支部坚持…」「投资公司党委下设…」.
    r"|该(?:村|镇|乡|校|院|所|公司|局|社区|街道|支部|党支部|党委|党总支|服务队|集团|中心)"
    r"|述职报告(?:会|暨)"
    r"|会议由.{1,20}主持|主持会议|参加(?:了)?(?:会议|本次)|出席会议|[他她](?:强调|指出|表示|要求|认为)"
    r"|(?:书记|主任|部长|院长|校长|董事长)[\u4e00-\u9fff]{0,3}(?:强调|指出|表示|要求)|会上[，,]|会议(?:强调|指出|要求)"
)
_WEIGHTS = {"report": 1.0, "speech": 1.0, "critique": 0.8, "news": 1.2}
# A party organisation as the subject of a sentence («兴四村党支部坚持…», «投资公司党委依托…»). Reports speak of
# themselves this way too («集团党委坚持…»), so it only counts where no cue of a report is present.
_THIRD_PERSON_RE = re.compile(
    r"(?:^|[。\n])[\u4e00-\u9fff]{2,12}(?:党支部|党委|党总支|党工委)(?:坚持|创新|探索|紧紧|积极|充分|依托|三措|多措|下设)"
)


# Someone's words quoted in a news item («“我带头联系最偏远的村……”茅坝乡党委书记说»): first-person cues inside them
# are the speaker's, not the writer's.
_QUOTED_WORDS_RE = re.compile(r"“[^“”\n]{12,}?”")


def detect_kind(text: str) -> str:
    head = text[:_HEAD]
    unquoted = _QUOTED_WORDS_RE.sub("“”", head)
    scores = {
        "report": len(_REPORT_RE.findall(unquoted)) * _WEIGHTS["report"],
        "speech": len(_SPEECH_RE.findall(head)) * _WEIGHTS["speech"],
        "critique": len(_CRITIQUE_RE.findall(head)) * _WEIGHTS["critique"],
        "news": len(_NEWS_RE.findall(head)) * _WEIGHTS["news"],
    }
    if scores["speech"] == 0:
        # 点评 talked about by nobody in the room is a news item about the meeting.
        scores["news"] += scores["critique"] * 0.5
        scores["critique"] = 0.0
    if scores["report"] == 0:
        scores["news"] += len(_THIRD_PERSON_RE.findall(unquoted)) * _WEIGHTS["news"]
    if _NEWS_RE.match(head):
        scores["news"] += 2.0  # a dateline opening is the strongest single cue
    best = max(KINDS, key=lambda k: (scores[k], k == "report"))
    if scores[best] == 0:
        return "report"
    if best in ("speech", "critique"):
        # A speech that judges reports is a critique; one that only reports work and plans is a speech.
        return "critique" if scores["critique"] > 0 else "speech"
    return best


def is_report(kind: str) -> bool:
    return kind == "report"

"""analyze(): text in, JSON-serialisable findings out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._text import TextIndex
from .checks import check_empty_phrases, check_label_only, check_topics, resolve_topics
from .figures import find_figures
from .kind import detect_kind
from .practices import find_practices, find_quotes
from .runs import find_listed_items
from .sections import extract_items, find_sections, unflatten


def analyze(
    text: str,
    rubric_topics: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    prior_problems: Iterable[str] = (),
    sector: str | None = None,
) -> dict:
    """Check a 述职报告. Spans are [start, end) offsets into ``text``.

    ``sector`` is the reporting org's sector (学校, 医院, 国企 … or the stored value such as "school"): topics then
    also accept that sector's wording (服务患者 serves the masses in a hospital).
    """
    if not isinstance(text, str):
        raise TypeError("text must be str")
    # A report pasted as one line gets its headings back; offsets do not move.
    text = unflatten(text)
    idx = TextIndex.build(text)
    kind = detect_kind(text)
    sections = find_sections(text, idx)
    quotes = find_quotes(text)
    data_points = find_figures(text, idx, [(q[0], q[1]) for q in quotes], kind)
    problems: list[dict] = []
    measures: list[dict] = []
    if kind == "report":
        for sec in sections:
            if sec.kind == "problems":
                problems.extend(extract_items(text, idx, sec))
            elif sec.kind == "measures":
                measures.extend(extract_items(text, idx, sec))
    if not problems or not measures:
        listed = find_listed_items(text, idx)
        if kind == "report":
            # In a report, lists inside the achievements part are work done, not problems or plans.
            done = [(sec.start, sec.end) for sec in sections if sec.kind == "achievements"]
            listed = [it for it in listed if not any(s <= it.start < e for s, e in done)]
        if not problems:
            problems = [it.as_dict() for it in listed if it.kind == "problems"]
        if not measures:
            measures = [it.as_dict() for it in listed if it.kind == "measures"]
    practices = find_practices(text, quotes, kind=kind)
    prior_list = [p for p in (prior_problems or ()) if p and p.strip()]
    prior: list[dict] = []
    if prior_list:
        from .prior import check_prior  # jieba is loaded only when needed

        prior = check_prior(text, idx, sections, prior_list)
    return {
        "kind": kind,
        "sections": [s.as_dict() for s in sections],
        "data_points": data_points,
        "named_practices": practices,
        "problems": problems,
        "measures": measures,
        "topics": check_topics(text, idx, resolve_topics(rubric_topics, sector), sections,
                               [d["span"][0] for d in data_points] + [p["span"][0] for p in practices]),
        "empty_phrases": check_empty_phrases(text, len(data_points)),
        "label_only": check_label_only(
            text, idx, [(s.start, s.end) for s in sections if s.kind in ("problems", "causes")]
        ),
        "prior_problems": prior,
    }

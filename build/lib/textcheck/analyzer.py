"""analyze(): text in, JSON-serialisable findings out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._text import TextIndex
from .checks import check_empty_phrases, check_label_only, check_topics, resolve_topics
from .figures import find_figures
from .practices import find_practices, find_quotes
from .sections import extract_items, find_sections


def analyze(
    text: str,
    rubric_topics: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    prior_problems: Iterable[str] = (),
) -> dict:
    """Check a 述职报告. Spans are [start, end) offsets into ``text``."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    idx = TextIndex.build(text)
    sections = find_sections(text, idx)
    quotes = find_quotes(text)
    data_points = find_figures(text, idx, [(q[0], q[1]) for q in quotes])
    problems: list[dict] = []
    measures: list[dict] = []
    for sec in sections:
        if sec.kind == "problems":
            problems.extend(extract_items(text, idx, sec))
        elif sec.kind == "measures":
            measures.extend(extract_items(text, idx, sec))
    prior_list = [p for p in (prior_problems or ()) if p and p.strip()]
    prior: list[dict] = []
    if prior_list:
        from .prior import check_prior  # jieba is loaded only when needed

        prior = check_prior(text, idx, sections, prior_list)
    return {
        "sections": [s.as_dict() for s in sections],
        "data_points": data_points,
        "named_practices": find_practices(text, quotes),
        "problems": problems,
        "measures": measures,
        "topics": check_topics(text, idx, resolve_topics(rubric_topics)),
        "empty_phrases": check_empty_phrases(text, len(data_points)),
        "label_only": check_label_only(
            text, idx, [(s.start, s.end) for s in sections if s.kind in ("problems", "causes")]
        ),
        "prior_problems": prior,
    }

"""textcheck: automatic checks of 抓基层党建 述职报告 for reviewers.

Plain Python (no Django): text in, JSON-serialisable findings out.
"""

from .analyzer import analyze
from .document import DocumentError, read_document
from .lexicon import DEFAULT_TOPICS, EMPTY_PHRASES

__all__ = ["DEFAULT_TOPICS", "EMPTY_PHRASES", "DocumentError", "analyze", "read_document"]

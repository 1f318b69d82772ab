"""textcheck: automatic checks of 抓基层党建 述职报告 for reviewers.

Plain Python (no Django): text in, JSON-serialisable findings out.
"""

from .analyzer import analyze
from .document import DocumentError, read_document
from .lexicon import DEFAULT_TOPICS, EMPTY_PHRASES

# Bumped when findings change for the same text, so that cached analyses are redone.
RULES_VERSION = "2026.12-real-corpus-7-round7"

__all__ = ["RULES_VERSION", "DEFAULT_TOPICS", "EMPTY_PHRASES", "DocumentError", "analyze", "read_document"]

"""Pure tally engine for 述职评议考核 (no Django import): numbers in, results out."""

from shuping.scoring.tally import (
    GroupScore,
    ParticipantInput,
    ParticipantResult,
    TallyConfig,
    composite_score,
    content_hash,
    evaluator_total,
    results_to_dicts,
    tally,
)

__all__ = [
    "GroupScore",
    "ParticipantInput",
    "ParticipantResult",
    "TallyConfig",
    "composite_score",
    "content_hash",
    "evaluator_total",
    "results_to_dicts",
    "tally",
]

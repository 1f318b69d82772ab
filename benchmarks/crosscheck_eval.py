"""Precision/recall of the report ↔ register cross-check on the labelled sentences.

Run: python benchmarks/crosscheck_eval.py   (no database needed: shipped rules, plain ledgers)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    import textcheck
    from shuping.registers.defaults import default_rule_specs
    from shuping.registers.labelled import evaluate

    result = evaluate(default_rule_specs(), textcheck.analyze)
    print(f"cases={result['cases']} tp={result['tp']} fp={result['fp']} fn={result['fn']} tn={result['tn']}")
    print(f"precision={result['precision']} recall={result['recall']}")
    for sentence, kind in result["wrong"]:
        print(f"  {kind}: {sentence}")


if __name__ == "__main__":
    main()

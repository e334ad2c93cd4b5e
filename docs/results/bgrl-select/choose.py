#!/usr/bin/env python3
"""Applies protocol.md's rule to the BGRL candidates of one dataset and prints the table.

usage: choose.py DATASET        (Cora | CiteSeer; from anywhere)

Reads DATASET/<candidate>/metrics.json (written by run-candidate.sh). On Cora the amazon-photos candidate is recipe
version 1's seed-0 record, as protocol.md says. Before anything is compared, each record's hyperparameters are checked
against its candidate's .cfg (nerdslab/bgrl@60f9f19 config/<candidate>.cfg lines 7-21), so a run under the wrong
settings stops the choice instead of entering it. The rule: highest mean validation accuracy of the trained encoder
(our public-split probe, 20 probe seeds); ties go to the earlier row. Test accuracy is printed, never read by the rule.
Exit code 1 when a candidate is missing or does not match its .cfg.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Protocol order (ties go to the earlier row): lr, encoder (inner, output), view 1 (edge, feature), view 2 (edge, feature).
CANDIDATES = [
    ("amazon-computers", 5e-4, (256, 128), (0.5, 0.2), (0.4, 0.1)),
    ("amazon-photos", 1e-4, (256, 128), (0.4, 0.1), (0.1, 0.2)),
    ("coauthor-cs", 1e-5, (512, 256), (0.3, 0.3), (0.2, 0.4)),
    ("coauthor-physics", 1e-5, (256, 128), (0.4, 0.1), (0.1, 0.4)),
    ("wiki-cs", 5e-4, (512, 256), (0.2, 0.2), (0.3, 0.1)),
]
# Shared by all five .cfg files: epochs, warm-up, mm, weight decay, predictor width.
COMMON = {"epochs": 10000, "warmup_epochs": 1000, "weight_decay": 1e-5, "Objective.BaseMomentum": 0.99, "PredictorHidden": 512}


def load(dataset, name):
    """(record, path, hyperparameters dict, options dict) of one candidate, or None when it has not run."""
    path = os.path.join(HERE, dataset, name, "metrics.json")
    if os.path.exists(path):
        with open(path) as f:
            m = json.load(f)
        return {"validation": m["probe"]["trained"]["validation"], "test": m["probe"]["trained"]["test_mean"],
                "untrained_validation": m["probe"]["untrained"]["validation"], "untrained_test": m["probe"]["untrained"]["test_mean"],
                "seconds": m["train_seconds"], "hyper": m["hyperparameters"], "options": m["options"],
                "path": os.path.relpath(path, HERE)}
    if dataset == "Cora" and name == "amazon-photos":
        path = os.path.join(HERE, "..", "reproduce", "bgrl-v1", "bgrl-Cora", "seeds", "seed0.json")
        with open(path) as f:
            s = json.load(f)
        # Version 1's record keeps its settings as one line; the encoder widths were the recipe's (256, 128).
        settings = dict(kv.split("=") for kv in s["settings"].split(";")[0].split(", "))
        hyper = dict(settings, **{"Encoder.InnerHidden": "256", "Encoder.Hidden": "128", "PredictorHidden": "512"})
        options = {"epochs": s["epochs"], "learning_rate": 1e-4, "warmup_epochs": 1000, "weight_decay": 1e-5}
        return {"validation": s["trained"]["validation"], "test": s["trained"]["test_mean"],
                "untrained_validation": s["untrained"]["validation"], "untrained_test": s["untrained"]["test_mean"],
                "seconds": s["train_seconds"], "hyper": hyper, "options": options, "path": os.path.relpath(path, HERE)}
    return None


def mismatches(record, lr, encoder, view1, view2):
    """What in the record differs from the candidate's .cfg (empty when nothing does)."""
    h, o = record["hyper"], record["options"]
    want = {"Encoder.InnerHidden": encoder[0], "Encoder.Hidden": encoder[1], "View1.EdgeP": view1[0], "View1.FeatureP": view1[1],
            "View2.EdgeP": view2[0], "View2.FeatureP": view2[1], "Objective.BaseMomentum": COMMON["Objective.BaseMomentum"],
            "PredictorHidden": COMMON["PredictorHidden"]}
    wrong = [f"{k} {h.get(k)} (cfg: {v})" for k, v in want.items() if k not in h or float(h[k]) != float(v)]
    for k, v in (("learning_rate", lr), ("epochs", COMMON["epochs"]), ("warmup_epochs", COMMON["warmup_epochs"]),
                 ("weight_decay", COMMON["weight_decay"])):
        if float(o.get(k, "nan")) != float(v):
            wrong.append(f"{k} {o.get(k)} (cfg: {v})")
    return wrong


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("Cora", "CiteSeer"):
        sys.exit(__doc__)
    dataset = sys.argv[1]
    rows, problems = [], []
    for name, lr, encoder, view1, view2 in CANDIDATES:
        record = load(dataset, name)
        if record is None:
            problems.append(f"{name}: not run (docs/results/bgrl-select/run-candidate.sh {dataset} {name})")
            continue
        wrong = mismatches(record, lr, encoder, view1, view2)
        if wrong:
            problems.append(f"{name}: {record['path']} does not match config/{name}.cfg: " + "; ".join(wrong))
        rows.append((name, record))
    print(f"| candidate | validation (trained) | validation (untrained twin) | test (trained) | test (untrained) | train s | record |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r['validation']:.2f} | {r['untrained_validation']:.2f} | {r['test']:.2f} | {r['untrained_test']:.2f} | "
              f"{r['seconds']:,.0f} | {r['path']} |")
    if problems:
        print("\nNo choice yet:\n" + "\n".join("- " + p for p in problems))
        sys.exit(1)
    # max() keeps the first of equal keys, so a tie goes to the earlier row of the protocol's table.
    chosen = max(rows, key=lambda nr: nr[1]["validation"])
    print(f"\nChosen on {dataset}: {chosen[0]} (highest validation accuracy, {chosen[1]['validation']:.2f}).")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Per-factor comparison of a `graphssl sweep --grid study` run with the published study's runs.

    python3 docs/results/compare_study.py docs/results/study-mutag-200/results-144.csv \
        ../shared/reference/seed-runs/MUTAG.csv > docs/results/study-mutag-200/comparison.md

For every factor of the grid (method, augmentation, batch size, layers, hidden size) and each of its levels, the
median and mean test accuracy (%) over all configurations with that level: ours (every run in results.csv) against the
study's (every repeat in its CSV), and the difference. Standard library only.
"""
import csv, statistics, sys

FACTORS = [("method", "method"), ("augmentation", "augmentation"), ("batch_size", "batch"),
           ("encoder_layers", "layers"), ("hidden_dim", "hidden")]


def read(path, accuracy_column):
    """Rows and their accuracies in percent (both files store fractions in [0, 1])."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows, [float(r[accuracy_column]) * 100.0 for r in rows]


def main(ours_path, reference_path):
    ours, ours_acc = read(ours_path, pick(ours_path))
    ref, ref_acc = read(reference_path, "test_acc")
    columns = {name: column_for(ours_path, name) for name, _ in FACTORS}
    # Compare like with like: only the study's runs of configurations we have (all 144 once our grid is complete).
    have = {tuple(norm(r[columns[name]]) for name, _ in FACTORS) for r in ours}
    matched = [(r, a) for r, a in zip(ref, ref_acc) if tuple(norm(r[name]) for name, _ in FACTORS) in have]
    ref, ref_acc = [r for r, _ in matched], [a for _, a in matched]
    print(f"# Study grid: ours against the study, per factor\n")
    print(f"Ours: {len(ours)} runs ({len(have)} configurations) from `{ours_path}`; the study: its {len(ref)} runs of")
    print(f"the same configurations from `{reference_path}`.")
    print("Test accuracy (%) over every configuration at that level, median / mean; differences = ours − study. The")
    print("study protocol evaluates ~10 % of the graphs (19 on MUTAG), so single runs move in steps of ~5 points.\n")
    print(f"Overall: ours {statistics.median(ours_acc):.1f} / {statistics.mean(ours_acc):.1f}, "
          f"study {statistics.median(ref_acc):.1f} / {statistics.mean(ref_acc):.1f}.\n")
    for name, label in FACTORS:
        print(f"| {label} | ours (n) | study (n) | median diff | mean diff |")
        print("| --- | --- | --- | --- | --- |")
        levels = sorted({r[name] for r in ref}, key=sort_key)
        for level in levels:
            o = [a for r, a in zip(ours, ours_acc) if norm(r[columns[name]]) == norm(level)]
            s = [a for r, a in zip(ref, ref_acc) if r[name] == level]
            ms, es = statistics.median(s), statistics.mean(s)
            if not o:
                print(f"| {level} | — (0) | {ms:.1f} / {es:.1f} ({len(s)}) | — | — |")
                continue
            mo, eo = statistics.median(o), statistics.mean(o)
            print(f"| {level} | {mo:.1f} / {eo:.1f} ({len(o)}) | {ms:.1f} / {es:.1f} ({len(s)}) | {mo - ms:+.1f} | {eo - es:+.1f} |")
        print()


def pick(path):
    with open(path, newline="") as f:
        header = next(csv.reader(f))
    for candidate in ("test_acc", "accuracy", "acc"):
        if candidate in header:
            return candidate
    raise SystemExit(f"{path}: no accuracy column in {header}")


def column_for(path, name):
    with open(path, newline="") as f:
        header = next(csv.reader(f))
    aliases = {"method": ["method"], "augmentation": ["augmentation"], "batch_size": ["batch_size", "batch"],
               "encoder_layers": ["encoder_layers", "layers"], "hidden_dim": ["hidden_dim", "hidden"]}
    for a in aliases[name]:
        if a in header:
            return a
    raise SystemExit(f"{path}: no column for {name} in {header}")


def norm(v):
    return v.strip().lower().replace(" ", "_")


def sort_key(v):
    return (0, float(v)) if v.replace(".", "", 1).isdigit() else (1, v)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])

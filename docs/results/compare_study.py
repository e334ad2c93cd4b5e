#!/usr/bin/env python3
"""Per-factor comparison of a `graphssl sweep --grid study` run with the published study's runs.

    python3 docs/results/compare_study.py docs/results/study-mutag-200/results.csv \
        ../shared/reference/seed-runs/MUTAG.csv > docs/results/study-mutag-200/comparison.md

For every factor of the grid (method, augmentation, batch size, layers, hidden size) and each of its levels, the
median test accuracy (%) over all configurations with that level: ours (every run in results.csv) against the
study's (every repeat in its CSV), and the difference. Standard library only.
"""
import csv, statistics, sys

FACTORS = [("method", "method"), ("augmentation", "augmentation"), ("batch_size", "batch"),
           ("encoder_layers", "layers"), ("hidden_dim", "hidden")]


def read(path, accuracy_column, scale):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows, [float(r[accuracy_column]) * scale for r in rows]


def main(ours_path, reference_path):
    ours, ours_acc = read(ours_path, pick(ours_path), 1.0)
    ref, ref_acc = read(reference_path, "test_acc", 100.0)
    columns = {name: column_for(ours_path, name) for name, _ in FACTORS}
    print(f"# Study grid: ours against the study, per factor\n")
    print(f"Ours: {len(ours)} runs from `{ours_path}`; the study: {len(ref)} runs from `{reference_path}`.")
    print(f"Median test accuracy (%) over every configuration at that level; difference = ours − study.\n")
    print(f"Overall: ours {statistics.median(ours_acc):.1f}, study {statistics.median(ref_acc):.1f}.\n")
    for name, label in FACTORS:
        print(f"| {label} | ours (n) | study (n) | difference |")
        print("| --- | --- | --- | --- |")
        levels = sorted({r[name] for r in ref}, key=sort_key)
        for level in levels:
            o = [a for r, a in zip(ours, ours_acc) if norm(r[columns[name]]) == norm(level)]
            s = [a for r, a in zip(ref, ref_acc) if r[name] == level]
            if not o:
                print(f"| {level} | — (0) | {statistics.median(s):.1f} ({len(s)}) | — |")
                continue
            mo, ms = statistics.median(o), statistics.median(s)
            print(f"| {level} | {mo:.1f} ({len(o)}) | {ms:.1f} ({len(s)}) | {mo - ms:+.1f} |")
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

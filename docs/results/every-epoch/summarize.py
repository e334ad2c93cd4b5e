#!/usr/bin/env python3
"""Test accuracy after every epoch (MUTAG, recipes' v2 settings, seeds 0-4) from the per-k reproduce records.
k = 0 is the untrained twin; k = 20 is the recipe's own run (docs/results/reproduce/<recipe>-MUTAG).
Diagnostic only: read with test accuracy, nothing here is selected for a result."""
import json, os, statistics, sys
root = os.path.dirname(os.path.abspath(__file__))
final = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, '..', 'reproduce')  # the epoch-20 runs
recipes = ['graphcl', 'simgrace', 'infograph', 'graphmae']
published = {'graphcl': 86.80, 'simgrace': 89.01, 'infograph': 89.01, 'graphmae': 88.19}
def records(folder):
    return [json.load(open(os.path.join(folder, 'seeds', f'seed{s}.json'))) for s in range(5)]
table = {}
for r in recipes:
    per_k = {}
    for k in range(1, 21):
        folder = os.path.join(final, f'{r}-MUTAG') if k == 20 else os.path.join(root, f'{r}-MUTAG', f'e{k}')
        if not all(os.path.exists(os.path.join(folder, 'seeds', f'seed{s}.json')) for s in range(5)): continue
        recs = records(folder)
        per_k[k] = [x['trained'] for x in recs]
        if k == 20: per_k[0] = [x['untrained'] for x in recs]
    table[r] = per_k
def ms(v): return f'{statistics.mean(v):.2f} ± {statistics.pstdev(v):.2f}'
print('| epoch | ' + ' | '.join(recipes) + ' |')
print('| --- |' + ' --- |' * len(recipes))
for k in range(0, 21):
    row = [ms(table[r][k]) if k in table[r] else '—' for r in recipes]
    print(f'| {k if k else "0 (untrained twin)"}{" (recipe)" if k == 20 else ""} | ' + ' | '.join(row) + ' |')
row_best, row_seedmax, row_seedmax0 = [], [], []
for r in recipes:
    ks = [k for k in table[r] if k > 0]
    if not ks: row_best.append('—'); row_seedmax.append('—'); row_seedmax0.append('—'); continue
    best = max(ks, key=lambda k: statistics.mean(table[r][k]))
    row_best.append(f'{statistics.mean(table[r][best]):.2f} (epoch {best})')
    seedmax = [max(table[r][k][s] for k in ks) for s in range(5)]
    row_seedmax.append(ms(seedmax))
    with0 = [max(table[r][k][s] for k in ks + [0]) for s in range(5)]
    row_seedmax0.append(ms(with0))
print('| best epoch of the 5-seed mean (test-selected) | ' + ' | '.join(row_best) + ' |')
print('| each seed at its own best of epochs 1–20 (test-selected) | ' + ' | '.join(row_seedmax) + ' |')
print('| each seed at its own best of epochs 0–20 (test-selected; InfoGraph logs all 21) | ' + ' | '.join(row_seedmax0) + ' |')
print('| published | ' + ' | '.join(f'{published[r]:.2f}' for r in recipes) + ' |')

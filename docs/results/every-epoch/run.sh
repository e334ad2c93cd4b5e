#!/bin/bash
# Test accuracy after every epoch on MUTAG (diagnostic, not selection): one reproduce run per k = 1..19 epochs.
# With the recipes' constant learning rate, training k epochs replays the first k epochs of the 20-epoch run
# bit for bit (checked: the records' loss lists are prefixes of the recipe run's). Epoch 20 and the untrained twin
# (epoch 0) are the recipe runs in docs/results/reproduce/<recipe>-MUTAG. Run from the repository root after a
# Release build; one thread. Then: python3 docs/results/every-epoch/summarize.py (prints the table of summary.md).
set -euo pipefail
B="dotnet Examples/GraphSSL.Cli/bin/Release/net10.0/graphssl.dll"; D=../shared/datasets/TU; O=docs/results/every-epoch
for r in infograph simgrace graphcl graphmae; do
  for k in $(seq 1 19); do
    $B reproduce $r --dataset MUTAG --data-dir $D --threads 1 --epochs $k --out $O/$r-MUTAG/e$k
  done
done
# GraphCL on PROTEINS at epoch 10, the other epoch GraphCL's code logs (gsimclr.py:155, 253-258):
$B reproduce graphcl --dataset PROTEINS --data-dir $D --threads 1 --epochs 10 --out $O/graphcl-PROTEINS/e10

#!/bin/bash
# SimGRACE's learning rate one decade either side of the recipe's 0.01 (recipe simgrace/2): a sensitivity
# measurement of a cause the maintainer names ("search lr and eta", junxia97/SimGRACE#6), not a selection.
# The lr 0.01 column is the reproduction itself (docs/results/reproduce/simgrace-<DATASET>). Run from the
# repository root after a Release build; one thread per process.
set -euo pipefail
B="dotnet Examples/GraphSSL.Cli/bin/Release/net10.0/graphssl.dll"; D=../shared/datasets/TU
for ds in MUTAG PROTEINS NCI1; do
  for lr in 0.001 0.1; do
    $B reproduce simgrace --dataset $ds --data-dir $D --threads 1 --lr $lr --out docs/results/simgrace-lr/simgrace-$ds-lr$lr
  done
done

#!/bin/bash
# SimGRACE's eta over its README's grid {0.1, 1, 10, 100} (eta = 1 is the recipe): a sensitivity measurement
# of a cause, not a selection. Run from the repository root after a Release build; one thread per process.
set -euo pipefail
B="dotnet Examples/GraphSSL.Cli/bin/Release/net10.0/graphssl.dll"; D=../shared/datasets/TU
for ds in MUTAG PROTEINS NCI1; do
  for eta in 0.1 10 100; do
    $B reproduce simgrace --dataset $ds --data-dir $D --threads 1 --set View1.Eta=$eta --out docs/results/simgrace-eta/simgrace-$ds-eta$eta
  done
done

#!/bin/bash
# One BGRL candidate of protocol.md: run-candidate.sh DATASET CANDIDATE   (from the repository root)
#   DATASET: Cora | CiteSeer;  CANDIDATE: amazon-computers | amazon-photos | coauthor-cs | coauthor-physics | wiki-cs
# Trains into runs/bgrl-select/DATASET/CANDIDATE with a checkpoint every 500 epochs (rerun the same command to resume
# after an interruption), then copies metrics.json and the log here. GRAPHSSL_DLL picks a built graphssl.dll (default:
# the Release build; build it first with `dotnet build Examples/GraphSSL.Cli -c Release`).
set -euo pipefail
D=$1; C=$2; P=${PLANETOID_DIR:-../shared/datasets/Planetoid}
DLL=${GRAPHSSL_DLL:-Examples/GraphSSL.Cli/bin/Release/net10.0/graphssl.dll}
T="train --model BgrlNode --dataset $D --data-dir $P --seed 0 --threads 1 --epochs 10000 --checkpoint-every 500 --resume"
# Every setting a candidate's .cfg makes is set here explicitly, so the command does not depend on the recipe's current
# version (Cora's recipe is version 2 since its choice). mm 0.99, 1,000 warm-up epochs, weight decay 1e-5, predictor 512,
# AdamW and the cosine schedules are the same in all five .cfg files and in every version of the recipe.
S="--set Objective.BaseMomentum=0.99"
case $C in   # config/<candidate>.cfg of nerdslab/bgrl@60f9f19, lines 7-21
  amazon-computers) A="--lr 5e-4 --set Encoder.Hidden=128 --set Encoder.InnerHidden=256 --set View1.EdgeP=0.5 --set View1.FeatureP=0.2 --set View2.EdgeP=0.4 --set View2.FeatureP=0.1";;
  amazon-photos)    A="--lr 1e-4 --set Encoder.Hidden=128 --set Encoder.InnerHidden=256 --set View1.EdgeP=0.4 --set View1.FeatureP=0.1 --set View2.EdgeP=0.1 --set View2.FeatureP=0.2";;
  coauthor-cs)      A="--lr 1e-5 --set Encoder.Hidden=256 --set Encoder.InnerHidden=512 --set View1.EdgeP=0.3 --set View1.FeatureP=0.3 --set View2.EdgeP=0.2 --set View2.FeatureP=0.4";;
  coauthor-physics) A="--lr 1e-5 --set Encoder.Hidden=128 --set Encoder.InnerHidden=256 --set View1.EdgeP=0.4 --set View1.FeatureP=0.1 --set View2.EdgeP=0.1 --set View2.FeatureP=0.4";;
  wiki-cs)          A="--lr 5e-4 --set Encoder.Hidden=256 --set Encoder.InnerHidden=512 --set View1.EdgeP=0.2 --set View1.FeatureP=0.2 --set View2.EdgeP=0.3 --set View2.FeatureP=0.1";;
  *) echo "unknown candidate '$C'" >&2; exit 2;;
esac
O=runs/bgrl-select/$D/$C
mkdir -p "$O"
dotnet "$DLL" $T $A $S --out "$O" 2>&1 | tee -a "$O/train.log"
mkdir -p "docs/results/bgrl-select/$D/$C"
cp "$O/metrics.json" "$O/train.log" "docs/results/bgrl-select/$D/$C/"

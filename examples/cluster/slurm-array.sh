#!/bin/bash
# A sweep as a Slurm job array: one array task per chain (here 4 = 2 seeds × 2 directions of
# examples/two-moons-tanh.l2exp.json). Each task finds its shard in SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT; rerunning a task resumes it. Join the parts afterwards with
#   node dist/cli.js merge results/two-moons/shard-* --out results/two-moons/all
#SBATCH --job-name=l2exp-two-moons
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
set -euo pipefail
node dist/cli.js run examples/two-moons-tanh.l2exp.json \
  --workers 1 \
  --out "results/two-moons/shard-${SLURM_ARRAY_TASK_ID}"

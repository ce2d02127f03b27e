#!/bin/bash
# A sweep as a Slurm job array. Each array task runs its share of the chains: l2exp reads its
# shard from SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) of SLURM_ARRAY_TASK_COUNT, so any
# --array size up to the number of chains works without editing this file (here 4 chains =
# 2 seeds × 2 directions of examples/two-moons-tanh.l2exp.json; a larger array is refused).
# Submit from the repository root, rerun (or requeue) a task to resume it, then join the parts:
#   sbatch --array=0-3 examples/cluster/slurm-array.sh
#   node dist/cli.js merge results/two-moons --out results/two-moons-all
# L2EXP_CONFIG and L2EXP_RESULTS (exported before sbatch) choose another config and folder.
#SBATCH --job-name=l2exp
#SBATCH --array=0-3
#SBATCH --cpus-per-task=1
#SBATCH --time=00:30:00
#SBATCH --requeue
set -euo pipefail
config="${L2EXP_CONFIG:-examples/two-moons-tanh.l2exp.json}"
results="${L2EXP_RESULTS:-results/two-moons}"
exec node dist/cli.js run "$config" --workers 1 --out "$results/shard-${SLURM_ARRAY_TASK_ID}"

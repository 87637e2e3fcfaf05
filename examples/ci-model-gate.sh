#!/bin/sh
# Logs a candidate model's evaluation metrics with lexi, linked to its training export, then fails
# (exit 1) when it regresses against the baseline or lacks a metric the baseline has.
# Called by ci-model-gate.yml; runs the same on a laptop against any store (LEXI_DB or --db).
#
# Environment:
#   MODEL            model name, e.g. qwen-unified
#   BASELINE         the version in production, e.g. v1.3.0
#   CANDIDATE        the version to gate, e.g. v1.4.0
#   METRICS_FILE     JSON written by the evaluation: {"grammar_f1": 0.81, "fluency_mae": 0.10}
#   EXPORT_ID        (optional) the lexi export the candidate was trained on
#   LOWER_IS_BETTER  (optional) metrics where lower is better, e.g. fluency_mae,wer
#   THRESHOLD        (optional) worsening that fails: 2% (default), or an absolute 0.02
set -eu

: "${MODEL:?set MODEL}" "${BASELINE:?set BASELINE}" "${CANDIDATE:?set CANDIDATE}" "${METRICS_FILE:?set METRICS_FILE}"

# {"a": 0.1, "b": 2} -> a=0.1 b=2 (metric names are words, so word splitting is safe)
pairs=$(node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(Object.entries(m).map(([k, v]) => k + "=" + v).join(" "))' "$METRICS_FILE")

# --replace: a re-run of the same candidate replaces its earlier entry instead of adding one.
# shellcheck disable=SC2086
lexi metrics log --model "$MODEL" --version "$CANDIDATE" --replace \
  ${EXPORT_ID:+--export "$EXPORT_ID"} \
  ${LOWER_IS_BETTER:+--lower-is-better "$LOWER_IS_BETTER"} \
  --meta commit="${GITHUB_SHA:-local}" \
  $pairs

# The direction stored above is used here; a metric the candidate lacks fails the gate too.
lexi metrics compare "$MODEL" "$BASELINE" "$CANDIDATE" --fail-on-regression "${THRESHOLD:-2%}"

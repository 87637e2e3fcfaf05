#!/bin/sh
# From demo data to preference data: seed a store, correct one example's target as a reviewer
# would, export DPO pairs, and print the command a trainer runs on the folder.
# Uses `lexi` from PATH and the store in LEXI_DB (default .lexi/lexi.db); OUT names the export folder.
set -eu
OUT="${OUT:-datasets/grammar-dpo}"

lexi seed

# The best pending grammar example, as lexi review would show it first.
id=$(lexi queue list --task grammar --status pending --limit 1 --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0]._id))')

# The reviewer's corrected target (what `e` in lexi review edits): fix the error type and the explanation.
target=$(mktemp)
lexi queue show "$id" --json | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const item = JSON.parse(s);
  const output = item.corrected_output ?? item.expected_output;
  const errors = output.grammar_errors.map((e) => ({ ...e, explanation: `Corrected by a reviewer: use "${e.correction}" here.` }));
  console.log(JSON.stringify({ grammar_errors: errors, tutor_response: `${output.tutor_response} (Reviewed.)` }));
});' > "$target"
lexi queue correct "$id" --by reviewer --file "$target" --notes "clearer explanations"
rm -f "$target"

lexi export --format dpo --task grammar --min-quality 0 --out "$OUT" --force

echo "Preference pairs in $OUT/data.jsonl; load them with:"
echo "  python -c 'from datasets import load_dataset; print(load_dataset(\"$OUT\"))'"
echo "Train with TRL's DPO command line:"
echo "  trl dpo --model_name_or_path Qwen/Qwen2.5-0.5B-Instruct --dataset_name $OUT --output_dir dpo-out"

#!/usr/bin/env python3
"""The original service's documented clients, run against `lexi serve`.

Each step sends what the original's docs show and reads the answer the way those clients did
(`examples[:10]`, `example["_id"]`, `response["data"]`), so a change in lexi's wire format makes
this script fail. Standard library only: the docs used `requests`; `urllib` sends the same.

    LEXI_URL=http://127.0.0.1:8000 LEXI_ADMIN_KEY=… LEXI_APP_KEY=… python3 examples/original-clients.py
"""
import json
import os
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

BASE_URL = os.environ.get("LEXI_URL", "http://127.0.0.1:8000")
ADMIN_KEY = os.environ.get("LEXI_ADMIN_KEY", "")
APP_KEY = os.environ.get("LEXI_APP_KEY", "")
TRAINING = f"{BASE_URL}/api/v1/training"


def call(method, url, key, params=None, body=None):
    if params:
        # As `requests` encodes params: booleans as True/False, lists as repeated keys.
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("content-type", "application/json")
    if key:
        request.add_header("authorization", f"Bearer {key}")
    with urllib.request.urlopen(request) as response:
        if response.status != 200:
            sys.exit(f"{method} {url}: HTTP {response.status}")
        return json.loads(response.read())


def ml_engineer():
    examples = call("GET", f"{TRAINING}/training-queue", ADMIN_KEY, params={"task_type": "grammar", "validated_only": False, "min_quality_score": 0.8, "limit": 1000})
    for example in examples[:10]:
        answer = call("PUT", f"{TRAINING}/training-queue/{example['_id']}/validate", ADMIN_KEY, body={"approved": True, "validated_by": "ml-engineer", "notes": "checked"})
        assert answer["success"] is True, answer
    training_data = call("POST", f"{TRAINING}/export/training-data", ADMIN_KEY, body={"task_types": ["grammar"], "validated_only": True, "min_quality_score": 0.8, "format": "jsonl"})
    records = training_data["data"]
    assert training_data["record_count"] == len(records), training_data["record_count"]
    for record in records:
        assert isinstance(record["input"], str) and isinstance(record["output"]["tutor_response"], str), record
    logged = call("POST", f"{TRAINING}/metrics/model-performance", ADMIN_KEY, body={"model_name": "qwen-unified", "version": "v1.3.0", "metrics": {"bleu": 0.41, "grammar_f1": 0.87}})
    print(f"ml engineer: {len(examples)} grammar examples queued, {min(10, len(examples))} validated, {len(records)} exported, metrics {logged['metric_id']}")


def dashboard(user_id):
    start = (datetime.now(timezone.utc) - timedelta(days=90)).isoformat()
    response = call("POST", f"{TRAINING}/analytics", ADMIN_KEY, body={"user_id": user_id, "start_date": start, "metric": "fluency", "group_by": "week"})
    weeks = [(row["_id"], row["avg_score"], row["count"]) for row in response["data"]]
    assert all(isinstance(avg, float) or isinstance(avg, int) for _, avg, _ in weeks), weeks
    print(f"dashboard: {len(weeks)} weeks of fluency for {user_id}")


def mobile_app():
    turn = {
        "session_id": "app-session-1",
        "user_id": "app-learner-1",
        "user_input": {"text": "Yesterday I go to the market and buy a apple."},
        "analysis": {
            "fluency_score": 0.62,
            "vocabulary_level": "A2",
            "grammar_errors": [
                {"type": "verb_tense", "error": "go", "correction": "went"},
                {"type": "article", "error": "a apple", "correction": "an apple"},
            ],
            "tutor_response": "Good try! Say: Yesterday I went to the market and bought an apple.",
        },
    }
    logged = call("POST", f"{BASE_URL}/api/v1/ai/interactions", APP_KEY, body=turn)
    feedback = call("POST", f"{TRAINING}/feedback", APP_KEY, body={"interaction_id": logged["interaction_id"], "user_id": "app-learner-1", "rating": 5, "helpful": True, "accurate": True})
    assert feedback["success"] is True, feedback
    snapshot = {"user_id": "app-learner-1", "snapshot_date": datetime.now(timezone.utc).isoformat(), "level": "A2", "fluency_score_avg": 0.62, "grammar_accuracy": 0.6, "vocabulary_count": 450, "total_interactions": 1, "study_streak_days": 1, "common_errors": [{"type": "article", "count": 1}]}
    call("POST", f"{TRAINING}/progress/snapshot", APP_KEY, body=snapshot)
    history = call("GET", f"{TRAINING}/progress/history/app-learner-1", APP_KEY)
    patterns = call("GET", f"{TRAINING}/error-patterns/user/app-learner-1", APP_KEY)
    turns = call("GET", f"{BASE_URL}/api/v1/ai/interactions/user/app-learner-1", APP_KEY)
    print(f"mobile app: turn {logged['interaction_id']} logged and rated, {len(history)} progress snapshots, error types {sorted(p['_id'] for p in patterns)}, {len(turns)} turns")


if __name__ == "__main__":
    ml_engineer()
    dashboard(sys.argv[1] if len(sys.argv) > 1 else "learner-0001")
    mobile_app()

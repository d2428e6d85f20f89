"""Reference shards for `llmops eval --shard I/N`: a row's shard is the first 8 bytes of the
sha256 of its id, big-endian, modulo N, plus one. Writes tests/data/shard_reference.json
(300 random ids, N in 2, 3, 4, 7, 16), which `cargo test --lib shard` compares against."""
import hashlib, json, random, string

random.seed(19)
alphabet = string.ascii_letters + string.digits + "-_.:/ éü日本"
ids = ["".join(random.choice(alphabet) for _ in range(random.randint(1, 24))) for _ in range(300)]
counts = [2, 3, 4, 7, 16]
cases = [{"id": i, "shards": {str(n): int.from_bytes(hashlib.sha256(i.encode()).digest()[:8], "big") % n + 1 for n in counts}} for i in ids]
with open("tests/data/shard_reference.json", "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=0)

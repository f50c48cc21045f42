"""Writes deterministic demo-record JSONL for benchmarks: gen_jsonl.py OUT_DIR TOTAL_MB FILES."""
import json
import os
import random
import sys

WORDS = ("parallel for reduction schedule static dynamic collapse private shared firstprivate kernel launch grid "
         "block thread warp memory buffer halo exchange allreduce broadcast barrier rank stencil transpose nstream "
         "dgemm sparse atomic critical simd target teams distribute").split()
LABELS = ["kernel", "loop", "io", "comm"]


def main():
    out, total_mb, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261126)
    target = total_mb * 1_000_000 // files
    index = 0
    for number in range(files):
        with open(os.path.join(out, f"gen-{number:03d}.jsonl"), "w") as handle:
            written = 0
            while written < target:
                count = rng.randint(20, 80)
                text = " ".join(rng.choice(WORDS) for _ in range(count))
                record = {"id": f"rec-{rng.getrandbits(48):012x}-{index}", "group": f"g{index % 997}", "text": text,
                          "label": LABELS[index % 4], "tokens": count, "score": round(rng.random(), 4)}
                line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
                handle.write(line)
                written += len(line)
                index += 1


if __name__ == "__main__":
    main()

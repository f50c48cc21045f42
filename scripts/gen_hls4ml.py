"""Writes wa-hls4ml-shaped records for benchmarks (issue 12): a published-layout file (one top-level array) of
about SIZE_MB megabytes, or JSON Lines of N records and predictions for them.

Usage: gen_hls4ml.py array OUT SIZE_MB          (every 5,000th element is null, as in the published train split)
       gen_hls4ml.py eval RECORDS_OUT PREDICTIONS_OUT N
The records follow the reference's abridged 3layer example with varied sizes, reuse factors and report numbers.
"""
import json
import random
import sys


def record(i, rng):
    n0, n1, n2 = rng.choice(range(8, 129, 8)), rng.choice(range(8, 129, 8)), rng.choice(range(8, 129, 8))
    rf = rng.choice([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    bits = rng.choice(range(2, 17, 2))
    layers = []
    for index, (a, b) in enumerate([(n0, n1), (n1, n2), (n2, 5)]):
        layers.append({"class_name": "QDense", "input_shape": [None, a], "output_shape": [None, b], "inbound_layers": [f"l{index}"],
                       "parameters": a * b + b, "trainable_parameters": a * b + b, "neurons": b, "use_bias": True,
                       "dtype": "float32", "reuse_factor": min(rf, a * b)})
        layers.append({"class_name": "Activation", "input_shape": [None, b], "output_shape": [None, b], "inbound_layers": [f"q{index}"],
                       "parameters": 0, "trainable_parameters": 0, "dtype": "float32", "reuse_factor": rf, "activation": "relu"})
    macs = n0 * n1 + n1 * n2 + n2 * 5
    lut = int(macs * bits / max(1, rf) * 3 + rng.randint(100, 2000))
    synthesized = i % 10 != 9
    uuid = f"{i:08x}-0000-4000-8000-{rng.getrandbits(48):012x}"
    return {
        "meta_data": {"uuid": uuid, "model_name": f"/output/3layer_run_vsynth_2023-2/raw_reports/dense_{n0}_{n1}_{n2}_{bits}b",
                      "artifacts_file": uuid + ".tar.gz"},
        "model_config": layers,
        "hls_config": {"Model": {"Precision": "fixed<16,6>", "ReuseFactor": rf, "Strategy": "resource", "BramFactor": 1000000000,
                                 "TraceOutput": False},
                       "LayerName": {f"q_dense_{k}": {"Trace": False, "Precision": {"result": "fixed<16,6>", "weight": f"fixed<{bits},1>",
                                                                                   "bias": f"fixed<{bits},1>", "accum": "fixed<16,6>"},
                                                      "ReuseFactor": rf} for k in range(3)}},
        "resource_report": {"bram": str(rng.choice([0, 0.5, 1.5, 2, 17.5])), "dsp": str(rng.randint(0, 64)), "ff": str(lut * 2 // 3),
                            "lut": str(lut), "uram": "0"} if synthesized else {},
        "hls_resource_report": {"bram": str(rng.randint(0, 80)), "dsp": str(rng.randint(0, 64)), "ff": str(lut), "lut": str(lut * 4 // 3),
                                "uram": "0"},
        "latency_report": {"cycles_min": str(rf * 3), "cycles_max": str(rf * 3 + 3), "target_clock": "5.00", "estimated_clock": "3.782",
                           "interval_max": str(rf), "interval_min": str(rf)} if synthesized else {},
        "target_part": "xcu250-figd2104-2L-e", "vivado_version": "2023.2", "hls4ml_version": "0.8.1",
    }


def main():
    rng = random.Random(12)
    if sys.argv[1] == "array":
        out, limit = sys.argv[2], int(float(sys.argv[3]) * 1_000_000)
        written, i = 0, 0
        with open(out, "w") as handle:
            handle.write("[")
            while written < limit:
                text = "null" if i % 5000 == 4999 else json.dumps(record(i, rng))
                handle.write(("," if i else "") + text)
                written += len(text) + 1
                i += 1
            handle.write("]\n")
        print(i)
    else:
        records_out, predictions_out, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
        with open(records_out, "w") as records, open(predictions_out, "w") as predictions:
            for i in range(count):
                value = record(i, rng)
                value["id"] = f"r{i:07d}"
                records.write(json.dumps(value) + "\n")
                lut = float(value["resource_report"].get("lut", "1000"))
                predictions.write(json.dumps({"id": value["id"], "BRAM": rng.random() * 4, "DSP": rng.randint(0, 64), "FF": lut * 0.6,
                                              "LUT": lut * rng.uniform(0.8, 1.2), "cycles_max": rng.randint(1, 4000),
                                              "interval_max": rng.randint(1, 1024)}) + "\n")


if __name__ == "__main__":
    main()

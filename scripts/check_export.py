"""Checks pipe exports with independent readers: Hugging Face datasets and mlcroissant.

Usage: check_export.py GZIP_EXPORT_DIR ZSTD_EXPORT_DIR  (prints a markdown section; exit 1 on failure)
"""
import json
import os
import subprocess
import sys


def manifest(folder):
    with open(os.path.join(folder, "manifest.json")) as handle:
        return json.load(handle)


def check_datasets(folder, rows):
    from datasets import load_dataset

    meta = manifest(folder)
    files = {}
    for entry in meta["files"]:
        files.setdefault(entry["split"], []).append(os.path.join(folder, entry["path"]))
    loaded = load_dataset("json", data_files=files)
    ok = True
    for split, expected in sorted(meta["splits"].items()):
        got = loaded[split].num_rows if split in loaded else 0
        good = got == expected
        ok &= good
        rows.append((f"datasets.load_dataset json, {meta['compression']}, split {split}", f"{got} of {expected} records", good))
    return ok


def check_croissant_validate(folder, rows):
    path = os.path.join(folder, "croissant.json")
    tool = os.path.join(os.path.dirname(sys.executable), "mlcroissant")
    result = subprocess.run([tool, "validate", "--jsonld", path], capture_output=True, text=True)
    text = (result.stdout + result.stderr)
    warnings = [line for line in text.splitlines() if "warning" in line.lower() and "Done" not in line]
    good = result.returncode == 0
    detail = "exit 0" if good else f"exit {result.returncode}: {text.strip()[-300:]}"
    if warnings:
        detail += f", {len(warnings)} warning line(s)"
    rows.append((f"mlcroissant validate, {manifest(folder)['compression']}", detail, good))
    return good


def check_croissant_records(folder, rows):
    import mlcroissant as mlc

    meta = manifest(folder)
    dataset = mlc.Dataset(jsonld=os.path.join(folder, "croissant.json"))
    record_sets = [record_set.uuid for record_set in dataset.metadata.record_sets]
    count = sum(1 for _ in dataset.records(record_set=record_sets[0]))
    good = count == meta["records"]
    rows.append((f"mlcroissant Dataset.records, {meta['compression']}", f"{count} of {meta['records']} records", good))
    return good


def main():
    gzip_dir, zstd_dir = sys.argv[1], sys.argv[2]
    rows = []
    ok = True
    for step in (
        lambda: check_datasets(gzip_dir, rows),
        lambda: check_datasets(zstd_dir, rows),
        lambda: check_croissant_validate(gzip_dir, rows),
        lambda: check_croissant_validate(zstd_dir, rows),
        lambda: check_croissant_records(gzip_dir, rows),
    ):
        try:
            ok &= step()
        except Exception as error:  # a reader crashing on our files is a failed check, reported as such
            rows.append(("exception", repr(error)[:300], False))
            ok = False
    print("## Exports read by independent tools")
    print()
    print("The demo dataset exported twice (gzip, zstd) and read by PyPI tools in a fresh virtual environment.")
    print()
    print("| check | result | ok |")
    print("|---|---|---|")
    for name, detail, good in rows:
        print(f"| {name} | {detail} | {'yes' if good else 'NO'} |")
    print()
    passed = sum(1 for row in rows if row[2])
    print(f"{passed} passed, {len(rows) - passed} failed")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

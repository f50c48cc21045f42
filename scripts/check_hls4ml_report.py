"""Compares pipe's hls4ml report parsers with hls4ml's own parse_vivado_report on the same project folders.

Usage: check_hls4ml_report.py PIPE_CONFORMANCE_BIN REPEATS NAME=PROJECT_DIR...
Prints a markdown section: per project, every key of CSynthesisReport and VivadoSynthReport compared, and (when
REPEATS is 10 or more) the time of each parser over REPEATS parses (files read each time), in this one run. Exit 1 on
any difference.
"""
import contextlib
import io
import json
import subprocess
import sys
import time

import hls4ml
from hls4ml.report import parse_vivado_report


def upstream(folder, repeats):
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink):
        report = parse_vivado_report(folder)
        start = time.perf_counter()
        for _ in range(repeats):
            parse_vivado_report(folder)
        seconds = time.perf_counter() - start
    report = report or {}
    return {key: report.get(key, {}) for key in ("CSynthesisReport", "VivadoSynthReport")}, seconds


def ours(binary, folder, repeats):
    out = subprocess.run([binary, "hls4ml-report", folder, str(repeats)], check=True, capture_output=True, text=True).stdout
    value = json.loads(out)
    return {key: value.get(key, {}) for key in ("CSynthesisReport", "VivadoSynthReport")}, value["seconds"]


def main():
    binary, repeats, projects = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    failures = 0
    timed = repeats >= 10
    lines = [
        "## hls4ml reports: pipe's parsers against hls4ml's parse_vivado_report",
        "",
        f"hls4ml {hls4ml.__version__} from PyPI, in a virtual environment made by `scripts/conformance`; each project "
        "folder is read by `parse_vivado_report` and by `pipe-conformance hls4ml-report` (the parsers of `hls4ml.records`), "
        "and every key of both dictionaries is compared as text.",
        "",
        "| project | CSynthesisReport keys | VivadoSynthReport keys | equal | hls4ml parses/s | pipe parses/s | ratio |"
        if timed else "| project | CSynthesisReport keys | VivadoSynthReport keys | equal |",
        "|---|---|---|---|---|---|---|" if timed else "|---|---|---|---|",
    ]
    details = []
    for entry in projects:
        name, folder = entry.split("=", 1)
        theirs, their_seconds = upstream(folder, repeats)
        mine, my_seconds = ours(binary, folder, repeats)
        equal = theirs == mine
        failures += 0 if equal else 1
        their_rate, my_rate = repeats / their_seconds, repeats / my_seconds
        row = (f"| {name} | {len(theirs['CSynthesisReport'])} | {len(theirs['VivadoSynthReport'])} | "
               f"{'yes' if equal else '**no**'} |")
        if timed:
            row += f" {their_rate:,.0f} | {my_rate:,.0f} | {my_rate / their_rate:.1f}x |"
        lines.append(row)
        for section in ("CSynthesisReport", "VivadoSynthReport"):
            keys = sorted(set(theirs[section]) | set(mine[section]))
            for key in keys:
                a, b = theirs[section].get(key), mine[section].get(key)
                if a != b:
                    details.append(f"- {name} {section}.{key}: hls4ml {a!r}, pipe {b!r}")
        if name == "shared":
            shown = theirs
    lines.append("")
    if details:
        lines.append("Differences:")
        lines.extend(details)
    else:
        lines.append("No differences. The values of the real report (`../shared/conformance/hls4ml-vivado-report`):")
        lines.append("")
        for section in ("CSynthesisReport", "VivadoSynthReport"):
            values = ", ".join(f"{k} {v}" for k, v in sorted(shown[section].items()))
            lines.append(f"- {section}: {values}")
    if timed:
        lines.append("")
        lines.append(f"Timing: {repeats} parses per project in one run, files read from disk each time; hls4ml's loop runs "
                     "in one Python process (start-up excluded), pipe's in one `pipe-conformance` process (start-up excluded).")
    print("\n".join(lines))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

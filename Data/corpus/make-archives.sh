#!/usr/bin/env bash
# Rebuilds archives/*.tar.gz from archive-sources/, byte for byte the same on every machine:
# sorted entries, zero mtimes and owners, fixed modes, and no name or time in the gzip header.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p archives
for dir in archive-sources/*/; do
  name=$(basename "$dir")
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode='u=rwX,go=rX' --format=gnu \
    -C archive-sources -cf - "$name" | gzip -n -9 > "archives/$name.tar.gz"
done

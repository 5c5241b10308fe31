#!/usr/bin/env bash
# Creates Benchmarks/peers/.venv, the Python environment of compare.py: a venv of the system
# python3 with --system-site-packages (so it sees Debian's python3-xapian), with tantivy 0.27 and
# matplotlib from PyPI. Installs python3-xapian and python3-venv with apt-get when missing (run as
# root on Debian/Ubuntu, or install them yourself first). Re-running it is harmless.
#
# Usage: bash Benchmarks/peers/setup.sh [VENV_DIR]      (default: Benchmarks/peers/.venv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${1:-$here/.venv}"

if ! /usr/bin/python3 -c 'import xapian, venv' 2>/dev/null; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-xapian python3-venv
    else
        echo "setup.sh: python3-xapian or python3-venv is missing; Xapian will be skipped" >&2
    fi
fi
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install --quiet 'tantivy==0.27.0' 'matplotlib==3.11.2'
"$venv/bin/python" - <<'PY'
import sqlite3, tantivy, matplotlib
try:
    import xapian
    xapian_version = xapian.version_string()
except ImportError:
    xapian_version = "not installed (skipped by compare.py)"
print("tantivy", tantivy.__version__, "| matplotlib", matplotlib.__version__, "| SQLite", sqlite3.sqlite_version,
      "| Xapian", xapian_version)
PY
echo "run: $venv/bin/python Benchmarks/peers/compare.py"

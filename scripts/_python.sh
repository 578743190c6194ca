# Sourced by the scripts: makes .venv with Python 3.12+ and installs the project into it.
# EXTRAS selects the optional dependencies (e.g. "[dev]").
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

find_python() {
  local candidates=()
  if command -v pyenv >/dev/null 2>&1; then
    candidates+=("$(pyenv which python 2>/dev/null || true)")  # honours .python-version
  fi
  candidates+=(python3.13 python3.12 python3 python)
  for py in "${candidates[@]}"; do
    [ -n "$py" ] || continue
    if command -v "$py" >/dev/null 2>&1 &&
      "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
  echo "SCP Scorecard needs Python 3.12 or newer (Django 6). Install it, e.g. 'pyenv install 3.13.0'." >&2
  return 1
}

if [ ! -x .venv/bin/python ]; then
  "$(find_python)" -m venv .venv
fi
stamp=".venv/.installed${EXTRAS:-}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${EXTRAS:-}"
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"

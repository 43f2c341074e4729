#!/usr/bin/env bash
# Run every test: formatting, lints, the Rust tests, and the end-to-end kernel tests.
#
#   ./install/test.sh              everything
#   ./install/test.sh -k interrupt extra arguments go to pytest
#
# Exits non-zero if anything fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

bash "$ROOT/install/setup.sh" --no-open

for component in rustfmt clippy; do
    if command -v rustup >/dev/null 2>&1 && ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
        step "Adding the $component component"
        rustup component add "$component"
    fi
done

declare -a FAILED=()

step "cargo fmt --all -- --check"
cargo fmt --all -- --check || FAILED+=("cargo fmt (run 'cargo fmt --all' to fix)")

step "cargo clippy --release --locked --workspace --all-targets -- -D warnings"
cargo clippy --release --locked --workspace --all-targets -- -D warnings || FAILED+=("cargo clippy")

step "cargo test --release --locked --workspace"
cargo test --release --locked --workspace || FAILED+=("cargo test")

step "pytest tests/"
set +e
"$ROOT/.venv/bin/python" -m pytest "$ROOT/tests" -ra "$@"
status=$?
set -e
case "$status" in
    0) ;;
    5) FAILED+=("pytest (no tests were collected)") ;;
    *) FAILED+=("pytest (exit code $status)") ;;
esac

echo
if ((${#FAILED[@]})); then
    printf 'FAILED: %s\n' "${FAILED[@]}"
    exit 1
fi
echo "All checks passed."

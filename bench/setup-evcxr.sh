#!/usr/bin/env bash
# Installs evcxr_jupyter 0.22 (the kernel rcourse wraps, without the course
# library), the reference that bench/kernel_speed.py measures rcourse
# against. It is a long build (about 15 minutes on two cores), kept out of
# install/setup.sh: students and teachers never need it.
#
#     bench/setup-evcxr.sh        # then: .venv/bin/python bench/kernel_speed.py
#
# The binary goes to bench/.evcxr/bin, and its kernelspec, named
# "evcxr-reference", to the project's .venv (made by install/setup.sh).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="0.22.0"
prefix="$root/bench/.evcxr"
venv="$root/.venv"

if [ ! -x "$venv/bin/python" ]; then
    echo "bench/setup-evcxr.sh: run install/setup.sh first (no $venv)" >&2
    exit 1
fi
if ! "$prefix/bin/evcxr_jupyter" --version 2>/dev/null | grep -q "$version"; then
    cargo install evcxr_jupyter --version "=$version" --locked --root "$prefix"
fi
spec="$venv/share/jupyter/kernels/evcxr-reference"
mkdir -p "$spec"
cat > "$spec/kernel.json" <<JSON
{
  "argv": ["$prefix/bin/evcxr_jupyter", "--control_file", "{connection_file}"],
  "display_name": "Rust (evcxr_jupyter $version, reference)",
  "language": "rust",
  "interrupt_mode": "message"
}
JSON
echo "evcxr_jupyter $version: kernelspec evcxr-reference in $spec"

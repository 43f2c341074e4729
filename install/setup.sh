#!/usr/bin/env bash
# Set up everything the course needs, then open it in JupyterLab.
#
#   ./install/setup.sh            set up and open the course in JupyterLab
#   ./install/setup.sh --no-open  set up only (what CI and install/test.sh use)
#
# The course opens from a working copy, my-course/ (not tracked by git), so
# the outputs JupyterLab saves never touch the course's own notebooks/.
# Safe to run again: every step is skipped when it is already done, and
# notebooks already in my-course/ are never overwritten.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/install/requirements.txt"

OPEN=1
for arg in "$@"; do
    case "$arg" in
        --no-open) OPEN=0 ;;
        -h | --help)
            sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option '$arg' (try --help)." >&2
            exit 2
            ;;
    esac
done
# Never start a server in CI, whatever the flags say.
if [[ "${CI:-}" == "true" ]]; then
    OPEN=0
fi

# shellcheck source=install/common.sh
source "$ROOT/install/common.sh"

# --- Rust toolchain ---------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1 && [[ -f "$HOME/.cargo/env" ]]; then
    # shellcheck disable=SC1091
    source "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || die "cargo was not found: install a Rust toolchain with rustup first."

if command -v rustup >/dev/null 2>&1; then
    if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
        step "Adding the rust-src component (code completion and docs)"
        rustup component add rust-src ||
            warn "could not add rust-src: code completion and docs will not work until it is installed."
    fi
else
    warn "rustup was not found: make sure the rust-src component is installed, or completions will not work."
fi

# --- lld linker ---------------------------------------------------------------
if command -v ld.lld >/dev/null 2>&1; then
    :
else
    step "Installing the lld linker (faster cell compilation)"
    if ! apt_install lld; then
        warn "could not install lld (needs root and apt-get): cells will link with the default linker, which is slower."
    fi
fi

# --- bubblewrap (the sandbox `rcourse grade` runs submissions in) -------------
if ! command -v bwrap >/dev/null 2>&1; then
    step "Installing bubblewrap (the sandbox for grading)"
    if ! apt_install bubblewrap; then
        warn "could not install bubblewrap (needs root and apt-get): 'rcourse grade' will refuse to run student code until it is installed."
    fi
fi

# --- Python environment ---------------------------------------------------------
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON was not found: install Python 3.10 or newer."
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' ||
    die "$("$PYTHON" --version 2>&1) is too old: Python 3.10 or newer is needed."

if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    step "Creating the Python environment in .venv"
    rm -rf "$VENV"
    if ! "$PYTHON" -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        # Debian and Ubuntu ship venv separately.
        apt_install python3-venv || die "'$PYTHON -m venv' failed: install the venv module (Debian: python3-venv)."
        "$PYTHON" -m venv "$VENV"
    fi
fi

REQ_HASH="$( (cat "$REQUIREMENTS"; "$VENV/bin/python" --version) | sha256sum | cut -d' ' -f1)"
REQ_STAMP="$VENV/.requirements.sha256"
if [[ ! -f "$REQ_STAMP" || "$(cat "$REQ_STAMP")" != "$REQ_HASH" ]]; then
    step "Installing Python packages from install/requirements.txt"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
    echo "$REQ_HASH" >"$REQ_STAMP"
fi

# --- Kernel -----------------------------------------------------------------------
# The whole workspace with its tests, in one build: `cargo test` then finds
# every dependency (evcxr and rust-analyzer above all) already compiled with
# the same features, instead of building them a second time.
step "Building the kernel (cargo build --release; the first build takes a while)"
(cd "$ROOT" && cargo build --release --locked --workspace --all-targets)

step "Installing the Jupyter kernel into .venv (the first time prepares the course library)"
VIRTUAL_ENV="$VENV" "$ROOT/target/release/rcourse" install --sys-prefix

step "Ready: the kernel 'Rust (course)' is installed"

# --- The working copy -------------------------------------------------------------
# Notebooks are copied once; a student's edits and outputs stay in my-course/.
WORK="$ROOT/my-course"
copied=0
while IFS= read -r -d '' source; do
    relative="${source#"$ROOT/notebooks/"}"
    if [[ ! -e "$WORK/$relative" ]]; then
        mkdir -p "$(dirname "$WORK/$relative")"
        cp "$source" "$WORK/$relative"
        copied=$((copied + 1))
    fi
done < <(find "$ROOT/notebooks" -type f -not -path '*/.ipynb_checkpoints/*' -print0)
if ((copied)); then
    step "Copied $copied course file(s) into my-course/ (your working copy)"
fi

if [[ "$OPEN" == 1 ]]; then
    step "Opening the course in JupyterLab from my-course/ (stop it with Ctrl-C)"
    cd "$ROOT"
    export VIRTUAL_ENV="$VENV"
    export PATH="$VENV/bin:$PATH"
    LAB_ARGS=()
    # JupyterLab refuses to start as root unless told that it is meant.
    if is_root; then
        LAB_ARGS+=(--allow-root)
    fi
    exec "$VENV/bin/jupyter" lab "${LAB_ARGS[@]}" my-course/
fi

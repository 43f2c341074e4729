# Helpers shared by the set-up scripts (sourced, not run).

step() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ "$(id -u)" == 0 ]]; }

APT_UPDATED=0
apt_install() {
    # apt_install PACKAGE...: installs Debian packages when we can, else returns 1.
    if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
        return 1
    fi
    local log
    log="$(mktemp)"
    if [[ "$APT_UPDATED" == 0 ]]; then
        if ! DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            return 1
        fi
        APT_UPDATED=1
    fi
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

#!/usr/bin/env bash
# The course library's speed figures, each against its reference measured in
# the same run (the course's Python where it has one, criterion for %timeit).
#
#   ./bench/course.sh                every benchmark
#   ./bench/course.sh bfs codebreaker only these (bfs, nilakantha, codebreaker,
#                                     stocks, warmup, timeit)
#
# The Python references (course-lib/python/) need python3 on PATH. Run on an idle machine: the
# parallel speed-ups need both cores to themselves.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ALL=(bfs nilakantha codebreaker stocks warmup timeit)
if (($#)); then
    CHOSEN=("$@")
else
    CHOSEN=("${ALL[@]}")
fi

for name in "${CHOSEN[@]}"; do
    printf '\n==> %s\n' "$name"
    case "$name" in
        timeit) cargo bench --locked -p course_lib --bench timeit_precision 2>&1 |
            grep -E '^(%timeit against|[a-z].* criterion )' ;;
        bfs | nilakantha | codebreaker | stocks | warmup)
            cargo run --quiet --release --locked -p course_lib --example "${name}_bench" ;;
        *)
            echo "unknown benchmark '$name' (choose from: ${ALL[*]})" >&2
            exit 2
            ;;
    esac
done

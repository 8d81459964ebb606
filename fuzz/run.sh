#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/README.md) and runs each for SECONDS
# (default 60) on a scratch copy of its seed corpus in fuzz/corpus/, so a run
# never writes into the repository. Exits non-zero when any target crashes,
# leaks, times out or runs out of memory, after printing the input's path
# and bytes. Targets run side by side, FUZZ_JOBS at a time (default: the
# number of cores). Usage: fuzz/run.sh [seconds] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(resp-decoder inline-splitter json-parser json-path sql-parser)
jobs="${FUZZ_JOBS:-$(nproc)}"

# libFuzzer's runtime comes with the Swift toolchain's clang.
toolchain="$(dirname "$(dirname "$(command -v swiftc)")")"
if ! ls "$toolchain"/lib/clang/*/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
    echo "fuzz: no libFuzzer runtime (libclang_rt.fuzzer) in $toolchain/lib/clang; this Swift toolchain cannot build -sanitize=fuzzer" >&2
    exit 1
fi

# MEMFLUX_FUZZ=1 adds the fuzz-* executables to Package.swift. SwiftPM's own
# --sanitize flags keep it from renaming `main` (libFuzzer supplies it); the
# -Xswiftc flag is what reaches the compiler, since of two -sanitize= flags
# it keeps only the last (and so would drop the coverage instrumentation).
# -enable-testing: the targets reach internal parser types (@testable).
build=(swift build --scratch-path .build-fuzz -c release
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
start=$(date +%s)
for target in "${targets[@]}"; do
    MEMFLUX_FUZZ=1 "${build[@]}" --product "fuzz-$target"
done
bin="$(MEMFLUX_FUZZ=1 "${build[@]}" --show-bin-path)"
echo "fuzz: built ${targets[*]} in $(( $(date +%s) - start )) s"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/memflux-fuzz.XXXXXX")"
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-$toolchain/bin/llvm-symbolizer}"
export SWIFT_BACKTRACE=enable=no  # libFuzzer and ASan report the crash

run_one() {
    local target="$1" dir="$scratch/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp -R "fuzz/corpus/$target/." "$dir/corpus/"
    (cd "$dir" && "$bin/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/artifacts/" corpus >"$dir/log" 2>&1)
}

declare -A pid_of
for target in "${targets[@]}"; do
    while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    run_one "$target" &
    pid_of[$target]=$!
done

failed=0
for target in "${targets[@]}"; do
    status=0
    wait "${pid_of[$target]}" || status=$?
    dir="$scratch/$target"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)"
    corpus="$(ls "$dir/corpus" | wc -l)"
    artifacts=("$dir"/artifacts/*)
    if [ "$status" -eq 0 ] && [ ! -e "${artifacts[0]}" ]; then
        echo "fuzz: $target: ok, ${runs:-?} runs in $seconds s, corpus $(ls "fuzz/corpus/$target" | wc -l) -> $corpus inputs"
        continue
    fi
    failed=1
    echo "fuzz: $target: FAILED (exit $status) after ${runs:-?} runs; log $dir/log:"
    grep -v '^#[0-9]' "$dir/log" | tail -n 60
    for artifact in "${artifacts[@]}"; do
        [ -e "$artifact" ] || continue
        echo "fuzz: $target: input $artifact ($(wc -c <"$artifact") bytes):"
        od -A x -t x1z -v "$artifact" | head -n 64
        echo "fuzz: reproduce: MEMFLUX_FUZZ=1 ${build[*]} --product fuzz-$target && $bin/fuzz-$target $artifact"
    done
done

if [ "$failed" -ne 0 ]; then
    echo "fuzz: FAILED; inputs and logs kept in $scratch"
    exit 1
fi
rm -rf "$scratch"
echo "fuzz: ${#targets[@]} targets passed, $seconds s each, $(( $(date +%s) - start )) s in all"

#!/usr/bin/env bash
# On the GPU machine, after tools/gpu-bundle.sh here: every GPU test (cuda/, the GPU HF goldens, the
# GPU server test), with the JDK and jars from .carry. Usage: bash tools/gpu-run-tests.sh [OUT_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp}"
mkdir -p /tmp/j && [ -x /tmp/j/jdk/bin/java ] || tar xJf .carry/jdk.tar.xz -C /tmp/j
export LD_LIBRARY_PATH="/usr/local/cuda-13.0/targets/x86_64-linux/lib:${LD_LIBRARY_PATH:-}"
java=(/tmp/j/jdk/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$PWD/.carry/lib/*")
launch() { "${java[@]}" org.junit.platform.console.ConsoleLauncher execute --details=summary --disable-banner "$@"; }
launch --select-package dev.multiverse.cuda --select-class dev.multiverse.cuda.GpuKernelProperties \
  --select-class dev.multiverse.cuda.GpuReadoutProperties 2>&1 | tee "$out/gpu-cuda-tests.log"
if ls .carry/lib | grep -q cli-tests; then
  launch --select-class dev.multiverse.cli.GpuServeTest 2>&1 | tee "$out/gpu-serve-test.log"
fi
(cd conformance && launch --select-class dev.multiverse.conformance.GpuHfGoldenTest) 2>&1 | tee "$out/gpu-golden-test.log"

#!/usr/bin/env bash
# Packs what a GPU machine with no Java and no network needs to run the CUDA backend, its tests
# and the benchmarks: a jlink'ed JDK (as .carry/jdk.tar.xz, made once) and the jars of the
# project with their whole test class path (.carry/lib). On that machine:
#   mkdir -p /tmp/j && tar xJf .carry/jdk.tar.xz -C /tmp/j
#   /tmp/j/jdk/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
#       -cp "$PWD/.carry/lib/*" org.junit.platform.console.ConsoleLauncher execute --select-package dev.multiverse.cuda \
#       --select-class dev.multiverse.cuda.GpuKernelProperties --select-class dev.multiverse.cuda.GpuReadoutProperties
# (the launcher's own -cp does not expand '*'; jqwik finds its properties by class, not by package).
# GpuHfGoldenTest reads its goldens relative to conformance/: run it from there.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/java-home.sh
out=.carry
mkdir -p "$out"
if [ ! -f "$out/jdk.tar.xz" ]; then
  rm -rf "$out/jdk"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management,java.net.http,jdk.httpserver,java.sql,java.xml,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$out/jdk"
  tar cJf "$out/jdk.tar.xz" -C "$out" jdk && rm -rf "$out/jdk"
fi
./mvnw -q -B -ntp install -DskipTests -pl cuda,conformance,server,cli,benchmarks -am
rm -rf "$out/lib" && mkdir -p "$out/lib"
./mvnw -q -B -ntp dependency:copy-dependencies -pl cuda,conformance,cli,benchmarks -DincludeScope=test -DoutputDirectory="$PWD/$out/lib"
./mvnw -q -B -ntp dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4 \
  -DoutputDirectory="$PWD/$out/lib" -Dmdep.stripVersion=true
# The project's own jars come from this checkout's target folders, never from ~/.m2 (which other
# checkouts on the machine may have overwritten).
rm -f "$out"/lib/multiverse-*.jar
for m in weights-loader tokenizer contract layout reference engine cuda conformance server cli benchmarks; do
  cp "$m"/target/multiverse-*SNAPSHOT.jar "$out/lib/"
  case "$m" in reference|cuda|conformance|cli) ;; *) continue ;; esac
  if [ -d "$m/target/test-classes" ]; then (cd "$m/target/test-classes" && "$JAVA_HOME/bin/jar" cf "../../../$out/lib/$m-tests.jar" .); fi
done
# The console launcher bundles JUnit itself; the DJL tokenizer oracle (and its natives) and JMH's
# statistics stay here: the GPU machine runs neither.
(cd "$out/lib" && rm -f junit-jupiter-*.jar junit-platform-commons-*.jar junit-platform-engine-*.jar opentest4j-*.jar \
  apiguardian-*.jar api-0.*.jar tokenizers-*.jar jna-*.jar gson-*.jar commons-*.jar error_prone_*.jar slf4j-*.jar)
du -sh "$out"/*

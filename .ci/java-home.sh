# Selects JDK 25 for the build and for ./multiverse. Sourced, not run.
# Order: $JAVA_HOME if it is a JDK 25 or newer, then the Temurin 25 install, then java on the PATH.
_mv_java_ok() { [ -x "$1/bin/java" ] && "$1/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; }
if [ -n "${JAVA_HOME:-}" ] && _mv_java_ok "$JAVA_HOME"; then :
elif _mv_java_ok /usr/lib/jvm/temurin-25-jdk-amd64; then JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
elif command -v java >/dev/null && _mv_java_ok "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
else
  echo "multiverse: JDK 25 not found; set JAVA_HOME to a JDK 25 (for example /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 2
fi
export JAVA_HOME
unset -f _mv_java_ok

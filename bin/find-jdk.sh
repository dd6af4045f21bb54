# Sourced by ./tga and ./mvn21: sets TGA_JAVA_HOME to a JDK whose version is >= 21.
# Order: $JAVA_HOME, the java on PATH, then every JDK under /usr/lib/jvm (newest first).
_tga_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}
_tga_find_jdk() {
  local candidates=() c
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ /usr/local/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidates+=("${c%/}")
  done
  for c in "${candidates[@]}"; do
    if [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ]; then
      local v; v=$(_tga_java_major "$c")
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then TGA_JAVA_HOME="$c"; return 0; fi
    fi
  done
  echo "tga4j needs a JDK >= 21; none found in JAVA_HOME, PATH or /usr/lib/jvm." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 1
}
_tga_find_jdk || exit 1
# Maven's own guava touches sun.misc.Unsafe; JDK 24+ warns loudly about it unless told to allow it.
if [ "$(_tga_java_major "$TGA_JAVA_HOME")" -ge 24 ]; then
  case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi

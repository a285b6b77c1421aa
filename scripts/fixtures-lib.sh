# Shared by the fixture scripts (sourced, not run): real foreign-architecture programs from Debian.
# as_root CMD…: run as root (directly when root already).
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# fetch_busybox OUT ARCH…: Debian's busybox-static for each Debian ARCH, downloaded into OUT/debs
# (the foreign architectures added to dpkg first) and extracted to OUT/x/ARCH (bin/busybox).
# A partial `apt-get update` failure (a mirror mid-sync for one architecture) is not fatal: the
# download decides, and a missing program fails the caller.
fetch_busybox() {
  local out=$1 a deb need_update=0; shift
  for a in "$@"; do
    [ "$a" = "$(dpkg --print-architecture)" ] && continue
    if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
      as_root dpkg --add-architecture "$a"
      need_update=1
    fi
  done
  local debs="$out/debs"; mkdir -p "$debs"
  if ! (cd "$debs" && apt-get download -q "busybox-static:amd64" >/dev/null 2>&1); then need_update=1; fi
  if [ "$need_update" = 1 ]; then
    as_root apt-get update -qq || echo "fetch_busybox: apt-get update reported errors; trying anyway" >&2
  fi
  for a in "$@"; do
    (cd "$debs" && ls busybox-static_*_"$a".deb >/dev/null 2>&1 || apt-get download -q "busybox-static:$a" 2>&1 | grep -v unsandboxed >&2 || true)
    deb=$(ls "$debs"/busybox-static_*_"$a".deb | head -n1)
    mkdir -p "$out/x/$a" && dpkg -x "$deb" "$out/x/$a"
    test -x "$out/x/$a/bin/busybox"
  done
}

# Sourced by the set-up scripts: require_packages PACKAGE... installs the Debian packages
# that are missing, with apt-get as root or through sudo, or stops with one line naming them.
# as_root COMMAND... runs a command as root where it can (root, or sudo); false otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    return 1
  fi
}

require_packages() {
  local missing=() package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  ((${#missing[@]})) || return 0
  if ! as_root true; then
    echo "microscope: install the system packages first: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

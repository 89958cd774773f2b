# Optional: source this file from the project folder (". scripts/node24.sh") to put Node.js 24
# first on PATH in this shell. npm start, npm test and the backup commands do not need it: they
# fetch and use Node 24 by themselves. Works in sh (dash), bash and zsh.
# A sourced file cannot portably learn its own path; bash tells it (BASH_SOURCE), zsh passes it
# as $0, and in other shells the current folder is taken as the project folder.
_fk_src="${BASH_SOURCE:-$0}"
case "$_fk_src" in
  */node24.sh) _fk_root="$(cd "$(dirname "$_fk_src")/.." && pwd)" ;;
  *) _fk_root="$(pwd)" ;;
esac
if [ ! -f "$_fk_root/scripts/node24.mjs" ]; then
  echo "node24.sh: run it in the Fangkong folder: . scripts/node24.sh" >&2
elif _fk_bin="$(node "$_fk_root/scripts/node24.mjs" --bin-dir)" && [ -n "$_fk_bin" ]; then
  PATH="$_fk_bin:$PATH"
  export PATH
fi
unset _fk_src _fk_root _fk_bin

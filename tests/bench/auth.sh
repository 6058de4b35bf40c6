# Sourced by the bench scripts: the service's first admin for benchmark databases (kept in .bench/, made once),
# and bench_token <base-url> for a bearer token (the internal API needs a signed-in caller).
mkdir -p "$root/.bench"
. "$root/.ci/service-env.sh" # every bench starts the service tuned as .ci/up does
if [ ! -s "$root/.bench/admin-password" ]; then
  (umask 077; printf 'Hs-Perf-%s-7q' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > "$root/.bench/admin-password")
fi
export HOTSPOTS_ADMIN_EMAIL=bench@hotspots.local
HOTSPOTS_ADMIN_PASSWORD=$(cat "$root/.bench/admin-password")
export HOTSPOTS_ADMIN_PASSWORD
bench_token() {
  curl -sf -X POST -H 'content-type: application/json' \
    -d "{\"email\":\"$HOTSPOTS_ADMIN_EMAIL\",\"password\":\"$HOTSPOTS_ADMIN_PASSWORD\"}" "$1/api/auth/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

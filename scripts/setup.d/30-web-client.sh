# The customer web client (web_client/): npm ci from the committed lockfile, then a Vite build into
# web_client/dist, which the avatar bridge serves at / and /widget.js. Skipped when the lockfile,
# the sources and the build config are unchanged since the last build. No browser is downloaded.
web_client_hash() {
  (cd web_client && cat package.json package-lock.json vite.config.js \
    $(find src public -type f | LC_ALL=C sort)) | sha256sum | cut -d' ' -f1
}
if ! command -v npm >/dev/null; then
  die "npm is missing (Node.js >= 20.19 builds the web client): install nodejs and npm"
fi
web_client_stamp=web_client/dist/.build.sha256
web_client_want="$(web_client_hash)"
if [ ! -f "$web_client_stamp" ] || [ "$(cat "$web_client_stamp")" != "$web_client_want" ] || [ ! -f web_client/dist/widget.js ]; then
  log "building the web client (npm ci + vite build)"
  (cd web_client && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build >/dev/null)
  echo "$web_client_want" >"$web_client_stamp"
fi

#!/usr/bin/env bash
# Builds the offline page: target/web/jixiao.html, one self-contained file (the library as
# WebAssembly in base64, the page's script and the workers' script inlined). Needs the
# wasm32-unknown-unknown target, wasm-bindgen-cli at the version of the wasm-bindgen crate in
# Cargo.lock, and python3 (to assemble the file).
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "web/build.sh: the wasm32-unknown-unknown target is missing: rustup target add wasm32-unknown-unknown" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  echo "web/build.sh: wasm-bindgen-cli $version is needed: cargo install --locked wasm-bindgen-cli --version $version" >&2
  exit 1
fi

cargo build --locked -p jixiao-web --target wasm32-unknown-unknown --profile web
mkdir -p target/web/pkg
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section --out-dir target/web/pkg \
  target/wasm32-unknown-unknown/web/jixiao_web.wasm
python3 web/assemble.py target/web/pkg target/web/jixiao.html
ls -l target/web/jixiao.html | awk '{printf "web/build.sh: wrote target/web/jixiao.html (%.1f MB)\n", $5 / 1048576}'

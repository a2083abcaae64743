#!/usr/bin/env bash
# Builds the WebAssembly frontend into dist/: cargo → wasm-bindgen → wasm-opt, then gives every
# asset a content hash in its name (so the server can let browsers cache them for a year) and
# writes dist/index.html pointing at them. No inline script: the loader is an external module.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release
rm -rf dist && mkdir -p dist/assets target/bindgen
wasm-bindgen --target web --no-typescript --out-dir target/bindgen --out-name vsys \
  target/wasm32-unknown-unknown/wasm-release/frontend.wasm
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types \
    target/bindgen/vsys_bg.wasm -o target/bindgen/vsys_bg.opt.wasm
  mv target/bindgen/vsys_bg.opt.wasm target/bindgen/vsys_bg.wasm
else
  echo "warning: wasm-opt not found; the WebAssembly is not size-optimised" >&2
fi

hashed() { # file extension → copies to dist/assets/<name>-<hash>.<ext>, prints the new name
  local file=$1 base=$2 ext=$3 hash
  hash=$(sha256sum "$file" | cut -c1-16)
  cp "$file" "dist/assets/$base-$hash.$ext"
  echo "$base-$hash.$ext"
}
wasm=$(hashed target/bindgen/vsys_bg.wasm vsys_bg wasm)
js=$(hashed target/bindgen/vsys.js vsys js)
css=$(hashed style/main.css style css)
printf "import init from './%s';\ninit({ module_or_path: '/assets/%s' });\n" "$js" "$wasm" > target/bindgen/boot.js
boot=$(hashed target/bindgen/boot.js boot js)
sed -e "s|{{STYLE}}|/assets/$css|" -e "s|{{BOOT}}|/assets/$boot|" -e "s|{{JS}}|/assets/$js|" \
  -e "s|{{WASM}}|/assets/$wasm|" frontend/index.html > dist/index.html
echo "frontend built: dist/assets/$wasm ($(stat -c %s "dist/assets/$wasm") bytes, $(gzip -9c "dist/assets/$wasm" | wc -c) gzipped)"

#!/usr/bin/env bash
# Builds the WebAssembly frontend into dist/ (docs/design/code-splitting.md explains each step):
#   cargo (linked with --emit-relocs, .cargo/config.toml) → wasm-split (the main module, one
#   split_*.wasm per lazy page, chunk_*.wasm for code pages share, the loader __wasm_split.js) →
#   wasm-bindgen on the main module → wasm-opt on every module → one directory
#   dist/assets/w-<hash of its content>/ holding the build's JS and WebAssembly (they import each
#   other by relative name, so they are never renamed one by one) → .br (brotli quality 11) and
#   .gz copies of every asset, which the server sends as they are → dist/index.html.
# The previous builds' directories are kept (the newest three), so a tab still running an older
# build can load that build's lazy pages after a deployment.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/bindgen
kept_builds=3

cargo build -p frontend --target wasm32-unknown-unknown --profile wasm-release
cargo build --release --locked --quiet --manifest-path tools/wasm-split/Cargo.toml --target-dir target/tools
rm -rf "$out" && mkdir -p "$out" dist/assets

target/tools/release/wasm-split-tool target/wasm32-unknown-unknown/wasm-release/frontend.wasm "$out" vsys >/dev/null
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$out" --out-name vsys "$out/vsys_presplit.wasm"
rm "$out/vsys_presplit.wasm"
if command -v wasm-opt >/dev/null; then
  for module in "$out"/*.wasm; do
    # wasm-opt warns "unknown name subsection with id 3" on the split modules: harmless.
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types "$module" -o "$module.opt" 2> >(grep -v "unknown name subsection" >&2)
    mv "$module.opt" "$module"
  done
else
  echo "warning: wasm-opt not found; the WebAssembly is not size-optimised" >&2
fi
# Older splitters left imports that no browser can resolve (leptos#4245); fail rather than ship one.
if grep -q "__wbindgen_placeholder__" "$out"/*.js; then
  echo "error: the split left an unresolved __wbindgen_placeholder__ import" >&2
  exit 1
fi

build=w-$(cd "$out" && sha256sum -- * | sha256sum | cut -c1-16)
dir=dist/assets/$build
printf "import init from './vsys.js';\ninit({ module_or_path: '/assets/%s/vsys_bg.wasm' });\n" "$build" > "$out/boot.js"
rm -rf "$dir" && cp -r "$out" "$dir"
style=style-$(sha256sum style/main.css | cut -c1-16).css
cp style/main.css "dist/assets/$style"
node scripts/precompress.mjs "$dir"/* "dist/assets/$style" >/dev/null
touch "$dir" "dist/assets/$style"

# Keep the newest builds and style sheets; drop anything else at the top of dist/assets (such as
# the files of the single-module layout used before).
ls -1dt dist/assets/w-*/ | tail -n +$((kept_builds + 1)) | xargs -r rm -rf
ls -1t dist/assets/style-*.css | tail -n +$((kept_builds + 1)) | while read -r old; do rm -f "$old" "$old.br" "$old.gz"; done
find dist/assets -maxdepth 1 -type f ! -name 'style-*.css*' -delete

sed -e "s|{{STYLE}}|/assets/$style|" -e "s|{{BOOT}}|/assets/$build/boot.js|" \
  -e "s|{{JS}}|/assets/$build/vsys.js|" -e "s|{{LOADER}}|/assets/$build/__wasm_split.js|" \
  -e "s|{{WASM}}|/assets/$build/vsys_bg.wasm|" frontend/index.html > dist/index.html

size() { stat -c %s "$1"; }
lazy=0
for module in "$dir"/split_*.wasm "$dir"/chunk_*.wasm; do lazy=$((lazy + $(size "$module.br"))); done
echo "frontend built: $dir/vsys_bg.wasm ($(size "$dir/vsys_bg.wasm") bytes, $(size "$dir/vsys_bg.wasm.br") brotli)" \
  "+ $(ls "$dir"/split_*.wasm "$dir"/chunk_*.wasm | wc -l) lazy modules ($lazy brotli)"

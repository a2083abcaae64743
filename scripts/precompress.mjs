// node scripts/precompress.mjs FILE…: writes FILE.br (brotli, quality 11) and FILE.gz (gzip,
// level 9) beside each file, so the server sends the smallest encoding without compressing
// per request (ServeDir's precompressed_br / precompressed_gzip). Prints one line per file.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const raw = readFileSync(file);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gz);
  console.log(`${file}: ${raw.length} bytes, ${br.length} brotli, ${gz.length} gzip`);
}

// Node side of benches/compare.sh: per-call overhead of trivial calls of the archcompat addon,
// and the sync classifyBytes without `host` (the local host is detected once, off the main
// thread, when the addon loads).
//
//     node benches/node_compare.js PATH_TO_ADDON_DIR ELF_FILE
//
// Prints `name<TAB>microseconds-per-call<TAB>note` lines; each is the best of several rounds.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const ac = require(path.resolve(process.argv[2]));
const bytes = fs.readFileSync(process.argv[3]).subarray(0, 4096);

function best(fn, rounds = 5) {
  let b = Infinity;
  for (let r = 0; r < rounds; r++) {
    const s = process.hrtime.bigint();
    fn();
    const t = Number(process.hrtime.bigint() - s) / 1e3;
    if (t < b) b = t;
  }
  return b;
}

const k = 200000;
const base = best(() => { let x; for (let i = 0; i < k; i++) x = i; return x; });
let t = best(() => { for (let i = 0; i < k; i++) ac.formatPlatform('linux/arm64'); }) - base;
console.log(`node-call-format-platform\t${(t / k).toFixed(3)}\tformatPlatform('linux/arm64')`);
t = best(() => { for (let i = 0; i < k; i++) ac.parsePlatform('linux/arm64'); }) - base;
console.log(`node-call-parse-platform\t${(t / k).toFixed(3)}\tparsePlatform('linux/arm64') -> object`);
const m = 2000;
ac.classifyBytes(bytes); // first call may wait for the background detection
t = best(() => { for (let i = 0; i < m; i++) ac.classifyBytes(bytes); });
console.log(`node-classify-bytes-local\t${(t / m).toFixed(2)}\tsync classifyBytes(4 KiB) without host (local host cached)`);

// Node side of benches/compare.sh: per-call overhead of trivial calls of the archcompat addon,
// the sync classifyBytes without `host` (the local host is detected once, off the main
// thread, when the addon loads), and `inspect` on a list of ELF files against the baseline a
// Node user writes without it: `fs.readFileSync` of each file and a parse in JS of the ELF
// header's class and machine and of the program headers' PT_INTERP.
//
//     node benches/node_compare.js PATH_TO_ADDON_DIR ELF_LIST_FILE
//
// Prints `name<TAB>microseconds-per-call<TAB>note` lines; each is the best of several rounds.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const ac = require(path.resolve(process.argv[2]));
const elfs = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter(Boolean);
const bytes = fs.readFileSync(elfs[0]).subarray(0, 4096);

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

// The JS baseline: whole file read, then class, machine and interpreter from the headers.
function jsElf(p) {
  const b = fs.readFileSync(p);
  if (b.length < 52 || b.readUInt32BE(0) !== 0x7f454c46) return null;
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const u16 = (o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const uN = (o) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(o));
  const machine = u16(18);
  const phoff = uN(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  let interp = null;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + phentsize > b.length) break;
    if (u32(o) === 3) {
      const off = uN(is64 ? o + 8 : o + 4);
      const size = uN(is64 ? o + 32 : o + 16);
      interp = b.toString('latin1', off, Math.min(off + size, b.length)).replace(/\0.*$/, '');
      break;
    }
  }
  return { is64, machine, interp };
}

async function bestAsync(fn, rounds = 5) {
  let b = Infinity;
  for (let r = 0; r < rounds; r++) {
    const s = process.hrtime.bigint();
    await fn();
    const t = Number(process.hrtime.bigint() - s) / 1e3;
    if (t < b) b = t;
  }
  return b;
}

(async () => {
  const n = elfs.length;
  const host = { host: 'linux/amd64' }; // InspectOptions
  await ac.inspect([elfs[0]], host);
  let t = await bestAsync(async () => {
    const es = await ac.inspect(elfs, host);
    if (es.length !== n || es.some((e) => e.format !== 'elf')) throw new Error('not all ELF');
  });
  console.log(`node-inspect-batch\t${(t / n).toFixed(2)}\tawait inspect([paths]) per file, ${n} ELF files`);
  t = await bestAsync(async () => {
    for (const p of elfs) {
      const [e] = await ac.inspect([p], host);
      if (e.format !== 'elf') throw new Error(p);
    }
  }, 3);
  console.log(`node-inspect-each\t${(t / n).toFixed(2)}\tawait inspect([path]) per file`);
  // What one await of Node's own asynchronous file API costs on the same files: a round trip
  // through libuv's thread pool, the floor of any one-file-per-await reader.
  t = await bestAsync(async () => {
    for (const p of elfs) await fs.promises.stat(p);
  }, 3);
  console.log(`node-fsp-stat-each\t${(t / n).toFixed(2)}\tawait fs.promises.stat(path) per file`);
  t = best(() => {
    for (const p of elfs) jsElf(p);
  }, 3);
  console.log(`node-js-readfile-parse\t${(t / n).toFixed(2)}\tfs.readFileSync + class, machine and PT_INTERP parsed in JS`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

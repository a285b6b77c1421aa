// Issue 17: does a sync call that needs the local host block Node's main thread? The addon
// starts detecting this machine on a background thread when it loads; this measures, in a
// fresh process each round: the `require` itself, the first `classifyBytes` without `host`
// right after it (it may wait for that thread), the first call 20 ms later, the steady state,
// and the longest event-loop stall seen while the calls run (perf_hooks). For scale, the last
// line times `archcompat host --json` (a fresh detection) as a process.
//
//     node benches/node_main_thread.js ADDON_DIR ELF_FILE [CLI] [ROUNDS]
//
// Prints `name<TAB>microseconds<TAB>note` lines (medians over ROUNDS fresh processes, default 9).
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

if (process.argv[2] === '--child') {
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const fs = require('node:fs');
  const bytes = fs.readFileSync(process.argv[4]).subarray(0, 4096);
  const ns = () => process.hrtime.bigint();
  let s = ns();
  const ac = require(path.resolve(process.argv[3]));
  const load = Number(ns() - s) / 1e3;
  s = ns();
  ac.classifyBytes(bytes);
  const first = Number(ns() - s) / 1e3;
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  setTimeout(() => {
    s = ns();
    ac.classifyBytes(bytes);
    const later = Number(ns() - s) / 1e3;
    const t = [];
    for (let i = 0; i < 200; i++) {
      s = ns();
      ac.classifyBytes(bytes);
      t.push(Number(ns() - s) / 1e3);
    }
    t.sort((a, b) => a - b);
    h.disable();
    console.log(JSON.stringify({ load, first, later, steady: t[100], stall: h.max / 1e3 }));
  }, 20);
  return;
}

const [addon, elf, cli, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 9);
const runs = [];
for (let r = 0; r < rounds; r++) {
  runs.push(JSON.parse(execFileSync(process.execPath, [__filename, '--child', addon, elf], { encoding: 'utf8' })));
}
const med = (k) => {
  const v = runs.map((x) => x[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
console.log(`node-require\t${med('load').toFixed(0)}\trequire() of the addon (detection starts on a background thread)`);
console.log(`node-first-classify\t${med('first').toFixed(1)}\tfirst sync classifyBytes without host, right after require`);
console.log(`node-later-classify\t${med('later').toFixed(1)}\tfirst sync classifyBytes without host, 20 ms after require`);
console.log(`node-steady-classify\t${med('steady').toFixed(1)}\tmedian of 200 further calls`);
console.log(`node-loop-stall\t${med('stall').toFixed(0)}\tlongest event-loop delay while the calls ran (1 ms resolution)`);
if (cli) {
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const s = process.hrtime.bigint();
    execFileSync(cli, ['host', '--json']);
    t.push(Number(process.hrtime.bigint() - s) / 1e3);
  }
  t.sort((a, b) => a - b);
  console.log(`cli-host-process\t${t[Math.floor(t.length / 2)].toFixed(0)}\t\`archcompat host --json\` as a process (a fresh detection, for scale)`);
}

// The published package's loader (scripts/package.sh makes it the npm package's index.js and
// appends the export list napi-rs generates, so ESM named imports keep working). It owns only
// finding the native addon for this machine: the platform package `archcompat-<os>-<cpu>[-<libc>]`
// that npm installed from `optionalDependencies`, or a `./archcompat.<platform>.node` beside it.
// When none loads, the error names the platform, CPU and libc it looked for, the package to
// install (at this exact version) and the platforms that have one, like @swc/core and
// lightningcss do; `err.code` is `ARCHCOMPAT_NO_NATIVE_ADDON` and `err.cause` the load error.
'use strict';

const { readFileSync } = require('node:fs');
const pkg = require('./package.json');

// glibc or musl on Linux: musl's ldd says so; glibc's Node reports its glibc version.
function linuxLibc() {
  try {
    const ldd = readFileSync('/usr/bin/ldd', 'latin1');
    if (ldd.includes('musl')) return 'musl';
    if (ldd.includes('GLIBC') || ldd.includes('GNU C Library')) return 'gnu';
  } catch {
    // no ldd (distroless, some containers): ask Node below
  }
  const header = process.report && process.report.getReport ? process.report.getReport().header : null;
  return header && header.glibcVersionRuntime ? 'gnu' : 'musl';
}

// napi-rs platform names: linux-x64-gnu, darwin-arm64, win32-x64-msvc …
function platformName() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const libc = linuxLibc();
    return { name: `linux-${arch}-${libc}`, libc };
  }
  if (platform === 'win32') return { name: `win32-${arch}-msvc`, libc: 'msvc' };
  return { name: `${platform}-${arch}`, libc: null };
}

const supported = Object.keys(pkg.optionalDependencies || {})
  .map((n) => n.replace(/^archcompat-/, ''))
  .sort();

function load() {
  const { name, libc } = platformName();
  const pkgName = `archcompat-${name}`;
  const tried = [];
  for (const [what, load] of [
    [`./archcompat.${name}.node`, () => require(`./archcompat.${name}.node`)],
    [pkgName, () => require(pkgName)],
  ]) {
    try {
      const binding = load();
      if (what === pkgName) {
        const v = require(`${pkgName}/package.json`).version;
        if (v !== pkg.version) {
          const e = new Error(
            `archcompat ${pkg.version} found ${pkgName} ${v}; both must be the same version: ` +
              `npm install ${pkgName}@${pkg.version}`,
          );
          e.code = 'ARCHCOMPAT_NO_NATIVE_ADDON';
          throw e;
        }
      }
      return binding;
    } catch (err) {
      if (err && err.code === 'ARCHCOMPAT_NO_NATIVE_ADDON') throw err;
      tried.push({ what, err });
    }
  }
  const machine = `${process.platform} ${process.arch}${libc ? ` ${libc === 'gnu' ? 'glibc' : libc}` : ''}`;
  // Installed but not loadable (an older glibc than the package's floor, a damaged file) says why;
  // not installed says what to install.
  const broken = tried.find((t) => t.err && t.err.code !== 'MODULE_NOT_FOUND');
  let msg;
  if (!supported.includes(name) && supported.length > 0) {
    msg = `archcompat has no native addon for this machine (${machine}: looked for ${pkgName}).`;
  } else if (broken) {
    msg =
      `archcompat: the native addon for this machine (${machine}) is installed but did not load ` +
      `(${broken.what}: ${broken.err.message.split('\n')[0]}).` +
      (libc === 'gnu' ? ' The Linux glibc packages need glibc 2.28 or newer.' : '') +
      ` To reinstall it: npm install ${pkgName}@${pkg.version}.`;
  } else {
    msg =
      `archcompat: the native addon for this machine (${machine}) is not installed: ` +
      `looked for the package ${pkgName} and ./archcompat.${name}.node. Install it with ` +
      `\`npm install ${pkgName}@${pkg.version}\` (npm skips it with --omit=optional, or when the ` +
      `lockfile was made on another platform).`;
  }
  msg += ` Packages exist for: ${supported.length ? supported.join(', ') : '(none listed)'}.`;
  const e = new Error(msg, { cause: broken ? broken.err : tried[tried.length - 1].err });
  e.code = 'ARCHCOMPAT_NO_NATIVE_ADDON';
  e.platform = process.platform;
  e.arch = process.arch;
  e.libc = libc;
  e.packageName = pkgName;
  e.supported = supported;
  throw e;
}

const nativeBinding = load();
module.exports = nativeBinding;
// scripts/package.sh appends `module.exports.<name> = nativeBinding.<name>` lines here.

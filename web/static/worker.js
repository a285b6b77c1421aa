// Reads dropped archives for the image verdict: the core reads the File through FileReaderSync
// (only available in a worker) one window at a time, so a large archive is never in memory.
import init, { checkImageBlob } from './pkg/archcompat_web.js';

const ready = init();

self.onmessage = async (ev) => {
  const { id, op } = ev.data;
  try {
    await ready;
    if (op === 'ready') { self.postMessage({ id, ok: true, value: null }); return; }
    if (op === 'image') {
      const { file, name, target, max, redact } = ev.data;
      self.postMessage({ id, ok: true, value: checkImageBlob(file, name, target, max, redact) });
      return;
    }
    throw new Error(`unknown operation ${op}`);
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e.message || e) });
  }
};

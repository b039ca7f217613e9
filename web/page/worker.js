// The worker: wasm-bindgen's no-modules glue (defines `wasm_bindgen`) is prepended by
// web/build.sh. One job at a time; after a panic the page terminates this worker and starts
// another, so a broken module never handles a second file.
let panicMessage = null;
self.jixiaoPanic = (message) => { panicMessage = message; };

const ready = new Promise((resolve) => { self.startWith = resolve; });

function failure(id, e) {
  if (panicMessage !== null || e instanceof WebAssembly.RuntimeError) {
    self.postMessage({ type: 'panic', id, message: panicMessage || String(e) });
  } else {
    self.postMessage({ type: 'error', id, message: e && e.message ? e.message : String(e) });
  }
}

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
    try {
      await wasm_bindgen({ module_or_path: msg.module });
      self.startWith();
      self.postMessage({ type: 'ready' });
    } catch (e) {
      self.postMessage({ type: 'init-failed', message: String(e) });
    }
    return;
  }
  await ready;
  const { id } = msg;
  try {
    if (msg.type === 'convert') {
      const started = performance.now();
      const bytes = new Uint8Array(await msg.file.arrayBuffer());
      if (msg.panic) wasm_bindgen.panicForTest();
      const converted = wasm_bindgen.convert(msg.file.name, bytes, msg.layout, Date.now() / 1000, msg.rules || '', msg.rulesName || '');
      const summary = converted.summary;
      const document = converted.document;
      const workbook = converted.takeWorkbook();
      converted.free();
      const ms = performance.now() - started;
      self.postMessage({ type: 'done', id, summary, document, workbook, ms }, [workbook.buffer]);
    } else if (msg.type === 'rules') {
      self.postMessage({ type: 'done', id, read: wasm_bindgen.readRules(msg.text, msg.name) });
    } else if (msg.type === 'rule-list') {
      self.postMessage({ type: 'done', id, list: wasm_bindgen.ruleList() });
    } else if (msg.type === 'summary') {
      const workbook = wasm_bindgen.summary(msg.files, msg.rules || '', msg.rulesName || '');
      self.postMessage({ type: 'done', id, workbook }, [workbook.buffer]);
    } else if (msg.type === 'explain') {
      const bytes = new Uint8Array(await msg.file.arrayBuffer());
      const workbook = wasm_bindgen.explain(msg.file.name, bytes);
      self.postMessage({ type: 'done', id, workbook }, [workbook.buffer]);
    } else if (msg.type === 'output-folders') {
      self.postMessage({ type: 'done', id, folders: wasm_bindgen.outputFolders(msg.paths) });
    } else if (msg.type === 'selfeval-prefilled') {
      const made = wasm_bindgen.selfevalPrefilled(msg.documents, msg.month || 0);
      const said = made.said;
      const workbook = made.takeWorkbook();
      made.free();
      self.postMessage({ type: 'done', id, said, workbook }, [workbook.buffer]);
    } else if (msg.type === 'template-blank') {
      const workbook = wasm_bindgen.templateBlank(msg.year, msg.layout);
      self.postMessage({ type: 'done', id, workbook }, [workbook.buffer]);
    } else if (msg.type === 'template-prefilled') {
      const workbook = wasm_bindgen.templatePrefilled(msg.documents, msg.year || 0);
      self.postMessage({ type: 'done', id, workbook }, [workbook.buffer]);
    }
  } catch (e) {
    failure(id, e);
  }
};

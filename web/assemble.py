"""Assembles target/web/jixiao.html from web/page/ and wasm-bindgen's output (web/build.sh)."""

import base64
import json
import pathlib
import sys

page = pathlib.Path(__file__).parent / "page"
pkg, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])

glue = (pkg / "jixiao_web.js").read_text(encoding="utf-8")
worker = glue + "\n" + (page / "worker.js").read_text(encoding="utf-8")
wasm = base64.b64encode((pkg / "jixiao_web_bg.wasm").read_bytes()).decode("ascii")

# Inside <script>, "</" could close the element: JSON may escape it as "<\/".
worker_literal = json.dumps(worker, ensure_ascii=False).replace("</", "<\\/")
app = (page / "app.js").read_text(encoding="utf-8")
if "</script" in app.lower():
    sys.exit("assemble.py: app.js must not contain </script")

html = (page / "index.html").read_text(encoding="utf-8")
for marker, text in [
    ("/*__STYLE__*/", (page / "style.css").read_text(encoding="utf-8")),
    ("/*__WORKER_SRC__*/", worker_literal),
    ("/*__APP__*/", app),
    ("__WASM_BASE64__", wasm),
]:
    if html.count(marker) != 1:
        sys.exit(f"assemble.py: {marker} should appear once in index.html")
    html = html.replace(marker, text)

tmp = out.with_suffix(".tmp")
tmp.write_text(html, encoding="utf-8")
tmp.replace(out)

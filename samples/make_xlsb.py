#!/usr/bin/env python3
"""A minimal BIFF12 (.xlsb) writer: strings (shared) and numbers, no merges, one style.

Written from [MS-XLSB] (record layouts in the comments). LibreOffice cannot export .xlsb,
so samples/make_samples.py uses this to make samples/seed-publication.xlsb.

    write_xlsb(path, [(sheet_name, {(row, col): value, ...}), ...])

Values: str -> BrtCellIsst (shared string), int/float -> BrtCellReal. The output is
byte-stable (fixed zip timestamps).
"""
import io
import struct
import zipfile

ZIP_DT = (2026, 1, 1, 0, 0, 0)

# record types ([MS-XLSB] 2.3.2; the numbers are the decoded record ids)
BrtRowHdr = 0
BrtCellReal = 5
BrtCellIsst = 7
BrtSSTItem = 19
BrtFont = 43
BrtFill = 45
BrtBorder = 46
BrtXF = 47
BrtStyle = 48
BrtFileVersion = 128
BrtBeginSheet = 129
BrtEndSheet = 130
BrtBeginBook = 131
BrtEndBook = 132
BrtBeginBundleShs = 143
BrtEndBundleShs = 144
BrtBeginSheetData = 145
BrtEndSheetData = 146
BrtWsDim = 148
BrtBundleSh = 156
BrtBeginSst = 159
BrtEndSst = 160
BrtBeginStyleSheet = 278
BrtEndStyleSheet = 279
BrtBeginDXFs = 505
BrtEndDXFs = 506
BrtBeginTableStyles = 508
BrtEndTableStyles = 509
BrtBeginFills = 603
BrtEndFills = 604
BrtBeginFonts = 611
BrtEndFonts = 612
BrtBeginBorders = 613
BrtEndBorders = 614
BrtBeginCellXFs = 617
BrtEndCellXFs = 618
BrtBeginStyles = 619
BrtEndStyles = 620
BrtBeginCellStyleXFs = 626
BrtEndCellStyleXFs = 627


def rec(rt, payload=b""):
    """One record: type as 1-2 bytes of 7 bits (high bit = more), size as 1-4 bytes of 7 bits."""
    out = bytearray()
    if rt < 0x80:
        out.append(rt)
    else:
        out.append((rt & 0x7F) | 0x80)
        out.append(rt >> 7)
    n = len(payload)
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            break
    return bytes(out) + payload


def u8(v):
    return struct.pack("<B", v)


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def wide(s):
    """XLWideString: cch (4 bytes) + UTF-16LE."""
    data = s.encode("utf-16-le")
    return u32(len(data) // 2) + data


def nullable_wide(s):
    return u32(0xFFFFFFFF) if s is None else wide(s)


def color_indexed(i):
    """BrtColor (8 bytes): fValidRGB:1 xColorType:7 | index | nTintAndShade(2) | r g b a."""
    return u8(1 << 1) + u8(i) + struct.pack("<h", 0) + bytes(4)


def workbook_bin(sheet_names):
    out = [rec(BrtBeginBook)]
    # BrtFileVersion: guidCodeName(16), stAppName, stLastEdited, stLowestEdited, stRupBuild
    out.append(rec(BrtFileVersion, bytes(16) + wide("xl") + wide("7") + wide("7") + wide("27328")))
    out.append(rec(BrtBeginBundleShs))
    for i, name in enumerate(sheet_names, start=1):
        # BrtBundleSh: hsState(4) iTabID(4) strRelID strName
        out.append(rec(BrtBundleSh, u32(0) + u32(i) + nullable_wide(f"rId{i}") + wide(name)))
    out.append(rec(BrtEndBundleShs))
    out.append(rec(BrtEndBook))
    return b"".join(out)


def sheet_bin(cells, sst):
    out = [rec(BrtBeginSheet)]
    if cells:
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        dim = (min(rows), max(rows), min(cols), max(cols))
    else:
        dim = (0, 0, 0, 0)
    out.append(rec(BrtWsDim, b"".join(u32(v) for v in dim)))
    out.append(rec(BrtBeginSheetData))
    by_row = {}
    for (r, c), v in cells.items():
        by_row.setdefault(r, []).append((c, v))
    for r in sorted(by_row):
        row = sorted(by_row[r])
        # BrtRowHdr: rw(4) ixfe(4) miyRw(2) flags(1) flags(1) fPhShow(1) ccolspan(4) {colMic colLast}
        out.append(rec(BrtRowHdr, u32(r) + u32(0) + u16(300) + u8(0) + u8(0) + u8(0)
                       + u32(1) + u32(row[0][0]) + u32(row[-1][0])))
        for c, v in row:
            cell = u32(c) + u32(0)   # Cell: column(4), iStyleRef(24 bits) + flags(8 bits)
            if isinstance(v, bool):
                raise TypeError("booleans are not written")
            if isinstance(v, (int, float)):
                out.append(rec(BrtCellReal, cell + struct.pack("<d", float(v))))
            else:
                s = str(v)
                if s not in sst:
                    sst[s] = len(sst)
                out.append(rec(BrtCellIsst, cell + u32(sst[s])))
    out.append(rec(BrtEndSheetData))
    out.append(rec(BrtEndSheet))
    return b"".join(out)


def sst_bin(sst, total):
    out = [rec(BrtBeginSst, u32(total) + u32(len(sst)))]
    for s, _i in sorted(sst.items(), key=lambda kv: kv[1]):
        out.append(rec(BrtSSTItem, u8(0) + wide(s)))   # RichStr: flags(1) + XLWideString
    out.append(rec(BrtEndSst))
    return b"".join(out)


def styles_bin():
    out = [rec(BrtBeginStyleSheet)]
    # one font: 宋体 11pt, charset 134 (GB2312)
    # BrtFont: dyHeight(2) grbit(2) bls(2) sss(2) uls(1) bFamily(1) bCharSet(1) unused(1)
    #          brtColor(8) bFontScheme(1) name
    font = u16(220) + u16(0) + u16(400) + u16(0) + u8(0) + u8(2) + u8(134) + u8(0) \
        + color_indexed(64) + u8(0) + wide("宋体")
    out += [rec(BrtBeginFonts, u32(1)), rec(BrtFont, font), rec(BrtEndFonts)]

    # BrtFill: fls(4) fore(8) back(8) iGradientType(4) xnumDegree, ToLeft, ToRight, ToTop,
    #          ToBottom (5 doubles) cNumStop(4)
    def fill(fls):
        return u32(fls) + color_indexed(64) + color_indexed(65) + u32(0) + bytes(40) + u32(0)
    out += [rec(BrtBeginFills, u32(2)), rec(BrtFill, fill(0)), rec(BrtFill, fill(0x11)), rec(BrtEndFills)]
    # BrtBorder: flags(1) + 5 x Blxf (dg(1) reserved(1) brtColor(8)); dg 0 = none
    blxf = u8(0) + u8(0) + color_indexed(64)
    out += [rec(BrtBeginBorders, u32(1)), rec(BrtBorder, u8(0) + blxf * 5), rec(BrtEndBorders)]

    # BrtXF: ixfeParent(2) iFmt(2) iFont(2) iFill(2) ixBorder(2) trot(1) indent(1)
    #        alignment/protection flags(2) xfGrbitAtr(1) unused(1)
    def xf(parent):
        return u16(parent) + u16(0) + u16(0) + u16(0) + u16(0) + u8(0) + u8(0) \
            + u16(1 << 12) + u8(0) + u8(0)      # fLocked
    out += [rec(BrtBeginCellStyleXFs, u32(1)), rec(BrtXF, xf(0xFFFF)), rec(BrtEndCellStyleXFs)]
    out += [rec(BrtBeginCellXFs, u32(1)), rec(BrtXF, xf(0)), rec(BrtEndCellXFs)]
    # BrtStyle: ixf(4) grbitObj1(2: fBuiltIn) iStyBuiltIn(1) iLevel(1) stName
    out += [rec(BrtBeginStyles, u32(1)),
            rec(BrtStyle, u32(0) + u16(1) + u8(0) + u8(0xFF) + nullable_wide("Normal")),
            rec(BrtEndStyles)]
    out += [rec(BrtBeginDXFs, u32(0)), rec(BrtEndDXFs)]
    out += [rec(BrtBeginTableStyles, u32(0) + nullable_wide("TableStyleMedium9") + nullable_wide("PivotStyleLight16")),
            rec(BrtEndTableStyles)]
    out.append(rec(BrtEndStyleSheet))
    return b"".join(out)


CT_MAIN = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_xlsb(path, sheets):
    sst = {}
    sheet_parts = []
    total = 0
    for i, (_name, cells) in enumerate(sheets, start=1):
        sheet_parts.append((f"xl/worksheets/sheet{i}.bin", sheet_bin(cells, sst)))
        total += sum(1 for v in cells.values() if not isinstance(v, (int, float)))
    n = len(sheets)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="bin" ContentType="' + CT_MAIN + '"/>'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>']
    for i in range(1, n + 1):
        ct.append(f'<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>')
    ct.append('<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>'
              '<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>'
              '</Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.bin"/>'
                 '</Relationships>')
    wb_rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i in range(1, n + 1):
        wb_rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.bin"/>')
    wb_rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.bin"/>'
                   f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.bin"/>'
                   '</Relationships>')
    parts = [("[Content_Types].xml", "".join(ct).encode()),
             ("_rels/.rels", root_rels.encode()),
             ("xl/workbook.bin", workbook_bin([name for name, _ in sheets])),
             ("xl/_rels/workbook.bin.rels", "".join(wb_rels).encode())]
    parts += sheet_parts
    parts += [("xl/styles.bin", styles_bin()), ("xl/sharedStrings.bin", sst_bin(sst, total))]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


if __name__ == "__main__":
    import sys
    out = sys.argv[1] if len(sys.argv) > 1 else "test.xlsb"
    write_xlsb(out, [("表一", {(0, 0): "项目名称", (0, 1): "宁夏网络安全服务项目", (1, 0): "项目总额", (1, 1): 45.0,
                              (2, 1): 165.53, (3, 3): "其中： 转移市县 (区)资金"})])
    print("wrote", out)

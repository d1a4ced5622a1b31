//! Real artifact files for the artifact-gate tests: PNG and zip encoded here byte by byte,
//! JPEG and WebP by real encoders, a Playwright trace.zip and JSON report with the structure
//! Playwright writes — and the header-only fakes the gate must reject.
#![allow(dead_code)]

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A real `w`×`h` RGBA PNG (zlib stored blocks, correct CRCs).
pub fn png(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.extend([(x * 40) as u8, (y * 40) as u8, 200, 255]);
        }
    }
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        z.extend(len.to_le_bytes());
        z.extend((!len).to_le_bytes());
        z.extend(*block);
    }
    z.extend(adler32(&raw).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &z);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A real zip archive (stored entries), as Playwright's trace.zip is a zip.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let header = |sig: &[u8], central_entry: bool| {
            let mut h = sig.to_vec();
            if central_entry {
                h.extend(20u16.to_le_bytes()); // version made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // method: stored
            h.extend(0u32.to_le_bytes()); // time + date
            h.extend(crc.to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central_entry {
                h.extend([0u8; 6]); // comment len, disk, internal attrs
                h.extend(0u32.to_le_bytes()); // external attrs
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(b"PK\x03\x04", false));
        out.extend(*data);
        central.extend(header(b"PK\x01\x02", true));
    }
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A real `w`×`h` baseline JPEG.
pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut data = Vec::new();
    for y in 0..h {
        for x in 0..w {
            data.extend([(x * 7) as u8, (y * 5) as u8, 120]);
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(&data, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A real `w`×`h` lossless WebP.
pub fn webp(w: u32, h: u32) -> Vec<u8> {
    let data: Vec<u8> = (0..w * h)
        .flat_map(|i| [(i % 251) as u8, (i % 13) as u8, 200, 255])
        .collect();
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out)
        .encode(&data, w, h, image_webp::ColorType::Rgba8)
        .unwrap();
    out
}

/// A Playwright trace.zip as `tracing.stop({ path })` writes it: `trace.trace` (JSON lines,
/// first the context-options event), `trace.network`, and a resource.
pub fn trace_zip() -> Vec<u8> {
    let trace = concat!(
        r#"{"version":7,"type":"context-options","browserName":"chromium","platform":"linux","wallTime":1733400000000,"options":{}}"#,
        "\n",
        r#"{"type":"before","callId":"call@1","startTime":1.5,"apiName":"page.goto","class":"Page","method":"goto","params":{"url":"http://127.0.0.1:3000/signup"}}"#,
        "\n"
    );
    zip(&[
        ("trace.trace", trace.as_bytes()),
        ("trace.network", b""),
        ("resources/page@1.jpeg", b"\xff\xd8\xff"),
    ])
}

/// Playwright's JSON reporter output for `passed` passing and `failed` failing tests.
pub fn report(passed: u64, failed: u64) -> Vec<u8> {
    serde_json::json!({
        "config": {"version": "1.49.0", "workers": 1, "rootDir": "/work/app/tests",
                   "projects": [{"name": "chromium", "testDir": "/work/app/tests"}]},
        "suites": [{"title": "signup.spec.ts", "file": "signup.spec.ts", "line": 0, "column": 0,
                    "specs": [{"title": "signup flow", "ok": failed == 0, "tests": []}]}],
        "errors": [],
        "stats": {"startTime": "2026-12-05T10:00:00.000Z", "duration": 1234.5,
                  "expected": passed, "skipped": 0, "unexpected": failed, "flaky": 0}
    })
    .to_string()
    .into_bytes()
}

/// The header-only fakes of the issue: each starts right and is nothing.
pub fn fake_png_33() -> Vec<u8> {
    let mut b = png(32, 32);
    b.truncate(33);
    b
}
pub const FAKE_JPEG_3: &[u8] = &[0xFF, 0xD8, 0xFF];
pub const FAKE_ZIP_8: &[u8] = b"PK\x03\x04\0\0\0\0";
pub const FAKE_RESULTS: &[u8] = b"[{}]";

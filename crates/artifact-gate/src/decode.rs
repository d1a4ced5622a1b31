//! Decoding artifacts for real: a screenshot is decoded to pixels, a trace.zip's central
//! directory is read and its first trace event inflated, a report is parsed for the fields
//! Playwright writes. Magic bytes alone are not enough — a 33-byte "PNG" header, a 3-byte
//! "JPEG" and an 8-byte "zip" all start right.
//!
//! Every function returns `Err(sentence)` that follows the file's path in the block message
//! ("screen.png is named .png but …").

use serde_json::Value;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// A screenshot smaller than this in either dimension is not a picture of a screen.
pub const MIN_SIDE: u32 = 16;
/// Images larger than this are not decoded (the hook must finish well inside its timeout).
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;
/// …nor images with more pixels than this (a 8K screenshot is 33 M pixels).
const MAX_PIXELS: u64 = 64 * 1024 * 1024;
/// A trace.zip or report larger than this is not read.
const MAX_ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;
const MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// How much of a `.trace` entry is inflated to read its first event.
const MAX_FIRST_LINE: u64 = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    Png,
    Jpeg,
    Webp,
}

impl Image {
    fn name(self) -> &'static str {
        match self {
            Image::Png => "PNG",
            Image::Jpeg => "JPEG",
            Image::Webp => "WebP",
        }
    }
}

/// The file decodes as `format` to an image of at least [`MIN_SIDE`]×[`MIN_SIDE`] pixels.
pub fn image(path: &Path, format: Image, len: u64) -> Result<(), String> {
    if len > MAX_IMAGE_BYTES {
        return Err(format!(
            "is {len} bytes, more than the {MAX_IMAGE_BYTES} bytes the gate decodes"
        ));
    }
    let fake = |what: String| {
        let what = what.trim_end_matches('.');
        let head = head(path, 16).unwrap_or_default();
        format!(
            "is named .{} but is not a {} image that decodes ({len} bytes, {}): {what}",
            path.extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default(),
            format.name(),
            describe(&head)
        )
    };
    let (w, h) = match format {
        Image::Png => decode_png(path),
        Image::Jpeg => decode_jpeg(path),
        Image::Webp => decode_webp(path),
    }
    .map_err(fake)?;
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(format!(
            "is a {w}×{h} {} image; a screenshot is at least {MIN_SIDE}×{MIN_SIDE} pixels",
            format.name()
        ));
    }
    Ok(())
}

fn check_size(w: u64, h: u64) -> Result<(), String> {
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(format!(
            "{w}×{h} is more than the {MAX_PIXELS} pixels the gate decodes"
        ));
    }
    Ok(())
}

fn open(path: &Path) -> Result<BufReader<File>, String> {
    zakon_core::fsio::open_regular(path)
        .map(BufReader::new)
        .map_err(|e| format!("cannot be read: {e}"))
}

fn decode_png(path: &Path) -> Result<(u32, u32), String> {
    let limits = png::Limits {
        bytes: (MAX_PIXELS * 8) as usize,
    };
    let mut reader = png::Decoder::new_with_limits(open(path)?, limits)
        .read_info()
        .map_err(|e| e.to_string())?;
    let (w, h) = (reader.info().width, reader.info().height);
    check_size(u64::from(w), u64::from(h))?;
    let size = reader
        .output_buffer_size()
        .ok_or("the image is too large to decode")?;
    let mut buf = vec![0; size];
    reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    Ok((w, h))
}

fn decode_jpeg(path: &Path) -> Result<(u32, u32), String> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let mut bytes = Vec::new();
    zakon_core::fsio::open_regular(path)
        .and_then(|f| f.take(MAX_IMAGE_BYTES).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot be read: {e}"))?;
    // Strict: zune-jpeg otherwise fills a truncated scan with grey and calls it a picture.
    let options = DecoderOptions::default().set_strict_mode(true);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(&bytes), options);
    decoder.decode_headers().map_err(|e| format!("{e:?}"))?;
    let info = decoder.info().ok_or("no frame header")?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    check_size(u64::from(w), u64::from(h))?;
    decoder.decode().map_err(|e| format!("{e:?}"))?;
    Ok((w, h))
}

fn decode_webp(path: &Path) -> Result<(u32, u32), String> {
    let mut decoder = image_webp::WebPDecoder::new(open(path)?).map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    check_size(u64::from(w), u64::from(h))?;
    let size = decoder
        .output_buffer_size()
        .ok_or("the image is too large to decode")?;
    let mut buf = vec![0; size];
    decoder.read_image(&mut buf).map_err(|e| e.to_string())?;
    Ok((w, h))
}

/// A Playwright trace: a zip whose central directory reads, with at least one entry, a
/// `*.trace` entry whose first line is Playwright's `context-options` event, and the
/// `*.network` entry beside it — what `tracing.stop({ path })` and `--trace on` write.
pub fn trace_zip(path: &Path, len: u64) -> Result<(), String> {
    if len > MAX_ARCHIVE_BYTES {
        return Err(format!(
            "is {len} bytes, more than the {MAX_ARCHIVE_BYTES} bytes the gate reads"
        ));
    }
    let bytes = zakon_core::fsio::read_regular_bounded(path, MAX_ARCHIVE_BYTES)
        .map_err(|e| format!("cannot be read: {e}"))?;
    let archive = rawzip::ZipArchive::from_slice(&bytes[..]).map_err(|e| {
        format!(
            "is named .zip but has no valid zip central directory ({len} bytes, {}): {}",
            describe(&bytes[..bytes.len().min(16)]),
            e.to_string().trim_end_matches('.')
        )
    })?;
    let mut names = Vec::new();
    let mut traces = Vec::new();
    for entry in archive.entries() {
        let entry = entry.map_err(|e| format!("is a damaged zip: {e}"))?;
        let name = String::from_utf8_lossy(entry.file_path().as_ref()).into_owned();
        if name.ends_with(".trace") {
            traces.push((name.clone(), entry.wayfinder(), entry.compression_method()));
        }
        names.push(name);
    }
    if names.is_empty() {
        return Err("is a zip with no entries".into());
    }
    let listed = || {
        let mut shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        if names.len() > 5 {
            shown.push("…");
        }
        shown.join(", ")
    };
    let with_network: Vec<_> = traces
        .iter()
        .filter(|(n, ..)| {
            let stem = n.trim_end_matches(".trace");
            names.iter().any(|m| *m == format!("{stem}.network"))
        })
        .collect();
    let Some((name, wayfinder, method)) = with_network.first() else {
        return Err(format!(
            "is a zip but not a Playwright trace: it has no *.trace entry with its *.network \
             beside it (entries: {})",
            listed()
        ));
    };
    let entry = archive
        .get_entry(*wayfinder)
        .map_err(|e| format!("is a damaged zip ({name}): {e}"))?;
    let mut first = Vec::new();
    let read = if *method == rawzip::CompressionMethod::STORE {
        entry
            .data()
            .take(MAX_FIRST_LINE)
            .read_to_end(&mut first)
            .map(|_| ())
    } else if *method == rawzip::CompressionMethod::DEFLATE {
        flate2::bufread::DeflateDecoder::new(entry.data())
            .take(MAX_FIRST_LINE)
            .read_to_end(&mut first)
            .map(|_| ())
    } else {
        return Err(format!(
            "is a zip whose {name} uses compression method {:?}, which Playwright never writes",
            method
        ));
    };
    read.map_err(|e| format!("is a damaged zip ({name} does not inflate): {e}"))?;
    let line = first.split(|b| *b == b'\n').next().unwrap_or_default();
    let event: Option<Value> = serde_json::from_slice(line).ok();
    match event
        .as_ref()
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str)
    {
        Some("context-options") => Ok(()),
        _ => Err(format!(
            "is a zip with {name}, but its first line is not Playwright's context-options \
             trace event (starts {})",
            describe(&line[..line.len().min(16)])
        )),
    }
}

/// Playwright's JSON reporter output: an object with `config`, `suites` and `stats` (with
/// its `expected`/`unexpected`/`flaky`/`skipped` counts), at least one passing test and none
/// failed.
pub fn report_json(path: &Path, len: u64) -> Result<(), String> {
    let v = parse_json(path, len)?;
    let not_report = |what: &str| {
        format!(
            "is not a Playwright JSON report ({what}); save the output of `npx playwright test \
             --reporter=json`"
        )
    };
    let Some(obj) = v.as_object() else {
        return Err(not_report(&format!(
            "the top level is {}, not an object with config, suites and stats",
            zakon_core::input::json_kind(&v)
        )));
    };
    let missing: Vec<&str> = [
        ("config", obj.get("config").is_some_and(Value::is_object)),
        ("suites", obj.get("suites").is_some_and(Value::is_array)),
        ("stats", obj.get("stats").is_some_and(Value::is_object)),
    ]
    .into_iter()
    .filter(|(_, ok)| !ok)
    .map(|(k, _)| k)
    .collect();
    if !missing.is_empty() {
        return Err(not_report(&format!("no {}", missing.join(", no "))));
    }
    let stat = |k: &str| obj["stats"].get(k).and_then(Value::as_u64);
    let (Some(expected), Some(unexpected), Some(flaky)) =
        (stat("expected"), stat("unexpected"), stat("flaky"))
    else {
        return Err(not_report(
            "stats lacks the expected/unexpected/flaky counts",
        ));
    };
    if unexpected > 0 {
        return Err(format!(
            "is a Playwright report with {unexpected} failed test(s) (stats.unexpected); it \
             shows the flow does not pass"
        ));
    }
    if expected + flaky == 0 {
        return Err("is a Playwright report in which no test passed".into());
    }
    Ok(())
}

/// A Chrome trace-event file (`browser.startTracing`): `{"traceEvents": [...]}` or a bare
/// array, with at least one event that has a `name` and a `ph` (phase).
pub fn trace_events_json(path: &Path, len: u64) -> Result<(), String> {
    let v = parse_json(path, len)?;
    let events = match &v {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("traceEvents") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(
                    "is not a trace-event file (an object without a traceEvents array)".into(),
                );
            }
        },
        other => {
            return Err(format!(
                "is not a trace-event file (the top level is {})",
                zakon_core::input::json_kind(other)
            ));
        }
    };
    let real = events.iter().any(|e| {
        e.get("name").is_some_and(Value::is_string) && e.get("ph").is_some_and(Value::is_string)
    });
    if real {
        Ok(())
    } else {
        Err("is not a trace-event file: no event has a name and a ph (phase)".into())
    }
}

fn parse_json(path: &Path, len: u64) -> Result<Value, String> {
    if len > MAX_JSON_BYTES {
        return Err(format!(
            "is {len} bytes, more than the {MAX_JSON_BYTES} bytes the gate parses; save a \
             zipped trace instead"
        ));
    }
    let bytes = zakon_core::fsio::read_regular_bounded(path, MAX_JSON_BYTES)
        .map_err(|e| format!("cannot be read: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("is not valid JSON: {e}"))
}

fn head(path: &Path, n: u64) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    zakon_core::fsio::open_regular(path)
        .and_then(|f| f.take(n).read_to_end(&mut buf))
        .ok()?;
    Some(buf)
}

/// What a file's first bytes look like, for "is not a PNG (starts with text …)".
fn describe(b: &[u8]) -> String {
    if b.is_empty() {
        return "empty".into();
    }
    if let Ok(s) = std::str::from_utf8(b)
        && s.chars().all(|c| !c.is_control() || c.is_whitespace())
    {
        let preview: String = s.chars().take(16).collect();
        return format!("starts with text {preview:?}");
    }
    let hex: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    format!("starts with bytes {}", hex.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        let mut writer = enc.write_header().unwrap();
        writer
            .write_image_data(&vec![90; (w * h * 3) as usize])
            .unwrap();
        writer.finish().unwrap();
        out
    }

    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 80)
            .encode(
                &vec![120; usize::from(w) * usize::from(h) * 3],
                w,
                h,
                jpeg_encoder::ColorType::Rgb,
            )
            .unwrap();
        out
    }

    fn webp(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image_webp::WebPEncoder::new(&mut out)
            .encode(
                &vec![200; (w * h * 4) as usize],
                w,
                h,
                image_webp::ColorType::Rgba8,
            )
            .unwrap();
        out
    }

    /// A zip as Playwright's yazl writes it: every entry deflated.
    fn deflated_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut archive = rawzip::ZipArchiveWriter::new(&mut out);
        for (name, data) in entries {
            let (mut entry, config) = archive
                .new_file(name)
                .compression_method(rawzip::CompressionMethod::DEFLATE)
                .start()
                .unwrap();
            let enc =
                flate2::write::DeflateEncoder::new(&mut entry, flate2::Compression::default());
            let mut writer = config.wrap(enc);
            writer.write_all(data).unwrap();
            let (enc, descriptor) = writer.finish().unwrap();
            enc.finish().unwrap();
            entry.finish(descriptor).unwrap();
        }
        archive.finish().unwrap();
        out
    }

    fn with_file<T>(name: &str, bytes: &[u8], f: impl FnOnce(&Path, u64) -> T) -> T {
        let dir = std::env::temp_dir().join(format!(
            "artifact-gate-decode-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = f(&p, bytes.len() as u64);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    #[test]
    fn images_decode_to_at_least_16_by_16() {
        let mut png_33 = png(64, 64);
        png_33.truncate(33);
        let mut jpeg_cut = jpeg(64, 64);
        jpeg_cut.truncate(jpeg_cut.len() / 2);
        let mut webp_cut = webp(32, 32);
        webp_cut.truncate(webp_cut.len() - 10);
        for (name, format, bytes, want) in [
            ("a.png", Image::Png, png(16, 16), Ok(())),
            (
                "b.png",
                Image::Png,
                png(15, 40),
                Err("is a 15×40 PNG image"),
            ),
            (
                "c.png",
                Image::Png,
                png_33,
                Err("(33 bytes, starts with bytes 89 50"),
            ),
            (
                "d.png",
                Image::Png,
                jpeg(32, 32),
                Err("not a PNG image that decodes"),
            ),
            ("e.jpg", Image::Jpeg, jpeg(32, 32), Ok(())),
            (
                "f.jpg",
                Image::Jpeg,
                vec![0xFF, 0xD8, 0xFF],
                Err("(3 bytes"),
            ),
            (
                "g.jpg",
                Image::Jpeg,
                jpeg_cut,
                Err("not a JPEG image that decodes"),
            ),
            (
                "h.jpg",
                Image::Jpeg,
                jpeg(8, 64),
                Err("is a 8×64 JPEG image"),
            ),
            ("i.webp", Image::Webp, webp(16, 16), Ok(())),
            (
                "j.webp",
                Image::Webp,
                webp_cut,
                Err("not a WebP image that decodes"),
            ),
            (
                "k.webp",
                Image::Webp,
                b"RIFF\0\0\0\0WEBP".to_vec(),
                Err("not a WebP"),
            ),
        ] {
            let got = with_file(name, &bytes, |p, len| image(p, format, len));
            match want {
                Ok(()) => assert_eq!(got, Ok(()), "{name}"),
                Err(frag) => {
                    let e = got.expect_err(name);
                    assert!(e.contains(frag), "{name}: {e}");
                }
            }
        }
    }

    #[test]
    fn trace_zip_needs_playwright_structure() {
        let first = br#"{"version":7,"type":"context-options","browserName":"chromium"}"#;
        let trace = [&first[..], b"\n{\"type\":\"before\"}\n"].concat();
        for (bytes, want) in [
            (
                deflated_zip(&[("trace.trace", &trace), ("trace.network", b"")]),
                Ok(()),
            ),
            (
                // the test runner's merged trace: numbered contexts beside test.trace
                deflated_zip(&[
                    ("test.trace", b"{\"type\":\"before\"}\n"),
                    ("0-trace.trace", &trace),
                    ("0-trace.network", b""),
                    ("resources/a", b"x"),
                ]),
                Ok(()),
            ),
            (
                deflated_zip(&[("trace.trace", &trace)]),
                Err("no *.trace entry with its *.network beside it (entries: trace.trace)"),
            ),
            (
                deflated_zip(&[("trace.trace", b"{}\n"), ("trace.network", b"")]),
                Err("first line is not Playwright's context-options"),
            ),
            (deflated_zip(&[]), Err("is a zip with no entries")),
            (
                b"PK\x03\x04\0\0\0\0".to_vec(),
                Err("has no valid zip central directory (8 bytes"),
            ),
        ] {
            let got = with_file("trace.zip", &bytes, trace_zip);
            match want {
                Ok(()) => assert_eq!(got, Ok(())),
                Err(frag) => {
                    let e = got.unwrap_err();
                    assert!(e.contains(frag), "{e}");
                }
            }
        }
    }

    #[test]
    fn reports_and_trace_events_need_their_structure() {
        let report = |expected: u64, unexpected: u64| {
            serde_json::json!({"config": {}, "suites": [], "errors": [],
                "stats": {"expected": expected, "unexpected": unexpected, "flaky": 0, "skipped": 0}})
            .to_string()
        };
        for (json, want) in [
            (report(3, 0), Ok(())),
            (report(3, 2), Err("with 2 failed test(s)")),
            (report(0, 0), Err("no test passed")),
            ("[{}]".into(), Err("the top level is an array")),
            ("{}".into(), Err("no config, no suites, no stats")),
            (
                r#"{"config":{},"suites":[],"stats":{}}"#.into(),
                Err("stats lacks"),
            ),
            ("{\"config\":".into(), Err("is not valid JSON")),
        ] {
            let got = with_file("results.json", json.as_bytes(), report_json);
            match want {
                Ok(()) => assert_eq!(got, Ok(()), "{json}"),
                Err(frag) => {
                    let e = got.unwrap_err();
                    assert!(e.contains(frag), "{json}: {e}");
                }
            }
        }
        for (json, ok) in [
            (r#"{"traceEvents":[{"name":"a","ph":"X","ts":1}]}"#, true),
            (r#"[{"name":"a","ph":"B"}]"#, true),
            (r#"{"traceEvents":[]}"#, false),
            (r#"[{}]"#, false),
            (r#"{"events":[]}"#, false),
        ] {
            let got = with_file("trace.json", json.as_bytes(), trace_events_json);
            assert_eq!(got.is_ok(), ok, "{json}: {got:?}");
        }
    }
}

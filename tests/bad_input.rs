//! The bad-input matrix, for every hook binary: each case must end in exit 2 (fail closed)
//! within 5 s — never a crash code, which Claude Code would read as "allow".

mod support;
use std::time::{Duration, Instant};
use support::*;

fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut random = Vec::with_capacity(20 << 20);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while random.len() < 20 << 20 {
        // xorshift: deterministic "random" bytes, no rand crate needed
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.extend_from_slice(&x.to_le_bytes());
    }
    let mut deep = "[".repeat(200_000).into_bytes();
    deep.extend("]".repeat(200_000).into_bytes());
    vec![
        ("empty", Vec::new()),
        ("whitespace", b"  \n ".to_vec()),
        ("not json", b"hello there".to_vec()),
        ("json array", b"[1,2,3]".to_vec()),
        (
            "wrong types",
            br#"{"session_id":42,"tool_name":["Bash"],"hook_event_name":7}"#.to_vec(),
        ),
        (
            "truncated",
            br#"{"session_id":"s","tool_name":"Bash","tool_input":{"command":"node mc.js done 1"#
                .to_vec(),
        ),
        ("invalid utf-8", b"{\"session_id\":\"\xff\xfe\"}".to_vec()),
        ("deep nesting", deep),
        ("20 MB random", random),
    ]
}

#[test]
fn every_hook_binary_fails_closed_on_bad_input() {
    let sb = Sandbox::new("badinput");
    for bin in ["claim-gate", "artifact-gate", "blueprint-gate"] {
        for (name, input) in cases() {
            let t = Instant::now();
            let out = sb.run(bin, &[], &input, &[]);
            let took = t.elapsed();
            assert_eq!(code(&out), 2, "{bin} on {name}: {}", stderr(&out));
            assert!(
                stderr(&out).contains("fail-closed"),
                "{bin} on {name}: {}",
                stderr(&out)
            );
            assert!(
                took < Duration::from_secs(5),
                "{bin} on {name} took {took:?}"
            );
        }
    }
}

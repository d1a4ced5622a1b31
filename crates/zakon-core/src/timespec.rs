//! Points in time as people type them: a duration back from now (`30m`, `2h`, `3d`, `1w`)
//! or an RFC 3339 time (`2026-12-05T10:00:00Z`, `2026-12-05T12:00:00+02:00`, `2026-12-05`).

/// Seconds in `30s`, `30m`, `2h`, `3d`, `1w`.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().ok()?;
    let unit_secs = match unit {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(unit_secs).filter(|v| *v > 0)
}

/// Unix seconds of an RFC 3339 time ([`crate::time::parse_rfc3339`]), or of midnight UTC
/// for a bare date.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    crate::time::parse_rfc3339(s).or_else(|| {
        (s.len() == 10)
            .then(|| crate::time::parse_date(s))
            .flatten()
            .map(|days| days * 86_400)
    })
}

/// `--since`: a duration back from `now`, or a time.
pub fn parse_since(s: &str, now: i64) -> Option<i64> {
    parse_duration(s).map(|d| now - d).or_else(|| parse_time(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (s, want) in [
            ("30m", Some(1800)),
            ("2h", Some(7200)),
            ("3d", Some(259_200)),
            ("1w", Some(604_800)),
            ("45s", Some(45)),
            ("0m", None),
            ("m", None),
            ("5y", None),
            ("", None),
        ] {
            assert_eq!(parse_duration(s), want, "{s}");
        }
    }

    #[test]
    fn times() {
        for (s, want) in [
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2026-12-05T10:00:00Z", Some(1_796_464_800)),
            ("2026-12-05T12:00:00+02:00", Some(1_796_464_800)),
            ("2026-12-05T10:00:00.123Z", Some(1_796_464_800)),
            ("2026-12-05", Some(1_796_428_800)),
            ("2026-12-05T25:00:00Z", None),
            ("2026-12-05T10:00:00", None),
            ("yesterday", None),
        ] {
            assert_eq!(parse_time(s), want, "{s}");
        }
        assert_eq!(parse_since("2h", 10_000), Some(2800));
    }
}

//! The scorer's weights file (`rules/scorer/weights.txt`): `#` comments, a `bias<TAB>b` line
//! and one `feature<TAB>weight` line per feature. Read by build.rs, which compiles it in, and
//! by `train-scorer --eval`, which scores a model just trained exactly as it would ship —
//! one reader, so the two cannot drift (build.rs includes this file by path).

/// A parsed weights file: the bias and the features sorted by name (byte order, which is
/// how `scorer::Model` binary-searches them).
pub struct Weights<'a> {
    pub bias: f64,
    pub features: Vec<(&'a str, f32)>,
}

pub fn parse(text: &str) -> Result<Weights<'_>, String> {
    let mut bias = None;
    let mut features = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((feature, weight)) = line.rsplit_once('\t') else {
            return Err(format!("line {}: expected `feature<TAB>weight`", n + 1));
        };
        if feature == "bias" {
            let b = weight.parse::<f64>();
            bias = Some(b.map_err(|e| format!("line {}: {e}", n + 1))?);
        } else {
            let w = weight.parse::<f32>();
            features.push((
                feature,
                w.map_err(|e| format!("line {}: {e}", n + 1))?,
                n + 1,
            ));
        }
    }
    features.sort_by(|a, b| a.0.cmp(b.0));
    if let Some(d) = features.windows(2).find(|d| d[0].0 == d[1].0) {
        return Err(format!("line {}: duplicate feature {:?}", d[1].2, d[1].0));
    }
    Ok(Weights {
        bias: bias.ok_or("no `bias` line")?,
        features: features.into_iter().map(|(f, w, _)| (f, w)).collect(),
    })
}

/// The table as the binary holds it: every feature end to end in one string, the offsets
/// that cut it (one more than the features), and the weights.
pub fn layout(features: &[(&str, f32)]) -> (String, Vec<u32>, Vec<f32>) {
    let mut names = String::new();
    let mut offsets = vec![0u32];
    for (f, _) in features {
        names.push_str(f);
        offsets.push(u32::try_from(names.len()).expect("a weights table under 4 GiB"));
    }
    (names, offsets, features.iter().map(|(_, w)| *w).collect())
}

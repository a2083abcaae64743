//! What changed between two versions of a text, line by line (the privacy policy's preview).

/// One line of a comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both versions.
    Same(String),
    /// Only in the old version.
    Removed(String),
    /// Only in the new version.
    Added(String),
}

/// The lines of `old` and `new` with those they share kept in order (a longest common
/// subsequence), the others marked removed or added. Quadratic in the number of lines, which
/// for a policy of a few hundred lines is nothing.
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // common[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut common = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut lines = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || common[i][j + 1] > common[i + 1][j]) {
            lines.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        } else {
            lines.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        }
    }
    lines
}

//! containerd's matchers and their ranking: `NewMatcher` (exact), [`only`], [`only_strict`],
//! [`only_os`], [`ordered`], [`any`], [`all`] and the Windows comparer, each a [`Matcher`]
//! with `matches` and containerd's `Less`.
//!
//! Windows rules (rc.5): when the matcher's platform has OS `windows`, one `win32k` is
//! dropped from the candidate's features, and the candidate's `os.version` must be
//! compatible with the host's (same major.minor; below build 20348 the same build; from
//! 20348 on, any build between the previous LTSC floor and the host's). `os.version` is
//! ignored for every other OS.

use super::Platform;
use super::normalize::Defaults;

/// Windows build numbers with a stable container ABI (LTSC releases), oldest first.
pub const WINDOWS_LTSC_BUILDS: &[u16] = &[20348, 26100];

/// A parsed `major.minor.build` Windows version (zero = unknown / unparsable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowsVersion {
    /// Major version (10).
    pub major: u8,
    /// Minor version (0).
    pub minor: u8,
    /// Build number (17763, 20348, 26100, …).
    pub build: u16,
}

fn go_parse_uint<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl WindowsVersion {
    /// containerd `getWindowsOSVersion`: the first three dot-separated numbers of an
    /// `os.version`; all zero when there are fewer than two dots or a number does not fit.
    ///
    /// (Example: the test `doc_examples::parse_example` in this file.)
    pub fn parse(v: &str) -> WindowsVersion {
        if v.matches('.').count() < 2 {
            return WindowsVersion::default();
        }
        let mut it = v.splitn(3, '.');
        let major = it.next().unwrap_or("");
        let minor = it.next().unwrap_or("");
        let build = it.next().unwrap_or("").split('.').next().unwrap_or("");
        match (
            go_parse_uint::<u8>(major),
            go_parse_uint::<u8>(minor),
            go_parse_uint::<u16>(build),
        ) {
            (Some(major), Some(minor), Some(build)) => WindowsVersion {
                major,
                minor,
                build,
            },
            _ => WindowsVersion::default(),
        }
    }

    fn is_empty(&self) -> bool {
        *self == WindowsVersion::default()
    }
}

/// containerd `checkWindowsHostAndContainerCompat` (rc.5): can a host of version `host`
/// run a container built for `ctr`?
///
/// (Example: the test `doc_examples::windows_compatible_example` in this file.)
pub fn windows_compatible(host: WindowsVersion, ctr: WindowsVersion) -> bool {
    if host.major != ctr.major || host.minor != ctr.minor {
        return false;
    }
    let first = WINDOWS_LTSC_BUILDS[0];
    if host.build < first {
        return host.build == ctr.build;
    }
    let mut floor = first;
    for i in (0..WINDOWS_LTSC_BUILDS.len()).rev() {
        if host.build >= WINDOWS_LTSC_BUILDS[i] {
            floor = if i == 0 {
                WINDOWS_LTSC_BUILDS[0]
            } else {
                WINDOWS_LTSC_BUILDS[i - 1]
            };
            break;
        }
    }
    floor <= ctr.build && ctr.build <= host.build
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// The containerd platforms **v1.0.0-rc.4** rule, kept for diagnosing hosts that vendor it
/// (containerd 2.2 and earlier rc.4 users): a host past the latest LTSC takes that LTSC as its
/// floor, so a 26200 host rejects 20348 containers (moby/moby#53397; fixed in rc.5).
///
/// (Example: the test `doc_examples::windows_compatible_rc4_example` in this file.)
pub fn windows_compatible_rc4(host: WindowsVersion, ctr: WindowsVersion) -> bool {
    if host.major != ctr.major || host.minor != ctr.minor {
        return false;
    }
    let first = WINDOWS_LTSC_BUILDS[0];
    if host.build < first {
        return host.build == ctr.build;
    }
    let floor = WINDOWS_LTSC_BUILDS
        .iter()
        .rev()
        .find(|&&b| host.build > b)
        .copied()
        .unwrap_or(first);
    floor <= ctr.build && ctr.build <= host.build
}

/// containerd's `NewMatcher`: one normalised platform, matched exactly (with the Windows
/// rules when its OS is `windows`).
#[derive(Debug, Clone)]
struct Exact {
    /// The platform as given to `NewMatcher`.
    source: Platform,
    platform: Platform,
    /// Set when the platform given to `NewMatcher` had OS `windows` (raw, before
    /// normalisation, as containerd checks it).
    windows: Option<WindowsVersion>,
}

impl Exact {
    fn new(p: &Platform, defaults: &Defaults) -> Exact {
        Exact {
            source: p.clone(),
            platform: p.normalize_with(defaults),
            windows: (p.os == "windows")
                .then(|| WindowsVersion::parse(p.os_version.as_deref().unwrap_or(""))),
        }
    }

    fn matches(&self, c: &Cand<'_>) -> bool {
        let m = &self.platform;
        let n = &c.norm;
        if m.os != n.os || m.architecture != n.architecture || m.variant != n.variant {
            return false;
        }
        if !windows_version_ok(self.windows, c.raw) {
            return false;
        }
        let features = match (&self.windows, &c.features_no_win32k) {
            (Some(_), Some(stripped)) => stripped,
            _ => &n.os_features,
        };
        features_subset(features, &m.os_features)
    }
}

/// A candidate prepared once per query: its normal form and, for Windows matchers (which
/// drop one `win32k` from the candidate first), its normalised features without it.
struct Cand<'a> {
    raw: &'a Platform,
    norm: Platform,
    features_no_win32k: Option<Vec<String>>,
}

impl<'a> Cand<'a> {
    fn new(raw: &'a Platform, defaults: &Defaults) -> Cand<'a> {
        let features_no_win32k = raw.os_features.iter().position(|f| f == "win32k").map(|i| {
            let mut f = raw.os_features.clone();
            f.remove(i);
            f.sort();
            f.dedup();
            f
        });
        Cand {
            raw,
            norm: raw.normalize_with(defaults),
            features_no_win32k,
        }
    }
}

/// containerd's `windowsVersionMatcher.Match`: an unknown host version or an image without
/// `os.version` always passes.
fn windows_version_ok(host: Option<WindowsVersion>, p: &Platform) -> bool {
    let Some(host) = host else {
        return true;
    };
    let v = p.os_version.as_deref().unwrap_or("");
    host.is_empty() || v.is_empty() || windows_compatible(host, WindowsVersion::parse(v))
}

/// Whether sorted, de-duplicated `needed` is a subset of sorted `have` (containerd's merge walk).
fn features_subset(needed: &[String], have: &[String]) -> bool {
    if needed.is_empty() {
        return true;
    }
    if have.len() < needed.len() {
        return false;
    }
    let mut j = 0;
    for f in needed {
        let mut found = false;
        while j < have.len() {
            if *f == have[j] {
                found = true;
                j += 1;
                break;
            }
            if *f < have[j] {
                return false;
            }
            j += 1;
        }
        if !found {
            return false;
        }
    }
    true
}

/// One element of an `Only` compatibility vector: a platform, or a descending run of
/// numbered variants (`amd64/v(N-1)` … `v1`, `arm/v(N-1)` … `v5`) kept lazily.
#[derive(Debug, Clone)]
enum Entry {
    One(Exact),
    Levels {
        /// The platform with its variant to be replaced by `v<level>`.
        template: Platform,
        /// Highest level (first in preference).
        hi: i64,
        /// Lowest level.
        lo: i64,
    },
}

impl Entry {
    /// Position inside this entry of the first matcher that accepts the candidate.
    fn position(&self, c: &Cand<'_>) -> Option<u64> {
        match self {
            Entry::One(e) => e.matches(c).then_some(0),
            Entry::Levels { template, hi, lo } => {
                let n = &c.norm;
                if n.architecture != template.architecture {
                    return None;
                }
                let amd64 = n.architecture == "amd64";
                let level = if n.variant.is_empty() && amd64 {
                    1
                } else {
                    let digits = n.variant.strip_prefix('v')?;
                    let level: i64 = go_parse_uint(digits)?;
                    // Only the canonical spelling `v<N>` equals the generated entry.
                    if level.to_string() != digits {
                        return None;
                    }
                    level
                };
                if level < *lo || level > *hi {
                    return None;
                }
                // The entry containerd builds: NewMatcher(template with variant v<level>),
                // whose normal form drops amd64's `v1`.
                let variant = if amd64 && level == 1 {
                    String::new()
                } else {
                    format!("v{level}")
                };
                let e = Exact {
                    source: Platform::default(),
                    platform: Platform {
                        variant,
                        ..template.clone()
                    },
                    windows: (template.os == "windows").then(|| {
                        WindowsVersion::parse(template.os_version.as_deref().unwrap_or(""))
                    }),
                };
                e.matches(c).then(|| (hi - level) as u64)
            }
        }
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[allow(dead_code)]
#[derive(Debug, Clone)]
enum Kind {
    Ordered(Vec<Entry>),
    Any(Vec<Entry>),
    OnlyOs {
        platform: Platform,
        windows: Option<WindowsVersion>,
        arch: Exact,
    },
    Windows(Exact),
    All,
}

/// A platform matcher with containerd's ranking (`MatchComparer`).
///
/// ```
/// use archcompat::{Matcher, Platform};
/// let host: Platform = "linux/arm64".parse().unwrap();
/// let m = Matcher::only(&host);
/// let mut c: Vec<Platform> = ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"]
///     .iter().map(|s| s.parse().unwrap()).collect();
/// assert!(!m.matches(&c[0]));
/// m.sort(&mut c);
/// assert_eq!(c[0].to_string(), "linux/arm64/v8");
/// ```
#[derive(Debug, Clone)]
pub struct Matcher {
    kind: Kind,
    defaults: Defaults,
}

impl Matcher {
    /// containerd `platforms.Only`: the platform and everything containerd assumes it runs,
    /// best first (amd64/vN → … → v1 → 386; arm/vN → … → v5; arm64/v9.x → … → arm/v5).
    pub fn only(platform: &Platform) -> Matcher {
        only(platform)
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// containerd `NewMatcher`: exactly this platform (normalised, Windows rules when its OS is
/// `windows`). Its ranking is that of `Ordered` with one platform.
pub fn new_matcher(platform: &Platform) -> Matcher {
    ordered(vec![platform.clone()])
}

/// containerd `Only`: the platform and everything containerd assumes it runs, in
/// preference order (amd64/vN → … → v1 → 386; arm/vN → … → v5; arm64/v9.x → … → arm/v5).
pub fn only(platform: &Platform) -> Matcher {
    only_with(platform, Defaults::current())
}

/// [`only`] with explicit host defaults.
pub fn only_with(platform: &Platform, defaults: &Defaults) -> Matcher {
    let n = platform.normalize_with(defaults);
    Matcher {
        kind: Kind::Ordered(vector(&n, defaults)),
        defaults: defaults.clone(),
    }
}

/// containerd `OnlyStrict`: this platform only (equivalent spellings still match).
pub fn only_strict(platform: &Platform) -> Matcher {
    let defaults = Defaults::current();
    Matcher {
        kind: Kind::Ordered(vec![Entry::One(Exact::new(
            &platform.normalize_with(defaults),
            defaults,
        ))]),
        defaults: defaults.clone(),
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// containerd `Ordered`: any of the platforms, preferred in the order given.
pub fn ordered(platforms: Vec<Platform>) -> Matcher {
    let defaults = Defaults::current();
    Matcher {
        kind: Kind::Ordered(
            platforms
                .iter()
                .map(|p| Entry::One(Exact::new(p, defaults)))
                .collect(),
        ),
        defaults: defaults.clone(),
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// containerd `Any`: any of the platforms, no preference among them.
pub fn any(platforms: Vec<Platform>) -> Matcher {
    let defaults = Defaults::current();
    Matcher {
        kind: Kind::Any(
            platforms
                .iter()
                .map(|p| Entry::One(Exact::new(p, defaults)))
                .collect(),
        ),
        defaults: defaults.clone(),
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[allow(dead_code)]
/// containerd `All`: matches everything, prefers nothing.
pub fn all() -> Matcher {
    Matcher {
        kind: Kind::All,
        defaults: Defaults::current().clone(),
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// containerd `OnlyOS` (rc.4): same OS, `os.version` rules and features subset, any
/// architecture; the exact architecture ranks first.
pub fn only_os(platform: &Platform) -> Matcher {
    let defaults = Defaults::current();
    let n = platform.normalize_with(defaults);
    Matcher {
        kind: Kind::OnlyOs {
            windows: (n.os == "windows")
                .then(|| WindowsVersion::parse(n.os_version.as_deref().unwrap_or(""))),
            arch: Exact::new(&n, defaults),
            platform: n,
        },
        defaults: defaults.clone(),
    }
}

// Ported from containerd with its conformance tests (`tests/containerd.rs`); the pipelines
// use `only`, `only_with` and `only_strict`.
#[cfg_attr(not(test), allow(dead_code))]
/// containerd's `windowsMatchComparer` around `NewMatcher(platform)` (what `Default()` is on
/// a Windows host): matches as [`new_matcher`]; among matches the larger `os.version`
/// string ranks first (plain string comparison, as containerd does).
pub fn windows_comparer(platform: &Platform) -> Matcher {
    let defaults = Defaults::current();
    Matcher {
        kind: Kind::Windows(Exact::new(platform, defaults)),
        defaults: defaults.clone(),
    }
}

/// containerd's `platformVector` for `platform` (normalised first), materialised: the
/// platforms `Only` accepts, in preference order. Numbered runs are cut after `limit`
/// entries (containerd would list `amd64/v1000` … `v1` in full).
///
/// (Example: the test `doc_examples::compatibility_vector_example` in this file.)
pub fn compatibility_vector(platform: &Platform, limit: usize) -> Vec<Platform> {
    let defaults = Defaults::current();
    let n = platform.normalize_with(defaults);
    let mut out = Vec::new();
    for e in vector(&n, defaults) {
        match e {
            Entry::One(x) => out.push(x.source),
            Entry::Levels { template, hi, lo } => {
                let mut level = hi;
                while level >= lo && out.len() < limit {
                    let mut t = template.clone();
                    t.variant = format!("v{level}");
                    out.push(t);
                    level -= 1;
                }
            }
        }
        if out.len() >= limit {
            out.truncate(limit);
            break;
        }
    }
    out
}

/// containerd `platformVector`: the compatibility vector of a normalised platform.
fn vector(p: &Platform, defaults: &Defaults) -> Vec<Entry> {
    let with = |arch: &str, variant: &str| Platform {
        architecture: arch.into(),
        variant: variant.into(),
        ..p.clone()
    };
    let go_atoi = |v: &str| v.strip_prefix('v').unwrap_or(v).parse::<i64>().ok();
    let mut out = vec![Entry::One(Exact::new(p, defaults))];
    match p.architecture.as_str() {
        "amd64" => {
            if let Some(n) = go_atoi(&p.variant).filter(|n| *n > 1) {
                out.push(Entry::Levels {
                    template: p.clone(),
                    hi: n - 1,
                    lo: 1,
                });
            }
            out.push(Entry::One(Exact::new(&with("386", ""), defaults)));
        }
        "arm" => {
            if let Some(n) = go_atoi(&p.variant).filter(|n| *n > 5) {
                out.push(Entry::Levels {
                    template: p.clone(),
                    hi: n - 1,
                    lo: 5,
                });
            }
        }
        "arm64" => {
            let variant = if p.variant.is_empty() {
                "v8"
            } else {
                &p.variant
            };
            out.clear();
            let Some(steps) = arm64_steps(variant) else {
                return out;
            };
            for (major, top) in steps {
                for minor in (0..=top).rev() {
                    let v = if minor == 0 {
                        format!("v{major}")
                    } else {
                        format!("v{major}.{minor}")
                    };
                    out.push(Entry::One(Exact::new(&with("arm64", &v), defaults)));
                }
            }
            out.extend(vector(&with("arm", "v8"), defaults));
        }
        _ => {}
    }
    out
}

/// containerd's `arm64variantToVersion`: (major, highest minor) runs for a known variant.
fn arm64_steps(variant: &str) -> Option<Vec<(u8, u8)>> {
    if !ARM64_VARIANTS.contains(&variant) {
        return None;
    }
    let rest = &variant[1..];
    let (major, minor) = rest.split_once('.').unwrap_or((rest, "0"));
    let (major, minor): (u8, u8) = (major.parse().ok()?, minor.parse().ok()?);
    Some(if major == 8 {
        vec![(8, minor)]
    } else {
        vec![(9, minor), (8, (minor + 5).min(9))]
    })
}

/// The arm64 variants containerd knows (its `arm64variantToVersion` keys).
pub const ARM64_VARIANTS: &[&str] = &[
    "v8", "v8.0", "v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9",
    "v9.0", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5", "v9.6", "v9.7",
];

impl Matcher {
    /// Whether the platform is accepted (containerd `Match`).
    pub fn matches(&self, p: &Platform) -> bool {
        let d = &self.defaults;
        match &self.kind {
            Kind::Ordered(entries) | Kind::Any(entries) => {
                let c = Cand::new(p, d);
                entries.iter().any(|e| e.position(&c).is_some())
            }
            Kind::OnlyOs { .. } => self.matches_os(p),
            Kind::Windows(e) => e.matches(&Cand::new(p, d)),
            Kind::All => true,
        }
    }

    /// The rank of `p`: (entry, position inside the entry) of the first matcher accepting it.
    fn rank(&self, entries: &[Entry], p: &Platform) -> Option<(usize, u64)> {
        let c = Cand::new(p, &self.defaults);
        entries
            .iter()
            .enumerate()
            .find_map(|(i, e)| e.position(&c).map(|pos| (i, pos)))
    }

    fn matches_os(&self, p: &Platform) -> bool {
        let Kind::OnlyOs {
            platform, windows, ..
        } = &self.kind
        else {
            return false;
        };
        let n = p.normalize_with(&self.defaults);
        if platform.os != n.os {
            return false;
        }
        if !windows_version_ok(*windows, p) {
            return false;
        }
        features_subset(&n.os_features, &platform.os_features)
    }

    /// containerd `Less`: whether `a` is preferred over `b`.
    pub fn less(&self, a: &Platform, b: &Platform) -> bool {
        match &self.kind {
            Kind::Ordered(entries) => {
                let (ra, rb) = (self.rank(entries, a), self.rank(entries, b));
                match (ra, rb) {
                    (Some(x), Some(y)) if x == y => a.os_features.len() > b.os_features.len(),
                    (Some(x), Some(y)) => x < y,
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => {
                        if a.os_features.is_empty() && b.os_features.is_empty() {
                            return false;
                        }
                        let (mut a, mut b) = (a.clone(), b.clone());
                        a.os_features.clear();
                        b.os_features.clear();
                        self.less(&a, &b)
                    }
                }
            }
            Kind::Any(entries) => {
                let (ma, mb) = (
                    self.rank(entries, a).is_some(),
                    self.rank(entries, b).is_some(),
                );
                if ma && mb && a.os_features.len() != b.os_features.len() {
                    return a.os_features.len() > b.os_features.len();
                }
                let has_features = !a.os_features.is_empty() || !b.os_features.is_empty();
                if !ma && !mb && has_features {
                    let (mut a, mut b) = (a.clone(), b.clone());
                    a.os_features.clear();
                    b.os_features.clear();
                    return self.less(&a, &b);
                }
                ma && !mb
            }
            Kind::OnlyOs { arch, .. } => {
                let (ma, mb) = (self.matches_os(a), self.matches_os(b));
                if ma && !mb {
                    return true;
                }
                if !ma {
                    return false;
                }
                let arch_order = Matcher {
                    kind: Kind::Ordered(vec![Entry::One(arch.clone())]),
                    defaults: self.defaults.clone(),
                };
                arch_order.less(a, b)
            }
            Kind::Windows(e) => {
                let d = &self.defaults;
                let (ma, mb) = (e.matches(&Cand::new(a, d)), e.matches(&Cand::new(b, d)));
                if ma && mb {
                    return a.os_version.as_deref().unwrap_or("")
                        > b.os_version.as_deref().unwrap_or("");
                }
                ma && !mb
            }
            Kind::All => false,
        }
    }

    /// Stable sort by [`Matcher::less`] (an insertion sort, like Go's `sort.SliceStable`
    /// on index-sized inputs), best first.
    pub fn sort(&self, platforms: &mut [Platform]) {
        insertion_sort(platforms, |a, b| self.less(a, b));
    }

    /// The index of the candidate containerd would select: keep the matching ones, stable-sort
    /// them by `Less`, take the first.
    ///
    /// (Example: the test `doc_examples::best_example` in this file.)
    pub fn best(&self, candidates: &[Platform]) -> Option<usize> {
        let mut idx: Vec<usize> = (0..candidates.len())
            .filter(|&i| self.matches(&candidates[i]))
            .collect();
        insertion_sort(&mut idx, |&a, &b| self.less(&candidates[a], &candidates[b]));
        idx.first().copied()
    }
}

/// Stable insertion sort by a strict "less" (what Go's `sort.SliceStable` does on up to
/// 20 elements, and equivalent for any consistent ordering).
pub(crate) fn insertion_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

// The examples of internal items (not shown by `cargo doc`), run as unit tests.
#[cfg(test)]
mod doc_examples {
    #[test]
    fn parse_example() {
        use crate::platform::matcher::WindowsVersion;
        assert_eq!(WindowsVersion::parse("10.0.20348.3091").build, 20348);
        assert_eq!(WindowsVersion::parse("10.0"), WindowsVersion::default());
    }

    #[test]
    fn windows_compatible_example() {
        use crate::platform::matcher::{WindowsVersion, windows_compatible};
        let v = |b| WindowsVersion {
            major: 10,
            minor: 0,
            build: b,
        };
        assert!(windows_compatible(v(26200), v(20348)));
        assert!(!windows_compatible(v(20348), v(17763)));
    }

    #[test]
    fn windows_compatible_rc4_example() {
        use crate::platform::matcher::{
            WindowsVersion, windows_compatible, windows_compatible_rc4,
        };
        let v = |b| WindowsVersion {
            major: 10,
            minor: 0,
            build: b,
        };
        assert!(!windows_compatible_rc4(v(26200), v(20348)));
        assert!(windows_compatible(v(26200), v(20348)));
    }

    #[test]
    fn compatibility_vector_example() {
        use crate::platform::matcher::compatibility_vector;
        let v = compatibility_vector(&"linux/amd64/v3".parse().unwrap(), 64);
        let s: Vec<String> = v.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            s,
            [
                "linux/amd64/v3",
                "linux/amd64/v2",
                "linux/amd64/v1",
                "linux/386"
            ]
        );
    }

    #[test]
    fn best_example() {
        use crate::platform::{Platform, matcher};
        let c: Vec<Platform> = ["linux/386", "linux/amd64"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let host: Platform = "linux/amd64".parse().unwrap();
        assert_eq!(matcher::only(&host).best(&c), Some(1));
    }
}

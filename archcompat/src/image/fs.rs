//! The merged filesystem of an image, built layer by layer without touching the disk:
//! whiteouts (`.wh.NAME`) and opaque directories (`.wh..wh..opq`) applied in layer order,
//! hard links copied from their target, and symbolic links resolved strictly inside the
//! image root (`..` stops at `/`, absolute targets restart at the image root).

use crate::binary::BinaryInfo;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a path is in the merged image.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A directory.
    Dir,
    /// A regular file; `info` is set for files that were classified (executables, ELF files,
    /// scripts, and anything with an execute bit).
    File {
        /// Size in bytes.
        size: u64,
        /// What the file is, when it was classified.
        info: Option<Arc<BinaryInfo>>,
    },
    /// A symbolic link and its target as written.
    Symlink(String),
    /// Devices, FIFOs and other special files.
    Other,
}

/// One path in the merged image.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Permission bits.
    pub mode: u32,
    /// Index of the layer that wrote it (base layer is 0).
    pub layer: usize,
}

/// The merged view. Keys are paths relative to the image root, without a leading `/`.
#[derive(Debug, Default)]
pub struct FsView {
    nodes: BTreeMap<String, Node>,
}

/// The outcome of resolving a path inside the image.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The final path (absolute, inside the image).
    pub path: String,
    /// The node found.
    pub node: &'a Node,
    /// Links followed on the way (`link -> target`).
    pub links: Vec<String>,
}

/// Why a path could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No such path in the image (the missing component's absolute path).
    NotFound(String),
    /// More symbolic links than allowed (a loop, or a too-long chain).
    TooManyLinks(String),
}

/// Normalise a tar member name or an in-image path to the key form (no leading `/`, no `.`,
/// `..` clamped at the root).
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

fn subtree_keys(nodes: &BTreeMap<String, Node>, dir: &str, below_layer: usize) -> Vec<String> {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    nodes
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(_, n)| n.layer < below_layer)
        .map(|(k, _)| k.clone())
        .collect()
}

impl FsView {
    /// An empty filesystem.
    pub fn new() -> Self {
        FsView::default()
    }

    /// Iterate over `(path, node)`; paths without the leading `/`.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }

    fn has_children(&self, key: &str) -> bool {
        let prefix = format!("{key}/");
        self.nodes
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Look up a path without following links (the tests' view of the merged tree).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(&normalize(path))
    }

    /// Apply all members of layer `layer` in linear time: its whiteouts first (they only ever
    /// delete what *lower* layers wrote, so each lower path is visited at most once, and a
    /// directory made opaque twice is scanned once), then its other members in order.
    pub fn apply_layer(&mut self, layer: usize, ops: Vec<(String, u32, EntryKind)>) {
        let is_whiteout = |name: &str| {
            name.rsplit('/')
                .find(|c| !c.is_empty())
                .is_some_and(|b| b.starts_with(".wh."))
        };
        let mut done = std::collections::HashSet::new();
        for (name, mode, kind) in ops.iter().filter(|(n, _, _)| is_whiteout(n)) {
            if done.insert(normalize(name)) {
                self.apply(name, layer, *mode, kind.clone());
            }
        }
        for (name, mode, kind) in ops {
            if !is_whiteout(&name) {
                self.apply(&name, layer, mode, kind);
            }
        }
    }

    /// Apply one tar member of layer `layer`. Whiteouts delete what lower layers wrote.
    pub fn apply(&mut self, name: &str, layer: usize, mode: u32, kind: EntryKind) {
        let key = normalize(name);
        let (dir, base) = match key.rsplit_once('/') {
            Some((d, b)) => (d.to_string(), b),
            None => (String::new(), key.as_str()),
        };
        if base == ".wh..wh..opq" {
            for k in subtree_keys(&self.nodes, &dir, layer) {
                self.nodes.remove(&k);
            }
            return;
        }
        if let Some(victim) = base.strip_prefix(".wh.") {
            let victim = if dir.is_empty() {
                victim.to_string()
            } else {
                format!("{dir}/{victim}")
            };
            for k in subtree_keys(&self.nodes, &victim, layer) {
                self.nodes.remove(&k);
            }
            if self.nodes.get(&victim).is_some_and(|n| n.layer < layer) {
                self.nodes.remove(&victim);
            }
            return;
        }
        if key.is_empty() {
            return; // the root itself
        }
        let node_kind = match kind {
            EntryKind::Dir => {
                if let Some(n) = self.nodes.get_mut(&key)
                    && matches!(n.kind, NodeKind::Dir)
                {
                    n.mode = mode;
                    return;
                }
                NodeKind::Dir
            }
            EntryKind::File { size, info } => NodeKind::File { size, info },
            EntryKind::Symlink(t) => NodeKind::Symlink(t),
            EntryKind::Hardlink(target) => match self.nodes.get(&normalize(&target)) {
                Some(n) => {
                    let n = n.clone();
                    self.replace(key, Node { layer, ..n });
                    return;
                }
                None => NodeKind::Other,
            },
            EntryKind::Other => NodeKind::Other,
        };
        self.replace(
            key,
            Node {
                kind: node_kind,
                mode,
                layer,
            },
        );
    }

    fn replace(&mut self, key: String, node: Node) {
        // A non-directory replacing a directory hides everything under it.
        if !matches!(node.kind, NodeKind::Dir)
            && self
                .nodes
                .get(&key)
                .is_some_and(|n| matches!(n.kind, NodeKind::Dir))
        {
            for k in subtree_keys(&self.nodes, &key, usize::MAX) {
                self.nodes.remove(&k);
            }
        }
        self.nodes.insert(key, node);
    }

    /// Resolve `path` (absolute, or relative to the root) following symbolic links inside the
    /// image, at most `max_hops` of them. The final component's link is followed too.
    pub fn resolve(&self, path: &str, max_hops: u32) -> Result<Resolved<'_>, ResolveError> {
        let mut pending: Vec<String> = path
            .split('/')
            .filter(|c| !c.is_empty())
            .rev()
            .map(str::to_string)
            .collect();
        let mut cur: Vec<String> = Vec::new();
        let mut hops = 0u32;
        let mut links = Vec::new();
        let mut last: Option<&Node> = None;
        while let Some(c) = pending.pop() {
            match c.as_str() {
                "." => continue,
                ".." => {
                    cur.pop();
                    last = None;
                    continue;
                }
                _ => {}
            }
            let mut candidate = cur.clone();
            candidate.push(c);
            let key = candidate.join("/");
            let Some(node) = self.nodes.get(&key) else {
                // Tars may omit parent directory entries: a path with children is a directory.
                if !pending.is_empty() && self.has_children(&key) {
                    cur = candidate;
                    last = None;
                    continue;
                }
                return Err(ResolveError::NotFound(format!("/{key}")));
            };
            match &node.kind {
                NodeKind::Symlink(target) => {
                    hops += 1;
                    if hops > max_hops {
                        return Err(ResolveError::TooManyLinks(format!("/{key}")));
                    }
                    links.push(format!("/{key} -> {target}"));
                    if target.starts_with('/') {
                        cur.clear();
                    }
                    for t in target.split('/').filter(|c| !c.is_empty()).rev() {
                        pending.push(t.to_string());
                    }
                    last = None;
                }
                NodeKind::Dir => {
                    cur = candidate;
                    last = Some(node);
                }
                _ => {
                    if !pending.iter().all(|p| p == ".") {
                        return Err(ResolveError::NotFound(format!(
                            "/{key}/{}",
                            pending.iter().rev().cloned().collect::<Vec<_>>().join("/")
                        )));
                    }
                    cur = candidate;
                    last = Some(node);
                }
            }
        }
        match last {
            Some(node) => Ok(Resolved {
                path: format!("/{}", cur.join("/")),
                node,
                links,
            }),
            None if cur.is_empty() => Err(ResolveError::NotFound("/".into())),
            None => {
                let key = cur.join("/");
                match self.nodes.get(&key) {
                    Some(node) => Ok(Resolved {
                        path: format!("/{key}"),
                        node,
                        links,
                    }),
                    None => Err(ResolveError::NotFound(format!("/{key}"))),
                }
            }
        }
    }
}

/// What a tar member is, as [`FsView::apply`] needs it.
#[derive(Debug, Clone)]
pub enum EntryKind {
    /// Directory.
    Dir,
    /// Regular file (with its classification, if any).
    File {
        /// Size in bytes.
        size: u64,
        /// Classification, when done.
        info: Option<Arc<BinaryInfo>>,
    },
    /// Symbolic link to the target as written.
    Symlink(String),
    /// Hard link to another member (path as written in the tar).
    Hardlink(String),
    /// Anything else.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> EntryKind {
        EntryKind::File {
            size: 1,
            info: None,
        }
    }

    #[test]
    fn whiteouts_and_opaque_dirs_apply_in_layer_order() {
        let mut fs = FsView::new();
        fs.apply("bin/", 0, 0o755, EntryKind::Dir);
        fs.apply("bin/a", 0, 0o755, file());
        fs.apply("bin/b", 0, 0o755, file());
        fs.apply("etc/x/y", 0, 0o644, file());
        fs.apply("./bin/.wh.a", 1, 0, file());
        fs.apply("etc/x/.wh..wh..opq", 1, 0, file());
        fs.apply("etc/x/z", 1, 0o644, file());
        assert!(fs.get("bin/a").is_none());
        assert!(fs.get("bin/b").is_some());
        assert!(fs.get("etc/x/y").is_none());
        assert!(fs.get("/etc/x/z").is_some());
        // Whiteout of a directory removes its subtree.
        fs.apply(".wh.etc", 2, 0, file());
        assert!(fs.get("etc/x/z").is_none());
    }

    #[test]
    fn links_resolve_inside_the_root_only() {
        let mut fs = FsView::new();
        fs.apply("bin", 0, 0o755, EntryKind::Dir);
        fs.apply("usr/bin/real", 0, 0o755, file());
        fs.apply(
            "bin/rel",
            0,
            0o777,
            EntryKind::Symlink("../usr/bin/real".into()),
        );
        fs.apply(
            "bin/abs",
            0,
            0o777,
            EntryKind::Symlink("/usr/bin/real".into()),
        );
        fs.apply(
            "bin/escape",
            0,
            0o777,
            EntryKind::Symlink("../../../../usr/bin/real".into()),
        );
        fs.apply("bin/loop", 0, 0o777, EntryKind::Symlink("loop".into()));
        fs.apply("sbin", 0, 0o777, EntryKind::Symlink("bin".into()));
        fs.apply(
            "usr/bin/hard",
            0,
            0o755,
            EntryKind::Hardlink("usr/bin/real".into()),
        );
        for p in ["/bin/rel", "/bin/abs", "/bin/escape", "/sbin/rel"] {
            let r = fs.resolve(p, 40).unwrap();
            assert_eq!(r.path, "/usr/bin/real", "{p}");
            assert!(!r.links.is_empty());
        }
        assert!(matches!(
            fs.resolve("/bin/loop", 40),
            Err(ResolveError::TooManyLinks(_))
        ));
        assert!(
            matches!(fs.resolve("/bin/none", 40), Err(ResolveError::NotFound(p)) if p == "/bin/none")
        );
        assert!(matches!(
            fs.get("usr/bin/hard").unwrap().kind,
            NodeKind::File { .. }
        ));
    }

    proptest::proptest! {
        #[test]
        fn resolution_never_escapes_or_panics(
            names in proptest::collection::vec(r"[a-c./]{1,12}", 1..12),
            targets in proptest::collection::vec(r"[a-c./]{0,12}", 1..12),
            query in r"[a-c./]{0,16}",
        ) {
            let mut fs = FsView::new();
            for (i, n) in names.iter().enumerate() {
                let kind = match targets.get(i) {
                    Some(t) if i % 2 == 0 => EntryKind::Symlink(t.clone()),
                    _ => EntryKind::File { size: 0, info: None },
                };
                fs.apply(n, i, 0o755, kind);
            }
            if let Ok(r) = fs.resolve(&query, 40) {
                proptest::prop_assert!(r.path.starts_with('/'));
                // No component climbs out (a file may well be *named* `...`).
                proptest::prop_assert!(!r.path.split('/').any(|c| c == ".." || c == "."), "{}", r.path);
            }
        }
    }
}

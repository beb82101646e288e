//! Which WASI a module asks for, and what this crate provides of it.
//!
//! A module says which WASI it wants through the module names of its
//! imports. [`WasiFlavor::of_import_module`] names the flavour, and
//! [`provides`] tells whether a given import is served, so an embedder can
//! say clearly what is missing ("imports `wasix_32v1::proc_fork`, which
//! Weft does not provide") instead of failing on the first unknown import.

/// A WASI flavour, named by the import module a guest uses.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WasiFlavor {
    /// `wasi_snapshot_preview1`: provided in full.
    Preview1,
    /// `wasi_unstable` (snapshot 0): provided in full.
    Unstable,
    /// `wasix_32v1` / `wasix_64v1` (Wasmer's WASIX): not provided.
    Wasix,
    /// `wasi` (the `wasi-threads` proposal's `thread-spawn`): not provided
    /// by this crate.
    Threads,
}

impl WasiFlavor {
    /// The flavour an import module name belongs to, or `None` for a module
    /// that is not WASI.
    pub fn of_import_module(module: &str) -> Option<WasiFlavor> {
        match module {
            "wasi_snapshot_preview1" => Some(WasiFlavor::Preview1),
            "wasi_unstable" => Some(WasiFlavor::Unstable),
            "wasix_32v1" | "wasix_64v1" => Some(WasiFlavor::Wasix),
            "wasi" => Some(WasiFlavor::Threads),
            _ => None,
        }
    }

    /// The functions this crate registers for the flavour.
    pub fn functions(self) -> &'static [&'static str] {
        match self {
            WasiFlavor::Preview1 => PREVIEW1_FUNCTIONS,
            WasiFlavor::Unstable => UNSTABLE_FUNCTIONS,
            WasiFlavor::Wasix | WasiFlavor::Threads => &[],
        }
    }
}

/// Every `wasi_snapshot_preview1` function (all 46 are provided).
pub const PREVIEW1_FUNCTIONS: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// Every `wasi_unstable` function (preview1's list without `sock_accept`,
/// which snapshot 0 does not have).
pub const UNSTABLE_FUNCTIONS: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// Whether this crate provides the import `module::name`.
pub fn provides(module: &str, name: &str) -> bool {
    WasiFlavor::of_import_module(module).is_some_and(|f| f.functions().contains(&name))
}

/// Which WASI a module was built for, told by the module names of its
/// imports; see [`wasi_version`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WasiVersion {
    /// No WASI import at all.
    None,
    /// `wasi_unstable` (snapshot 0): provided.
    Unstable,
    /// `wasi_snapshot_preview1`: provided.
    Preview1,
    /// `wasi` (the `wasi-threads` proposal: `wasi::thread-spawn`), usually
    /// next to `wasi_snapshot_preview1`: not provided by this crate.
    Threads,
    /// `wasix_32v1` (Wasmer's WASIX, 32-bit pointers): not provided.
    Wasix32v1,
    /// `wasix_64v1` (Wasmer's WASIX, 64-bit pointers): not provided.
    Wasix64v1,
    /// An import module whose name starts with `wasi` or `wasix` but is
    /// none of the above (for example `wasi_ephemeral_nn`, or a component
    /// interface such as `wasi:cli/environment@0.2.0`): not provided.
    Unknown(String),
}

impl WasiVersion {
    /// The version an import module name stands for: `None` for a module
    /// that is not WASI (such as `env`).
    pub fn of_import_module(module: &str) -> Option<WasiVersion> {
        Some(match module {
            "wasi_snapshot_preview1" => WasiVersion::Preview1,
            "wasi_unstable" => WasiVersion::Unstable,
            "wasi" => WasiVersion::Threads,
            "wasix_32v1" => WasiVersion::Wasix32v1,
            "wasix_64v1" => WasiVersion::Wasix64v1,
            m if m.starts_with("wasi") => WasiVersion::Unknown(m.to_owned()),
            _ => return None,
        })
    }

    /// The import module name of this version (`None` for
    /// [`WasiVersion::None`]).
    pub fn import_module(&self) -> Option<&str> {
        Some(match self {
            WasiVersion::None => return None,
            WasiVersion::Unstable => "wasi_unstable",
            WasiVersion::Preview1 => "wasi_snapshot_preview1",
            WasiVersion::Threads => "wasi",
            WasiVersion::Wasix32v1 => "wasix_32v1",
            WasiVersion::Wasix64v1 => "wasix_64v1",
            WasiVersion::Unknown(m) => m,
        })
    }

    /// Whether [`add_to_linker`](crate::add_to_linker) provides this
    /// version's functions (true for `None`: nothing is needed).
    pub fn is_provided(&self) -> bool {
        matches!(
            self,
            WasiVersion::None | WasiVersion::Unstable | WasiVersion::Preview1
        )
    }

    /// Which version wins when a module imports several: the one that asks
    /// the most of the host (WASIX programs also import preview1, and
    /// wasi-threads programs import preview1 and `wasi`).
    fn rank(&self) -> u8 {
        match self {
            WasiVersion::None => 0,
            WasiVersion::Unknown(_) => 1,
            WasiVersion::Unstable => 2,
            WasiVersion::Preview1 => 3,
            WasiVersion::Threads => 4,
            WasiVersion::Wasix32v1 => 5,
            WasiVersion::Wasix64v1 => 6,
        }
    }
}

impl std::fmt::Display for WasiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WasiVersion::None => f.write_str("no WASI"),
            WasiVersion::Threads => f.write_str("wasi-threads (`wasi`)"),
            WasiVersion::Unknown(m) => write!(f, "unknown WASI flavour `{m}`"),
            v => f.write_str(v.import_module().unwrap_or_default()),
        }
    }
}

/// The WASI version `module` was built for: the flavour of its WASI
/// imports, or [`WasiVersion::None`] if it has none. When a module imports
/// several flavours, the most demanding wins (WASIX over wasi-threads over
/// preview1 over `wasi_unstable` over an unknown `wasi*` module); see
/// [`wasi_versions`] for all of them.
///
/// ```
/// use weft_wasi::{wasi_version, WasiVersion};
/// let engine = weft::Engine::default();
/// let module = weft::Module::new(&engine, r#"(module
///     (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
///     (import "wasi" "thread-spawn" (func (param i32) (result i32))))"#)?;
/// assert_eq!(wasi_version(&module), WasiVersion::Threads);
/// assert!(!wasi_version(&module).is_provided());
/// # Ok::<(), weft::Error>(())
/// ```
pub fn wasi_version(module: &weft::Module) -> WasiVersion {
    wasi_versions(module)
        .into_iter()
        .max_by_key(WasiVersion::rank)
        .unwrap_or(WasiVersion::None)
}

/// Every WASI version `module` imports from, each once, in the order of
/// its first import (empty for a module without WASI imports).
pub fn wasi_versions(module: &weft::Module) -> Vec<WasiVersion> {
    let mut out = Vec::new();
    for import in module.imports() {
        if let Some(v) = WasiVersion::of_import_module(import.module()) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// The imports of `module` from WASI modules that
/// [`add_to_linker`](crate::add_to_linker) does not provide, as
/// `(module, name)` in import order: every import of an unsupported
/// flavour, and unknown names in a supported one.
pub fn unprovided_wasi_imports(module: &weft::Module) -> Vec<(String, String)> {
    module
        .imports()
        .filter(|i| WasiVersion::of_import_module(i.module()).is_some())
        .filter(|i| !provides(i.module(), i.name()))
        .map(|i| (i.module().to_owned(), i.name().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        assert_eq!(
            WasiFlavor::of_import_module("wasi_unstable"),
            Some(WasiFlavor::Unstable)
        );
        assert_eq!(WasiFlavor::of_import_module("env"), None);
        assert_eq!(PREVIEW1_FUNCTIONS.len(), 46);
        assert_eq!(UNSTABLE_FUNCTIONS.len(), 45);
        assert!(provides("wasi_snapshot_preview1", "sock_accept"));
        assert!(!provides("wasi_unstable", "sock_accept"));
        assert!(!provides("wasix_32v1", "fd_write"));
        assert!(!provides("env", "fd_write"));
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    fn module(imports: &[(&str, &str)]) -> weft::Module {
        let mut wat = String::from("(module");
        for (m, n) in imports {
            wat.push_str(&format!(r#" (import "{m}" "{n}" (func))"#));
        }
        wat.push(')');
        weft::Module::new(&weft::Engine::default(), wat).unwrap()
    }

    #[test]
    fn each_flavour() {
        let cases: &[(&[(&str, &str)], WasiVersion)] = &[
            (&[], WasiVersion::None),
            (&[("env", "f")], WasiVersion::None),
            (
                &[("wasi_snapshot_preview1", "fd_write")],
                WasiVersion::Preview1,
            ),
            (&[("wasi_unstable", "fd_write")], WasiVersion::Unstable),
            (
                &[
                    ("wasi_snapshot_preview1", "fd_write"),
                    ("wasi", "thread-spawn"),
                ],
                WasiVersion::Threads,
            ),
            (
                &[
                    ("wasi_snapshot_preview1", "fd_write"),
                    ("wasix_32v1", "proc_fork"),
                ],
                WasiVersion::Wasix32v1,
            ),
            (&[("wasix_64v1", "fd_write")], WasiVersion::Wasix64v1),
            (
                &[("wasi_ephemeral_nn", "load")],
                WasiVersion::Unknown("wasi_ephemeral_nn".into()),
            ),
            (
                &[
                    ("wasi:cli/environment@0.2.0", "get-environment"),
                    ("wasi_unstable", "fd_write"),
                ],
                WasiVersion::Unstable,
            ),
        ];
        for (imports, want) in cases {
            assert_eq!(&wasi_version(&module(imports)), want, "{imports:?}");
        }
    }

    #[test]
    fn all_versions_and_unprovided_imports() {
        let m = module(&[
            ("env", "log"),
            ("wasi_snapshot_preview1", "fd_write"),
            ("wasix_32v1", "proc_fork"),
            ("wasi_snapshot_preview1", "no_such_function"),
            ("wasix_32v1", "fd_write"),
            ("wasi_snapshot_preview1", "proc_exit"),
        ]);
        assert_eq!(
            wasi_versions(&m),
            vec![WasiVersion::Preview1, WasiVersion::Wasix32v1]
        );
        assert_eq!(
            unprovided_wasi_imports(&m),
            vec![
                ("wasix_32v1".to_owned(), "proc_fork".to_owned()),
                (
                    "wasi_snapshot_preview1".to_owned(),
                    "no_such_function".to_owned()
                ),
                ("wasix_32v1".to_owned(), "fd_write".to_owned()),
            ]
        );
        assert!(unprovided_wasi_imports(&module(&[("env", "x")])).is_empty());
    }

    #[test]
    fn names_and_support() {
        assert!(WasiVersion::None.is_provided());
        assert!(WasiVersion::Preview1.is_provided());
        assert!(!WasiVersion::Threads.is_provided());
        assert!(!WasiVersion::Wasix64v1.is_provided());
        assert!(!WasiVersion::Unknown("wasi_x".into()).is_provided());
        assert_eq!(WasiVersion::None.import_module(), None);
        assert_eq!(WasiVersion::Wasix32v1.import_module(), Some("wasix_32v1"));
        assert_eq!(WasiVersion::Wasix64v1.to_string(), "wasix_64v1");
        assert_eq!(
            WasiVersion::Unknown("wasi_foo".into()).to_string(),
            "unknown WASI flavour `wasi_foo`"
        );
        assert_eq!(WasiVersion::of_import_module("env"), None);
        assert_eq!(WasiVersion::of_import_module(""), None);
        // Case matters: import names are byte strings.
        assert_eq!(WasiVersion::of_import_module("WASI_UNSTABLE"), None);
    }
}

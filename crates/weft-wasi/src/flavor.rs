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

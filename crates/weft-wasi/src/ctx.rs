//! The WASI context and its builder: the capabilities a guest is given.
//!
//! Nothing is granted by default. A [`WasiCtxBuilder::new`] context has no
//! arguments, no environment variables, an empty stdin, stdout and stderr
//! that discard what is written, no directories and no sockets. Each
//! capability is added explicitly: arguments and variables one by one (or the
//! host's with [`WasiCtxBuilder::inherit_env`]), stdio inherited from the
//! host or captured into an [`OutputBuffer`], directories with
//! [`DirPerms`]/[`FilePerms`], and listening sockets.

use cap_std::ambient_authority;
use std::collections::VecDeque;
use std::fmt;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::clocks::{
    DeterministicClocks, HostClocks, HostRandom, SeededRandom, WasiClocks, WasiRandom,
};

#[cfg(test)]
use crate::fdtable::Kind;
use crate::fdtable::{Descriptor, DirFd, FdTable, Input, Output, StdStream};

macro_rules! perm_flags {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $flag:ident = $bit:expr;)* }) => {
        $(#[$m])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(u8);

        impl $name {
            $($(#[$fm])* pub const $flag: $name = $name($bit);)*

            /// No permission at all.
            pub const fn empty() -> $name {
                $name(0)
            }

            /// Every permission.
            pub const fn all() -> $name {
                $name(0 $(| $bit)*)
            }

            /// Whether every permission in `other` is in `self`.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
        }

        impl std::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }

        impl std::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: $name) {
                self.0 |= rhs.0;
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut names = Vec::new();
                $(if self.contains($name::$flag) { names.push(stringify!($flag)); })*
                write!(f, "{}({})", stringify!($name), names.join(" | "))
            }
        }
    };
}

perm_flags! {
    /// What a guest may do with a preopened directory (and the directories
    /// it opens beneath it).
    DirPerms {
        /// List entries, look up paths, open files and directories.
        READ = 0b01;
        /// Create, rename and remove entries, change timestamps.
        MUTATE = 0b10;
    }
}

perm_flags! {
    /// What a guest may do with the files it opens beneath a preopened
    /// directory.
    FilePerms {
        /// Read file contents.
        READ = 0b01;
        /// Write file contents, change size and timestamps.
        WRITE = 0b10;
    }
}

/// A cloneable handle to an in-memory pipe that captures a guest's stdout
/// or stderr. Keep a clone to read what the guest wrote.
///
/// [`OutputBuffer::new`] grows without bound. For untrusted guests use
/// [`OutputBuffer::with_capacity`]: the pipe then never holds more than
/// that many bytes, and the host's memory for it never grows past that.
/// When it is full, `fd_write` behaves like `write(2)` on a full device: a
/// write that fits in part stores what fits and reports that short count,
/// and a write of which nothing fits stores nothing and fails with
/// `ENOSPC` (errno 51). The guest's C library turns that into an error for
/// `printf`/`fwrite` (a guest that ignores the error keeps getting it and
/// is stopped by the store's fuel or deadline). Nothing is dropped
/// silently: what the guest was told was written is in the pipe. Taking the
/// contents ([`take`](OutputBuffer::take)) makes room again.
///
/// ```
/// use weft_wasi::OutputBuffer;
/// let out = OutputBuffer::with_capacity(4);
/// assert_eq!(out.capacity(), Some(4));
/// assert!(!out.is_full());
/// ```
#[derive(Clone, Default, Debug)]
pub struct OutputBuffer(Arc<Mutex<Pipe>>);

#[derive(Default, Debug)]
struct Pipe {
    data: Vec<u8>,
    /// The most bytes `data` may hold; `None` for no bound.
    capacity: Option<usize>,
}

impl OutputBuffer {
    /// An empty buffer without a bound.
    pub fn new() -> OutputBuffer {
        OutputBuffer::default()
    }

    /// An empty pipe that holds at most `bytes` bytes (see the type's
    /// docs for what a write to a full pipe does). The memory is not
    /// reserved up front: it grows with what is written, up to `bytes`.
    /// With `bytes == 0` every non-empty write fails with `ENOSPC`.
    pub fn with_capacity(bytes: usize) -> OutputBuffer {
        OutputBuffer(Arc::new(Mutex::new(Pipe {
            data: Vec::new(),
            capacity: Some(bytes),
        })))
    }

    /// The bound given to [`with_capacity`](Self::with_capacity), if any.
    pub fn capacity(&self) -> Option<usize> {
        self.lock().capacity
    }

    /// Number of bytes held.
    pub fn len(&self) -> usize {
        self.lock().data.len()
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a bounded pipe is full (further writes fail with `ENOSPC`).
    pub fn is_full(&self) -> bool {
        let p = self.lock();
        p.capacity.is_some_and(|cap| p.data.len() >= cap)
    }

    /// A copy of everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.lock().data.clone()
    }

    /// Takes everything written so far, leaving the buffer empty (and, if
    /// bounded, with its whole capacity free again).
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.lock().data)
    }

    /// Appends as much of `bytes` as fits; returns how many bytes were
    /// stored.
    pub(crate) fn write(&self, bytes: &[u8]) -> usize {
        let mut p = self.lock();
        let Some(cap) = p.capacity else {
            p.data.extend_from_slice(bytes);
            return bytes.len();
        };
        let n = bytes.len().min(cap.saturating_sub(p.data.len()));
        let needed = p.data.len() + n;
        if needed > p.data.capacity() {
            // Grow geometrically, but never reserve past the bound.
            let target = needed.max(p.data.capacity().saturating_mul(2)).min(cap);
            let extra = target - p.data.len();
            p.data.reserve_exact(extra);
        }
        p.data.extend_from_slice(&bytes[..n]);
        n
    }

    #[cfg(test)]
    pub(crate) fn allocated(&self) -> usize {
        self.lock().data.capacity()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pipe> {
        // A panic while holding the lock cannot leave a Vec<u8> half-updated
        // in a way that matters here, so a poisoned lock is still usable.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A cloneable handle to the bytes a guest reads from stdin. Bytes are
/// consumed as the guest reads them; when none are left the guest sees end of
/// file. The host may [`push`](InputBytes::push) more at any time.
#[derive(Clone, Default, Debug)]
pub struct InputBytes(Arc<Mutex<VecDeque<u8>>>);

impl InputBytes {
    /// A stdin that yields `bytes`, then end of file.
    pub fn new(bytes: impl Into<Vec<u8>>) -> InputBytes {
        InputBytes(Arc::new(Mutex::new(VecDeque::from(bytes.into()))))
    }

    /// Appends bytes for the guest to read.
    pub fn push(&self, bytes: &[u8]) {
        self.lock().extend(bytes.iter().copied());
    }

    /// Number of bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.lock().len()
    }

    /// Moves up to `buf.len()` bytes into `buf`; returns how many.
    pub(crate) fn read(&self, buf: &mut [u8]) -> usize {
        let mut q = self.lock();
        let n = buf.len().min(q.len());
        for (dst, src) in buf.iter_mut().zip(q.drain(..n)) {
            *dst = src;
        }
        n
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<u8>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The source of `random_get`'s bytes, as a boxed closure (see
/// [`WasiCtxBuilder::random_source`]; any [`WasiRandom`] can be given with
/// [`WasiCtxBuilder::random`]).
pub type RandomSource = Box<dyn FnMut(&mut [u8]) -> std::io::Result<()> + Send>;

/// An error while building a [`WasiCtx`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WasiCtxError {
    /// A host directory to preopen could not be opened.
    #[error("cannot preopen host directory `{path}` (as `{guest_path}`)")]
    PreopenDir {
        /// The host path.
        path: String,
        /// The name the guest would have seen.
        guest_path: String,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// Two preopened sockets asked for the same fd, or one asked for 0..=2.
    #[error("fd {0} is already taken (0, 1, 2 are stdio)")]
    FdTaken(u32),
}

/// The `(name, value)` pairs of `host` whose names are in `allow`, in the
/// order of `allow`, each once; names or values that are not UTF-8 and
/// names that cannot be variable names are left out.
pub(crate) fn select_env(
    host: impl IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
    allow: &[&str],
) -> Vec<(String, String)> {
    let host: Vec<(String, String)> = host
        .into_iter()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let mut out: Vec<(String, String)> = Vec::new();
    for &name in allow {
        if name.is_empty() || name.contains(['=', '\0']) || out.iter().any(|(k, _)| k == name) {
            continue;
        }
        if let Some(pair) = host.iter().find(|(k, _)| k == name) {
            out.push(pair.clone());
        }
    }
    out
}

/// Builds a [`WasiCtx`]. A new builder grants nothing (see
/// [`WasiCtxBuilder::new`]); each method adds one capability.
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Input,
    stdout: Output,
    stderr: Output,
    dirs: Vec<DirFd>,
    sockets: Vec<(Option<u32>, TcpListener)>,
    clocks: Option<Box<dyn WasiClocks>>,
    random: Option<Box<dyn WasiRandom>>,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder::new()
    }
}

impl fmt::Debug for WasiCtxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtxBuilder")
            .field("args", &self.args)
            .field("env", &self.env)
            .field(
                "preopened_dirs",
                &self.dirs.iter().map(|d| &d.preopen).collect::<Vec<_>>(),
            )
            .field("sockets", &self.sockets.len())
            .finish_non_exhaustive()
    }
}

impl WasiCtxBuilder {
    /// A builder that grants nothing: no arguments, no environment
    /// variables, an empty stdin, stdout and stderr that discard what is
    /// written, no directories, no sockets; the host's clocks and secure
    /// random generator.
    pub fn new() -> WasiCtxBuilder {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: Input::Empty,
            stdout: Output::Discard,
            stderr: Output::Discard,
            dirs: Vec::new(),
            sockets: Vec::new(),
            clocks: None,
            random: None,
        }
    }

    /// Appends one argument (the first is conventionally the program name).
    pub fn arg(&mut self, arg: &str) -> &mut Self {
        self.args.push(arg.to_owned());
        self
    }

    /// Appends arguments.
    pub fn args(&mut self, args: &[impl AsRef<str>]) -> &mut Self {
        self.args.extend(args.iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Sets one environment variable.
    pub fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Sets environment variables.
    pub fn envs(&mut self, vars: &[(impl AsRef<str>, impl AsRef<str>)]) -> &mut Self {
        for (k, v) in vars {
            self.env(k.as_ref(), v.as_ref());
        }
        self
    }

    /// Passes every environment variable of the host process (those whose
    /// names and values are valid UTF-8). For untrusted guests prefer
    /// [`inherit_env_allowlist`](Self::inherit_env_allowlist): the host's
    /// environment often holds secrets.
    pub fn inherit_env(&mut self) -> &mut Self {
        for (k, v) in std::env::vars_os() {
            if let (Ok(k), Ok(v)) = (k.into_string(), v.into_string()) {
                self.env.push((k, v));
            }
        }
        self
    }

    /// Passes only the listed variables of the host process, with the
    /// host's values, in the order of `names`. A name the host does not
    /// have, or whose value is not valid UTF-8, is left out; so is a name
    /// that cannot be a variable name (empty, or containing `=` or NUL).
    /// A name listed twice is passed once. Every other host variable stays
    /// hidden from the guest.
    ///
    /// ```
    /// let ctx = weft_wasi::WasiCtxBuilder::new()
    ///     .inherit_env_allowlist(&["PATH", "NO_SUCH_VARIABLE_IN_THIS_TEST", ""])
    ///     .build();
    /// assert!(ctx.env().iter().all(|kv| kv.starts_with("PATH=")));
    /// ```
    pub fn inherit_env_allowlist(&mut self, names: &[impl AsRef<str>]) -> &mut Self {
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let vars = select_env(std::env::vars_os(), &names);
        self.env.extend(vars);
        self
    }

    /// Inherits the host's stdin, stdout and stderr.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.inherit_stdin().inherit_stdout().inherit_stderr()
    }

    /// Inherits the host's stdin. Reads block the calling thread until
    /// data arrives (or the store's epoch deadline is reached: see
    /// [`add_to_linker`](crate::add_to_linker)); stdin is never made
    /// non-blocking, as it is shared with the host's parent. On Unix the
    /// guest reads the host's fd 0 directly, not through Rust's buffered
    /// [`std::io::stdin`]: bytes the host itself already read into that
    /// buffer are not seen by the guest.
    pub fn inherit_stdin(&mut self) -> &mut Self {
        self.stdin = Input::Inherit;
        self
    }

    /// Inherits the host's stdout.
    pub fn inherit_stdout(&mut self) -> &mut Self {
        self.stdout = Output::Inherit(StdStream::Stdout);
        self
    }

    /// Inherits the host's stderr.
    pub fn inherit_stderr(&mut self) -> &mut Self {
        self.stderr = Output::Inherit(StdStream::Stderr);
        self
    }

    /// Gives the guest a stdin that reads from a host file or pipe, for
    /// example the read end of [`std::io::pipe`] (convert it with
    /// `File::from(OwnedFd::from(reader))`). Reads wait for data as on the
    /// host, and the store's epoch deadline interrupts that wait as it
    /// does for the inherited stdin.
    ///
    /// ```
    /// # #[cfg(unix)] {
    /// use std::os::fd::OwnedFd;
    /// let (reader, writer) = std::io::pipe().unwrap();
    /// let ctx = weft_wasi::WasiCtxBuilder::new()
    ///     .stdin_file(std::fs::File::from(OwnedFd::from(reader)))
    ///     .build();
    /// drop(writer); // the guest now reads end of file
    /// # drop(ctx);
    /// # }
    /// ```
    pub fn stdin_file(&mut self, file: std::fs::File) -> &mut Self {
        self.stdin = Input::File(cap_std::fs::File::from_std(file));
        self
    }

    /// Gives the guest a stdin that yields the bytes of `input`.
    pub fn stdin(&mut self, input: InputBytes) -> &mut Self {
        self.stdin = Input::Bytes(input);
        self
    }

    /// Gives the guest a stdin that yields `bytes`, then end of file.
    pub fn stdin_bytes(&mut self, bytes: Vec<u8>) -> &mut Self {
        self.stdin(InputBytes::new(bytes))
    }

    /// Captures the guest's stdout into `buf`.
    pub fn stdout(&mut self, buf: OutputBuffer) -> &mut Self {
        self.stdout = Output::Buffer(buf);
        self
    }

    /// Captures the guest's stderr into `buf`.
    pub fn stderr(&mut self, buf: OutputBuffer) -> &mut Self {
        self.stderr = Output::Buffer(buf);
        self
    }

    /// Uses `source` for `random_get` instead of the host's secure random
    /// number generator (for reproducible runs). Same as
    /// [`random`](Self::random) with a boxed closure.
    pub fn random_source(&mut self, source: RandomSource) -> &mut Self {
        self.random(source)
    }

    /// Uses `random` for `random_get` instead of the host's secure random
    /// number generator ([`HostRandom`](crate::HostRandom)).
    pub fn random(&mut self, random: impl WasiRandom + 'static) -> &mut Self {
        self.random = Some(Box::new(random));
        self
    }

    /// Uses `clocks` for `clock_time_get`, `clock_res_get` and the absolute
    /// deadlines of `poll_oneoff` instead of the host's clocks
    /// ([`HostClocks`]).
    pub fn clocks(&mut self, clocks: impl WasiClocks + 'static) -> &mut Self {
        self.clocks = Some(Box::new(clocks));
        self
    }

    /// Makes time and randomness reproducible, for tests: the clocks are
    /// [`DeterministicClocks::default`] (the wall clock starts at
    /// 2020-01-01T00:00:00Z, the monotonic clock at 0, and every reading
    /// advances time by 1 ms) and `random_get` draws from
    /// [`SeededRandom::new(seed)`](SeededRandom::new) (not secure). Two
    /// contexts built with the same seed give a guest the same readings and
    /// bytes. Stdio, arguments, environment and preopens are unaffected.
    pub fn deterministic(&mut self, seed: u64) -> &mut Self {
        self.clocks(DeterministicClocks::default())
            .random(SeededRandom::new(seed))
    }

    /// Grants the guest the host directory `host_path` under the name
    /// `guest_path` (for example `"."` or `"/data"`).
    ///
    /// Paths are resolved with `cap-std`, so nothing the guest does (`..`,
    /// absolute paths, symbolic links) reaches outside `host_path`.
    /// `dir_perms` governs the directory tree (without
    /// [`DirPerms::MUTATE`] the guest cannot create, rename or remove
    /// anything: it gets `EPERM`), and `file_perms` the files opened in it
    /// (without [`FilePerms::WRITE`] opening for writing is `EPERM`).
    /// Preopened directories get fds 3, 4, … in the order they are added.
    ///
    /// # Errors
    ///
    /// If the host directory cannot be opened.
    pub fn preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: &str,
        dir_perms: DirPerms,
        file_perms: FilePerms,
    ) -> Result<&mut Self, WasiCtxError> {
        let host_path = host_path.as_ref();
        let dir = cap_std::fs::Dir::open_ambient_dir(host_path, ambient_authority()).map_err(
            |source| WasiCtxError::PreopenDir {
                path: host_path.display().to_string(),
                guest_path: guest_path.to_owned(),
                source,
            },
        )?;
        self.dirs.push(DirFd::new(
            dir,
            dir_perms,
            file_perms,
            Some(guest_path.to_owned()),
        ));
        Ok(self)
    }

    /// Grants the guest a listening TCP socket, at fd `fd` if given, or else
    /// at the first fd after the preopened directories (wasi-libc scans fds
    /// from 3 for preopened directories and stops at the first that is not
    /// one, so a socket placed between directories hides those after it).
    /// The guest accepts connections with `sock_accept`.
    ///
    /// # Errors
    ///
    /// If `fd` is 0, 1, 2 or already asked for by another socket.
    pub fn preopened_socket(
        &mut self,
        fd: Option<u32>,
        listener: TcpListener,
    ) -> Result<&mut Self, WasiCtxError> {
        if let Some(fd) = fd {
            if fd <= 2 || self.sockets.iter().any(|(f, _)| *f == Some(fd)) {
                return Err(WasiCtxError::FdTaken(fd));
            }
        }
        self.sockets.push((fd, listener));
        Ok(self)
    }

    /// Builds the context. The builder is left empty (as after
    /// [`new`](Self::new)).
    pub fn build(&mut self) -> WasiCtx {
        let b = std::mem::take(self);
        let mut table = FdTable::default();
        table.insert(0, Descriptor::stdin(b.stdin));
        table.insert(1, Descriptor::output(b.stdout));
        table.insert(2, Descriptor::output(b.stderr));
        let hinted: Vec<u32> = b.sockets.iter().filter_map(|(f, _)| *f).collect();
        let mut next = 3u32;
        for dir in b.dirs {
            while hinted.contains(&next) {
                next += 1;
            }
            table.insert(next, Descriptor::preopen(dir));
            next += 1;
        }
        let mut unhinted = Vec::new();
        for (fd, listener) in b.sockets {
            match fd {
                Some(fd) => table.insert(fd, Descriptor::listener(listener)),
                None => unhinted.push(listener),
            }
        }
        for listener in unhinted {
            while table.contains(next) {
                next += 1;
            }
            table.insert(next, Descriptor::listener(listener));
        }
        WasiCtx {
            args: b.args,
            env: b.env.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
            table,
            clocks: b.clocks.unwrap_or_else(|| Box::new(HostClocks::new())),
            random: b.random.unwrap_or_else(|| Box::new(HostRandom)),
            deadline: None,
        }
    }
}

/// The state of one guest's WASI: its arguments, environment, open file
/// descriptors, clocks and random source. Built by [`WasiCtxBuilder`];
/// usually kept inside the store's data and reached through the `get_cx`
/// function given to [`add_to_linker`](crate::add_to_linker).
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    /// `KEY=VALUE` strings.
    pub(crate) env: Vec<String>,
    pub(crate) table: FdTable,
    pub(crate) clocks: Box<dyn WasiClocks>,
    pub(crate) random: Box<dyn WasiRandom>,
    /// The store's epoch deadline during a call from the glue in
    /// `linker.rs` (see [`WasiCtx::with_deadline`]); `None` between calls,
    /// and for a store without one. Blocking calls wait in slices and give
    /// up when it is reached (`blocking.rs`).
    pub(crate) deadline: Option<weft::EpochDeadline>,
}

impl fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args)
            .field("env", &self.env)
            .field("fds", &self.table.fds().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl WasiCtx {
    /// A builder.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }

    /// The arguments the guest sees.
    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The environment the guest sees, as `KEY=VALUE` strings.
    pub fn env(&self) -> &[String] {
        &self.env
    }

    /// Grants one more directory after the context was built, at the lowest
    /// free fd. Returns that fd. See [`WasiCtxBuilder::preopened_dir`].
    ///
    /// # Errors
    ///
    /// If the host directory cannot be opened.
    pub fn push_preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: &str,
        dir_perms: DirPerms,
        file_perms: FilePerms,
    ) -> Result<u32, WasiCtxError> {
        let host_path = host_path.as_ref();
        let dir = cap_std::fs::Dir::open_ambient_dir(host_path, ambient_authority()).map_err(
            |source| WasiCtxError::PreopenDir {
                path: host_path.display().to_string(),
                guest_path: guest_path.to_owned(),
                source,
            },
        )?;
        let desc = Descriptor::preopen(DirFd::new(
            dir,
            dir_perms,
            file_perms,
            Some(guest_path.to_owned()),
        ));
        let mut fd = 3;
        while self.table.contains(fd) {
            fd += 1;
        }
        self.table.insert(fd, desc);
        Ok(fd)
    }

    /// Runs `f` (one WASI call) with `deadline` as the context's deadline,
    /// then clears it; returns `f`'s result and the deadline (moved, not
    /// cloned: with no deadline this costs two moves of `None`). WASI calls
    /// do not nest, and a [`SharedWasiCtx`](crate::SharedWasiCtx) stays
    /// locked for the whole call, so another thread never sees this
    /// call's deadline.
    pub(crate) fn with_deadline<R>(
        &mut self,
        deadline: Option<weft::EpochDeadline>,
        f: impl FnOnce(&mut WasiCtx) -> R,
    ) -> (R, Option<weft::EpochDeadline>) {
        self.deadline = deadline;
        let r = f(self);
        (r, self.deadline.take())
    }

    /// Whether `fd` is open (for tests and diagnostics).
    pub fn is_open(&self, fd: u32) -> bool {
        self.table.contains(fd)
    }

    #[cfg(test)]
    pub(crate) fn kind_of(&self, fd: u32) -> Option<&Kind> {
        self.table.get(fd).ok().map(|d| &d.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_send() {
        // A store (and so the data holding the context) must be `Send`.
        fn assert_send<T: Send>() {}
        assert_send::<WasiCtx>();
        assert_send::<WasiCtxBuilder>();
    }

    #[test]
    fn perms_flags() {
        let rw = DirPerms::READ | DirPerms::MUTATE;
        assert!(rw.contains(DirPerms::READ));
        assert!(rw.contains(DirPerms::MUTATE));
        assert!(!DirPerms::READ.contains(DirPerms::MUTATE));
        assert_eq!(DirPerms::all(), rw);
        assert!(FilePerms::empty().contains(FilePerms::empty()));
        assert_eq!(format!("{:?}", FilePerms::all()), "FilePerms(READ | WRITE)");
    }

    #[test]
    fn buffers() {
        let out = OutputBuffer::new();
        let clone = out.clone();
        assert_eq!(clone.write(b"abc"), 3);
        assert_eq!(out.contents(), b"abc");
        assert_eq!(out.take(), b"abc");
        assert!(out.contents().is_empty());

        let input = InputBytes::new(b"hello".to_vec());
        let mut buf = [0u8; 3];
        assert_eq!(input.read(&mut buf), 3);
        assert_eq!(&buf, b"hel");
        assert_eq!(input.remaining(), 2);
        input.push(b"!");
        let mut rest = [0u8; 8];
        assert_eq!(input.read(&mut rest), 3);
        assert_eq!(&rest[..3], b"lo!");
        assert_eq!(input.read(&mut rest), 0);
    }

    #[test]
    fn fd_layout() {
        let tmp = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let hinted = TcpListener::bind("127.0.0.1:0").unwrap();
        let ctx = WasiCtxBuilder::new()
            .preopened_socket(None, listener)
            .unwrap()
            .preopened_socket(Some(4), hinted)
            .unwrap()
            .preopened_dir(tmp.path(), "/a", DirPerms::READ, FilePerms::READ)
            .unwrap()
            .preopened_dir(tmp.path(), "/b", DirPerms::READ, FilePerms::READ)
            .unwrap()
            .build();
        assert!(matches!(ctx.kind_of(3), Some(Kind::Dir(_))));
        assert!(matches!(ctx.kind_of(4), Some(Kind::Listener(_))));
        assert!(matches!(ctx.kind_of(5), Some(Kind::Dir(_))));
        assert!(matches!(ctx.kind_of(6), Some(Kind::Listener(_))));
        assert!(!ctx.is_open(7));
        assert!(WasiCtxBuilder::new()
            .preopened_socket(Some(1), TcpListener::bind("127.0.0.1:0").unwrap())
            .is_err());
        assert!(WasiCtxBuilder::new()
            .preopened_dir(
                tmp.path().join("missing"),
                "/x",
                DirPerms::READ,
                FilePerms::READ
            )
            .is_err());
    }
}

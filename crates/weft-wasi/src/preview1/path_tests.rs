//! Tests of the path calls: normal use, read-only preopens, and attempts to
//! leave the sandbox.

use super::*;
use crate::ctx::WasiCtxBuilder;
use crate::preview1::testutil::*;
use crate::preview1::types::filetype;
use std::path::Path;

const FOLLOW: u32 = lookupflags::SYMLINK_FOLLOW;

/// Calls a one-path function with the path in scratch memory.
fn with_path(
    ctx: &mut WasiCtx,
    p: &str,
    f: fn(&mut WasiCtx, &mut [u8], u32, u32, u32) -> WasiResult,
) -> Errno {
    let mut m = vec![0u8; 16 + p.len()];
    let (ptr, len) = put_str(&mut m, 16, p);
    f(ctx, &mut m, 3, ptr, len).unwrap()
}

fn rename(ctx: &mut WasiCtx, from: &str, to: &str) -> Errno {
    let mut m = vec![0u8; 256];
    let (a, al) = put_str(&mut m, 0, from);
    let (b, bl) = put_str(&mut m, 128, to);
    path_rename(ctx, &mut m, 3, a, al, 3, b, bl).unwrap()
}

fn link(ctx: &mut WasiCtx, from: &str, to: &str) -> Errno {
    let mut m = vec![0u8; 256];
    let (a, al) = put_str(&mut m, 0, from);
    let (b, bl) = put_str(&mut m, 128, to);
    path_link(ctx, &mut m, 3, 0, a, al, 3, b, bl).unwrap()
}

fn symlink(ctx: &mut WasiCtx, target: &str, at: &str) -> Errno {
    let mut m = vec![0u8; 256];
    let (a, al) = put_str(&mut m, 0, target);
    let (b, bl) = put_str(&mut m, 128, at);
    path_symlink(ctx, &mut m, a, al, 3, b, bl).unwrap()
}

fn stat(ctx: &mut WasiCtx, p: &str, flags: u32) -> Result<(u8, u64), Errno> {
    let mut m = vec![0u8; 128 + p.len()];
    let (ptr, len) = put_str(&mut m, 128, p);
    match path_filestat_get(ctx, &mut m, 3, flags, ptr, len, 0).unwrap() {
        Errno::Success => Ok((m[16], mem::read_u64(&m, 32).unwrap())),
        e => Err(e),
    }
}

fn readlink(ctx: &mut WasiCtx, p: &str, cap: u32) -> Result<Vec<u8>, Errno> {
    let mut m = vec![0u8; 256];
    let (ptr, len) = put_str(&mut m, 200, p);
    match path_readlink(ctx, &mut m, 3, ptr, len, 16, cap, 0).unwrap() {
        Errno::Success => {
            let n = mem::read_u32(&m, 0).unwrap() as usize;
            Ok(m[16..16 + n].to_vec())
        }
        e => Err(e),
    }
}

#[test]
fn create_open_stat_remove() {
    let (tmp, mut ctx) = rw_ctx();
    assert_eq!(
        with_path(&mut ctx, "sub", path_create_directory),
        Errno::Success
    );
    assert!(tmp.path().join("sub").is_dir());
    assert_eq!(
        with_path(&mut ctx, "sub", path_create_directory),
        Errno::Exist
    );
    let fd = open(
        &mut ctx,
        &mut [],
        3,
        "sub/file",
        oflags::CREAT,
        rights::FILE,
    );
    write_fd(&mut ctx, fd, b"12345").unwrap();
    assert_eq!(
        stat(&mut ctx, "sub/file", FOLLOW).unwrap(),
        (filetype::REGULAR_FILE, 5)
    );
    assert_eq!(
        stat(&mut ctx, "sub", FOLLOW).unwrap().0,
        filetype::DIRECTORY
    );
    assert_eq!(stat(&mut ctx, ".", FOLLOW).unwrap().0, filetype::DIRECTORY);
    assert_eq!(stat(&mut ctx, "nope", FOLLOW).unwrap_err(), Errno::NoEnt);

    // Relative to a directory fd opened beneath the preopen.
    let sub = open(
        &mut ctx,
        &mut [],
        3,
        "sub",
        oflags::DIRECTORY,
        OPENDIR_RIGHTS,
    );
    let inner = try_open(&mut ctx, sub, "file", FOLLOW, 0, rights::FD_READ, 0).unwrap();
    assert_eq!(read_fd(&mut ctx, inner, 10).unwrap(), b"12345");

    assert_eq!(
        with_path(&mut ctx, "sub", path_remove_directory),
        Errno::NotEmpty
    );
    assert_eq!(with_path(&mut ctx, "sub", path_unlink_file), Errno::IsDir);
    assert_eq!(
        with_path(&mut ctx, "sub/file", path_remove_directory),
        Errno::NotDir
    );
    assert_eq!(
        with_path(&mut ctx, "sub/file", path_unlink_file),
        Errno::Success
    );
    assert_eq!(
        with_path(&mut ctx, "sub/file", path_unlink_file),
        Errno::NoEnt
    );
    assert_eq!(
        with_path(&mut ctx, "sub", path_remove_directory),
        Errno::Success
    );
    assert!(!tmp.path().join("sub").exists());
}

#[test]
fn open_flags() {
    let (tmp, mut ctx) = rw_ctx();
    std::fs::write(tmp.path().join("f"), b"old contents").unwrap();
    let excl = oflags::CREAT | oflags::EXCL;
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, excl, rights::FILE, 0).unwrap_err(),
        Errno::Exist
    );
    assert_eq!(
        try_open(&mut ctx, 3, "missing", FOLLOW, 0, rights::FILE, 0).unwrap_err(),
        Errno::NoEnt
    );
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, oflags::DIRECTORY, rights::ALL, 0).unwrap_err(),
        Errno::NotDir
    );
    assert_eq!(
        try_open(&mut ctx, 3, "", FOLLOW, 0, rights::FILE, 0).unwrap_err(),
        Errno::NoEnt
    );
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, 0x10, rights::FILE, 0).unwrap_err(),
        Errno::Inval
    );
    assert_eq!(
        try_open(&mut ctx, 3, "f", 2, 0, rights::FILE, 0).unwrap_err(),
        Errno::Inval
    );
    assert_eq!(
        try_open(&mut ctx, 1, "f", FOLLOW, 0, rights::FILE, 0).unwrap_err(),
        Errno::NotDir
    );
    assert_eq!(
        try_open(&mut ctx, 9, "f", FOLLOW, 0, rights::FILE, 0).unwrap_err(),
        Errno::Badf
    );
    // Opening a directory for writing.
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    assert_eq!(
        try_open(&mut ctx, 3, "d", FOLLOW, 0, rights::FD_WRITE, 0).unwrap_err(),
        Errno::IsDir
    );
    // A directory opened without oflags::directory is still a directory.
    let d = try_open(
        &mut ctx,
        3,
        "d",
        FOLLOW,
        0,
        rights::ALL & !rights::FD_WRITE,
        0,
    )
    .unwrap();
    let mut m = vec![0u8; 32];
    crate::preview1::fd::fd_fdstat_get(&mut ctx, &mut m, d, 0).unwrap();
    assert_eq!(m[0], filetype::DIRECTORY);

    let fd = try_open(&mut ctx, 3, "f", FOLLOW, oflags::TRUNC, rights::FILE, 0).unwrap();
    assert_eq!(std::fs::read(tmp.path().join("f")).unwrap(), b"");
    write_fd(&mut ctx, fd, b"new").unwrap();
    assert_eq!(std::fs::read(tmp.path().join("f")).unwrap(), b"new");

    // Bad memory: the path, and the result pointer (no file is created).
    let mut m = vec![0u8; 32];
    assert_eq!(
        path_open(&mut ctx, &mut m, 3, FOLLOW, 30, 8, 0, rights::FILE, 0, 0, 0).unwrap(),
        Errno::Fault
    );
    let (p, l) = put_str(&mut m, 8, "created");
    let creat = oflags::CREAT.into();
    assert_eq!(
        path_open(
            &mut ctx,
            &mut m,
            3,
            FOLLOW,
            p,
            l,
            creat,
            rights::FILE,
            0,
            0,
            30
        )
        .unwrap(),
        Errno::Fault
    );
    assert!(!tmp.path().join("created").exists());
    m[8] = 0xff;
    assert_eq!(
        path_open(&mut ctx, &mut m, 3, FOLLOW, p, l, 0, rights::FILE, 0, 0, 0).unwrap(),
        Errno::Ilseq
    );
}

#[test]
fn rename_link_symlink_readlink() {
    let (tmp, mut ctx) = rw_ctx();
    std::fs::write(tmp.path().join("a"), b"A").unwrap();
    assert_eq!(rename(&mut ctx, "a", "b"), Errno::Success);
    assert_eq!(std::fs::read(tmp.path().join("b")).unwrap(), b"A");
    assert_eq!(rename(&mut ctx, "a", "c"), Errno::NoEnt);
    assert_eq!(link(&mut ctx, "b", "hard"), Errno::Success);
    assert_eq!(std::fs::read(tmp.path().join("hard")).unwrap(), b"A");
    assert_eq!(
        stat(&mut ctx, "b", FOLLOW).unwrap().0,
        filetype::REGULAR_FILE
    );

    assert_eq!(symlink(&mut ctx, "b", "soft"), Errno::Success);
    assert_eq!(readlink(&mut ctx, "soft", 64).unwrap(), b"b");
    assert_eq!(
        readlink(&mut ctx, "soft", 0).unwrap(),
        b"",
        "truncated to the buffer"
    );
    assert_eq!(readlink(&mut ctx, "b", 64).unwrap_err(), Errno::Inval);
    assert_eq!(
        stat(&mut ctx, "soft", 0).unwrap().0,
        filetype::SYMBOLIC_LINK
    );
    assert_eq!(
        stat(&mut ctx, "soft", FOLLOW).unwrap(),
        (filetype::REGULAR_FILE, 1)
    );
    // Without SYMLINK_FOLLOW the final link is not followed.
    assert_eq!(
        try_open(&mut ctx, 3, "soft", 0, 0, rights::FILE, 0).unwrap_err(),
        Errno::Loop
    );
    let fd = try_open(&mut ctx, 3, "soft", FOLLOW, 0, rights::FILE, 0).unwrap();
    assert_eq!(read_fd(&mut ctx, fd, 4).unwrap(), b"A");

    // Times through a path.
    let mut m = vec![0u8; 64];
    let (p, l) = put_str(&mut m, 0, "b");
    let t = 1_234_567_890_000_000_000u64;
    let flags = u32::from(super::super::types::fstflags::MTIM);
    assert_eq!(
        path_filestat_set_times(&mut ctx, &mut m, 3, FOLLOW, p, l, 0, t, flags).unwrap(),
        Errno::Success
    );
    assert_eq!(
        std::fs::metadata(tmp.path().join("b"))
            .unwrap()
            .modified()
            .unwrap(),
        std::time::UNIX_EPOCH + std::time::Duration::from_nanos(t)
    );
}

#[test]
fn read_only_preopen_refuses_changes() {
    let (tmp, mut ctx) = ro_ctx();
    std::fs::write(tmp.path().join("f"), b"keep").unwrap();
    std::fs::create_dir(tmp.path().join("d")).unwrap();

    // Reading is fine.
    let fd = try_open(&mut ctx, 3, "f", FOLLOW, 0, rights::FD_READ, 0).unwrap();
    assert_eq!(read_fd(&mut ctx, fd, 8).unwrap(), b"keep");
    assert_eq!(write_fd(&mut ctx, fd, b"x").unwrap_err(), Errno::Badf);
    assert_eq!(
        stat(&mut ctx, "f", FOLLOW).unwrap(),
        (filetype::REGULAR_FILE, 4)
    );

    // Every change is EPERM.
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, 0, rights::FD_WRITE, 0).unwrap_err(),
        Errno::Perm
    );
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, oflags::TRUNC, rights::FD_READ, 0).unwrap_err(),
        Errno::Perm
    );
    assert_eq!(
        try_open(&mut ctx, 3, "new", FOLLOW, oflags::CREAT, rights::FILE, 0).unwrap_err(),
        Errno::Perm
    );
    assert_eq!(
        with_path(&mut ctx, "newdir", path_create_directory),
        Errno::Perm
    );
    assert_eq!(with_path(&mut ctx, "f", path_unlink_file), Errno::Perm);
    assert_eq!(with_path(&mut ctx, "d", path_remove_directory), Errno::Perm);
    assert_eq!(rename(&mut ctx, "f", "g"), Errno::Perm);
    assert_eq!(link(&mut ctx, "f", "g"), Errno::Perm);
    assert_eq!(symlink(&mut ctx, "f", "g"), Errno::Perm);
    let mut m = vec![0u8; 16];
    let (p, l) = put_str(&mut m, 0, "f");
    assert_eq!(
        path_filestat_set_times(&mut ctx, &mut m, 3, FOLLOW, p, l, 0, 0, 8).unwrap(),
        Errno::Perm
    );
    // ... also beneath a subdirectory, which inherits the permissions.
    let d = open(&mut ctx, &mut [], 3, "d", oflags::DIRECTORY, OPENDIR_RIGHTS);
    assert_eq!(
        try_open(&mut ctx, d, "x", FOLLOW, oflags::CREAT, rights::FILE, 0).unwrap_err(),
        Errno::Perm
    );

    let mut names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["d", "f"]);
    assert_eq!(std::fs::read(tmp.path().join("f")).unwrap(), b"keep");
}

#[test]
fn mutable_dir_with_read_only_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("f"), b"keep").unwrap();
    let mut ctx = WasiCtxBuilder::new()
        .preopened_dir(tmp.path(), ".", DirPerms::all(), FilePerms::READ)
        .unwrap()
        .build();
    assert_eq!(
        with_path(&mut ctx, "newdir", path_create_directory),
        Errno::Success
    );
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, 0, rights::FD_WRITE, 0).unwrap_err(),
        Errno::Perm
    );
    assert_eq!(
        try_open(&mut ctx, 3, "g", FOLLOW, oflags::CREAT, rights::FD_READ, 0).unwrap_err(),
        Errno::Perm
    );
    assert!(try_open(&mut ctx, 3, "f", FOLLOW, 0, rights::FD_READ, 0).is_ok());
}

/// Creates a sandbox inside a parent that also holds a secret file.
fn escape_setup() -> (tempfile::TempDir, WasiCtx) {
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("root");
    std::fs::create_dir(&root).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(parent.path().join("secret"), b"secret").unwrap();
    let ctx = WasiCtxBuilder::new()
        .preopened_dir(&root, "/", DirPerms::all(), FilePerms::all())
        .unwrap()
        .build();
    (parent, ctx)
}

#[test]
fn dotdot_and_absolute_paths_cannot_escape() {
    let (parent, mut ctx) = escape_setup();
    for p in [
        "../secret",
        "sub/../../secret",
        "/secret",
        "./../secret",
        "sub/../..",
    ] {
        let e = try_open(&mut ctx, 3, p, FOLLOW, 0, rights::FILE, 0).unwrap_err();
        assert_eq!(e, Errno::Perm, "open {p}");
        assert_eq!(
            stat(&mut ctx, p, FOLLOW).unwrap_err(),
            Errno::Perm,
            "stat {p}"
        );
    }
    let abs = parent.path().join("secret");
    let e = try_open(
        &mut ctx,
        3,
        abs.to_str().unwrap(),
        FOLLOW,
        0,
        rights::FILE,
        0,
    )
    .unwrap_err();
    assert_eq!(e, Errno::Perm);
    assert_eq!(
        with_path(&mut ctx, "../evil", path_create_directory),
        Errno::Perm
    );
    assert_eq!(
        with_path(&mut ctx, "../secret", path_unlink_file),
        Errno::Perm
    );
    assert_eq!(rename(&mut ctx, "sub", "../stolen"), Errno::Perm);
    assert_eq!(link(&mut ctx, "../secret", "copy"), Errno::Perm);
    assert_eq!(
        try_open(&mut ctx, 3, "../x", FOLLOW, oflags::CREAT, rights::FILE, 0).unwrap_err(),
        Errno::Perm
    );
    // `..` inside the sandbox is fine.
    assert!(try_open(
        &mut ctx,
        3,
        "sub/..",
        FOLLOW,
        0,
        rights::FD_READ | rights::FD_READDIR,
        0
    )
    .is_ok());
    assert_eq!(
        std::fs::read(parent.path().join("secret")).unwrap(),
        b"secret"
    );
    assert!(!parent.path().join("evil").exists() && !parent.path().join("x").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_escape() {
    let (parent, mut ctx) = escape_setup();
    let root = parent.path().join("root");
    let secret = parent.path().join("secret");
    std::os::unix::fs::symlink(&secret, root.join("abs")).unwrap();
    std::os::unix::fs::symlink("../secret", root.join("rel")).unwrap();
    std::os::unix::fs::symlink(parent.path(), root.join("up")).unwrap();
    std::os::unix::fs::symlink("../../secret", root.join("sub/deep")).unwrap();
    for p in ["abs", "rel", "up/secret", "sub/deep"] {
        let e = try_open(&mut ctx, 3, p, FOLLOW, 0, rights::FILE, 0).unwrap_err();
        assert_eq!(e, Errno::Perm, "open {p}");
        assert_eq!(
            stat(&mut ctx, p, FOLLOW).unwrap_err(),
            Errno::Perm,
            "stat {p}"
        );
        let e = try_open(&mut ctx, 3, p, FOLLOW, oflags::TRUNC, rights::FILE, 0).unwrap_err();
        assert_eq!(e, Errno::Perm, "truncate {p}");
    }
    let e = try_open(&mut ctx, 3, "up", FOLLOW, oflags::DIRECTORY, rights::ALL, 0).unwrap_err();
    assert_eq!(e, Errno::Perm);
    assert_eq!(
        with_path(&mut ctx, "up/evil", path_create_directory),
        Errno::Perm
    );
    // The links themselves can be looked at, not through.
    assert_eq!(stat(&mut ctx, "abs", 0).unwrap().0, filetype::SYMBOLIC_LINK);
    assert_eq!(readlink(&mut ctx, "rel", 64).unwrap(), b"../secret");
    // A guest cannot make an absolute link either.
    assert_eq!(symlink(&mut ctx, "/etc/passwd", "mine"), Errno::Perm);
    // A relative link that leads out is made but never followed out.
    assert_eq!(symlink(&mut ctx, "../secret", "mine"), Errno::Success);
    assert_eq!(
        try_open(&mut ctx, 3, "mine", FOLLOW, 0, rights::FILE, 0).unwrap_err(),
        Errno::Perm
    );
    assert_eq!(std::fs::read(&secret).unwrap(), b"secret");
    assert!(!Path::new(&parent.path().join("evil")).exists());
}

#[test]
fn path_calls_on_bad_fds() {
    let (tmp, mut ctx) = rw_ctx();
    std::fs::write(tmp.path().join("f"), b"").unwrap();
    let f = open(&mut ctx, &mut [], 3, "f", 0, rights::FILE);
    let mut m = vec![0u8; 128];
    let (p, l) = put_str(&mut m, 0, "x");
    assert_eq!(
        path_create_directory(&mut ctx, &mut m, 42, p, l).unwrap(),
        Errno::Badf
    );
    assert_eq!(
        path_create_directory(&mut ctx, &mut m, f, p, l).unwrap(),
        Errno::NotDir
    );
    assert_eq!(
        path_unlink_file(&mut ctx, &mut m, 0, p, l).unwrap(),
        Errno::NotDir
    );
    assert_eq!(
        path_filestat_get(&mut ctx, &mut m, 42, 0, p, l, 8).unwrap(),
        Errno::Badf
    );
    assert_eq!(
        path_filestat_get(&mut ctx, &mut m, 3, 0, p, l, 100).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        path_create_directory(&mut ctx, &mut m, 3, 126, 8).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        path_readlink(&mut ctx, &mut m, 3, p, l, 124, 8, 0).unwrap(),
        Errno::Fault
    );
    // A directory with PATH_CREATE_DIRECTORY dropped.
    let keep = rights::DIRECTORY & !rights::PATH_CREATE_DIRECTORY;
    let inheriting = rights::DIRECTORY | rights::FILE;
    let e =
        crate::preview1::fd::fd_fdstat_set_rights(&mut ctx, &mut m, 3, keep, inheriting).unwrap();
    assert_eq!(e, Errno::Success);
    assert_eq!(
        path_create_directory(&mut ctx, &mut m, 3, p, l).unwrap(),
        Errno::NotCapable
    );
}

#[test]
fn directory_with_write_right_is_eisdir() {
    // Wasmtime's `p1_path_open_preopen`: O_DIRECTORY with read rights
    // opens, with read and write rights fails with EISDIR.
    let (tmp, mut ctx) = rw_ctx();
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    std::fs::write(tmp.path().join("f"), b"x").unwrap();
    let dir = oflags::DIRECTORY;
    let read = rights::FD_READ;
    let read_write = rights::FD_READ | rights::FD_WRITE;
    let d = try_open(&mut ctx, 3, ".", FOLLOW, dir, read, 0).unwrap();
    assert_eq!(
        ctx.kind_of(d).map(|k| matches!(k, Kind::Dir(_))),
        Some(true)
    );
    assert!(try_open(&mut ctx, 3, "d", FOLLOW, dir, 0, 0).is_ok());
    assert!(try_open(&mut ctx, 3, "d", FOLLOW, dir, OPENDIR_RIGHTS, 0).is_ok());
    let before: Vec<u32> = (0..16).filter(|fd| ctx.is_open(*fd)).collect();
    for (path, base) in [
        (".", read_write),
        ("d", read_write),
        ("d", rights::FD_WRITE),
        ("d", rights::ALL),
    ] {
        assert_eq!(
            try_open(&mut ctx, 3, path, FOLLOW, dir, base, 0).unwrap_err(),
            Errno::IsDir,
            "{path} {base:#x}"
        );
    }
    // Which path is wrong still comes first, as open(2) reports it.
    assert_eq!(
        try_open(&mut ctx, 3, "f", FOLLOW, dir, read_write, 0).unwrap_err(),
        Errno::NotDir
    );
    assert_eq!(
        try_open(&mut ctx, 3, "nope", FOLLOW, dir, read_write, 0).unwrap_err(),
        Errno::NoEnt
    );
    // Without O_DIRECTORY the host refuses to open a directory for writing.
    assert_eq!(
        try_open(&mut ctx, 3, "d", FOLLOW, 0, read_write, 0).unwrap_err(),
        Errno::IsDir
    );
    let after: Vec<u32> = (0..16).filter(|fd| ctx.is_open(*fd)).collect();
    assert_eq!(before, after, "a refused open leaves no fd behind");

    // A read-only preopen refuses the write first (EPERM), as Wasmtime.
    let (tmp, mut ctx) = ro_ctx();
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    assert_eq!(
        try_open(&mut ctx, 3, "d", FOLLOW, dir, read_write, 0).unwrap_err(),
        Errno::Perm
    );
    assert!(try_open(&mut ctx, 3, "d", FOLLOW, dir, read, 0).is_ok());
}

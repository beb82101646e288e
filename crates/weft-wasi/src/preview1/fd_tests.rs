//! Tests of the fd calls.

use super::*;
use crate::ctx::{DirPerms, OutputBuffer, WasiCtxBuilder};
use crate::preview1::testutil::*;
use crate::preview1::types::{filetype, oflags, whence};

#[test]
fn stdio_capture_and_defaults() {
    let out = OutputBuffer::new();
    let err = OutputBuffer::new();
    let mut ctx = WasiCtxBuilder::new()
        .stdout(out.clone())
        .stderr(err.clone())
        .stdin_bytes(b"input!".to_vec())
        .build();
    // Two iovecs in one call.
    let mut m = vec![0u8; 64];
    m[32..37].copy_from_slice(b"hello");
    m[40..42].copy_from_slice(b" w");
    put_iovs(&mut m, 0, &[(32, 5), (40, 2)]);
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 0, 2, 16).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u32(&m, 16).unwrap(), 7);
    assert_eq!(out.contents(), b"hello w");
    assert_eq!(write_fd(&mut ctx, 2, b"oops").unwrap(), 4);
    assert_eq!(err.contents(), b"oops");

    assert_eq!(read_fd(&mut ctx, 0, 4).unwrap(), b"inpu");
    // A read scattered over two buffers.
    put_iovs(&mut m, 0, &[(32, 1), (40, 8)]);
    assert_eq!(
        fd_read(&mut ctx, &mut m, 0, 0, 2, 16).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u32(&m, 16).unwrap(), 2);
    assert_eq!((m[32], m[40]), (b't', b'!'));
    assert_eq!(read_fd(&mut ctx, 0, 4).unwrap(), b"", "end of input");

    // Nothing granted: reads see end of file, writes vanish.
    let mut bare = WasiCtxBuilder::new().build();
    assert_eq!(read_fd(&mut bare, 0, 4).unwrap(), b"");
    assert_eq!(write_fd(&mut bare, 1, b"gone").unwrap(), 4);
    // Wrong direction.
    assert_eq!(write_fd(&mut bare, 0, b"x").unwrap_err(), Errno::Badf);
    assert_eq!(read_fd(&mut bare, 1, 1).unwrap_err(), Errno::Badf);
}

#[test]
fn bad_fds() {
    let mut ctx = WasiCtxBuilder::new().build();
    let mut m = vec![0u8; 64];
    assert_eq!(write_fd(&mut ctx, 7, b"x").unwrap_err(), Errno::Badf);
    assert_eq!(read_fd(&mut ctx, 7, 1).unwrap_err(), Errno::Badf);
    assert_eq!(fd_seek(&mut ctx, &mut m, 7, 0, 0, 0).unwrap(), Errno::Badf);
    assert_eq!(fd_tell(&mut ctx, &mut m, 7, 0).unwrap(), Errno::Badf);
    assert_eq!(fd_close(&mut ctx, &mut m, 7).unwrap(), Errno::Badf);
    assert_eq!(fd_fdstat_get(&mut ctx, &mut m, 7, 0).unwrap(), Errno::Badf);
    assert_eq!(fd_sync(&mut ctx, &mut m, 7).unwrap(), Errno::Badf);
    assert_eq!(fd_prestat_get(&mut ctx, &mut m, 7, 0).unwrap(), Errno::Badf);
    assert_eq!(
        fd_prestat_dir_name(&mut ctx, &mut m, 7, 0, 8).unwrap(),
        Errno::Badf
    );
    assert_eq!(fd_renumber(&mut ctx, &mut m, 7, 1).unwrap(), Errno::Badf);
    assert_eq!(fd_renumber(&mut ctx, &mut m, 1, 7).unwrap(), Errno::Badf);
    assert_eq!(
        fd_pread(&mut ctx, &mut m, u32::MAX, 0, 0, 0, 8).unwrap(),
        Errno::Badf
    );
    assert_eq!(
        fd_fdstat_set_flags(&mut ctx, &mut m, 7, 0).unwrap(),
        Errno::Badf
    );
    assert_eq!(
        fd_fdstat_set_rights(&mut ctx, &mut m, 7, 0, 0).unwrap(),
        Errno::Badf
    );
    assert_eq!(fd_allocate(&mut ctx, &mut m, 7, 0, 1).unwrap(), Errno::Badf);
    assert_eq!(
        fd_advise(&mut ctx, &mut m, 7, 0, 1, 0).unwrap(),
        Errno::Badf
    );
}

#[test]
fn bad_pointers_fault_without_side_effects() {
    let out = OutputBuffer::new();
    let mut ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    let mut m = vec![0u8; 64];
    m[32..36].copy_from_slice(b"data");
    put_iovs(&mut m, 0, &[(32, 4)]);
    // nwritten out of bounds: nothing is written.
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 0, 1, 62).unwrap(),
        Errno::Fault
    );
    // iovec array out of bounds, and an absurd count.
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 60, 1, 16).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 0, u32::MAX, 16).unwrap(),
        Errno::Fault
    );
    // a buffer out of bounds
    put_iovs(&mut m, 0, &[(32, 4), (60, 8)]);
    assert_eq!(
        fd_write(&mut ctx, &mut m, 1, 0, 2, 16).unwrap(),
        Errno::Fault
    );
    put_iovs(&mut m, 0, &[(u32::MAX, 2)]);
    assert_eq!(
        fd_read(&mut ctx, &mut m, 0, 0, 1, 16).unwrap(),
        Errno::Fault
    );
    assert!(out.contents().is_empty());
    assert_eq!(
        fd_fdstat_get(&mut ctx, &mut m, 1, 50).unwrap(),
        Errno::Fault
    );
    assert_eq!(fd_tell(&mut ctx, &mut m, 1, 60).unwrap(), Errno::Fault);
}

#[test]
fn file_io_seek_tell_positioned() {
    let (tmp, mut ctx) = rw_ctx();
    let mut m = vec![0u8; 128];
    let fd = open(&mut ctx, &mut m, 3, "f.txt", oflags::CREAT, rights::FILE);
    assert_eq!(fd, 4);
    assert_eq!(write_fd(&mut ctx, fd, b"hello world").unwrap(), 11);
    assert_eq!(
        std::fs::read(tmp.path().join("f.txt")).unwrap(),
        b"hello world"
    );

    assert_eq!(fd_tell(&mut ctx, &mut m, fd, 0).unwrap(), Errno::Success);
    assert_eq!(mem::read_u64(&m, 0).unwrap(), 11);
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, 6, whence::SET, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u64(&m, 0).unwrap(), 6);
    assert_eq!(read_fd(&mut ctx, fd, 100).unwrap(), b"world");
    assert_eq!(read_fd(&mut ctx, fd, 100).unwrap(), b"", "end of file");
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, (-5i64) as u64, whence::END, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u64(&m, 0).unwrap(), 6);
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, (-2i64) as u64, whence::CUR, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u64(&m, 0).unwrap(), 4);
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, (-1i64) as u64, whence::SET, 0).unwrap(),
        Errno::Inval
    );
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, (-100i64) as u64, whence::CUR, 0).unwrap(),
        Errno::Inval
    );
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, 0, 3, 0).unwrap(),
        Errno::Inval
    );

    // pread/pwrite leave the position alone.
    m[64..69].copy_from_slice(b"HELLO");
    put_iovs(&mut m, 8, &[(64, 5)]);
    assert_eq!(
        fd_pwrite(&mut ctx, &mut m, fd, 8, 1, 0, 16).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u32(&m, 16).unwrap(), 5);
    put_iovs(&mut m, 8, &[(80, 3), (90, 3)]);
    assert_eq!(
        fd_pread(&mut ctx, &mut m, fd, 8, 2, 4, 16).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u32(&m, 16).unwrap(), 6);
    assert_eq!((&m[80..83], &m[90..93]), (&b"O w"[..], &b"orl"[..]));
    fd_tell(&mut ctx, &mut m, fd, 0).unwrap();
    assert_eq!(mem::read_u64(&m, 0).unwrap(), 4);
    assert_eq!(
        std::fs::read(tmp.path().join("f.txt")).unwrap(),
        b"HELLO world"
    );

    // Not seekable: stdio. Directories: EBADF.
    assert_eq!(
        fd_seek(&mut ctx, &mut m, 1, 0, whence::CUR, 0).unwrap(),
        Errno::Spipe
    );
    assert_eq!(
        fd_pread(&mut ctx, &mut m, 0, 8, 1, 0, 16).unwrap(),
        Errno::Spipe
    );
    assert_eq!(
        fd_seek(&mut ctx, &mut m, 3, 0, whence::CUR, 0).unwrap(),
        Errno::Badf
    );
    assert_eq!(write_fd(&mut ctx, 3, b"x").unwrap_err(), Errno::Badf);

    assert_eq!(fd_sync(&mut ctx, &mut m, fd).unwrap(), Errno::Success);
    assert_eq!(fd_datasync(&mut ctx, &mut m, fd).unwrap(), Errno::Success);
    assert_eq!(fd_sync(&mut ctx, &mut m, 3).unwrap(), Errno::Success);
    assert_eq!(
        fd_advise(&mut ctx, &mut m, fd, 0, 10, 2).unwrap(),
        Errno::Success
    );
    assert_eq!(
        fd_advise(&mut ctx, &mut m, fd, 0, 10, 6).unwrap(),
        Errno::Inval
    );
    assert_eq!(
        fd_allocate(&mut ctx, &mut m, fd, 100, 28).unwrap(),
        Errno::Success
    );
    assert_eq!(
        std::fs::metadata(tmp.path().join("f.txt")).unwrap().len(),
        128
    );
    assert_eq!(
        fd_allocate(&mut ctx, &mut m, fd, 0, 5).unwrap(),
        Errno::Success
    );
    assert_eq!(
        std::fs::metadata(tmp.path().join("f.txt")).unwrap().len(),
        128,
        "never shrinks"
    );
    assert_eq!(
        fd_allocate(&mut ctx, &mut m, fd, u64::MAX, 5).unwrap(),
        Errno::Fbig
    );
    // Offsets near the top of the range are errors, not overflows.
    put_iovs(&mut m, 8, &[(80, 3), (90, 3)]);
    let e = fd_pread(&mut ctx, &mut m, fd, 8, 2, u64::MAX - 1, 16).unwrap();
    assert_eq!(e, Errno::Inval);
    let e = fd_pwrite(&mut ctx, &mut m, fd, 8, 2, u64::MAX - 1, 16).unwrap();
    assert_eq!(e, Errno::Inval);
}

#[test]
fn append_mode() {
    let (tmp, mut ctx) = rw_ctx();
    std::fs::write(tmp.path().join("log"), b"one\n").unwrap();
    let fd = try_open(&mut ctx, 3, "log", 1, 0, rights::FILE, fdflags::APPEND).unwrap();
    let mut m = vec![0u8; 64];
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, 0, whence::SET, 0).unwrap(),
        Errno::Success
    );
    write_fd(&mut ctx, fd, b"two\n").unwrap();
    assert_eq!(
        std::fs::read(tmp.path().join("log")).unwrap(),
        b"one\ntwo\n"
    );
    fd_fdstat_get(&mut ctx, &mut m, fd, 0).unwrap();
    assert_eq!(mem::read_u16(&m, 2).unwrap(), fdflags::APPEND);
    // Turn append off and overwrite the start.
    assert_eq!(
        fd_fdstat_set_flags(&mut ctx, &mut m, fd, 0).unwrap(),
        Errno::Success
    );
    fd_seek(&mut ctx, &mut m, fd, 0, whence::SET, 0).unwrap();
    write_fd(&mut ctx, fd, b"ONE").unwrap();
    assert_eq!(
        std::fs::read(tmp.path().join("log")).unwrap(),
        b"ONE\ntwo\n"
    );
    // Sync flags cannot change after open; unknown flags are invalid.
    assert_eq!(
        fd_fdstat_set_flags(&mut ctx, &mut m, fd, fdflags::SYNC.into()).unwrap(),
        Errno::NotSup
    );
    assert_eq!(
        fd_fdstat_set_flags(&mut ctx, &mut m, fd, 0x40).unwrap(),
        Errno::Inval
    );
}

#[test]
fn close_and_renumber() {
    let out = OutputBuffer::new();
    let (_tmp, _) = rw_ctx();
    let mut ctx = WasiCtxBuilder::new().stdout(out.clone()).build();
    let mut m = vec![0u8; 16];
    // Move stdout over stderr: fd 2 now writes to the buffer, fd 1 is gone.
    assert_eq!(fd_renumber(&mut ctx, &mut m, 1, 2).unwrap(), Errno::Success);
    assert_eq!(write_fd(&mut ctx, 2, b"moved").unwrap(), 5);
    assert_eq!(out.contents(), b"moved");
    assert_eq!(write_fd(&mut ctx, 1, b"x").unwrap_err(), Errno::Badf);
    assert_eq!(fd_renumber(&mut ctx, &mut m, 2, 2).unwrap(), Errno::Success);
    assert_eq!(fd_close(&mut ctx, &mut m, 2).unwrap(), Errno::Success);
    assert_eq!(fd_close(&mut ctx, &mut m, 2).unwrap(), Errno::Badf);
}

#[test]
fn prestat() {
    let (_tmp, mut ctx) = rw_ctx();
    let mut m = vec![0u8; 64];
    assert_eq!(
        fd_prestat_get(&mut ctx, &mut m, 3, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(m[0], PREOPENTYPE_DIR);
    assert_eq!(mem::read_u32(&m, 4).unwrap(), "/sandbox".len() as u32);
    assert_eq!(
        fd_prestat_dir_name(&mut ctx, &mut m, 3, 16, 8).unwrap(),
        Errno::Success
    );
    assert_eq!(&m[16..24], b"/sandbox");
    assert_eq!(
        fd_prestat_dir_name(&mut ctx, &mut m, 3, 16, 7).unwrap(),
        Errno::NameTooLong
    );
    assert_eq!(
        fd_prestat_dir_name(&mut ctx, &mut m, 3, 60, 8).unwrap(),
        Errno::Fault
    );
    assert_eq!(
        fd_prestat_get(&mut ctx, &mut m, 3, 60).unwrap(),
        Errno::Fault
    );
    // Not preopens: stdio, and the first free fd (where wasi-libc stops).
    assert_eq!(fd_prestat_get(&mut ctx, &mut m, 1, 0).unwrap(), Errno::Badf);
    assert_eq!(fd_prestat_get(&mut ctx, &mut m, 4, 0).unwrap(), Errno::Badf);
    assert_eq!(
        fd_prestat_dir_name(&mut ctx, &mut m, 1, 16, 8).unwrap(),
        Errno::NotDir
    );
    let sub = {
        std::fs::create_dir(_tmp.path().join("d")).unwrap();
        open(&mut ctx, &mut m, 3, "d", oflags::DIRECTORY, OPENDIR_RIGHTS)
    };
    assert_eq!(
        fd_prestat_get(&mut ctx, &mut m, sub, 0).unwrap(),
        Errno::Badf
    );
}

#[test]
fn fdstat_and_rights() {
    let (tmp, mut ctx) = rw_ctx();
    std::fs::write(tmp.path().join("f"), b"abc").unwrap();
    let mut m = vec![0u8; 64];
    assert_eq!(
        fd_fdstat_get(&mut ctx, &mut m, 3, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(m[0], filetype::DIRECTORY);
    let base = mem::read_u64(&m, 8).unwrap();
    assert_ne!(base & rights::PATH_OPEN, 0);
    assert_ne!(mem::read_u64(&m, 16).unwrap() & rights::FD_READ, 0);
    assert_eq!(
        fd_fdstat_get(&mut ctx, &mut m, 1, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(
        m[0],
        filetype::UNKNOWN,
        "a captured stdout is not a terminal"
    );
    assert_eq!(
        mem::read_u64(&m, 8).unwrap() & (rights::FD_SEEK | rights::FD_TELL),
        0
    );

    let fd = open(
        &mut ctx,
        &mut m,
        3,
        "f",
        0,
        rights::FD_READ | rights::FD_SEEK | rights::FD_TELL,
    );
    fd_fdstat_get(&mut ctx, &mut m, fd, 0).unwrap();
    assert_eq!(m[0], filetype::REGULAR_FILE);
    let base = mem::read_u64(&m, 8).unwrap();
    assert_eq!(base, rights::FD_READ | rights::FD_SEEK | rights::FD_TELL);
    // Opened for reading only: writing is EBADF.
    assert_eq!(write_fd(&mut ctx, fd, b"x").unwrap_err(), Errno::Badf);
    // Drop FD_SEEK: seeking is ENOTCAPABLE, telling still works.
    let narrowed = rights::FD_READ | rights::FD_TELL;
    assert_eq!(
        fd_fdstat_set_rights(&mut ctx, &mut m, fd, narrowed, 0).unwrap(),
        Errno::Success
    );
    assert_eq!(
        fd_seek(&mut ctx, &mut m, fd, 1, whence::SET, 0).unwrap(),
        Errno::NotCapable
    );
    assert_eq!(fd_tell(&mut ctx, &mut m, fd, 0).unwrap(), Errno::Success);
    // Rights never grow back.
    assert_eq!(
        fd_fdstat_set_rights(&mut ctx, &mut m, fd, rights::ALL, 0).unwrap(),
        Errno::NotCapable
    );
    assert_eq!(read_fd(&mut ctx, fd, 8).unwrap(), b"abc");
}

/// A FIFO and a character device opened by path are streams: read once
/// through the bounce buffer, never positioned (`ESPIPE`), and a FIFO
/// that another end holds open reads and writes without a deadline.
#[cfg(unix)]
#[test]
fn fifos_and_character_devices_are_streams() {
    use std::io::{Read, Write};
    let (tmp, mut ctx) = rw_ctx();
    let mut host = crate::preview1::testutil::host_held_fifo(tmp.path(), "fifo");
    host.write_all(b"ab").unwrap();
    let r = open(&mut ctx, &mut [], 3, "fifo", 0, rights::FD_READ);
    let w = open(&mut ctx, &mut [], 3, "fifo", 0, rights::FD_WRITE);
    let mut m = vec![0u8; 64];
    put_iovs(&mut m, 0, &[(32, 8)]);
    assert_eq!(
        fd_pread(&mut ctx, &mut m, r, 0, 1, 0, 16).unwrap(),
        Errno::Spipe
    );
    assert_eq!(
        fd_pwrite(&mut ctx, &mut m, w, 0, 1, 0, 16).unwrap(),
        Errno::Spipe
    );
    let mut pos = vec![0u8; 16];
    assert_eq!(fd_tell(&mut ctx, &mut pos, r, 0).unwrap(), Errno::Spipe);
    // One read into two iovecs, the first exactly filled by what is there:
    // it returns that, and does not wait for more to fill the second. (If
    // it did wait, the bytes written 5 s later would end the wait and
    // fail the count below rather than hang the test.)
    let mut late = host.try_clone().unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(5));
        let _ = late.write_all(b"zz");
    });
    put_iovs(&mut m, 0, &[(32, 2), (40, 8)]);
    assert_eq!(
        fd_read(&mut ctx, &mut m, r, 0, 2, 16).unwrap(),
        Errno::Success
    );
    assert_eq!(mem::read_u32(&m, 16).unwrap(), 2);
    assert_eq!(&m[32..34], b"ab");
    assert_eq!(write_fd(&mut ctx, w, b"xyz").unwrap(), 3);
    let mut got = [0u8; 3];
    host.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"xyz");

    // /dev/null is a character device: a stream too.
    let mut dev = WasiCtxBuilder::new()
        .preopened_dir("/dev", "/dev", DirPerms::READ, FilePerms::all())
        .unwrap()
        .build();
    let null = open(&mut dev, &mut [], 3, "null", 0, rights::FD_READ);
    assert_eq!(read_fd(&mut dev, null, 8).unwrap(), b"");
    assert_eq!(
        fd_pread(&mut dev, &mut m, null, 0, 1, 0, 16).unwrap(),
        Errno::Spipe
    );
}

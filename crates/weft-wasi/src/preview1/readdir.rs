//! `fd_readdir`.
//!
//! A cookie is the index of the next entry in the directory's listing:
//! entry `i` has `d_next = i + 1`. The listing is taken when the guest asks
//! for cookie 0 (the start) and kept with the fd, so a guest walking a large
//! directory in several calls sees one consistent listing and each call
//! costs only what it returns. It begins with `.` and `..` (the latter
//! reports the directory's own inode, so nothing about the host outside the
//! preopen is revealed).
//!
//! Entries are written as a 24-byte `dirent` header followed by the name
//! (not NUL-terminated); the last one is cut at the end of the buffer, which
//! is how the guest knows to call again (`bufused == buf_len`).

use super::filestat::filetype_of;
use super::types::{filetype, rights, DIRENT_SIZE};
use super::{done, mem, WasiResult};
use crate::ctx::{DirPerms, WasiCtx};
use crate::errno::Errno;
use crate::fdtable::DirFd;

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DirEntryRec {
    pub(crate) name: Vec<u8>,
    pub(crate) ino: u64,
    pub(crate) filetype: u8,
}

fn listing(dir: &DirFd) -> Result<Vec<DirEntryRec>, Errno> {
    let own_ino = {
        let m = dir.dir.dir_metadata()?;
        super::filestat::Filestat::from_metadata(&m).ino
    };
    let mut out = vec![
        DirEntryRec {
            name: b".".to_vec(),
            ino: own_ino,
            filetype: filetype::DIRECTORY,
        },
        DirEntryRec {
            name: b"..".to_vec(),
            ino: own_ino,
            filetype: filetype::DIRECTORY,
        },
    ];
    for entry in dir.dir.entries()? {
        let entry = entry?;
        let ft = entry
            .file_type()
            .map(|t| filetype_of(&t))
            .unwrap_or(filetype::UNKNOWN);
        out.push(DirEntryRec {
            name: super::path::os_bytes(&entry.file_name()),
            ino: entry_ino(&entry),
            filetype: ft,
        });
    }
    Ok(out)
}

#[cfg(unix)]
fn entry_ino(entry: &cap_std::fs::DirEntry) -> u64 {
    use rustix::fs::DirEntryExt;
    entry.ino()
}

#[cfg(not(unix))]
fn entry_ino(entry: &cap_std::fs::DirEntry) -> u64 {
    use cap_fs_ext::MetadataExt;
    entry.metadata().map(|m| m.ino()).unwrap_or(0)
}

/// Serialises entries from index `start` into `out` (at most `cap` bytes).
fn serialise(entries: &[DirEntryRec], start: usize, cap: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(cap.min(64 * 1024));
    for (i, e) in entries.iter().enumerate().skip(start) {
        if out.len() >= cap {
            break;
        }
        let mut rec = Vec::with_capacity(DIRENT_SIZE as usize + e.name.len());
        rec.extend_from_slice(&(i as u64 + 1).to_le_bytes());
        rec.extend_from_slice(&e.ino.to_le_bytes());
        rec.extend_from_slice(&(e.name.len() as u32).to_le_bytes());
        rec.extend_from_slice(&[e.filetype, 0, 0, 0]);
        rec.extend_from_slice(&e.name);
        let room = cap - out.len();
        out.extend_from_slice(&rec[..rec.len().min(room)]);
    }
    out
}

/// `fd_readdir(fd, buf: *mut u8, buf_len: size, cookie: dircookie, bufused: *mut size) -> errno`
pub fn fd_readdir(
    ctx: &mut WasiCtx,
    memory: &mut [u8],
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> WasiResult {
    done((|| {
        mem::slice(memory, bufused, 4)?;
        mem::slice(memory, buf, buf_len)?;
        let dir = ctx.table.dir_mut(fd, rights::FD_READDIR)?;
        if !dir.perms.contains(DirPerms::READ) {
            return Err(Errno::Perm);
        }
        if cookie == 0 || dir.listing.is_none() {
            dir.listing = Some(listing(dir)?);
        }
        let entries = dir.listing.as_deref().unwrap_or(&[]);
        let start = usize::try_from(cookie).unwrap_or(usize::MAX);
        let bytes = serialise(entries, start, buf_len as usize);
        mem::write_bytes(memory, buf, &bytes)?;
        mem::write_u32(memory, bufused, bytes.len() as u32)
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview1::testutil::*;
    use crate::preview1::types::oflags;

    /// Parses a readdir buffer into (d_next, name, type) triples.
    fn parse(buf: &[u8]) -> Vec<(u64, String, u8)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at + 24 <= buf.len() {
            let next = u64::from_le_bytes(buf[at..at + 8].try_into().unwrap());
            let len = u32::from_le_bytes(buf[at + 16..at + 20].try_into().unwrap()) as usize;
            let ty = buf[at + 20];
            let end = (at + 24 + len).min(buf.len());
            out.push((
                next,
                String::from_utf8_lossy(&buf[at + 24..end]).into_owned(),
                ty,
            ));
            at += 24 + len;
        }
        out
    }

    fn readdir(ctx: &mut WasiCtx, fd: u32, cookie: u64, len: u32) -> Result<Vec<u8>, Errno> {
        let mut m = vec![0u8; 8 + len as usize];
        match fd_readdir(ctx, &mut m, fd, 8, len, cookie, 0).unwrap() {
            Errno::Success => {
                let used = mem::read_u32(&m, 0).unwrap() as usize;
                Ok(m[8..8 + used].to_vec())
            }
            e => Err(e),
        }
    }

    #[test]
    fn lists_with_cookies() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("a.txt"), b"x").unwrap();
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        let all = parse(&readdir(&mut ctx, 3, 0, 4096).unwrap());
        let mut names: Vec<_> = all.iter().map(|(_, n, _)| n.clone()).collect();
        names.sort();
        assert_eq!(names, [".", "..", "a.txt", "sub"]);
        assert_eq!(all.iter().map(|e| e.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
        let ty = |n: &str| all.iter().find(|e| e.1 == n).unwrap().2;
        assert_eq!(ty("a.txt"), filetype::REGULAR_FILE);
        assert_eq!(ty("sub"), filetype::DIRECTORY);

        // Resume after the second entry.
        let rest = parse(&readdir(&mut ctx, 3, 2, 4096).unwrap());
        assert_eq!(rest, all[2..].to_vec());
        // Past the end: nothing.
        assert!(readdir(&mut ctx, 3, 4, 4096).unwrap().is_empty());
        assert!(readdir(&mut ctx, 3, u64::MAX, 4096).unwrap().is_empty());
    }

    #[test]
    fn small_buffer_truncates_and_resumes() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("a-long-file-name"), b"x").unwrap();
        // "." is 25 bytes, ".." 26: a 30-byte buffer holds "." and part of "..".
        let buf = readdir(&mut ctx, 3, 0, 30).unwrap();
        assert_eq!(buf.len(), 30, "full buffer means: call again");
        let first = parse(&buf);
        assert_eq!(first[0].1, ".");
        // Walk the whole directory one record at a time by cookie.
        let mut cookie = 0;
        let mut seen = Vec::new();
        loop {
            let b = readdir(&mut ctx, 3, cookie, 24 + 64).unwrap();
            let recs = parse(&b);
            let Some(r) = recs.first() else { break };
            seen.push(r.1.clone());
            cookie = r.0;
        }
        assert!(seen.contains(&"a-long-file-name".to_string()));
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn errors() {
        let (tmp, mut ctx) = rw_ctx();
        std::fs::write(tmp.path().join("f"), b"x").unwrap();
        let mut m = vec![0u8; 64];
        let f = open(&mut ctx, &mut m, 3, "f", 0, rights::FILE);
        assert_eq!(readdir(&mut ctx, f, 0, 64).unwrap_err(), Errno::NotDir);
        assert_eq!(readdir(&mut ctx, 42, 0, 64).unwrap_err(), Errno::Badf);
        assert_eq!(
            fd_readdir(&mut ctx, &mut m, 3, 60, 16, 0, 0).unwrap(),
            Errno::Fault
        );
        assert_eq!(
            fd_readdir(&mut ctx, &mut m, 3, 0, 16, 0, 62).unwrap(),
            Errno::Fault
        );
        // A directory opened by path lists too.
        std::fs::create_dir(tmp.path().join("d")).unwrap();
        std::fs::write(tmp.path().join("d/inner"), b"").unwrap();
        let d = open(&mut ctx, &mut m, 3, "d", oflags::DIRECTORY, OPENDIR_RIGHTS);
        let names: Vec<_> = parse(&readdir(&mut ctx, d, 0, 1024).unwrap())
            .into_iter()
            .map(|e| e.1)
            .collect();
        assert!(names.contains(&"inner".to_string()));
    }
}

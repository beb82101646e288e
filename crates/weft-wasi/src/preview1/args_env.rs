//! `args_get`, `args_sizes_get`, `environ_get`, `environ_sizes_get`.
//!
//! Strings are written NUL-terminated into the guest's buffer, with an array
//! of pointers to them, as in C's `argv`/`environ`.

use super::mem;
use super::{done, WasiResult};
use crate::ctx::WasiCtx;
use crate::errno::Errno;

fn sizes(list: &[String], mem: &mut [u8], count_ptr: u32, size_ptr: u32) -> Result<(), Errno> {
    let count = u32::try_from(list.len()).map_err(|_| Errno::Overflow)?;
    let size: usize = list.iter().map(|s| s.len() + 1).sum();
    let size = u32::try_from(size).map_err(|_| Errno::Overflow)?;
    mem::write_u32(mem, count_ptr, count)?;
    mem::write_u32(mem, size_ptr, size)
}

fn strings(list: &[String], mem: &mut [u8], ptrs: u32, buf: u32) -> Result<(), Errno> {
    let mut cursor = buf;
    for (i, s) in list.iter().enumerate() {
        let slot = u32::try_from(i)
            .ok()
            .and_then(|i| i.checked_mul(4))
            .and_then(|o| ptrs.checked_add(o));
        mem::write_u32(mem, slot.ok_or(Errno::Fault)?, cursor)?;
        mem::write_bytes(mem, cursor, s.as_bytes())?;
        let nul = u32::try_from(s.len())
            .ok()
            .and_then(|l| cursor.checked_add(l))
            .ok_or(Errno::Fault)?;
        mem::write_u8(mem, nul, 0)?;
        cursor = nul.checked_add(1).ok_or(Errno::Fault)?;
    }
    Ok(())
}

/// `args_sizes_get(argc: *mut size, argv_buf_size: *mut size) -> errno`
pub fn args_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    argc: u32,
    argv_buf_size: u32,
) -> WasiResult {
    done(sizes(&ctx.args, mem, argc, argv_buf_size))
}

/// `args_get(argv: *mut *mut u8, argv_buf: *mut u8) -> errno`
pub fn args_get(ctx: &mut WasiCtx, mem: &mut [u8], argv: u32, argv_buf: u32) -> WasiResult {
    done(strings(&ctx.args, mem, argv, argv_buf))
}

/// `environ_sizes_get(count: *mut size, buf_size: *mut size) -> errno`
pub fn environ_sizes_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    count: u32,
    buf_size: u32,
) -> WasiResult {
    done(sizes(&ctx.env, mem, count, buf_size))
}

/// `environ_get(environ: *mut *mut u8, environ_buf: *mut u8) -> errno`
pub fn environ_get(
    ctx: &mut WasiCtx,
    mem: &mut [u8],
    environ: u32,
    environ_buf: u32,
) -> WasiResult {
    done(strings(&ctx.env, mem, environ, environ_buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtxBuilder;

    #[test]
    fn args_round_trip() {
        let mut ctx = WasiCtxBuilder::new().args(&["prog", "a b", ""]).build();
        let mut m = vec![0u8; 128];
        assert_eq!(
            args_sizes_get(&mut ctx, &mut m, 0, 4).unwrap(),
            Errno::Success
        );
        assert_eq!(mem::read_u32(&m, 0).unwrap(), 3);
        assert_eq!(mem::read_u32(&m, 4).unwrap(), 5 + 4 + 1);
        assert_eq!(args_get(&mut ctx, &mut m, 16, 64).unwrap(), Errno::Success);
        let p0 = mem::read_u32(&m, 16).unwrap();
        let p1 = mem::read_u32(&m, 20).unwrap();
        let p2 = mem::read_u32(&m, 24).unwrap();
        assert_eq!((p0, p1, p2), (64, 69, 73));
        assert_eq!(&m[64..74], b"prog\0a b\0\0");
    }

    #[test]
    fn env_and_defaults() {
        let mut ctx = WasiCtxBuilder::new()
            .env("A", "1")
            .envs(&[("B", "two")])
            .build();
        let mut m = vec![0u8; 64];
        environ_sizes_get(&mut ctx, &mut m, 0, 4).unwrap();
        assert_eq!(mem::read_u32(&m, 0).unwrap(), 2);
        assert_eq!(mem::read_u32(&m, 4).unwrap(), 4 + 6);
        assert_eq!(
            environ_get(&mut ctx, &mut m, 8, 32).unwrap(),
            Errno::Success
        );
        assert_eq!(&m[32..42], b"A=1\0B=two\0");

        let mut empty = WasiCtxBuilder::new().build();
        environ_sizes_get(&mut empty, &mut m, 0, 4).unwrap();
        assert_eq!(
            mem::read_u32(&m, 0).unwrap(),
            0,
            "nothing inherited by default"
        );
        args_sizes_get(&mut empty, &mut m, 0, 4).unwrap();
        assert_eq!(mem::read_u32(&m, 0).unwrap(), 0);
    }

    #[test]
    fn bad_pointers_fault() {
        let mut ctx = WasiCtxBuilder::new().args(&["prog"]).build();
        let mut m = vec![0u8; 16];
        assert_eq!(
            args_sizes_get(&mut ctx, &mut m, 14, 0).unwrap(),
            Errno::Fault
        );
        assert_eq!(args_get(&mut ctx, &mut m, 0, 14).unwrap(), Errno::Fault);
        assert_eq!(
            args_get(&mut ctx, &mut m, u32::MAX - 1, 0).unwrap(),
            Errno::Fault
        );
        assert_eq!(
            environ_sizes_get(&mut ctx, &mut m, u32::MAX, 0).unwrap(),
            Errno::Fault
        );
    }
}

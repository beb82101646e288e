//! `random_get`: bytes from the host's secure random number generator, or
//! from the source given with
//! [`WasiCtxBuilder::random_source`](crate::WasiCtxBuilder::random_source).

use super::{done, mem, WasiResult};
use crate::ctx::WasiCtx;
use crate::errno::Errno;

/// `random_get(buf: *mut u8, buf_len: size) -> errno`
pub fn random_get(ctx: &mut WasiCtx, mem: &mut [u8], buf: u32, buf_len: u32) -> WasiResult {
    done((|| {
        let dst = mem::slice_mut(mem, buf, buf_len)?;
        ctx.random.fill(dst).map_err(|_| Errno::Io)
    })())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctx::WasiCtxBuilder;

    #[test]
    fn fills_the_buffer() {
        let mut ctx = WasiCtxBuilder::new().build();
        let mut m = vec![0u8; 64];
        assert_eq!(random_get(&mut ctx, &mut m, 0, 64).unwrap(), Errno::Success);
        assert!(m.iter().any(|&b| b != 0));
        assert_eq!(random_get(&mut ctx, &mut m, 60, 8).unwrap(), Errno::Fault);
        assert_eq!(random_get(&mut ctx, &mut m, 64, 0).unwrap(), Errno::Success);
    }

    #[test]
    fn custom_source() {
        let mut ctx = WasiCtxBuilder::new()
            .random_source(Box::new(|b: &mut [u8]| {
                b.fill(7);
                Ok(())
            }))
            .build();
        let mut m = vec![0u8; 4];
        random_get(&mut ctx, &mut m, 1, 2).unwrap();
        assert_eq!(m, [0, 7, 7, 0]);
    }
}

//! The artifact encoding of [`Op`]: one 16-byte little-endian record per
//! instruction — a `u16` tag (the instruction's position in `isa.rs`), its
//! fields in declaration order (each [`Field`] writes itself), then zeros.
//! `Op` itself has no stable layout, so artifacts carry this instead and
//! loading decodes it, refusing any record that is not exactly what
//! [`Op::encode`] writes. Changing the instruction list changes the
//! format: bump `artifact::FORMAT_VERSION`.

use super::visit::{Field, OpCode, Visit};
use super::{Offset, Op, Slot};

/// Bytes per encoded instruction.
pub(crate) const RECORD: usize = 16;

/// Writes fields one after the other.
struct Writer {
    b: [u8; RECORD],
    at: usize,
}

impl Writer {
    fn put(&mut self, bytes: &[u8]) {
        self.b[self.at..self.at + bytes.len()].copy_from_slice(bytes);
        self.at += bytes.len();
    }
}

impl Visit<'_> for Writer {
    fn slot(&mut self, s: &mut Slot) {
        s.encode(&mut |b| self.put(b));
    }
    fn off(&mut self, o: &mut Offset) {
        o.encode(&mut |b| self.put(b));
    }
    fn imm<T: Field>(&mut self, v: &mut T) {
        v.encode(&mut |b| self.put(b));
    }
}

impl Op {
    /// This instruction's record.
    pub(crate) fn encode(&self) -> [u8; RECORD] {
        let mut out = Writer {
            b: [0; RECORD],
            at: 0,
        };
        out.put(&(self.code() as u16).to_le_bytes());
        let mut op = *self;
        op.visit(&mut out);
        out.b
    }

    /// The instruction a record holds, or `None` if it is not exactly the
    /// record of one (unknown tag, a field value no instruction has, or
    /// non-zero padding).
    pub(crate) fn decode(record: &[u8; RECORD]) -> Option<Op> {
        let tag = u16::from_le_bytes([record[0], record[1]]);
        let code = *OpCode::ALL.get(usize::from(tag))?;
        let mut at = 2;
        let op = Op::from_fields(code, |size| {
            let bytes = record.get(at..at + size)?;
            at += size;
            Some(bytes)
        })?;
        record[at..].iter().all(|&b| b == 0).then_some(op)
    }
}

#[cfg(test)]
mod tests {
    use super::super::visit::LAYOUT;
    use super::*;

    #[test]
    fn every_layout_fits_a_record() {
        for op in LAYOUT {
            let size: usize = 2 + op.fields.iter().map(|f| f.size).sum::<usize>();
            assert!(size <= RECORD, "{}: {size} bytes", op.name);
        }
        assert_eq!(LAYOUT.len(), OpCode::ALL.len());
        assert!(OpCode::ALL.len() < usize::from(u16::MAX));
    }
}

//! The legacy exception instructions to CLIF: `try` with `catch` and
//! `catch_all` bodies or a `delegate`, and `rethrow`.
//!
//! A `try` is a block whose body, like a `try_table`'s, sends exceptions
//! raised in it (by a call or a throw that returns with the store's
//! `ERROR`) to one dispatch block, made at the first such site and filled
//! when the `try` ends: it asks the runtime (`Libcalls::catch`, with the
//! `exnref` so that `rethrow` can raise the exception again) clause by
//! clause in order and jumps to the first `catch` body that takes it, with
//! the tag's values as block parameters; otherwise, and for a `delegate
//! l`, it goes on to the innermost handler outside (for `delegate`: at or
//! outside the block `l` levels out), or out of the function. A `catch`
//! body is not a handler of its own `try`. Fuel is charged as the
//! interpreter charges it: each clause's body starts a straight-line run.

use alloc::vec::Vec;

use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder, Signature, Value};
use cranelift_frontend::Variable;
use wasmparser::BlockType;

use super::{clif_type, Frame, Kind, Result, Translator, Unsupported};
use crate::vm::vmctx as layout;

/// A legacy `try` frame's state.
#[derive(Clone)]
pub(super) struct Try {
    /// The dispatch block of exceptions raised in the body, made at the
    /// first call or throw in it.
    pub(super) dispatch: Option<ir::Block>,
    /// Its `catch` clauses so far: (`Libcalls::catch` kind: 1 `catch` with
    /// the `exnref`, 3 `catch_all` with it; module tag; the body's block;
    /// the types of its parameters, the tag's values then the `exnref`).
    catches: Vec<(u32, u32, ir::Block, Vec<ir::Type>)>,
    /// In a `catch` body (no longer a handler): the variable holding the
    /// caught exception's `exnref`, for `rethrow`.
    exn: Option<Variable>,
    /// For `delegate l`: `l`.
    delegate: Option<u32>,
}

impl Try {
    /// Whether exceptions raised here go to this `try`'s clauses (in its
    /// body, not in a `catch` body).
    pub(super) fn catching(&self) -> bool {
        self.exn.is_none()
    }
}

impl Translator<'_, '_, '_> {
    /// `try bt`.
    pub(super) fn try_(&mut self, bt: BlockType) -> Result<()> {
        let (params, results) = self.block_type(bt)?;
        let next = self.new_block_with(&results);
        let height = self.stack.len() - params.len();
        self.control.push(Frame {
            kind: Kind::Try(Try {
                dispatch: None,
                catches: Vec::new(),
                exn: None,
                delegate: None,
            }),
            dest: next,
            next,
            params,
            results,
            height,
            exit_used: false,
            dead: false,
        });
        Ok(())
    }

    /// `catch $tag`, or `catch_all` (`tag` `None`): ends the body (or the
    /// previous `catch` body) and starts this clause's body, reached only
    /// from the dispatch (unreachable if nothing in the body can raise).
    pub(super) fn catch(&mut self, tag: Option<u32>) -> Result<()> {
        let mut types = match tag {
            Some(t) => self
                .tag_type(t)?
                .params()
                .iter()
                .map(clif_type)
                .collect::<Result<Vec<_>>>()?,
            None => Vec::new(),
        };
        types.push(types::I64);
        let frame = self.control.last().expect("validated");
        let (next, height, nres) = (frame.next, frame.height, frame.results.len());
        let Kind::Try(t) = &frame.kind else {
            return Err(Unsupported::what("catch outside try"));
        };
        let live = t.dispatch.is_some();
        if self.reachable {
            let args = self.peekn(nres);
            self.b.ins().jump(next, &Self::args(&args));
            self.control.last_mut().expect("validated").exit_used = true;
        }
        self.stack.truncate(height);
        let body = self.new_block_with(&types);
        let var = self.b.declare_var(types::I64);
        // The caught exception, which `rethrow` reads: a GC reference.
        self.b.declare_var_needs_stack_map(var);
        if let Some(Frame {
            kind: Kind::Try(t), ..
        }) = self.control.last_mut()
        {
            t.exn = Some(var);
            let kind = if tag.is_some() { 1 } else { 3 };
            t.catches.push((kind, tag.unwrap_or(0), body, types));
        }
        self.b.switch_to_block(body);
        let values: Vec<Value> = self.b.block_params(body).to_vec();
        let (exnref, values) = values.split_last().expect("the exnref");
        self.b.def_var(var, *exnref);
        self.stack.extend_from_slice(values);
        // Nothing in the body can raise: the clause is never entered.
        self.reachable = live;
        // The interpreter starts a straight-line run at each clause's
        // landing pad: so does the charge.
        self.fuel_segment();
        Ok(())
    }

    /// `delegate l`: ends the `try`; exceptions raised in its body go to
    /// the innermost handler at or outside the block `l` levels out.
    pub(super) fn delegate(&mut self, depth: u32) -> Result<()> {
        let Some(Frame {
            kind: Kind::Try(t), ..
        }) = self.control.last_mut()
        else {
            return Err(Unsupported::what("delegate outside try"));
        };
        t.delegate = Some(depth);
        self.end()
    }

    /// `rethrow l`: raises again the exception that the `catch` body `l`
    /// levels out caught.
    pub(super) fn rethrow(&mut self, depth: u32) -> Result<()> {
        let at = self.control.len() - 1 - depth as usize;
        let Kind::Try(Try { exn: Some(var), .. }) = self.control[at].kind else {
            return Err(Unsupported::what("rethrow outside catch"));
        };
        let exn = self.b.use_var(var);
        let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_THROW_REF);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I64));
        let sig = self.b.import_signature(sig);
        self.b.ins().call_indirect(sig, libcall, &[self.vmctx, exn]);
        self.after_throw();
        Ok(())
    }

    /// Fills the dispatch of `try`, which has just ended (popped from
    /// index `self.control.len()`), if anything in its body can raise:
    /// its clauses in order, then the innermost handler outside (for
    /// `delegate l`, at or outside the block `l` levels out), or out.
    pub(super) fn fill_legacy_dispatch(&mut self, t: &Try) {
        let Some(dispatch) = t.dispatch else {
            return;
        };
        let clauses: Vec<_> = t
            .catches
            .iter()
            .map(|(kind, tag, body, types)| (*kind, *tag, types.clone(), *body))
            .collect();
        let within = self.control.len() - t.delegate.unwrap_or(0) as usize;
        self.dispatch(dispatch, &clauses, within);
        for (_, _, body, _) in &t.catches {
            self.b.seal_block(*body);
        }
    }
}

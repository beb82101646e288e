//! Fuel and epochs in compiled code, charged and checked where the
//! interpreter does: epochs at function entry and loop headers, fuel per
//! straight-line run of operators.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, Signature};

use super::{vm_flags, vm_readonly, Translator};
use crate::trap::TrapCode;
use crate::vm::vmctx as layout;

impl Translator<'_, '_, '_> {
    /// With epoch interruption on (at function entry and loop headers, as
    /// the interpreter checks): when the engine's epoch has reached the
    /// store's deadline, asks the runtime (`Libcalls::epoch`).
    pub(super) fn check_epoch(&mut self) {
        if !self.module.engine.config().epoch_interruption {
            return;
        }
        let counter = self.b.ins().load(
            types::I64,
            vm_readonly(),
            self.store_ctx,
            layout::OFFSET_EPOCH,
        );
        let epoch = self.b.ins().load(types::I64, vm_flags(), counter, 0);
        let deadline = self.b.ins().load(
            types::I64,
            vm_flags(),
            self.store_ctx,
            layout::OFFSET_EPOCH_DEADLINE,
        );
        let reached = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, epoch, deadline);
        let slow = self.b.create_block();
        let cont = self.b.create_block();
        self.b.set_cold_block(slow);
        self.b.ins().brif(reached, slow, &[], cont, &[]);
        self.b.seal_block(slow);
        self.b.switch_to_block(slow);
        let libcall = self.libcall(layout::OFFSET_LIBCALL_EPOCH);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        let sig = self.b.import_signature(sig);
        self.b.ins().call_indirect(sig, libcall, &[self.vmctx]);
        self.check_trap();
        self.b.ins().jump(cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }

    /// With fuel metering (`Config::consume_fuel`), where the interpreter
    /// starts a straight-line run (function entry, loop header, after
    /// `br_if` and `br_on_*`, the arms of `if`, after `end`): charges the
    /// run's operators at once, trapping with "all fuel consumed" when
    /// fewer are left (the fuel unchanged), exactly as the interpreter's
    /// `ConsumeFuel` does.
    pub(super) fn fuel_segment(&mut self) {
        if !self.module.engine.config().consume_fuel || !self.reachable {
            return;
        }
        self.close_fuel_segment();
        let amount = self.b.ins().iconst(types::I64, 0);
        let inst = self.b.func.dfg.value_def(amount).unwrap_inst();
        let fuel = self
            .b
            .ins()
            .load(types::I64, vm_flags(), self.store_ctx, layout::OFFSET_FUEL);
        let short = self.b.ins().icmp(IntCC::UnsignedLessThan, fuel, amount);
        self.trap_if(short, TrapCode::OutOfFuel);
        let left = self.b.ins().isub(fuel, amount);
        self.b
            .ins()
            .store(vm_flags(), left, self.store_ctx, layout::OFFSET_FUEL);
        self.fuel = Some((inst, 0));
    }

    /// Counts one operator against the current run.
    pub(super) fn charge_fuel(&mut self) {
        if let Some((_, n)) = &mut self.fuel {
            *n += 1;
        }
    }

    /// Writes the current run's count into its charge.
    pub(super) fn close_fuel_segment(&mut self) {
        if let Some((inst, n)) = self.fuel.take() {
            self.b.func.replace(inst).iconst(types::I64, n);
        }
    }
}

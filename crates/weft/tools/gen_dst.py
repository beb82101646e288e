import re
src=open('ir/mod.rs').read()
body=src[src.index('pub(crate) enum Op {'):src.index('\n}\n')]
d=[];off=[];alln=[];slots={}
for m in re.finditer(r'^\s+(\w+)\s*(\{([^}]*)\})?,', body, re.M):
    name, fields = m.group(1), m.group(3) or ''
    fs=[f.split(':')[0].strip() for f in fields.split(',') if f.strip()]
    slots[name]=[f.split(':')[0].strip() for f in fields.split(',') if f.strip() and f.split(':')[1].strip()=='Slot']
    alln.append((name, bool(fields)))
    if 'd' in fs: d.append(name)
    if 'off' in fs: off.append(name)
def arms(names, field):
    return '\n            | '.join(f"Op::{n} {{ {field}, .. }}" for n in names)
def others(names):
    rest=[(n,f) for n,f in alln if n not in names]
    return '\n            | '.join(f"Op::{n} {{ .. }}" if f else f"Op::{n}" for n,f in rest)
def slot_arm(n, has):
    fs = slots[n]
    if not fs:
        return f"Op::{n} {{ .. }} => {{}}" if has else f"Op::{n} => {{}}"
    binds = ', '.join(fs)
    calls = ' '.join(f"f({x});" for x in fs)
    return f"Op::{n} {{ {binds}, .. }} => {{ {calls} }}"
slot_arms = '\n            '.join(slot_arm(n, h) + ',' for n, h in alln)
out=f'''//! Generic access to an instruction's result slot and branch offset, used by
//! the translator to retarget results (`local.set` after an operation) and to
//! patch forward branches.
//!
//! Both matches name every variant (no `_` arm), so adding an instruction to
//! [`Op`] without classifying it here does not compile. Regenerate with
//! `python3 ../tools/gen_dst.py` from `crates/weft/src` after changing `Op`.

use super::{{Offset, Op, Slot}};

impl Op {{
    /// The slot this instruction writes its result to, if it has one.
    pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {{
        match self {{
            {arms(d,'d')} => Some(d),
            {others(d)} => None,
        }}
    }}

    /// Calls `f` on every slot operand (inputs and result) of this
    /// instruction.
    pub(crate) fn slots_mut(&mut self, mut f: impl FnMut(&mut Slot)) {{
        match self {{
            {slot_arms}
        }}
    }}

    /// The branch offset of this instruction, if it is a branch.
    pub(crate) fn off_mut(&mut self) -> Option<&mut Offset> {{
        match self {{
            {arms(off,'off')} => Some(off),
            {others(off)} => None,
        }}
    }}
}}
'''
open('ir/dst.rs','w').write(out)

/* A switch-dispatch bytecode interpreter (the `switch` becomes a Wasm
 * br_table): a register VM whose program, held in malloc'd memory, runs
 * SIZE iterations of a loop mixing arithmetic, a data-dependent branch,
 * loads and stores to a small VM memory, and a call/return pair. */
#include "common.h"

enum {
    OP_LI,    /* r[a] = imm */
    OP_ADD,   /* r[a] = r[b] + r[c] */
    OP_SUB,   /* r[a] = r[b] - r[c] */
    OP_MUL,   /* r[a] = r[b] * r[c] */
    OP_XOR,   /* r[a] = r[b] ^ r[c] */
    OP_SHR,   /* r[a] = r[b] >> imm */
    OP_ANDI,  /* r[a] = r[b] & imm */
    OP_ADDI,  /* r[a] = r[b] + imm */
    OP_LD,    /* r[a] = mem[r[b] & MASK] */
    OP_ST,    /* mem[r[b] & MASK] = r[a] */
    OP_BLT,   /* if r[a] < r[b] goto imm */
    OP_BEQZ,  /* if r[a] == 0 goto imm */
    OP_JMP,   /* goto imm */
    OP_CALL,  /* push pc; goto imm */
    OP_RET,   /* pc = pop */
    OP_HALT,
};

typedef struct { uint8_t op, a, b, c; int32_t imm; } insn;

#define MEM_WORDS 1024
#define MASK (MEM_WORDS - 1)

static uint32_t run(const insn *code, uint32_t *r, uint32_t *mem) {
    int32_t stack[64];
    int sp = 0;
    int32_t pc = 0;
    for (;;) {
        const insn *i = &code[pc++];
        switch (i->op) {
        case OP_LI: r[i->a] = (uint32_t)i->imm; break;
        case OP_ADD: r[i->a] = r[i->b] + r[i->c]; break;
        case OP_SUB: r[i->a] = r[i->b] - r[i->c]; break;
        case OP_MUL: r[i->a] = r[i->b] * r[i->c]; break;
        case OP_XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
        case OP_SHR: r[i->a] = r[i->b] >> i->imm; break;
        case OP_ANDI: r[i->a] = r[i->b] & (uint32_t)i->imm; break;
        case OP_ADDI: r[i->a] = r[i->b] + (uint32_t)i->imm; break;
        case OP_LD: r[i->a] = mem[r[i->b] & MASK]; break;
        case OP_ST: mem[r[i->b] & MASK] = r[i->a]; break;
        case OP_BLT: if (r[i->a] < r[i->b]) pc = i->imm; break;
        case OP_BEQZ: if (r[i->a] == 0) pc = i->imm; break;
        case OP_JMP: pc = i->imm; break;
        case OP_CALL: stack[sp++] = pc; pc = i->imm; break;
        case OP_RET: pc = stack[--sp]; break;
        case OP_HALT: return r[0];
        default: return 0xdeadbeef;
        }
    }
}

int main(int argc, char **argv) {
    long n = arg_size(argc, argv, 800000);
    insn *code = xmalloc(64 * sizeof *code);
    uint32_t *mem = xmalloc(MEM_WORDS * sizeof *mem);
    uint32_t r[16] = {0};
    for (int i = 0; i < MEM_WORDS; i++)
        mem[i] = (uint32_t)rng();
    int k = 0;
#define I(o, a_, b_, c_, imm_) code[k++] = (insn){o, a_, b_, c_, imm_}
    /* r1 = i, r2 = n, r3 = x (LCG state), r0 = accumulator */
    I(OP_LI, 1, 0, 0, 0);
    I(OP_LI, 3, 0, 0, 12345);
    int loop = k;
    I(OP_LI, 4, 0, 0, 1103515245);          /* x = x * 1103515245 + 12345 */
    I(OP_MUL, 3, 3, 4, 0);
    I(OP_ADDI, 3, 3, 0, 12345);
    I(OP_SHR, 5, 3, 0, 16);                 /* t = x >> 16 */
    I(OP_LD, 6, 5, 0, 0);                   /* v = mem[t] */
    I(OP_XOR, 0, 0, 6, 0);                  /* acc ^= v */
    I(OP_ANDI, 7, 5, 0, 3);
    int beqz = k;
    I(OP_BEQZ, 7, 0, 0, 0);                 /* if (t & 3) == 0 skip the call */
    I(OP_CALL, 0, 0, 0, 0);                 /* mix() */
    code[beqz].imm = k;
    I(OP_ADD, 8, 6, 1, 0);                  /* mem[t + 1] = v + i */
    I(OP_ADDI, 9, 5, 0, 1);
    I(OP_ST, 8, 9, 0, 0);
    I(OP_ADDI, 1, 1, 0, 1);                 /* i++ */
    I(OP_BLT, 1, 2, 0, loop);               /* while i < n */
    I(OP_HALT, 0, 0, 0, 0);
    int mix = k;                            /* mix: acc = acc * 31 + (acc >> 7) - i */
    I(OP_LI, 10, 0, 0, 31);
    I(OP_MUL, 11, 0, 10, 0);
    I(OP_SHR, 12, 0, 0, 7);
    I(OP_ADD, 11, 11, 12, 0);
    I(OP_SUB, 0, 11, 1, 0);
    I(OP_RET, 0, 0, 0, 0);
#undef I
    for (int i = 0; i < k; i++)
        if (code[i].op == OP_CALL)
            code[i].imm = mix;
    r[2] = (uint32_t)n;
    uint32_t acc = run(code, r, mem);
    uint32_t h = 0;
    for (int i = 0; i < MEM_WORDS; i++)
        h = (h ^ mem[i]) * 16777619u;
    printf("vm %ld %08x %08x\n", n, acc, h);
    free(code);
    free(mem);
    return 0;
}

/* A real C program: a small stack-based bytecode interpreter (switch
 * dispatch, i.e. Wasm br_table) running two programs: trial-division prime
 * counting and an iterative Fibonacci modulo a prime. */
#include "common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, EQ, JZ, JMP, INC, HALT };

static int32_t exec(const int32_t *code, int32_t *locals) {
    int32_t stack[64];
    int sp = 0, pc = 0;
    for (;;) {
        int32_t op = code[pc++];
        switch (op) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = locals[code[pc++]]; break;
        case STORE: locals[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case JZ: { int32_t t = code[pc++]; if (!stack[--sp]) pc = t; break; }
        case JMP: pc = code[pc]; break;
        case INC: locals[code[pc]] += code[pc + 1]; pc += 2; break;
        case HALT: return stack[sp - 1];
        default: return -1;
        }
    }
}

/* locals: 0 = n, 1 = d, 2 = count, 3 = limit. Counts the primes below
 * limit: for n in 2..limit { d = 2; while d*d <= n { if n % d == 0 goto next; d++ } count++; next: } */
static int32_t primes_code[128];

static void build_primes(void) {
    int i = 0;
    int32_t *c = primes_code;
#define E(x) c[i++] = (x)
    E(PUSH); E(2); E(STORE); E(0);                    /* n = 2 */
    int outer = i;
    E(LOAD); E(0); E(LOAD); E(3); E(LT); E(JZ); int exit_patch = i; E(0);
    E(PUSH); E(2); E(STORE); E(1);                    /* d = 2 */
    int inner = i;
    E(LOAD); E(1); E(LOAD); E(1); E(MUL); E(LOAD); E(0); E(LT);  /* d*d < n */
    E(LOAD); E(1); E(LOAD); E(1); E(MUL); E(LOAD); E(0); E(EQ);  /* d*d == n */
    E(ADD); E(JZ); int prime_patch = i; E(0);
    E(LOAD); E(0); E(LOAD); E(1); E(MOD); E(JZ); int next_patch = i; E(0);
    E(INC); E(1); E(1); E(JMP); E(inner);
    c[prime_patch] = i;
    E(INC); E(2); E(1);                               /* count++ */
    c[next_patch] = i;
    E(INC); E(0); E(1); E(JMP); E(outer);             /* n++ */
    c[exit_patch] = i;
    E(LOAD); E(2); E(HALT);
#undef E
}

/* locals: 0 = i, 1 = a, 2 = b, 3 = limit; t kept on the stack */
static int32_t fib_code[64];

static void build_fib(void) {
    int i = 0;
    int32_t *c = fib_code;
#define E(x) c[i++] = (x)
    E(PUSH); E(0); E(STORE); E(0); E(PUSH); E(0); E(STORE); E(1); E(PUSH); E(1); E(STORE); E(2);
    int loop = i;
    E(LOAD); E(0); E(LOAD); E(3); E(LT); E(JZ); int exit_patch = i; E(0);
    E(LOAD); E(1); E(LOAD); E(2); E(ADD); E(PUSH); E(1000003); E(MOD);  /* (a + b) % p */
    E(LOAD); E(2); E(STORE); E(1); E(STORE); E(2);                      /* a = b; b = t */
    E(INC); E(0); E(1); E(JMP); E(loop);
    c[exit_patch] = i;
    E(LOAD); E(1); E(HALT);
#undef E
}

unsigned long long run(void) {
    build_primes();
    build_fib();
    int32_t l1[4] = {0, 0, 0, 20000};
    int32_t count = exec(primes_code, l1);
    int32_t l2[4] = {0, 0, 0, 100000};
    int32_t f = exec(fib_code, l2);
    return mix((uint32_t)count, (uint32_t)f);
}

/* File-system work inside the directory named by argv[1] (a relative path;
 * under Weft it is a preopened directory). Prints what it sees at each step.
 * Only deterministic facts are printed: no timestamps, inodes, modes or
 * directory sizes. errno values are printed by name because the numbers
 * differ between Linux and WASI. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *dir;

static const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
#ifdef ENOTCAPABLE
    case ENOTCAPABLE: return "ENOTCAPABLE";
#endif
    default: return "E?";
    }
}

/* Path of NAME inside the work directory (static buffer, rotated). */
static const char *P(const char *name) {
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ & 3];
    if (name[0])
        snprintf(b, 512, "%s/%s", dir, name);
    else
        snprintf(b, 512, "%s", dir);
    return b;
}

#define CHECK(label, expr)                                                     \
    do {                                                                       \
        errno = 0;                                                             \
        long r_ = (long)(expr);                                                \
        int e_ = errno;                                                        \
        if (r_ < 0)                                                            \
            printf("%s -> %ld %s\n", label, r_, errname(e_));                  \
        else                                                                   \
            printf("%s -> %ld\n", label, r_);                                  \
    } while (0)

static void show_bytes(const char *label, const unsigned char *b, long n) {
    printf("%s [", label);
    for (long i = 0; i < n; i++) {
        if (b[i] >= 32 && b[i] < 127 && b[i] != '\\')
            putchar(b[i]);
        else
            printf("\\x%02x", b[i]);
    }
    printf("] (%ld bytes)\n", n);
}

static void read_at(int fd, off_t off, size_t len, const char *label) {
    unsigned char b[256];
    if (len > sizeof b)
        len = sizeof b;
    if (lseek(fd, off, SEEK_SET) != off) {
        printf("%s: lseek failed %s\n", label, errname(errno));
        return;
    }
    ssize_t n = read(fd, b, len);
    if (n < 0) {
        printf("%s: read failed %s\n", label, errname(errno));
        return;
    }
    show_bytes(label, b, n);
}

static void show_file(const char *name) {
    int fd = open(P(name), O_RDONLY);
    if (fd < 0) {
        printf("show %s: open failed %s\n", name, errname(errno));
        return;
    }
    char label[300];
    snprintf(label, sizeof label, "content of %s", name);
    read_at(fd, 0, 256, label);
    close(fd);
}

static void show_stat(const char *name) {
    struct stat st;
    if (stat(P(name), &st) != 0) {
        printf("stat %s: %s\n", name[0] ? name : ".", errname(errno));
        return;
    }
    if (S_ISDIR(st.st_mode))
        printf("stat %s: dir\n", name[0] ? name : ".");
    else if (S_ISREG(st.st_mode))
        printf("stat %s: regular size=%lld\n", name, (long long)st.st_size);
    else
        printf("stat %s: other\n", name);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists a directory (relative to the work dir), sorted, skipping . and ..
 * (whether readdir reports those is not something this test compares). */
static void list(const char *sub) {
    DIR *d = opendir(P(sub));
    const char *shown = sub[0] ? sub : ".";
    if (!d) {
        printf("list %s: opendir failed %s\n", shown, errname(errno));
        return;
    }
    char *names[64];
    int n = 0, type_mismatch = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char rel[512];
        snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", e->d_name);
        struct stat st;
        if (e->d_type != DT_UNKNOWN && stat(P(rel), &st) == 0) {
            int is_dir = S_ISDIR(st.st_mode), is_reg = S_ISREG(st.st_mode);
            if ((e->d_type == DT_DIR) != is_dir || (e->d_type == DT_REG) != is_reg)
                type_mismatch++;
        }
        if (n < 64)
            names[n++] = strdup(e->d_name);
    }
    if (errno != 0)
        printf("list %s: readdir error %s\n", shown, errname(errno));
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    printf("list %s: %d entries%s\n", shown, n,
           type_mismatch ? " (d_type MISMATCH)" : "");
    for (int i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s%s%s", sub, sub[0] ? "/" : "", names[i]);
        printf("  ");
        show_stat(rel);
        free(names[i]);
    }
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: files DIR\n");
        return 2;
    }
    dir = argv[1];
    int fd;
    struct stat st;

    printf("== start\n");
    show_stat("");
    list("");

    printf("== create and write\n");
    fd = open(P("a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    printf("open a.txt: %s\n", fd >= 0 ? "ok" : errname(errno));
    CHECK("write", write(fd, "hello, world\n", 13));
    CHECK("close", close(fd));
    show_stat("a.txt");
    show_file("a.txt");

    printf("== seek and read\n");
    fd = open(P("a.txt"), O_RDONLY);
    read_at(fd, 7, 5, "at 7");
    CHECK("lseek SEEK_END 0", lseek(fd, 0, SEEK_END));
    CHECK("lseek SEEK_END -6", lseek(fd, -6, SEEK_END));
    CHECK("lseek SEEK_CUR 2", lseek(fd, 2, SEEK_CUR));
    {
        char b[16];
        ssize_t n = read(fd, b, sizeof b);
        show_bytes("read after SEEK_CUR", (unsigned char *)b, n);
        n = read(fd, b, sizeof b);
        printf("read at eof -> %ld\n", (long)n);
    }
    CHECK("lseek negative", lseek(fd, -100, SEEK_SET));
    CHECK("write on O_RDONLY", write(fd, "x", 1));
    CHECK("close", close(fd));
    CHECK("read on closed fd", read(fd, &st, 1));

    printf("== holes, pread/pwrite, writev, ftruncate\n");
    fd = open(P("a.txt"), O_RDWR);
    CHECK("lseek past end", lseek(fd, 20, SEEK_SET));
    CHECK("write X", write(fd, "X", 1));
    CHECK("fstat", fstat(fd, &st));
    printf("size after hole write=%lld\n", (long long)st.st_size);
    read_at(fd, 10, 20, "hole region");
    CHECK("pwrite at 0", pwrite(fd, "HE", 2, 0));
    {
        char b[8] = {0};
        CHECK("pread at 0", pread(fd, b, 5, 0));
        show_bytes("pread", (unsigned char *)b, 5);
    }
    CHECK("position unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR));
    CHECK("ftruncate 5", ftruncate(fd, 5));
    CHECK("fstat", fstat(fd, &st));
    printf("size=%lld\n", (long long)st.st_size);
    CHECK("ftruncate 8", ftruncate(fd, 8));
    read_at(fd, 0, 100, "after truncate");
    {
        struct iovec iov[3] = {{"<", 1}, {"abc", 3}, {">\n", 2}};
        CHECK("lseek end", lseek(fd, 0, SEEK_END));
        CHECK("writev", writev(fd, iov, 3));
        char x[4], y[6];
        struct iovec riov[2] = {{x, 4}, {y, 6}};
        CHECK("lseek 0", lseek(fd, 0, SEEK_SET));
        CHECK("readv", readv(fd, riov, 2));
        show_bytes("readv part 1", (unsigned char *)x, 4);
        show_bytes("readv part 2", (unsigned char *)y, 6);
    }
    CHECK("close", close(fd));

    printf("== append mode\n");
    fd = open(P("a.txt"), O_WRONLY | O_APPEND);
    CHECK("lseek 0 (ignored for writes)", lseek(fd, 0, SEEK_SET));
    CHECK("write ++", write(fd, "++", 2));
    CHECK("close", close(fd));
    {
        FILE *f = fopen(P("a.txt"), "a");
        printf("fopen a: %s\n", f ? "ok" : errname(errno));
        fprintf(f, "line %d\n", 42);
        fclose(f);
    }
    show_file("a.txt");
    show_stat("a.txt");

    printf("== stdio\n");
    {
        FILE *f = fopen(P("lines.txt"), "w");
        for (int i = 1; i <= 5; i++)
            fprintf(f, "%d squared is %d\n", i, i * i);
        fclose(f);
        f = fopen(P("lines.txt"), "r");
        char line[128];
        int count = 0;
        while (fgets(line, sizeof line, f))
            count++;
        printf("fgets lines=%d ftell=%ld\n", count, ftell(f));
        fseek(f, -14, SEEK_END);
        if (fgets(line, sizeof line, f))
            printf("last bit: %s", line);
        rewind(f);
        int c = fgetc(f);
        printf("first char after rewind: %c\n", c);
        fclose(f);
    }

    printf("== big file\n");
    {
        enum { BIG = 300000 };
        unsigned char *b = malloc(BIG);
        for (int i = 0; i < BIG; i++)
            b[i] = (unsigned char)(i * 7 + (i >> 9));
        fd = open(P("big.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
        CHECK("write big", write(fd, b, BIG));
        memset(b, 0, BIG);
        CHECK("lseek 0", lseek(fd, 0, SEEK_SET));
        long total = 0;
        unsigned sum = 0;
        for (;;) {
            /* Odd-sized reads; the last one asks for more than is left. */
            size_t want = BIG - total < 65535 ? (size_t)(BIG - total) : 65535;
            char eof_probe;
            ssize_t n = want ? read(fd, b + total, want) : read(fd, &eof_probe, 1);
            if (n < 0)
                printf("read error %s\n", errname(errno));
            if (n <= 0)
                break;
            total += n;
        }
        for (int i = 0; i < BIG; i++)
            sum = sum * 31 + b[i];
        int ok = 1;
        for (int i = 0; i < BIG; i++)
            if (b[i] != (unsigned char)(i * 7 + (i >> 9)))
                ok = 0;
        printf("read back %ld bytes, sum %08x, %s\n", total, sum, ok ? "match" : "MISMATCH");
        close(fd);
        free(b);
    }
    show_stat("big.bin");

    printf("== rename\n");
    CHECK("rename a.txt b.txt", rename(P("a.txt"), P("b.txt")));
    show_stat("a.txt");
    show_stat("b.txt");
    CHECK("open a.txt", open(P("a.txt"), O_RDONLY));
    CHECK("rename missing", rename(P("nope.txt"), P("c.txt")));
    CHECK("rename lines.txt over b.txt", rename(P("lines.txt"), P("b.txt")));
    show_stat("b.txt");
    show_stat("lines.txt");
    CHECK("open O_CREAT|O_EXCL existing", open(P("b.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
    CHECK("open missing", open(P("missing.txt"), O_RDONLY));
    CHECK("open O_DIRECTORY on file", open(P("b.txt"), O_RDONLY | O_DIRECTORY));

    printf("== directories\n");
    CHECK("mkdir sub", mkdir(P("sub"), 0755));
    CHECK("mkdir sub again", mkdir(P("sub"), 0755));
    CHECK("mkdir sub/deeper", mkdir(P("sub/deeper"), 0755));
    fd = open(P("sub/inner.txt"), O_CREAT | O_WRONLY, 0644);
    CHECK("write inner", write(fd, "inner\n", 6));
    close(fd);
    CHECK("mkdir missing/x", mkdir(P("missing/x"), 0755));
    CHECK("rmdir non-empty sub", rmdir(P("sub")));
    CHECK("rmdir on a file", rmdir(P("b.txt")));
    CHECK("rename sub/inner.txt up", rename(P("sub/inner.txt"), P("inner2.txt")));
    list("");
    list("sub");
    list("b.txt");
    show_file("inner2.txt");
    CHECK("rmdir sub/deeper", rmdir(P("sub/deeper")));
    CHECK("rmdir sub", rmdir(P("sub")));
    show_stat("sub");
    CHECK("opendir missing", opendir(P("sub")) ? 0 : -1);

    printf("== unlink\n");
    CHECK("unlink b.txt", unlink(P("b.txt")));
    CHECK("unlink b.txt again", unlink(P("b.txt")));
    CHECK("unlink inner2.txt", unlink(P("inner2.txt")));
    {
        /* Unlinking an open file: the descriptor keeps working. */
        fd = open(P("big.bin"), O_RDONLY);
        CHECK("unlink open big.bin", unlink(P("big.bin")));
        char b[4];
        CHECK("read from unlinked file", read(fd, b, 4));
        CHECK("close", close(fd));
    }
    list("");
    printf("== done\n");
    return 0;
}

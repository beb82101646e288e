/* Sandbox escape attempts from inside the preopened directory argv[1].
 * Under Weft every attempt must print "refused". Natively (no sandbox) most
 * of them print "OPENED", which the test uses to check that the setup is
 * real. The test creates, beside the preopen:
 *   outside.txt, victim.txt     host files that must stay untouched
 * and inside the preopen:
 *   escape      -> ../outside.txt         (relative symlink leaving the dir)
 *   escape_abs  -> /abs/path/outside.txt  (absolute symlink)
 *   escape_dir  -> ..                      (symlink to the parent directory)
 *   dangling    -> ../created_via_link.txt (symlink to a file that does not exist)
 * Output lines have the form "<attempt>: refused" or "<attempt>: OPENED". */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static const char *P(const char *name) {
    static char bufs[4][512];
    static int k;
    char *b = bufs[k++ & 3];
    snprintf(b, 512, "%s/%s", dir, name);
    return b;
}

static void report(const char *what, int opened) {
    printf("%s: %s\n", what, opened ? "OPENED" : "refused");
    fflush(stdout);
}

static void try_open(const char *what, const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd >= 0) {
        if (flags & (O_WRONLY | O_RDWR)) {
            /* Would damage the host file if the sandbox were broken; the
             * test checks the file afterwards. */
            (void)!write(fd, "PWNED\n", 6);
        }
        close(fd);
    }
    report(what, fd >= 0);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: sandbox DIR\n");
        return 2;
    }
    dir = argv[1];
    struct stat st;

    try_open("read ../outside.txt", P("../outside.txt"), O_RDONLY);
    try_open("write ../outside.txt", P("../outside.txt"), O_WRONLY | O_APPEND);
    try_open("read /etc/passwd", "/etc/passwd", O_RDONLY);
    try_open("read symlink escape", P("escape"), O_RDONLY);
    try_open("write symlink escape", P("escape"), O_WRONLY | O_TRUNC);
    try_open("read symlink escape_abs", P("escape_abs"), O_RDONLY);
    try_open("read escape_dir/outside.txt", P("escape_dir/outside.txt"), O_RDONLY);
    try_open("create ../created.txt", P("../created.txt"), O_CREAT | O_WRONLY | O_EXCL);
    try_open("create escape_dir/created.txt", P("escape_dir/created.txt"), O_CREAT | O_WRONLY);
    try_open("create through dangling symlink", P("dangling"), O_CREAT | O_WRONLY);
    try_open("create ./../created.txt", P("./../created.txt"), O_CREAT | O_WRONLY);

    report("stat ../outside.txt", stat(P("../outside.txt"), &st) == 0);
    report("stat escape (follow)", stat(P("escape"), &st) == 0);

    DIR *d = opendir(P(".."));
    report("opendir ..", d != NULL);
    if (d)
        closedir(d);
    d = opendir(P("escape_dir"));
    report("opendir escape_dir", d != NULL);
    if (d)
        closedir(d);

    report("mkdir ../created_dir", mkdir(P("../created_dir"), 0755) == 0);
    int fd = open(P("inside.txt"), O_CREAT | O_WRONLY, 0644);
    if (fd >= 0)
        close(fd);
    report("rename inside.txt to ../created.txt",
           rename(P("inside.txt"), P("../created.txt")) == 0);
    report("link ../victim.txt inside", link(P("../victim.txt"), P("linked.txt")) == 0);
    report("symlink made_link -> /etc/passwd, then open",
           symlink("/etc/passwd", P("made_link")) == 0 &&
               open(P("made_link"), O_RDONLY) >= 0);
    report("symlink made_link2 -> ../victim.txt, then open",
           symlink("../victim.txt", P("made_link2")) == 0 &&
               open(P("made_link2"), O_RDONLY) >= 0);
    report("rename ../victim.txt inside",
           rename(P("../victim.txt"), P("stolen.txt")) == 0);
    report("unlink ../outside.txt", unlink(P("../outside.txt")) == 0);
    return 0;
}

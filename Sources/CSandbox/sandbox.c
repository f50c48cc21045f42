/*
 * Spawn shim for the Sandbox module.
 *
 * Process layout of one run:
 *
 *   caller (Swift)                       polls stdout/stderr/status pipes, enforces the wall clock
 *     └─ supervisor   clone(CLONE_NEWPID|CLONE_NEWNET)  → PID 1 of a fresh PID namespace
 *          └─ program setsid, rlimits, uid drop, chdir, Landlock, execve
 *
 * The supervisor exists so that the program is *not* PID 1: a namespace init
 * ignores default-action signals sent from inside (SIGXFSZ, SIGPIPE, abort()),
 * which would change how programs die. When the supervisor exits, the kernel
 * SIGKILLs every process left in the namespace, including daemons that
 * escaped the process group with setsid(). Without a PID namespace the
 * supervisor is a child subreaper and kills what is reparented to it.
 *
 * Both children are made with a raw clone syscall from a multithreaded
 * process, so between clone and execve only raw syscalls and async-signal-safe
 * libc calls are used: no malloc, no stdio, no glibc setuid (its cross-thread
 * broadcast would wait for threads that do not exist in the child).
 */
#define _GNU_SOURCE
#include "CSandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef __WALL
#define __WALL 0x40000000
#endif

/* Landlock ABI constants, spelled out so an old linux/landlock.h does not matter. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REFER (1ULL << 13)     /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define LL_NET_BIND_TCP (1ULL << 0)  /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LL_KNOWN_ABI 7

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

/* Fixed descriptor layout inside the supervisor and the program. */
enum { FD_STATUS = 3, FD_REPORT = 4, FD_RULESET = 5 };

/* Messages on the report pipe (program → caller) and status pipe (supervisor → caller). */
enum { MSG_APPLIED = 1, MSG_FAILED = 2, MSG_STARTED = 3, MSG_EXITED = 4 };

typedef struct {
    int32_t kind;
    int32_t stage;
    int32_t err;
    uint32_t held;
    int32_t landlock_errno;
    int32_t status;
    int32_t status_known;
    int32_t pad;
    int64_t pid;
    int64_t utime_us, stime_us, maxrss_kb;
} csb_msg;

/* Everything the children need, prepared before clone so they never allocate. */
struct plan {
    const csb_config *cfg;
    int stdin_fd, out_w, err_w, st_w, rep_w, ruleset_fd;
    int landlock_errno;
    pid_t parent_pid;
    unsigned long ns_flags;
    uint32_t ns_held;
};

/* ------------------------------------------------------------------------ */
/* Helpers that are safe after clone.                                        */

static pid_t raw_clone(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
}

static void send_msg(int fd, const csb_msg *m) {
    ssize_t r;
    do {
        r = write(fd, m, sizeof *m);
    } while (r < 0 && errno == EINTR);
}

static void close_from(int lowfd) {
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0) return;
    struct rlimit rl;
    long max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && (long)rl.rlim_max < max)
        max = (long)rl.rlim_max;
    for (long fd = lowfd; fd < max; fd++) close((int)fd);
}

static void reset_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        sigaction(s, &sa, NULL); /* glibc-internal signals fail with EINVAL; harmless */
    }
}

static char *fmt_u(char *dst, unsigned long v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < (int)sizeof tmp);
    while (n) *dst++ = tmp[--n];
    *dst = 0;
    return dst;
}

static long parse_l(const char **p) {
    const char *s = *p;
    long v = 0;
    int neg = 0;
    while (*s == ' ') s++;
    if (*s == '-') { neg = 1; s++; }
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    *p = s;
    return neg ? -v : v;
}

/* Reads ppid, pgrp and session from /proc/<pid>/stat; 0 on success. */
static int proc_stat_ids(int procfd, const char *pidname, long *ppid, long *pgrp, long *sid) {
    char path[64], buf[512];
    char *e = path;
    size_t n = strlen(pidname);
    if (n > 32) return -1;
    memcpy(e, pidname, n);
    memcpy(e + n, "/stat", 6);
    int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0) return -1;
    buf[r] = 0;
    /* comm may contain spaces and parentheses: parse after the last ')'. */
    char *close_paren = NULL;
    for (char *c = buf; *c; c++)
        if (*c == ')') close_paren = c;
    if (!close_paren || close_paren[1] != ' ') return -1;
    const char *q = close_paren + 2;
    while (*q && *q != ' ') q++; /* state */
    *ppid = parse_l(&q);
    *pgrp = parse_l(&q);
    *sid = parse_l(&q);
    return 0;
}

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

enum { MATCH_PARENT, MATCH_GROUP_OR_SESSION, MATCH_PIDNS };

/*
 * Walks /proc with getdents64 (no malloc, so it is usable in the supervisor)
 * and SIGKILLs every process that matches; returns how many matched.
 */
static int kill_matching(int how, long key, dev_t ns_dev, ino_t ns_ino) {
    int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (procfd < 0) return 0;
    char buf[4096];
    int count = 0;
    long self = (long)getpid();
    for (;;) {
        long nread = syscall(SYS_getdents64, procfd, buf, sizeof buf);
        if (nread <= 0) break;
        for (long off = 0; off < nread;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(void *)(buf + off);
            off += d->d_reclen;
            const char *name = d->d_name;
            if (name[0] < '1' || name[0] > '9') continue;
            const char *np = name;
            long pid = parse_l(&np);
            if (*np || pid == self) continue;
            int hit = 0;
            if (how == MATCH_PIDNS) {
                char path[64];
                char *e = fmt_u(path, (unsigned long)pid);
                memcpy(e, "/ns/pid", 8);
                struct stat st;
                hit = fstatat(procfd, path, &st, 0) == 0 && st.st_dev == ns_dev && st.st_ino == ns_ino;
            } else {
                long ppid, pgrp, sid;
                if (proc_stat_ids(procfd, name, &ppid, &pgrp, &sid) != 0) continue;
                hit = how == MATCH_PARENT ? ppid == key : (pgrp == key || sid == key);
            }
            if (hit) {
                count++;
                kill((pid_t)pid, SIGKILL);
            }
        }
    }
    close(procfd);
    return count;
}

/* ------------------------------------------------------------------------ */
/* The program: last steps before execve.                                   */

static void __attribute__((noreturn)) program_fail(int stage, int err, uint32_t held) {
    csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = MSG_FAILED;
    m.stage = stage;
    m.err = err;
    m.held = held;
    send_msg(FD_REPORT, &m);
    _exit(127);
}

static int set_limit(int resource, int64_t soft, int64_t hard) {
    struct rlimit rl;
    rl.rlim_cur = (rlim_t)soft;
    rl.rlim_max = (rlim_t)hard;
    return setrlimit(resource, &rl);
}

/*
 * Our resident size just before exec. This clone inherited the caller's
 * anonymous pages, and exec folds the old image's high-water mark into
 * ru_maxrss, so a ru_maxrss at or below this value says nothing about the
 * program itself.
 */
static int64_t resident_kb(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char buf[128];
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0) return 0;
    buf[r] = 0;
    const char *q = buf;
    parse_l(&q);               /* size */
    long pages = parse_l(&q);  /* resident */
    return (int64_t)pages * (getpagesize() / 1024);
}

static void __attribute__((noreturn)) run_program(const struct plan *p) {
    const csb_config *cfg = p->cfg;
    uint32_t held = p->ns_held;

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* New session = new process group and no controlling terminal (no /dev/tty, no TIOCSTI). */
    if (setsid() < 0) program_fail(CSB_STAGE_SESSION, errno, held);

    /* Soft CPU limit one second below the hard one, so the program first gets SIGXCPU. */
    if (set_limit(RLIMIT_CORE, 0, 0) != 0 ||
        set_limit(RLIMIT_CPU, cfg->cpu_seconds, cfg->cpu_seconds + 1) != 0 ||
        set_limit(RLIMIT_AS, cfg->as_bytes, cfg->as_bytes) != 0 ||
        set_limit(RLIMIT_FSIZE, cfg->fsize_bytes, cfg->fsize_bytes) != 0 ||
        set_limit(RLIMIT_NPROC, cfg->nproc, cfg->nproc) != 0 ||
        set_limit(RLIMIT_NOFILE, cfg->nofile, cfg->nofile) != 0)
        program_fail(CSB_STAGE_RLIMIT, errno, held);

    if (cfg->want & CSB_ISO_DROP) {
        uid_t uid = (uid_t)cfg->uid;
        gid_t gid = (gid_t)cfg->gid;
        if (syscall(SYS_setgroups, 0, NULL) != 0) program_fail(CSB_STAGE_DROP, errno, held);
        if (syscall(SYS_setresgid, gid, gid, gid) != 0) program_fail(CSB_STAGE_DROP, errno, held);
        if (syscall(SYS_setresuid, uid, uid, uid) != 0) program_fail(CSB_STAGE_DROP, errno, held);
        uid_t r = 0, e = 0, s = 0;
        if (syscall(SYS_getresuid, &r, &e, &s) != 0 || r != uid || e != uid || s != uid)
            program_fail(CSB_STAGE_DROP, EPERM, held);
        /* A failed drop must never run untrusted code as root, so prove it is irreversible. */
        if (uid != 0 && syscall(SYS_setresuid, 0, 0, 0) == 0) program_fail(CSB_STAGE_DROP, EPERM, held);
        held |= CSB_ISO_DROP;
    }

    /* After the drop, so a directory the sandbox user cannot enter fails here, not later. */
    if (chdir(cfg->workdir) != 0) program_fail(CSB_STAGE_CHDIR, errno, held);

    /* Also keeps setuid binaries (sudo, su) from regaining privileges. */
    int nnp_ok = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
    int ll_err = p->landlock_errno;
    if (p->ruleset_fd >= 0) {
        if (nnp_ok && syscall(SYS_landlock_restrict_self, FD_RULESET, 0) == 0)
            held |= CSB_ISO_LANDLOCK;
        else
            ll_err = errno ? errno : EPERM;
    }

    /* Set after the credential change, which clears it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);

    uint32_t missing = cfg->required & ~held;
    if (missing) {
        csb_msg m;
        memset(&m, 0, sizeof m);
        m.kind = MSG_FAILED;
        m.stage = CSB_STAGE_REQUIRED;
        m.err = (int32_t)missing;
        m.held = held;
        m.landlock_errno = ll_err;
        send_msg(FD_REPORT, &m);
        _exit(127);
    }

    csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = MSG_APPLIED;
    m.held = held;
    m.landlock_errno = ll_err;
    m.maxrss_kb = resident_kb();
    send_msg(FD_REPORT, &m);

    close(FD_STATUS);
    close_from(FD_RULESET); /* FD_REPORT stays: it is CLOEXEC and reports exec failure */
    execve(cfg->path, cfg->argv, cfg->envp);
    program_fail(CSB_STAGE_EXEC, errno, held);
}

/* ------------------------------------------------------------------------ */
/* The supervisor.                                                           */

static void reap_descendants(pid_t c) {
    /* Subreaper mode: orphans of the program are reparented to us; kill until none are left. */
    for (int round = 0; round < 20000; round++) {
        kill(-c, SIGKILL);
        kill_matching(MATCH_PARENT, (long)getpid(), 0, 0);
        int st;
        pid_t w;
        while ((w = wait4(-1, &st, WNOHANG | __WALL, NULL)) > 0) {
        }
        if (w < 0 && errno == ECHILD) return;
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void __attribute__((noreturn)) run_supervisor(struct plan *p) {
    /* Entered with all signals blocked (see csb_run). */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    /* In a PID namespace getppid() is 0, so the race check only works without one. */
    if (!(p->ns_flags & CLONE_NEWPID) && getppid() != p->parent_pid) _exit(126);
    reset_signals();

    /* Park the descriptors above 10 first so the dup2s below cannot clobber each other. */
    int in = fcntl(p->stdin_fd, F_DUPFD_CLOEXEC, 10);
    int ow = fcntl(p->out_w, F_DUPFD_CLOEXEC, 10);
    int ew = fcntl(p->err_w, F_DUPFD_CLOEXEC, 10);
    int sw = fcntl(p->st_w, F_DUPFD_CLOEXEC, 10);
    int rw = fcntl(p->rep_w, F_DUPFD_CLOEXEC, 10);
    int rs = p->ruleset_fd >= 0 ? fcntl(p->ruleset_fd, F_DUPFD_CLOEXEC, 10) : -1;
    if (in < 0 || ow < 0 || ew < 0 || sw < 0 || rw < 0 || (p->ruleset_fd >= 0 && rs < 0) ||
        dup2(in, 0) < 0 || dup2(ow, 1) < 0 || dup2(ew, 2) < 0 ||
        dup3(sw, FD_STATUS, O_CLOEXEC) < 0 || dup3(rw, FD_REPORT, O_CLOEXEC) < 0 ||
        (rs >= 0 && dup3(rs, FD_RULESET, O_CLOEXEC) < 0)) {
        csb_msg m;
        memset(&m, 0, sizeof m);
        m.kind = MSG_FAILED;
        m.stage = CSB_STAGE_SUPERVISOR;
        m.err = errno;
        send_msg(p->rep_w, &m);
        _exit(126);
    }
    close_from(rs >= 0 ? FD_RULESET + 1 : FD_RULESET);
    p->ruleset_fd = rs >= 0 ? FD_RULESET : -1;

    if (!(p->ns_flags & CLONE_NEWPID)) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    /* Blocked signals are queued even for a namespace init, and sigtimedwait has no handler races. */
    sigset_t waitset;
    sigemptyset(&waitset);
    sigaddset(&waitset, SIGCHLD);
    sigaddset(&waitset, SIGUSR1);
    sigprocmask(SIG_SETMASK, &waitset, NULL);

    pid_t c = raw_clone(SIGCHLD);
    if (c == 0) run_program(p);
    if (c < 0) {
        csb_msg m;
        memset(&m, 0, sizeof m);
        m.kind = MSG_FAILED;
        m.stage = CSB_STAGE_FORK;
        m.err = errno;
        send_msg(FD_REPORT, &m);
        _exit(126);
    }
    /* Keep no copy of the program's pipes, so EOF means the program's side is closed. */
    close(0);
    close(1);
    close(2);
    close(FD_REPORT);
    if (p->ruleset_fd >= 0) close(FD_RULESET);

    csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = MSG_STARTED;
    m.pid = c;
    send_msg(FD_STATUS, &m);

    int status = 0, known = 0, done = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    while (!done) {
        struct timespec ts = {1, 0};
        siginfo_t si;
        int s = sigtimedwait(&waitset, &si, &ts);
        if (s == SIGUSR1) {
            /* The caller's deadline passed: kill the program's group so we can still report its rusage. */
            kill(-c, SIGKILL);
            kill(c, SIGKILL);
        }
        /* Reap everything: orphans reparented to us must not pile up as zombies (they count for RLIMIT_NPROC). */
        for (;;) {
            int st;
            struct rusage r;
            pid_t w = wait4(-1, &st, WNOHANG | __WALL, &r);
            if (w == c) {
                status = st;
                ru = r;
                known = 1;
                done = 1;
            } else if (w < 0 && errno == EINTR) {
                continue;
            } else if (w <= 0) {
                if (w < 0 && errno == ECHILD) done = 1;
                break;
            }
        }
    }

    memset(&m, 0, sizeof m);
    m.kind = MSG_EXITED;
    m.pid = c;
    m.status = status;
    m.status_known = known;
    m.utime_us = (int64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec;
    m.stime_us = (int64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    m.maxrss_kb = ru.ru_maxrss;
    send_msg(FD_STATUS, &m);

    /* With a PID namespace our exit makes the kernel kill everything left in it. */
    if (!(p->ns_flags & CLONE_NEWPID)) reap_descendants(c);
    _exit(0);
}

/* ------------------------------------------------------------------------ */
/* Caller side.                                                              */

static double now_mono(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int landlock_abi_version(int *err) {
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    if (v < 0) {
        *err = errno;
        return 0;
    }
    return (int)v;
}

static int add_path_rule(int ruleset, const char *path, int open_flags, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC | open_flags);
    if (fd < 0) return -1;
    struct ll_path_beneath_attr pb;
    pb.allowed_access = access;
    pb.parent_fd = fd;
    long r = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0);
    int e = errno;
    close(fd);
    errno = e;
    return r == 0 ? 0 : -1;
}

/* Read+execute everywhere, everything beneath the work dir, read/write /dev/null. */
static int build_ruleset(const char *workdir, int allow_network, int *abi_out, int *net_out, int *err) {
    int abi = landlock_abi_version(err);
    *abi_out = 0;
    *net_out = 0;
    if (abi <= 0) return -1;
    if (abi > LL_KNOWN_ABI) abi = LL_KNOWN_ABI;

    uint64_t fs = (1ULL << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */
    if (abi >= 2) fs |= LL_FS_REFER;
    if (abi >= 3) fs |= LL_FS_TRUNCATE;
    if (abi >= 5) fs |= LL_FS_IOCTL_DEV;
    struct ll_ruleset_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.handled_access_fs = fs;
    size_t size = sizeof(uint64_t);
    if (abi >= 4) {
        if (!allow_network) attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_SIGNAL | (allow_network ? 0 : LL_SCOPE_ABSTRACT_UNIX);
        size = 3 * sizeof(uint64_t);
    }
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (rs < 0) {
        *err = errno;
        return -1;
    }
    uint64_t devnull = LL_FS_READ_FILE | LL_FS_WRITE_FILE;
    if (abi >= 3) devnull |= LL_FS_TRUNCATE; /* shells open /dev/null with O_TRUNC */
    if (abi >= 5) devnull |= LL_FS_IOCTL_DEV;
    if (add_path_rule(rs, "/", O_DIRECTORY, LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR) != 0 ||
        add_path_rule(rs, workdir, O_DIRECTORY | O_NOFOLLOW, fs) != 0 ||
        add_path_rule(rs, "/dev/null", 0, devnull) != 0) {
        *err = errno;
        close(rs);
        return -1;
    }
    *abi_out = abi;
    *net_out = attr.handled_access_net != 0;
    return rs;
}

static int make_stdin(const uint8_t *data, size_t len) {
    if (len == 0) return open("/dev/null", O_RDONLY | O_CLOEXEC);
    /* A sealed memfd instead of a pipe: no pump thread, no SIGPIPE, no deadlock on big inputs. */
    int fd = (int)syscall(SYS_memfd_create, "sandbox-stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    if (lseek(fd, 0, SEEK_SET) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

typedef struct {
    int fd;
    uint8_t *buf;
    size_t cap, len;
    uint64_t total;
} sink;

/* Reads a bounded amount per call so a firehose cannot starve the deadline check. */
static void drain(sink *s, int max_reads) {
    uint8_t scratch[65536];
    for (int i = 0; s->fd >= 0 && i < max_reads; i++) {
        size_t room = s->cap - s->len;
        ssize_t n = room > 0 ? read(s->fd, s->buf + s->len, room < sizeof scratch ? room : sizeof scratch)
                             : read(s->fd, scratch, sizeof scratch);
        if (n > 0) {
            if (room > 0) s->len += (size_t)n;
            s->total += (uint64_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close(s->fd);
        s->fd = -1;
    }
}

typedef struct {
    int fd;
    unsigned char bytes[sizeof(csb_msg) * 8];
    size_t len;
} msgbox;

static void read_msgs(msgbox *b) {
    while (b->fd >= 0) {
        if (b->len == sizeof b->bytes) { /* more messages than the protocol allows: stop listening */
            close(b->fd);
            b->fd = -1;
            return;
        }
        ssize_t n = read(b->fd, b->bytes + b->len, sizeof b->bytes - b->len);
        if (n > 0) {
            b->len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close(b->fd);
        b->fd = -1;
    }
}

static void set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void close_if(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* Namespace combinations to try, most isolated first. Root never uses a user
 * namespace: its files would still be owned by kuid 0 (see Sandbox.swift). */
static int clone_candidates(uint32_t want, int is_root, unsigned long *out) {
    unsigned long net = (want & CSB_ISO_NETNS) ? CLONE_NEWNET : 0;
    unsigned long pid = (want & CSB_ISO_PIDNS) ? CLONE_NEWPID : 0;
    unsigned long base[4] = {net | pid, pid, net, 0};
    int n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned long cand = (base[i] && !is_root) ? (base[i] | CLONE_NEWUSER) : base[i];
        int dup = 0;
        for (int k = 0; k < n; k++) dup |= out[k] == cand;
        if (!dup) out[n++] = cand;
    }
    return n;
}

int csb_run(const csb_config *cfg, csb_outcome *out) {
    memset(out, 0, sizeof *out);
    int out_p[2] = {-1, -1}, err_p[2] = {-1, -1}, st_p[2] = {-1, -1}, rep_p[2] = {-1, -1};
    int stdin_fd = -1, ruleset = -1, pidfd = -1;
    int is_root = geteuid() == 0;

    if (pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0 ||
        pipe2(st_p, O_CLOEXEC) != 0 || pipe2(rep_p, O_CLOEXEC) != 0) {
        out->failed_stage = CSB_STAGE_PIPES;
        out->failed_errno = errno;
        goto fail_early;
    }
    stdin_fd = make_stdin(cfg->stdin_data, cfg->stdin_len);
    if (stdin_fd < 0) {
        out->failed_stage = CSB_STAGE_STDIN;
        out->failed_errno = errno;
        goto fail_early;
    }
    if (cfg->want & CSB_ISO_LANDLOCK) {
        int e = 0;
        ruleset = build_ruleset(cfg->workdir, cfg->allow_network, &out->landlock_abi, &out->landlock_net, &e);
        if (ruleset < 0) out->landlock_errno = e ? e : ENOSYS;
    }

    struct plan p;
    memset(&p, 0, sizeof p);
    p.cfg = cfg;
    p.stdin_fd = stdin_fd;
    p.out_w = out_p[1];
    p.err_w = err_p[1];
    p.st_w = st_p[1];
    p.rep_w = rep_p[1];
    p.ruleset_fd = ruleset;
    p.landlock_errno = out->landlock_errno;
    p.parent_pid = getpid();

    unsigned long cands[8];
    int ncand = clone_candidates(cfg->want, is_root, cands);
    double start = now_mono();
    pid_t sup = -1;
    int netns_tried = 0, pidns_tried = 0;
    /* The supervisor starts with every signal blocked: none of the caller's handlers may run in it,
     * and a timeout SIGUSR1 sent before it is ready stays pending instead of being lost. */
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    for (int i = 0; i < ncand && sup < 0; i++) {
        p.ns_flags = cands[i];
        p.ns_held = ((cands[i] & CLONE_NEWNET) ? CSB_ISO_NETNS : 0) | ((cands[i] & CLONE_NEWPID) ? CSB_ISO_PIDNS : 0);
        sup = raw_clone(cands[i] | SIGCHLD);
        if (sup == 0) run_supervisor(&p);
        if (sup < 0) {
            int e = errno;
            if ((cands[i] & CLONE_NEWNET) && !netns_tried) { out->netns_errno = e; netns_tried = 1; }
            if ((cands[i] & CLONE_NEWPID) && !pidns_tried) { out->pidns_errno = e; pidns_tried = 1; }
        }
    }
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (sup < 0) {
        errno = clone_errno;
        out->failed_stage = CSB_STAGE_CLONE;
        out->failed_errno = errno;
        goto fail_early;
    }
    out->held = p.ns_held;
    if (out->held & CSB_ISO_NETNS) out->netns_errno = 0;
    if (out->held & CSB_ISO_PIDNS) out->pidns_errno = 0;
    if ((cfg->want & CSB_ISO_NETNS) && !(out->held & CSB_ISO_NETNS) && !out->netns_errno) out->netns_errno = EPERM;
    if ((cfg->want & CSB_ISO_PIDNS) && !(out->held & CSB_ISO_PIDNS) && !out->pidns_errno) out->pidns_errno = EPERM;
    int in_pidns = (p.ns_flags & CLONE_NEWPID) != 0;

    /* Remember the namespace so we can prove afterwards that nothing in it survived. */
    struct stat ns_st;
    int have_ns = 0;
    if (in_pidns) {
        char path[64];
        char *e = fmt_u(path + 6, (unsigned long)sup);
        memcpy(path, "/proc/", 6);
        memcpy(e, "/ns/pid", 8);
        have_ns = stat(path, &ns_st) == 0;
    }

    close_if(&out_p[1]);
    close_if(&err_p[1]);
    close_if(&st_p[1]);
    close_if(&rep_p[1]);
    close_if(&stdin_fd);
    close_if(&ruleset);

    sink so = {out_p[0], cfg->out_buf, cfg->out_cap, 0, 0};
    sink se = {err_p[0], cfg->err_buf, cfg->err_cap, 0, 0};
    out_p[0] = err_p[0] = -1;
    msgbox status_box, report_box;
    memset(&status_box, 0, sizeof status_box);
    memset(&report_box, 0, sizeof report_box);
    status_box.fd = st_p[0];
    report_box.fd = rep_p[0];
    st_p[0] = rep_p[0] = -1;
    set_nonblock(so.fd);
    set_nonblock(se.fd);
    set_nonblock(status_box.fd);
    set_nonblock(report_box.fd);
    pidfd = (int)syscall(SYS_pidfd_open, sup, 0);

    double wall = cfg->wall_seconds > 0 ? cfg->wall_seconds : 1;
    double deadline = start + wall, next_step = deadline;
    int kill_stage = 0, reaped = 0;
    pid_t program_pid = -1;
    while (!reaped) {
        struct pollfd fds[5];
        sink *sinks[5] = {0};
        msgbox *boxes[5] = {0};
        int n = 0, pid_slot = -1;
        if (so.fd >= 0) { fds[n].fd = so.fd; fds[n].events = POLLIN; sinks[n++] = &so; }
        if (se.fd >= 0) { fds[n].fd = se.fd; fds[n].events = POLLIN; sinks[n++] = &se; }
        if (status_box.fd >= 0) { fds[n].fd = status_box.fd; fds[n].events = POLLIN; boxes[n++] = &status_box; }
        if (report_box.fd >= 0) { fds[n].fd = report_box.fd; fds[n].events = POLLIN; boxes[n++] = &report_box; }
        if (pidfd >= 0) { fds[n].fd = pidfd; fds[n].events = POLLIN; pid_slot = n++; }
        double t = now_mono();
        double wait_s = next_step - t;
        if (pidfd < 0 && wait_s > 0.01) wait_s = 0.01; /* no pidfd: poll for the exit */
        int timeout_ms = wait_s <= 0 ? 0 : (int)(wait_s * 1000) + 1;
        int pr = poll(fds, (nfds_t)n, timeout_ms);
        if (pr < 0 && errno != EINTR) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (pr > 0) {
            for (int i = 0; i < n; i++) {
                if (!fds[i].revents) continue;
                if (sinks[i]) drain(sinks[i], 16);
                if (boxes[i]) read_msgs(boxes[i]);
            }
        }
        if (pidfd < 0 || (pid_slot >= 0 && pr > 0 && fds[pid_slot].revents)) {
            int st;
            pid_t w = wait4(sup, &st, WNOHANG | __WALL, NULL);
            if (w == sup || (w < 0 && errno == ECHILD)) reaped = 1;
        }
        if (program_pid < 0 && status_box.len >= sizeof(csb_msg)) {
            csb_msg m;
            memcpy(&m, status_box.bytes, sizeof m);
            if (m.kind == MSG_STARTED) program_pid = (pid_t)m.pid;
        }
        if (reaped) break;
        t = now_mono();
        if (t < next_step) continue;
        if (kill_stage == 0) {
            /* Ask the supervisor to kill the program so its rusage is still reported. */
            out->timed_out = 1;
            kill(sup, SIGUSR1);
            kill_stage = 1;
            next_step = t + 1.0;
        } else if (kill_stage == 1) {
            kill(sup, SIGKILL);
            if (!in_pidns && program_pid > 0) kill(-program_pid, SIGKILL);
            kill_stage = 2;
            next_step = t + 5.0;
        } else {
            out->supervisor_lost = 1;
            break;
        }
    }
    out->wall_seconds = now_mono() - start;

    /* Every writer is gone now (namespace torn down / descendants reaped): take what is buffered. */
    for (int i = 0; i < 64 && (so.fd >= 0 || se.fd >= 0); i++) {
        size_t before = (size_t)(so.total + se.total);
        drain(&so, 16);
        drain(&se, 16);
        if ((size_t)(so.total + se.total) == before) break;
    }
    read_msgs(&status_box);
    read_msgs(&report_box);
    close_if(&so.fd);
    close_if(&se.fd);
    close_if(&status_box.fd);
    close_if(&report_box.fd);
    close_if(&pidfd);
    out->out_len = so.len;
    out->err_len = se.len;
    out->out_total = so.total;
    out->err_total = se.total;

    for (size_t off = 0; off + sizeof(csb_msg) <= status_box.len; off += sizeof(csb_msg)) {
        csb_msg m;
        memcpy(&m, status_box.bytes + off, sizeof m);
        if (m.kind == MSG_STARTED && program_pid < 0) program_pid = (pid_t)m.pid;
        if (m.kind == MSG_EXITED && m.status_known) {
            out->have_status = 1;
            out->exited = WIFEXITED(m.status);
            out->exit_code = WIFEXITED(m.status) ? WEXITSTATUS(m.status) : 0;
            out->term_signal = WIFSIGNALED(m.status) ? WTERMSIG(m.status) : 0;
            out->user_seconds = (double)m.utime_us / 1e6;
            out->system_seconds = (double)m.stime_us / 1e6;
            out->max_rss_bytes = m.maxrss_kb * 1024;
        }
    }
    int applied = 0;
    for (size_t off = 0; off + sizeof(csb_msg) <= report_box.len; off += sizeof(csb_msg)) {
        csb_msg m;
        memcpy(&m, report_box.bytes + off, sizeof m);
        if (m.kind == MSG_APPLIED) {
            applied = 1;
            out->rss_baseline_bytes = m.maxrss_kb * 1024;
            out->held |= m.held;
            out->landlock_errno = m.landlock_errno;
        } else if (m.kind == MSG_FAILED && !out->failed_stage) {
            out->failed_stage = m.stage;
            out->failed_errno = m.stage == CSB_STAGE_REQUIRED ? 0 : m.err;
            if (m.stage == CSB_STAGE_REQUIRED) {
                out->missing = (uint32_t)m.err;
                out->landlock_errno = m.landlock_errno;
            }
            out->held |= m.held;
        }
    }
    if (!applied && !out->failed_stage && !out->timed_out && !out->supervisor_lost) {
        /* The supervisor died before the program reported anything. */
        out->failed_stage = CSB_STAGE_SUPERVISOR;
        out->failed_errno = ECHILD;
    }

    /* Prove nothing of the run is left; kill whatever is (should be nothing). */
    if (in_pidns && have_ns) out->leftover = kill_matching(MATCH_PIDNS, 0, ns_st.st_dev, ns_st.st_ino);
    if (!in_pidns && program_pid > 0) out->leftover = kill_matching(MATCH_GROUP_OR_SESSION, (long)program_pid, 0, 0);
    if (out->supervisor_lost) {
        kill(sup, SIGKILL);
        if (program_pid > 0 && !in_pidns) kill(-program_pid, SIGKILL);
    }
    return out->failed_stage ? -1 : 0;

fail_early:
    close_if(&out_p[0]);
    close_if(&out_p[1]);
    close_if(&err_p[0]);
    close_if(&err_p[1]);
    close_if(&st_p[0]);
    close_if(&st_p[1]);
    close_if(&rep_p[0]);
    close_if(&rep_p[1]);
    close_if(&stdin_fd);
    close_if(&ruleset);
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Capability probe.                                                         */

static int probe_clone(unsigned long flags, int *err) {
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t c = raw_clone(flags | SIGCHLD);
    if (c == 0) _exit(0);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    errno = e;
    if (c < 0) {
        *err = errno;
        return 0;
    }
    int st;
    while (waitpid(c, &st, __WALL) < 0 && errno == EINTR) {
    }
    return 1;
}

void csb_probe(csb_caps *caps) {
    memset(caps, 0, sizeof *caps);
    caps->is_root = geteuid() == 0;
    caps->landlock_abi = landlock_abi_version(&caps->landlock_errno);
    unsigned long user = caps->is_root ? 0 : CLONE_NEWUSER;
    caps->netns = probe_clone(CLONE_NEWNET | user, &caps->netns_errno);
    caps->pidns = probe_clone(CLONE_NEWPID | user, &caps->pidns_errno);
    caps->needs_userns = !caps->is_root && (caps->netns || caps->pidns);
    int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    caps->pidfd = fd >= 0;
    if (fd >= 0) close(fd);
}

/* ------------------------------------------------------------------------ */
/* Work directory handling (ordinary caller-side code).                      */

int csb_make_workdir(const char *base, int chown_to, uint32_t uid, uint32_t gid,
                     char *holder_out, size_t holder_cap, char *work_out, size_t work_cap) {
    int n = snprintf(holder_out, holder_cap, "%s/pipe-sandbox-XXXXXX", base);
    if (n < 0 || (size_t)n >= holder_cap) return -ENAMETOOLONG;
    if (!mkdtemp(holder_out)) return -errno;
    /* Holder stays owned by us and 0711: the sandbox user can reach its dir but never rename it away. */
    int e = 0;
    if (chmod(holder_out, 0711) != 0) e = errno;
    n = snprintf(work_out, work_cap, "%s/work", holder_out);
    if (!e && (n < 0 || (size_t)n >= work_cap)) e = ENAMETOOLONG;
    if (!e && mkdir(work_out, 0700) != 0) e = errno;
    if (!e && chown_to && chown(work_out, (uid_t)uid, (gid_t)gid) != 0) e = errno;
    if (e) {
        csb_remove_tree(holder_out);
        return -e;
    }
    return 0;
}

/*
 * openat that, after the run, undoes a program's chmod 000 on its own files.
 * Only needed without root (root bypasses modes); the program ran as the
 * same uid then, so the entries are ours. lstat first: never chmod via a link.
 */
static int openat_fixing(int dirfd, const char *name, int flags) {
    int fd = openat(dirfd, name, flags);
    if (fd >= 0 || errno != EACCES) return fd;
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != geteuid()) {
        errno = EACCES;
        return -1;
    }
    if (S_ISDIR(st.st_mode)) fchmodat(dirfd, name, (st.st_mode & 07777) | 0700, 0);
    else if (S_ISREG(st.st_mode)) fchmodat(dirfd, name, (st.st_mode & 07777) | 0600, 0);
    return openat(dirfd, name, flags);
}

/* Opens the directory containing the last component of rel, walking without following symlinks. */
static int open_parent_nofollow(const char *workdir, const char *rel, int create, int chown_to,
                                uint32_t uid, uint32_t gid, char *leaf, size_t leaf_cap) {
    char buf[PATH_MAX];
    size_t len = strlen(rel);
    if (len == 0 || len >= sizeof buf) return -ENAMETOOLONG;
    memcpy(buf, rel, len + 1);
    int dfd = openat_fixing(AT_FDCWD, workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return -errno;
    char *save = NULL;
    char *comp = strtok_r(buf, "/", &save);
    while (comp) {
        char *next = strtok_r(NULL, "/", &save);
        if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0) {
            close(dfd);
            return -EINVAL;
        }
        if (!next) {
            if (strlen(comp) >= leaf_cap) {
                close(dfd);
                return -ENAMETOOLONG;
            }
            strcpy(leaf, comp);
            return dfd;
        }
        if (create && mkdirat(dfd, comp, 0755) == 0 && chown_to)
            fchownat(dfd, comp, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW);
        int sub = openat_fixing(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(dfd);
        if (sub < 0) return -e;
        dfd = sub;
        comp = next;
    }
    close(dfd);
    return -EINVAL;
}

int csb_put_file(const char *workdir, const char *rel, const uint8_t *data, size_t len,
                 uint32_t mode, int chown_to, uint32_t uid, uint32_t gid) {
    char leaf[NAME_MAX + 1];
    int dfd = open_parent_nofollow(workdir, rel, 1, chown_to, uid, gid, leaf, sizeof leaf);
    if (dfd < 0) return dfd;
    int fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    int e = errno;
    close(dfd);
    if (fd < 0) return -e;
    size_t off = 0;
    int rc = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            rc = -(errno ? errno : EIO);
            break;
        }
        off += (size_t)w;
    }
    if (!rc && fchmod(fd, (mode_t)mode) != 0) rc = -errno; /* not subject to umask */
    if (!rc && chown_to && fchown(fd, (uid_t)uid, (gid_t)gid) != 0) rc = -errno;
    close(fd);
    return rc;
}

int csb_read_file(const char *workdir, const char *rel, size_t cap,
                  uint8_t **data, size_t *len, int *truncated) {
    *data = NULL;
    *len = 0;
    *truncated = 0;
    char leaf[NAME_MAX + 1];
    int dfd = open_parent_nofollow(workdir, rel, 0, 0, 0, 0, leaf, sizeof leaf);
    if (dfd < 0) return dfd;
    /* O_NONBLOCK: a planted FIFO must not hang us; it is rejected by the S_ISREG check. */
    int fd = openat_fixing(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int e = errno;
    close(dfd);
    if (fd < 0) return -e;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    size_t want = (size_t)st.st_size < cap ? (size_t)st.st_size : cap;
    uint8_t *buf = malloc(want ? want : 1);
    if (!buf) {
        close(fd);
        return -ENOMEM;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    *truncated = (size_t)st.st_size > cap;
    close(fd);
    *data = buf;
    *len = got;
    return 0;
}

/* Removes the subdirectory of dirfd whose inode is (dev, ino). */
static int remove_dir_by_inode(int dirfd, dev_t dev, ino_t ino) {
    int dup_fd = dup(dirfd);
    if (dup_fd < 0) return -errno;
    DIR *d = fdopendir(dup_fd);
    if (!d) {
        int e = errno;
        close(dup_fd);
        return -e;
    }
    rewinddir(d);
    int rc = -ENOENT;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        struct stat st;
        if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (st.st_dev == dev && st.st_ino == ino) {
            rc = unlinkat(dirfd, e->d_name, AT_REMOVEDIR) == 0 ? 0 : -errno;
            break;
        }
    }
    closedir(d);
    return rc;
}

/*
 * Iterative depth-first removal holding one directory fd at a time, so a
 * program that nests directories 100k deep exhausts neither our stack nor
 * our descriptors. Only runs after every process of the run is dead, so the
 * tree is static and ".." of a subdirectory is its parent inside the tree.
 */
int csb_remove_tree(const char *path) {
    int cur = openat_fixing(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cur < 0) {
        if (errno == ENOENT) return 0;
        if (errno == ENOTDIR || errno == ELOOP) return unlink(path) == 0 ? 0 : -errno;
        return -errno;
    }
    struct stat root;
    if (fstat(cur, &root) != 0) {
        int e = errno;
        close(cur);
        return -e;
    }
    int rc = 0;
    for (;;) {
        fchmod(cur, 0700); /* a 0500 directory (ours, without root) would refuse the unlinks */
        int dup_fd = dup(cur);
        DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
        if (!d) {
            rc = -(errno ? errno : EBADF);
            if (dup_fd >= 0) close(dup_fd);
            break;
        }
        rewinddir(d); /* the dup shares its offset with cur, which an earlier scan may have moved */
        int descended = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            const char *name = e->d_name;
            if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
            if (unlinkat(cur, name, 0) == 0) continue;
            if (errno != EISDIR && errno != EPERM) {
                if (!rc) rc = -errno;
                continue;
            }
            if (unlinkat(cur, name, AT_REMOVEDIR) == 0) continue;
            int sub = openat_fixing(cur, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0) {
                if (!rc) rc = -errno;
                continue;
            }
            close(cur);
            cur = sub;
            descended = 1;
            break;
        }
        closedir(d);
        if (descended) continue;

        struct stat cs;
        if (fstat(cur, &cs) != 0) {
            rc = -errno;
            break;
        }
        if (cs.st_dev == root.st_dev && cs.st_ino == root.st_ino) break;
        int up = openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (up < 0) {
            rc = -errno;
            break;
        }
        close(cur);
        cur = up;
        int r = remove_dir_by_inode(cur, cs.st_dev, cs.st_ino);
        if (r != 0) { /* cannot empty it: stop rather than descend into it forever */
            rc = r;
            break;
        }
    }
    close(cur);
    if (rc == 0 && rmdir(path) != 0) rc = -errno;
    return rc;
}

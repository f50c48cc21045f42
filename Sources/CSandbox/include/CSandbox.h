/*
 * CSandbox: the process-spawning half of the Sandbox module.
 *
 * Everything that must happen between fork and exec (limits, namespaces,
 * Landlock, the uid drop) lives in sandbox.c, because Swift cannot run code
 * safely in a forked child of a multithreaded process.
 */
#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <stddef.h>
#include <stdint.h>

/* Isolation mechanisms; the same bits are used for "wanted" and "held". */
enum {
    CSB_ISO_NETNS = 1u << 0,    /* private network namespace (no interfaces up) */
    CSB_ISO_PIDNS = 1u << 1,    /* private PID namespace with a supervisor as PID 1 */
    CSB_ISO_LANDLOCK = 1u << 2, /* writes confined to the work dir (+TCP, signal scoping by ABI) */
    CSB_ISO_DROP = 1u << 3,     /* switched from root to an unprivileged uid/gid */
};

/* Where a setup failure happened (csb_outcome.failed_stage). */
enum {
    CSB_STAGE_NONE = 0,
    CSB_STAGE_PIPES,
    CSB_STAGE_STDIN,
    CSB_STAGE_CLONE,
    CSB_STAGE_SUPERVISOR,
    CSB_STAGE_FORK,
    CSB_STAGE_SESSION,
    CSB_STAGE_RLIMIT,
    CSB_STAGE_DROP,
    CSB_STAGE_CHDIR,
    CSB_STAGE_REQUIRED,
    CSB_STAGE_EXEC,
};

typedef struct {
    const char *path;         /* executable passed to execve */
    char *const *argv;        /* NULL-terminated */
    char *const *envp;        /* NULL-terminated */
    const char *workdir;      /* existing directory the child chdirs into */
    const uint8_t *stdin_data;
    size_t stdin_len;
    double wall_seconds;
    int64_t cpu_seconds, as_bytes, fsize_bytes, nproc, nofile;
    uint32_t uid, gid;        /* used when want has CSB_ISO_DROP */
    uint32_t want;            /* CSB_ISO_* to attempt */
    uint32_t required;        /* CSB_ISO_* whose absence is a setup failure */
    int allow_network;        /* also decides whether Landlock handles TCP */
    uint8_t *out_buf;         /* capacity out_cap, filled with captured stdout */
    size_t out_cap;
    uint8_t *err_buf;
    size_t err_cap;
} csb_config;

typedef struct {
    int failed_stage;         /* CSB_STAGE_*; nonzero means the program never ran */
    int failed_errno;
    uint32_t held;            /* CSB_ISO_* that were actually in force at exec */
    uint32_t missing;         /* required & ~held, when failed_stage == CSB_STAGE_REQUIRED */
    int landlock_abi;         /* ABI the ruleset was built for, 0 when none */
    int landlock_net;         /* 1 when the ruleset also denies TCP bind/connect */
    int landlock_errno, netns_errno, pidns_errno;
    int have_status;          /* the program's wait status is known */
    int exited, exit_code, term_signal;
    int timed_out;            /* the wall-clock deadline passed and the run was killed */
    int supervisor_lost;      /* the supervisor could not be reaped in time */
    double wall_seconds, user_seconds, system_seconds;
    int64_t max_rss_bytes;    /* ru_maxrss of the program; includes the pre-exec image (see rss_baseline_bytes) */
    int64_t rss_baseline_bytes; /* resident size of the program's process just before execve */
    size_t out_len, err_len;
    uint64_t out_total, err_total;
    int leftover;             /* processes of the run found (and killed) after it ended */
} csb_outcome;

typedef struct {
    int landlock_abi, landlock_errno;
    int netns, pidns, needs_userns;   /* namespaces usable (possibly only via a user namespace) */
    int netns_errno, pidns_errno;
    int is_root;
    int pidfd;
} csb_caps;

/* Runs one program; returns 0, or -1 with out->failed_stage set. Never forks in the caller's thread beyond the supervisor. */
int csb_run(const csb_config *cfg, csb_outcome *out);

/* Probes this machine (spawns and reaps trivial namespace children). */
void csb_probe(csb_caps *caps);

/* mkdtemp "<base>/pipe-sandbox-XXXXXX" (root-owned, 0711) with "work" (0700, owned by uid/gid when chown_to). 0 or -errno. */
int csb_make_workdir(const char *base, int chown_to, uint32_t uid, uint32_t gid,
                     char *holder_out, size_t holder_cap, char *work_out, size_t work_cap);

/* Creates workdir/rel (parents included) without following symlinks. 0 or -errno. */
int csb_put_file(const char *workdir, const char *rel, const uint8_t *data, size_t len,
                 uint32_t mode, int chown_to, uint32_t uid, uint32_t gid);

/* Reads a regular file workdir/rel without following any symlink; *data is malloc'ed. 0 or -errno. */
int csb_read_file(const char *workdir, const char *rel, size_t cap,
                  uint8_t **data, size_t *len, int *truncated);

/* Removes path recursively; never follows symlinks, fixes modes on the way. 0 or -errno. */
int csb_remove_tree(const char *path);

#endif

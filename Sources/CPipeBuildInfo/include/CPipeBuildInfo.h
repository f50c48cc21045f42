#ifndef CPIPEBUILDINFO_H
#define CPIPEBUILDINFO_H
/// The git commit pipe was built from, or "" when it was not built from a checkout through make.
const char *pipe_build_commit(void);
/// The commit time of that commit in seconds since the epoch, or -1 when unknown.
long long pipe_build_commit_time(void);
#endif

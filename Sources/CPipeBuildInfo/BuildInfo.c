#include "CPipeBuildInfo.h"

/* The Makefile writes build_info.h (git-ignored) with the commit of the checkout; a build without
   it, such as a plain `swift build` outside git, reports no commit. */
#if __has_include("build_info.h")
#include "build_info.h"
#endif

#ifndef PIPE_GIT_COMMIT
#define PIPE_GIT_COMMIT ""
#endif
#ifndef PIPE_GIT_COMMIT_TIME
#define PIPE_GIT_COMMIT_TIME -1
#endif

const char *pipe_build_commit(void) { return PIPE_GIT_COMMIT; }
long long pipe_build_commit_time(void) { return PIPE_GIT_COMMIT_TIME; }

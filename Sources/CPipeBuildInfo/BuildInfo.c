#include "CPipeBuildInfo.h"

#ifndef PIPE_GIT_COMMIT
#define PIPE_GIT_COMMIT ""
#endif
#ifndef PIPE_GIT_COMMIT_TIME
#define PIPE_GIT_COMMIT_TIME -1
#endif

const char *pipe_build_commit(void) { return PIPE_GIT_COMMIT; }
long long pipe_build_commit_time(void) { return PIPE_GIT_COMMIT_TIME; }

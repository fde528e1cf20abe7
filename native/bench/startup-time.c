/* Times one whole process, fork to exit, for the start-up benchmark.
 *   startup-time CMD [ARGS...]
 * Prints "wall_ms W cpu_ms C": the wall-clock time from just before posix_spawn to the child's
 * exit as wait4 reports it, and the child's user + system CPU time (all its threads).
 * Exits with the child's status (128 + signal if a signal ended it). */
#include "bench-common.h"
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc < 2) die("usage: startup-time CMD [ARGS...]");
  pid_t pid;
  int status;
  struct rusage ru;
  uint64_t start = now_ns();
  int err = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);
  if (err != 0) { errno = err; die_errno("posix_spawnp %s", argv[1]); }
  if (wait4(pid, &status, 0, &ru) < 0) die_errno("wait4");
  uint64_t end = now_ns();
  double cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  printf("wall_ms %.2f cpu_ms %.2f\n", (end - start) / 1e6, cpu_ms);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

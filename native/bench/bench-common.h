/* Small helpers shared by the C contenders of the benchmarks (native/bench/).
 * Every program prints its results as machine-readable lines "NAME METRIC VALUE",
 * one line per round, which benchmarks/Report.java reads. */
#ifndef PSOCK_BENCH_COMMON_H
#define PSOCK_BENCH_COMMON_H
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sched.h>
#include <sys/resource.h>

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Prints "prog: message" and exits 1; die_errno appends ": strerror(errno)". */
__attribute__((noreturn))
static void vdie(int err, const char *fmt, va_list ap) {
  fprintf(stderr, "%s: ", program_invocation_short_name);
  vfprintf(stderr, fmt, ap);
  if (err != 0) fprintf(stderr, ": %s", strerror(err));
  fputc('\n', stderr);
  exit(1);
}

__attribute__((noreturn, format(printf, 1, 2), unused))
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdie(0, fmt, ap);
}

__attribute__((noreturn, format(printf, 1, 2), unused))
static void die_errno(const char *fmt, ...) {
  int err = errno;
  va_list ap;
  va_start(ap, fmt);
  vdie(err, fmt, ap);
}

/* The number after "-x" in argv, or fallback. Options are "-x VALUE" pairs. */
__attribute__((unused))
static double opt_num(int argc, char **argv, const char *name, double fallback) {
  for (int i = 1; i + 1 < argc; i++) {
    if (strcmp(argv[i], name) == 0) {
      char *end;
      errno = 0;
      double v = strtod(argv[i + 1], &end);
      if (errno != 0 || *end != '\0' || end == argv[i + 1]) {
        die("bad number for %s: %s", name, argv[i + 1]);
      }
      return v;
    }
  }
  return fallback;
}

/* Servers and the load generator hold more than 1,000 descriptors: raise the soft limit. */
__attribute__((unused))
static void raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) perror("setrlimit(RLIMIT_NOFILE)");
  }
}

/* Pins the calling thread (and the threads it creates afterwards) to one CPU; cpu < 0: no-op. */
__attribute__((unused))
static void pin_to_cpu(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) die_errno("sched_setaffinity(CPU %d)", cpu);
}

#endif

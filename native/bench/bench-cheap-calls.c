/* bench-cheap-calls: the C loop for the per-call cost of cheap calls that keep errno.
 *
 *   bench-cheap-calls [-w WARMUP_S] [-r ROUNDS] [-t ROUND_S] [NAME...]
 *
 * NAME is one of getsockopt_so_type, fcntl_f_getfl, close_ebadf (default: all three).
 * For each loop: WARMUP_S seconds of warm-up (default 3), then ROUNDS rounds (default 15)
 * of ROUND_S seconds each (default 1), timed with clock_gettime(CLOCK_MONOTONIC).
 * The defaults mirror the JMH side (3 forks x 5 measurement iterations of 1 s, after 3 s of
 * warm-up). One line per round:   getsockopt_so_type ns_per_op 12.34
 *
 * Each loop does what the Java contenders do per call: the call, then errno is read
 * (the facade captures errno after every call), and the results are consumed so that
 * nothing is optimised away. */
#include "bench-common.h"
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#define BATCH 10000 /* calls between two clock reads */

static int udp_fd = -1;
static volatile long sink; /* the loops' results end up here, once per batch */

/* One batch of each loop; returns a value derived from every call's result and errno. */

static long batch_getsockopt_so_type(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    int type = 0;
    socklen_t len = sizeof type;
    int rc = getsockopt(udp_fd, SOL_SOCKET, SO_TYPE, &type, &len);
    acc += rc + errno + type + (long)len;
  }
  return acc;
}

static long batch_fcntl_f_getfl(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    int flags = fcntl(udp_fd, F_GETFL);
    acc += flags + errno;
  }
  return acc;
}

static long batch_close_ebadf(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    int rc = close(-1);
    if (rc != -1 || errno != EBADF) die("close(-1) = %d, errno %d: expected -1 EBADF", rc, errno);
    acc += errno;
  }
  return acc;
}

struct loop {
  const char *name;
  long (*batch)(void);
};

static const struct loop loops[] = {
  {"getsockopt_so_type", batch_getsockopt_so_type},
  {"fcntl_f_getfl", batch_fcntl_f_getfl},
  {"close_ebadf", batch_close_ebadf},
};
#define NLOOPS (sizeof loops / sizeof loops[0])

/* Runs batches for at least `seconds`; returns ns per call. */
static double run_for(const struct loop *l, double seconds) {
  uint64_t limit = (uint64_t)(seconds * 1e9), start = now_ns(), elapsed;
  long calls = 0;
  do {
    sink += l->batch();
    calls += BATCH;
    elapsed = now_ns() - start;
  } while (elapsed < limit);
  return (double)elapsed / (double)calls;
}

int main(int argc, char **argv) {
  double warmup = opt_num(argc, argv, "-w", 3), round_s = opt_num(argc, argv, "-t", 1);
  int rounds = (int)opt_num(argc, argv, "-r", 15);
  if (rounds < 1 || round_s <= 0 || warmup < 0) die("bad -r/-t/-w");

  udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (udp_fd < 0) die_errno("socket(AF_INET, SOCK_DGRAM)");
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(udp_fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_DGRAM)
    die_errno("getsockopt(SO_TYPE) did not say SOCK_DGRAM");

  int wanted[NLOOPS] = {0}, any = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') { i++; continue; } /* an option and its value */
    size_t k;
    for (k = 0; k < NLOOPS && strcmp(argv[i], loops[k].name) != 0; k++) {}
    if (k == NLOOPS) die("unknown loop %s (getsockopt_so_type, fcntl_f_getfl, close_ebadf)", argv[i]);
    wanted[k] = any = 1;
  }

  printf("# bench-cheap-calls: %d rounds of %.2f s after %.2f s warm-up\n", rounds, round_s, warmup);
  for (size_t k = 0; k < NLOOPS; k++) {
    if (any && !wanted[k]) continue;
    if (warmup > 0) run_for(&loops[k], warmup);
    for (int r = 0; r < rounds; r++) {
      printf("%s ns_per_op %.3f\n", loops[k].name, run_for(&loops[k], round_s));
      fflush(stdout);
    }
  }
  close(udp_fd);
  return 0;
}

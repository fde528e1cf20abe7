/* bench-cheap-calls: the C loop for the per-call cost of cheap calls that keep errno.
 *
 *   bench-cheap-calls [-w WARMUP_S] [-r ROUNDS] [-t ROUND_S] [NAME...]
 *
 * NAME is one of getsockopt_so_type, fcntl_f_getfl, close_ebadf, and the non-blocking calls
 * that find nothing to do: accept_eagain, read_eagain, write_eagain, sendto_eagain,
 * recvfrom_eagain, epoll_wait_empty (default: all nine).
 * For each loop: WARMUP_S seconds of warm-up (default 3), then ROUNDS rounds (default 15)
 * of ROUND_S seconds each (default 1), timed with clock_gettime(CLOCK_MONOTONIC).
 * The defaults mirror the JMH side (3 forks x 5 measurement iterations of 1 s, after 3 s of
 * warm-up). One line per round:   getsockopt_so_type ns_per_op 12.34
 *
 * Each loop does what the Java contenders do per call: the call, then errno is read
 * (the facade captures errno after every call), and the results are consumed so that
 * nothing is optimised away. The EAGAIN loops check every call's -1 EAGAIN (epoll_wait: 0)
 * and stop the program otherwise; their sockets (all non-blocking, 127.0.0.1 or an abstract
 * AF_UNIX name) are made by open_eagain_sockets below, as the Java side's EagainSockets does:
 *   accept_eagain     accept(listener, &sin, &len), len = sizeof sin, no connection pending
 *   read_eagain       read(tcp, buf, 64) on a connected TCP socket nothing was sent to
 *   write_eagain      write(stream, buf, 64) on an AF_UNIX stream socket whose peer reads nothing, full
 *   sendto_eagain     sendto(unix_tx, buf, 64, 0, &sun, sun_len) to an AF_UNIX datagram socket whose
 *                     receive queue is full (it reads nothing)
 *   recvfrom_eagain   recvfrom(udp, buf, 64, 0, &sin, &len), len = sizeof sin, on an empty bound UDP socket
 *   epoll_wait_empty  epoll_wait(epfd, events, 64, 0) with the empty UDP socket registered for EPOLLIN: 0 */
#include "bench-common.h"
#include <fcntl.h>
#include <unistd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#define BATCH 10000 /* calls between two clock reads */

static int udp_fd = -1;
static volatile long sink; /* the loops' results end up here, once per batch */

/* The EAGAIN loops' sockets (see the top comment). */
static int listener = -1, tcp = -1, tcp_peer = -1, stream_tx = -1, stream_rx = -1, udp = -1, unix_rx = -1, unix_tx = -1, epfd = -1;
static struct sockaddr_un unix_rx_addr;
static socklen_t unix_rx_len;
static char buf[64];
static struct epoll_event events[64];

/* -1 with EAGAIN, or the program stops: the loops measure that path and no other. */
static inline void expect_eagain(const char *call, long rc) {
  if (rc != -1 || errno != EAGAIN) die("%s = %ld, errno %d: expected -1 EAGAIN", call, rc, errno);
}

static void open_eagain_sockets(void) {
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sin;
  listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(listener, 16) != 0
      || getsockname(listener, (struct sockaddr *)&sin, &len) != 0) die_errno("listener");
  tcp = socket(AF_INET, SOCK_STREAM, 0);
  if (tcp < 0 || connect(tcp, (struct sockaddr *)&sin, sizeof sin) != 0) die_errno("connect");
  for (int i = 0; i < 1000 && tcp_peer < 0; i++) {
    tcp_peer = accept(listener, NULL, NULL);
    if (tcp_peer < 0 && errno != EAGAIN) die_errno("accept");
    if (tcp_peer < 0) usleep(1000);
  }
  if (tcp_peer < 0) die("accept: no connection after 1 s");
  if (fcntl(tcp, F_SETFL, O_NONBLOCK) != 0) die_errno("fcntl(O_NONBLOCK)");

  /* write's full socket is an AF_UNIX stream pair whose reader reads nothing: a TCP send buffer does
   * not stay full over loopback (the receiver's queue is collapsed and the window reopens now and then) */
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair) != 0) die_errno("socketpair");
  stream_tx = pair[0], stream_rx = pair[1];
  while (write(stream_tx, buf, sizeof buf) > 0) {}
  if (errno != EAGAIN) die_errno("filling the AF_UNIX stream");

  udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  sin.sin_port = 0;
  if (udp < 0 || bind(udp, (struct sockaddr *)&sin, sizeof sin) != 0) die_errno("udp");

  /* the receiver gets an abstract name from the kernel (autobind): nothing in the file system */
  unix_rx = socket(AF_UNIX, SOCK_DGRAM, 0);
  sa_family_t family = AF_UNIX;
  unix_rx_len = sizeof unix_rx_addr;
  if (unix_rx < 0 || bind(unix_rx, (struct sockaddr *)&family, sizeof family) != 0
      || getsockname(unix_rx, (struct sockaddr *)&unix_rx_addr, &unix_rx_len) != 0) die_errno("unix receiver");
  unix_tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (unix_tx < 0) die_errno("unix sender");
  while (sendto(unix_tx, buf, sizeof buf, 0, (struct sockaddr *)&unix_rx_addr, unix_rx_len) > 0) {}
  if (errno != EAGAIN) die_errno("filling the AF_UNIX receiver");

  epfd = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = udp};
  if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, udp, &ev) != 0) die_errno("epoll");
}

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

static long batch_accept_eagain(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    int rc = accept(listener, (struct sockaddr *)&sin, &len);
    expect_eagain("accept", rc);
    acc += errno + (long)len;
  }
  return acc;
}

static long batch_read_eagain(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    ssize_t rc = read(tcp, buf, sizeof buf);
    expect_eagain("read", rc);
    acc += errno;
  }
  return acc;
}

static long batch_write_eagain(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    ssize_t rc = write(stream_tx, buf, sizeof buf);
    expect_eagain("write", rc);
    acc += errno;
  }
  return acc;
}

static long batch_sendto_eagain(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    ssize_t rc = sendto(unix_tx, buf, sizeof buf, 0, (struct sockaddr *)&unix_rx_addr, unix_rx_len);
    expect_eagain("sendto", rc);
    acc += errno;
  }
  return acc;
}

static long batch_recvfrom_eagain(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    ssize_t rc = recvfrom(udp, buf, sizeof buf, 0, (struct sockaddr *)&sin, &len);
    expect_eagain("recvfrom", rc);
    acc += errno + (long)len;
  }
  return acc;
}

static long batch_epoll_wait_empty(void) {
  long acc = 0;
  for (int i = 0; i < BATCH; i++) {
    int n = epoll_wait(epfd, events, 64, 0);
    if (n != 0) die("epoll_wait = %d, errno %d: expected 0", n, errno);
    acc += n + errno;
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
  {"accept_eagain", batch_accept_eagain},
  {"read_eagain", batch_read_eagain},
  {"write_eagain", batch_write_eagain},
  {"sendto_eagain", batch_sendto_eagain},
  {"recvfrom_eagain", batch_recvfrom_eagain},
  {"epoll_wait_empty", batch_epoll_wait_empty},
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
  open_eagain_sockets();

  int wanted[NLOOPS] = {0}, any = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') { i++; continue; } /* an option and its value */
    size_t k;
    for (k = 0; k < NLOOPS && strcmp(argv[i], loops[k].name) != 0; k++) {}
    if (k == NLOOPS) die("unknown loop %s (see the top of bench-cheap-calls.c)", argv[i]);
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
  int fds[] = {udp_fd, listener, tcp, tcp_peer, stream_tx, stream_rx, udp, unix_rx, unix_tx, epfd};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) close(fds[i]);
  return 0;
}

/* bench-pingpong: TCP ping-pong over loopback, 1 byte each way, TCP_NODELAY on both ends.
 *
 *   bench-pingpong [-w WARMUP_S] [-r ROUNDS] [-t ROUND_S] [-C CPU] [-P CPU]
 *                       client and server: the server is a forked child running the server
 *                       mode's code; -C pins the client, -P the server to a CPU
 *   bench-pingpong server PORT [-s MAX_S] [-P CPU]
 *                       only the echo peer (PORT 0 = ephemeral); prints "listening on port N";
 *                       one thread per connection reads 1 byte and writes it back until EOF;
 *                       exits after MAX_S seconds (default 900) or on SIGTERM
 *   bench-pingpong client PORT [-w WARMUP_S] [-r ROUNDS] [-t ROUND_S] [-C CPU]
 *                       only the client, against a server on 127.0.0.1:PORT
 *
 * The client does WARMUP_S seconds (default 3) of round trips, then ROUNDS rounds (default 10)
 * of ROUND_S seconds (default 1), and prints one line per round:
 *   pingpong ns_per_roundtrip 23456.7
 * Every contender (C, java.net.Socket, NIO, the facade) is the client against this same C
 * server in its own process, so the peer is identical and only the client side differs.
 *
 * Pinning: on a small VM a round trip between two CPUs costs several times one on a single CPU
 * (measured here: about 90 us against 17 us, because a CPU that went idle is slow to wake), and
 * without pinning the scheduler picks one or the other from run to run. benchmarks/run pins the
 * client and the server of every contender to the same CPU (-C and -P; PSOCK_BENCH_PINGPONG_CPUS
 * for the Java contenders) so that every contender is measured in the same placement. */
#include "bench-common.h"
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#define BATCH 200 /* round trips between two clock reads */

static void set_nodelay(int fd) {
  int one = 1;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) die_errno("setsockopt(TCP_NODELAY)");
}

static int listen_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die_errno("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) die_errno("bind 127.0.0.1:%d", port);
  if (listen(fd, 128) != 0) die_errno("listen");
  return fd;
}

static int bound_port(int fd) {
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0) die_errno("getsockname");
  return ntohs(sa.sin_port);
}

static void *echo_connection(void *arg) {
  int fd = (int)(intptr_t)arg;
  char b;
  for (;;) {
    ssize_t n = read(fd, &b, 1);
    if (n == 1) {
      while (write(fd, &b, 1) != 1) {
        if (errno != EINTR) goto out;
      }
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
out:
  close(fd);
  return NULL;
}

__attribute__((noreturn))
static void serve(int lfd) {
  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      die_errno("accept");
    }
    set_nodelay(fd);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int err = pthread_create(&t, &attr, echo_connection, (void *)(intptr_t)fd);
    if (err != 0) { errno = err; die_errno("pthread_create"); }
    pthread_attr_destroy(&attr);
  }
}

static void round_trips(int fd, long count) {
  char b = 'x';
  for (long i = 0; i < count; i++) {
    if (write(fd, &b, 1) != 1) die_errno("write");
    ssize_t n;
    while ((n = read(fd, &b, 1)) != 1) {
      if (n == 0) die("server closed the connection");
      if (errno != EINTR) die_errno("read");
    }
  }
}

static double run_for(int fd, double seconds) {
  uint64_t limit = (uint64_t)(seconds * 1e9), start = now_ns(), elapsed;
  long trips = 0;
  do {
    round_trips(fd, BATCH);
    trips += BATCH;
    elapsed = now_ns() - start;
  } while (elapsed < limit);
  return (double)elapsed / (double)trips;
}

static void client(int port, int argc, char **argv) {
  double warmup = opt_num(argc, argv, "-w", 3), round_s = opt_num(argc, argv, "-t", 1);
  int rounds = (int)opt_num(argc, argv, "-r", 10);
  if (rounds < 1 || round_s <= 0 || warmup < 0) die("bad -r/-t/-w");
  pin_to_cpu((int)opt_num(argc, argv, "-C", -1));
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die_errno("socket");
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) die_errno("connect 127.0.0.1:%d", port);
  set_nodelay(fd);
  printf("# bench-pingpong: %d rounds of %.2f s after %.2f s warm-up, port %d\n", rounds, round_s, warmup, port);
  if (warmup > 0) run_for(fd, warmup);
  for (int r = 0; r < rounds; r++) {
    printf("pingpong ns_per_roundtrip %.1f\n", run_for(fd, round_s));
    fflush(stdout);
  }
  close(fd);
}

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  const char *mode = (argc > 1 && argv[1][0] != '-') ? argv[1] : "both";
  if (strcmp(mode, "server") == 0 || strcmp(mode, "client") == 0) {
    if (argc < 3) die("usage: bench-pingpong %s PORT [options]", mode);
    int port = atoi(argv[2]);
    if (port < 0 || port > 65535 || (port == 0 && mode[0] == 'c')) die("bad port %s", argv[2]);
    if (mode[0] == 'c') {
      client(port, argc, argv);
      return 0;
    }
    pin_to_cpu((int)opt_num(argc, argv, "-P", -1));
    int lfd = listen_loopback(port);
    signal(SIGTERM, on_term);
    signal(SIGALRM, on_term);
    alarm((unsigned)opt_num(argc, argv, "-s", 900)); /* bounded in time: SIGALRM ends it, status 0 */
    printf("listening on port %d\n", bound_port(lfd));
    fflush(stdout);
    serve(lfd);
  }
  if (strcmp(mode, "both") != 0) die("unknown mode %s (server, client, or none for both)", mode);

  int lfd = listen_loopback(0), port = bound_port(lfd);
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) die_errno("fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    pin_to_cpu((int)opt_num(argc, argv, "-P", -1));
    signal(SIGTERM, on_term);
    signal(SIGALRM, on_term);
    alarm(900);
    serve(lfd);
  }
  close(lfd);
  client(port, argc, argv);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  return 0;
}

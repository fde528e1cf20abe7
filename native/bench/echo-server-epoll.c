/* echo-server-epoll: the C contender of the event-loop echo benchmark.
 *
 *   echo-server-epoll PORT [-s SECONDS]
 *
 * A single-threaded, level-triggered epoll echo server on 127.0.0.1:PORT (0 = ephemeral).
 * Prints "listening on port N" once it accepts, then echoes every byte back on the same
 * connection. Non-blocking sockets, TCP_NODELAY on every accepted connection, listen backlog
 * SOMAXCONN. When a write is short, the rest is kept and the connection waits for EPOLLOUT
 * (and is not read) until it is written. Runs for SECONDS (default 600), or until SIGTERM or
 * SIGINT, then closes everything and exits 0, printing a summary line on stderr.
 * The Java servers (NIO Selector, the facade with epoll and with poll) do the same. */
#include "bench-common.h"
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#define BUF 16384
#define MAX_EVENTS 256

struct conn {
  int open;
  char *pending; /* bytes read but not yet written back (NULL when none) */
  size_t len, off;
};

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static struct conn *conns; /* indexed by fd */
static size_t nconns;
static int ep;
static long long echoed, accepted;

static struct conn *conn_of(int fd) {
  if ((size_t)fd >= nconns) {
    size_t n = nconns ? nconns : 1024;
    while (n <= (size_t)fd) n *= 2;
    conns = realloc(conns, n * sizeof *conns);
    if (!conns) die("out of memory");
    memset(conns + nconns, 0, (n - nconns) * sizeof *conns);
    nconns = n;
  }
  return &conns[fd];
}

static void drop(int fd) {
  struct conn *c = conn_of(fd);
  free(c->pending);
  memset(c, 0, sizeof *c);
  close(fd); /* also removes it from the epoll set */
}

static void watch(int fd, int op, uint32_t events) {
  struct epoll_event ev = {.events = events, .data.fd = fd};
  if (epoll_ctl(ep, op, fd, &ev) != 0) die_errno("epoll_ctl");
}

/* Writes what is pending; returns 0 when all is written, 1 if it must wait, -1 on error. */
static int flush_pending(int fd, struct conn *c) {
  while (c->off < c->len) {
    ssize_t n = write(fd, c->pending + c->off, c->len - c->off);
    if (n > 0) { c->off += (size_t)n; echoed += n; continue; }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return 1;
    return -1;
  }
  free(c->pending);
  c->pending = NULL;
  c->len = c->off = 0;
  return 0;
}

static void on_readable(int fd) {
  static char buf[BUF];
  struct conn *c = conn_of(fd);
  for (;;) {
    ssize_t n = read(fd, buf, BUF);
    if (n == 0) { drop(fd); return; }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) drop(fd);
      return;
    }
    ssize_t w = write(fd, buf, (size_t)n);
    if (w < 0 && errno != EAGAIN && errno != EINTR) { drop(fd); return; }
    if (w < 0) w = 0;
    echoed += w;
    if (w < n) { /* keep the rest, stop reading until it is out */
      c->len = (size_t)(n - w);
      c->off = 0;
      c->pending = malloc(c->len);
      if (!c->pending) die("out of memory");
      memcpy(c->pending, buf + w, c->len);
      watch(fd, EPOLL_CTL_MOD, EPOLLOUT);
      return;
    }
    if (n < BUF) return; /* drained for now: level-triggered epoll tells us when there is more */
  }
}

static void on_writable(int fd) {
  int rc = flush_pending(fd, conn_of(fd));
  if (rc < 0) drop(fd);
  else if (rc == 0) watch(fd, EPOLL_CTL_MOD, EPOLLIN);
}

static void on_accept(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN) return;
      if (errno == EMFILE || errno == ENFILE) { perror("accept4"); return; }
      die_errno("accept4");
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn_of(fd)->open = 1;
    watch(fd, EPOLL_CTL_ADD, EPOLLIN);
    accepted++;
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '-') die("usage: echo-server-epoll PORT [-s SECONDS]");
  int port = atoi(argv[1]);
  double seconds = opt_num(argc, argv, "-s", 600);
  if (port < 0 || port > 65535 || seconds <= 0) die("bad port or -s");
  raise_nofile();
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: epoll_wait returns EINTR */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (lfd < 0) die_errno("socket");
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof addr;
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0) die_errno("bind 127.0.0.1:%d", port);
  if (listen(lfd, SOMAXCONN) != 0) die_errno("listen");
  if (getsockname(lfd, (struct sockaddr *)&addr, &alen) != 0) die_errno("getsockname");
  ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die_errno("epoll_create1");
  watch(lfd, EPOLL_CTL_ADD, EPOLLIN);
  printf("listening on port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  uint64_t deadline = now_ns() + (uint64_t)(seconds * 1e9);
  struct epoll_event events[MAX_EVENTS];
  while (!stop) {
    uint64_t now = now_ns();
    if (now >= deadline) break;
    uint64_t left_ms = (deadline - now) / 1000000 + 1;
    int n = epoll_wait(ep, events, MAX_EVENTS, left_ms > 1000 ? 1000 : (int)left_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      die_errno("epoll_wait");
    }
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == lfd) on_accept(lfd);
      else if (events[i].events & EPOLLOUT) on_writable(fd);
      else on_readable(fd); /* EPOLLIN, EPOLLHUP, EPOLLERR: read tells which */
    }
  }
  for (size_t fd = 0; fd < nconns; fd++) {
    if (conns[fd].open) drop((int)fd);
  }
  fprintf(stderr, "echo-server-epoll: %s after %lld connections, %lld bytes echoed\n",
          stop ? "stopped by signal" : "time is up", accepted, echoed);
  close(ep);
  close(lfd);
  return 0;
}

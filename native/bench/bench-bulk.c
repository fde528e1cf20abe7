/* bench-bulk: bulk transfer over loopback, 64 KiB writes and 64 KiB reads.
 *
 *   bench-bulk [-m MIB_PER_ROUND] [-w WARMUP_ROUNDS] [-r ROUNDS]
 *
 * One TCP connection on 127.0.0.1; the main thread writes MIB_PER_ROUND MiB (default 1024,
 * at least 1 GiB unless told otherwise) in 64 KiB write() calls while a reader thread reads
 * it with 64 KiB read() calls. A round is timed from the first write until the reader has
 * seen the last byte. WARMUP_ROUNDS (default 2) untimed rounds, then ROUNDS (default 10)
 * rounds, each printing:
 *   bulk mib_per_s 2345.6
 *   bulk ns_per_64k_op 26650.1       (round time / number of 64 KiB writes)
 * The Java contenders do the same in one JVM: writer = benchmark thread, reader = a thread
 * of the same contender. */
#include "bench-common.h"
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define CHUNK (64 * 1024)

struct reader {
  int fd;
  long long want;
};

static void *read_all(void *arg) {
  struct reader *r = arg;
  static char buf[CHUNK];
  long long got = 0;
  while (got < r->want) {
    ssize_t n = read(r->fd, buf, CHUNK);
    if (n > 0) got += n;
    else if (n == 0) die("reader: early EOF after %lld bytes", got);
    else if (errno != EINTR) die_errno("reader: read");
  }
  return NULL;
}

/* A connected pair of TCP sockets on loopback: *w writes, *r reads. */
static void tcp_pair(int *w, int *r) {
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) die_errno("socket");
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0,
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof sa;
  if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0) die_errno("bind");
  if (listen(lfd, 1) != 0) die_errno("listen");
  if (getsockname(lfd, (struct sockaddr *)&sa, &len) != 0) die_errno("getsockname");
  *w = socket(AF_INET, SOCK_STREAM, 0);
  if (*w < 0) die_errno("socket");
  if (connect(*w, (struct sockaddr *)&sa, sizeof sa) != 0) die_errno("connect");
  *r = accept(lfd, NULL, NULL);
  if (*r < 0) die_errno("accept");
  close(lfd);
}

static double one_round(int wfd, int rfd, long chunks) {
  static char buf[CHUNK];
  struct reader rd = {.fd = rfd, .want = (long long)chunks * CHUNK};
  pthread_t t;
  uint64_t start = now_ns();
  int err = pthread_create(&t, NULL, read_all, &rd);
  if (err != 0) { errno = err; die_errno("pthread_create"); }
  for (long i = 0; i < chunks; i++) {
    size_t off = 0;
    while (off < CHUNK) { /* a blocking write writes it all, barring a signal */
      ssize_t n = write(wfd, buf + off, CHUNK - off);
      if (n > 0) off += (size_t)n;
      else if (errno != EINTR) die_errno("write");
    }
  }
  pthread_join(t, NULL);
  return (double)(now_ns() - start);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  double mib = opt_num(argc, argv, "-m", 1024);
  int warmups = (int)opt_num(argc, argv, "-w", 2), rounds = (int)opt_num(argc, argv, "-r", 10);
  if (mib < 1 || warmups < 0 || rounds < 1) die("bad -m/-w/-r");
  long chunks = (long)(mib * 1024 * 1024 / CHUNK);
  int wfd, rfd;
  tcp_pair(&wfd, &rfd);
  printf("# bench-bulk: %d rounds of %ld x 64 KiB (%.0f MiB) after %d warm-up rounds\n", rounds, chunks, mib, warmups);
  for (int i = 0; i < warmups; i++) one_round(wfd, rfd, chunks);
  for (int i = 0; i < rounds; i++) {
    double ns = one_round(wfd, rfd, chunks);
    printf("bulk mib_per_s %.1f\n", (double)chunks * CHUNK / (1024.0 * 1024.0) / (ns / 1e9));
    printf("bulk ns_per_64k_op %.1f\n", ns / (double)chunks);
    fflush(stdout);
  }
  close(wfd);
  close(rfd);
  return 0;
}

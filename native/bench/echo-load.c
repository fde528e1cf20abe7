/* echo-load: the load generator of the event-loop echo benchmark, shared by every server.
 *
 *   echo-load PORT [-c CONNS] [-m BYTES] [-w WARMUP_S] [-d ROUND_S] [-r ROUNDS] [-T THREADS] [-S PID] [-R RATE]
 *
 * Opens CONNS connections (default 1000) to 127.0.0.1:PORT (TCP_NODELAY, non-blocking once
 * connected). Each connection sends a BYTES-byte message (default 64), waits until the whole
 * message has come back (and checks it is the same), and sends the next: a closed loop, one
 * message in flight per connection. With -R RATE (messages/s, all connections together) each
 * connection sends its next message on a fixed schedule, every CONNS/RATE s, instead of at once:
 * below the rate the server can keep up with, the latency percentiles are the server's (and
 * the kernel's) answer time rather than queueing behind a saturated CPU. Latency is measured
 * from the message's scheduled time, so that a late send counts against the server; the generator
 * wakes when the next message is due (epoll_pwait2, timer slack 1 ns), so it sends on time. THREADS threads (default 1, at most 2 makes sense on a
 * 2-core machine that also runs the server) each drive their share of the connections with
 * level-triggered epoll. After WARMUP_S seconds (default 2) come ROUNDS rounds (default 5)
 * of ROUND_S seconds (default 3). A message counts in the round in which its echo completes;
 * its latency is the time from its write to the end of its echo. One set of lines per round:
 *   echo msgs_per_s 123456.7
 *   echo p50_us 812.3
 *   echo p99_us 1650.2
 *   echo load_cpu_pct 97.5             (this program's CPU time / round time, all threads)
 * and with -S PID, the server's process (all its threads, a JVM's JIT and GC included):
 *   echo server_cpu_pct 99.0
 *   echo server_cpu_us_per_msg 7.1
 * On a 2-core machine the load and the server share the CPUs; the server's CPU time per
 * message says how much work each server does, whichever side limits the rate.
 * Exits 2 if a connection failed during the run (the lines are still printed), and is bounded
 * in time: the whole run is cut by SIGALRM 60 s after it should have ended. */
#include "bench-common.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>

#define MAX_ROUNDS 100
#define MAX_MSG 65536

struct conn {
  int fd;
  uint32_t id, seq;
  size_t got;          /* bytes of the echo received so far */
  uint64_t sent_ns;    /* when the message was written (-R: when it was due) */
  uint64_t due_ns;     /* -R: when the next message is due; 0 while one is in flight */
  char *out, *in;      /* the message sent, the echo being received */
};

struct samples { /* latencies of one round, in ns (saturated at 2^32-1) */
  uint32_t *v;
  size_t n, cap;
};

struct worker {
  pthread_t thread;
  struct conn *conns;
  int nconns, ep;
  long long errors;
  struct samples rounds[MAX_ROUNDS];
};

static int msg_len, nrounds;
static uint64_t interval_ns; /* -R: one connection's time between messages; 0 = closed loop */
static uint64_t t_measure, round_ns; /* start of round 0, length of a round */
static uint64_t t_end;

static void add_sample(struct samples *s, uint64_t ns) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 65536;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    if (!s->v) die("out of memory");
  }
  s->v[s->n++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

/* Fills the next message of c (its id and sequence number, then a pattern) and writes it. */
static int send_next(struct conn *c, uint64_t now) {
  c->seq++;
  memcpy(c->out, &c->id, sizeof c->id);
  memcpy(c->out + 4, &c->seq, sizeof c->seq);
  for (int i = 8; i < msg_len; i++) c->out[i] = (char)('a' + (c->seq + (uint32_t)i) % 26);
  c->got = 0;
  c->sent_ns = now;
  ssize_t n = write(c->fd, c->out, (size_t)msg_len);
  /* the connection's send buffer is empty here (one message in flight), so all of it fits */
  return n == msg_len ? 0 : -1;
}

static void fail(struct worker *w, struct conn *c, const char *what) {
  if (w->errors++ < 5) fprintf(stderr, "echo-load: connection %u: %s%s%s\n", c->id, what,
                               errno ? ": " : "", errno ? strerror(errno) : "");
  close(c->fd); /* leaves the epoll set */
  c->fd = -1;
}

static void on_readable(struct worker *w, struct conn *c) {
  for (;;) {
    ssize_t n = read(c->fd, c->in + c->got, (size_t)msg_len - c->got);
    if (n == 0) { errno = 0; fail(w, c, "server closed the connection"); return; }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) fail(w, c, "read");
      return;
    }
    c->got += (size_t)n;
    if (c->got < (size_t)msg_len) continue;
    if (memcmp(c->in, c->out, (size_t)msg_len) != 0) { errno = 0; fail(w, c, "echo differs from message"); return; }
    uint64_t now = now_ns();
    if (now >= t_measure && now < t_end) {
      uint64_t r = (now - t_measure) / round_ns;
      if (r < (uint64_t)nrounds) add_sample(&w->rounds[r], now - c->sent_ns);
    }
    if (interval_ns) c->due_ns = c->sent_ns + interval_ns; /* sent by drive() when due */
    else if (now < t_end && send_next(c, now) != 0) fail(w, c, "write");
    return;
  }
}

static void *drive(void *arg) {
  struct worker *w = arg;
  struct epoll_event events[256];
  uint64_t now = now_ns();
  for (int i = 0; i < w->nconns; i++) {
    struct conn *c = &w->conns[i];
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(w->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) die_errno("epoll_ctl");
    if (interval_ns) c->due_ns = now + interval_ns * (uint64_t)i / (uint64_t)w->nconns; /* spread over one interval */
    else if (send_next(c, now) != 0) fail(w, c, "write");
  }
  while ((now = now_ns()) < t_end) {
    /* wait at most until the run ends, 100 ms at a time; with -R, until the next message is due */
    uint64_t wake = t_end - now > 100000000u ? now + 100000000u : t_end;
    if (interval_ns) { /* -R: send what is due; the message's latency counts from when it was due */
      for (int i = 0; i < w->nconns; i++) {
        struct conn *c = &w->conns[i];
        if (c->fd < 0 || c->due_ns == 0) continue;
        if (c->due_ns > now) { if (c->due_ns < wake) wake = c->due_ns; continue; }
        uint64_t due = c->due_ns;
        c->due_ns = 0;
        if (send_next(c, now) != 0) fail(w, c, "write");
        else c->sent_ns = due;
      }
      now = now_ns();
    }
    /* epoll_pwait2's nanoseconds, not epoll_wait's milliseconds: a message waiting up to 1 ms
     * for the generator to wake counted that wait as the server's latency */
    uint64_t wait_ns = wake > now ? wake - now : 0;
    struct timespec timeout = {.tv_sec = (time_t)(wait_ns / 1000000000u), .tv_nsec = (long)(wait_ns % 1000000000u)};
    int n = epoll_pwait2(w->ep, events, 256, &timeout, NULL);
    if (n < 0) {
      if (errno == EINTR) continue;
      die_errno("epoll_pwait2");
    }
    for (int i = 0; i < n; i++) {
      struct conn *c = events[i].data.ptr;
      if (c->fd >= 0) on_readable(w, c);
    }
  }
  return NULL;
}

/* CPU time in ns of process pid (utime + stime from /proc/PID/stat), or -1. */
static double process_cpu_ns(int pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')'); /* the command name may hold spaces: fields start after it */
  unsigned long long utime, stime;
  if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
  return (double)(utime + stime) * 1e9 / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu_ns(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

static void sleep_until(uint64_t t) {
  uint64_t now;
  while ((now = now_ns()) < t) {
    struct timespec ts = {.tv_sec = (time_t)((t - now) / 1000000000u), .tv_nsec = (long)((t - now) % 1000000000u)};
    nanosleep(&ts, NULL);
  }
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted v, nearest rank. */
static double quantile(const uint32_t *v, size_t n, double q) {
  if (n == 0) return 0;
  size_t rank = (size_t)(q * (double)n + 0.999999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return v[rank - 1];
}

int main(int argc, char **argv) {
  if (argc < 2 || argv[1][0] == '-') die("usage: echo-load PORT [-c CONNS] [-m BYTES] [-w WARMUP_S] [-d ROUND_S] [-r ROUNDS] [-T THREADS] [-S PID] [-R RATE]");
  int port = atoi(argv[1]);
  int nconns = (int)opt_num(argc, argv, "-c", 1000), nthreads = (int)opt_num(argc, argv, "-T", 1);
  double warmup = opt_num(argc, argv, "-w", 2), round_s = opt_num(argc, argv, "-d", 3);
  msg_len = (int)opt_num(argc, argv, "-m", 64);
  nrounds = (int)opt_num(argc, argv, "-r", 5);
  int server_pid = (int)opt_num(argc, argv, "-S", 0);
  double rate = opt_num(argc, argv, "-R", 0);
  if (rate < 0) die("bad arguments (-R RATE > 0 messages/s)");
  if (rate > 0) interval_ns = (uint64_t)((double)nconns / rate * 1e9);
  if (port <= 0 || port > 65535 || nconns < 1 || nthreads < 1 || nthreads > nconns || warmup < 0 ||
      round_s <= 0 || msg_len < 8 || msg_len > MAX_MSG || nrounds < 1 || nrounds > MAX_ROUNDS)
    die("bad arguments (PORT 1..65535, -c >= 1, 1 <= -T <= -c, -m 8..%d, -r 1..%d)", MAX_MSG, MAX_ROUNDS);
  raise_nofile();
  signal(SIGPIPE, SIG_IGN);
  /* -R: wake when a message is due, not up to the default 50 us of timer slack later (the worker
   * threads inherit it) */
  if (interval_ns && prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) != 0) die_errno("prctl(PR_SET_TIMERSLACK)");

  /* connect everything first, blocking, one after the other */
  struct conn *conns = calloc((size_t)nconns, sizeof *conns);
  char *bufs = malloc((size_t)nconns * 2 * (size_t)msg_len);
  if (!conns || !bufs) die("out of memory");
  alarm((unsigned)(120)); /* the connection phase is bounded too */
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  uint64_t t0 = now_ns();
  for (int i = 0; i < nconns; i++) {
    struct conn *c = &conns[i];
    c->id = (uint32_t)i;
    c->out = bufs + (size_t)i * 2 * (size_t)msg_len;
    c->in = c->out + msg_len;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) die_errno("socket (connection %d; RLIMIT_NOFILE?)", i);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) != 0) die_errno("connect 127.0.0.1:%d (connection %d)", port, i);
    int one = 1;
    if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) die_errno("setsockopt(TCP_NODELAY)");
    if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) != 0) die_errno("fcntl(O_NONBLOCK)");
  }
  printf("# echo-load: %d connections to port %d in %.0f ms, %d-byte messages, %d thread(s), "
         "%.1f s warm-up, %d rounds of %.1f s, %s\n", nconns, port, (double)(now_ns() - t0) / 1e6,
         msg_len, nthreads, warmup, nrounds, round_s, rate > 0 ? "fixed rate (-R)" : "closed loop");
  fflush(stdout);

  round_ns = (uint64_t)(round_s * 1e9);
  t_measure = now_ns() + (uint64_t)(warmup * 1e9);
  t_end = t_measure + round_ns * (uint64_t)nrounds;
  alarm((unsigned)(warmup + round_s * nrounds) + 60);

  struct worker *workers = calloc((size_t)nthreads, sizeof *workers);
  if (!workers) die("out of memory");
  for (int t = 0; t < nthreads; t++) {
    struct worker *w = &workers[t];
    int from = (int)((long)nconns * t / nthreads), to = (int)((long)nconns * (t + 1) / nthreads);
    w->conns = conns + from;
    w->nconns = to - from;
    w->ep = epoll_create1(EPOLL_CLOEXEC);
    if (w->ep < 0) die_errno("epoll_create1");
    int err = pthread_create(&w->thread, NULL, drive, w);
    if (err != 0) { errno = err; die_errno("pthread_create"); }
  }
  /* the CPU time of both sides at each round's boundaries, read while the workers run */
  double server_cpu[MAX_ROUNDS + 1], load_cpu[MAX_ROUNDS + 1];
  for (int r = 0; r <= nrounds; r++) {
    sleep_until(t_measure + round_ns * (uint64_t)r);
    server_cpu[r] = server_pid > 0 ? process_cpu_ns(server_pid) : -1;
    load_cpu[r] = self_cpu_ns();
  }
  long long errors = 0;
  for (int t = 0; t < nthreads; t++) {
    pthread_join(workers[t].thread, NULL);
    errors += workers[t].errors;
  }

  for (int r = 0; r < nrounds; r++) {
    struct samples all = {0};
    for (int t = 0; t < nthreads; t++) {
      struct samples *s = &workers[t].rounds[r];
      for (size_t i = 0; i < s->n; i++) add_sample(&all, s->v[i]);
    }
    qsort(all.v, all.n, sizeof *all.v, cmp_u32);
    printf("echo msgs_per_s %.1f\n", (double)all.n / round_s);
    printf("echo p50_us %.1f\n", quantile(all.v, all.n, 0.50) / 1e3);
    printf("echo p99_us %.1f\n", quantile(all.v, all.n, 0.99) / 1e3);
    printf("echo load_cpu_pct %.1f\n", (load_cpu[r + 1] - load_cpu[r]) / (double)round_ns * 100);
    if (server_pid > 0 && server_cpu[r] >= 0 && server_cpu[r + 1] >= 0) {
      double ns = server_cpu[r + 1] - server_cpu[r];
      printf("echo server_cpu_pct %.1f\n", ns / (double)round_ns * 100);
      if (all.n > 0) printf("echo server_cpu_us_per_msg %.3f\n", ns / 1e3 / (double)all.n);
    }
    free(all.v);
  }
  int open = 0;
  for (int i = 0; i < nconns; i++) {
    if (conns[i].fd >= 0) { open++; close(conns[i].fd); }
  }
  printf("# echo-load: %d of %d connections still open at the end, %lld failed\n", open, nconns, errors);
  return errors ? 2 : 0;
}

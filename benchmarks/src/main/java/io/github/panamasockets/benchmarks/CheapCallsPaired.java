package io.github.panamasockets.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The facade against raw FFM with errno capture, paired: both in one JVM, in short alternating
 * batches, so that load from other processes, which changes from second to second on a shared
 * machine, falls on both alike. The JMH rows of the two run minutes apart; on a loaded machine
 * their ratio drifts with the load (±20 % and more), far more than the 5 % the target allows.
 *
 * <p>Not JMH: a plain main, {@code CheapCallsPaired [ROUNDS] [BATCH_MS] [WARMUP_S]} (defaults
 * 30, 20, 1). It calls the very {@code @Benchmark} methods of CheapCallsFacade and
 * CheapCallsRawCapture (their states opened as JMH opens them), each call in a loop of its own
 * (so each loop stays monomorphic), warms every loop for WARMUP_S seconds, sizes each batch to
 * about BATCH_MS, and then per round and per call times one batch of each contender in the
 * thread's CPU time ({@link #time}), the order swapped from round to round. One line per round and call:
 * {@code read_eagain facade_over_raw 1.013} (and {@code facade_ns_per_op}, {@code raw_ns_per_op}),
 * which benchmarks/run collects from several JVMs into paired.txt for Report.java.
 *
 * <p>The order matters for some calls: on a TCP socket, read's first batch of a round runs 10–40 %
 * slower than its second, whichever contender it is, even after an untimed lead-in batch. So the
 * rounds come in pairs, raw first then the facade first, and Report.java takes each pair's
 * geometric mean, in which that slowdown cancels.
 */
public final class CheapCallsPaired {
  private CheapCallsPaired() {}

  /** n calls of one method; returns something derived from every result, so nothing is dropped. */
  interface Loop {
    long run(int n) throws Throwable;
  }

  record Call(String name, Loop facade, Loop raw) {}

  static volatile long sink;

  public static void main(String[] args) throws Throwable {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    rounds += rounds % 2; // whole pairs of rounds, one of each order: Report.java pairs them
    double batchMs = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    double warmupS = args.length > 2 ? Double.parseDouble(args[2]) : 1;
    Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    CheapCallsFacade f = new CheapCallsFacade();
    CheapCallsRawCapture r = new CheapCallsRawCapture();
    f.open();
    r.open();
    try {
      List<Call> calls = List.of(
          new Call("getsockopt_so_type", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.getsockopt_so_type(bh); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.getsockopt_so_type(bh); return a; }),
          new Call("fcntl_f_getfl", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.fcntl_f_getfl(bh); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.fcntl_f_getfl(bh); return a; }),
          new Call("close_ebadf", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.close_ebadf(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.close_ebadf(); return a; }),
          new Call("accept_eagain", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.accept_eagain(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.accept_eagain(); return a; }),
          new Call("read_eagain", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.read_eagain(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.read_eagain(); return a; }),
          new Call("write_eagain", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.write_eagain(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.write_eagain(); return a; }),
          new Call("sendto_eagain", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.sendto_eagain(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.sendto_eagain(); return a; }),
          new Call("recvfrom_eagain", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.recvfrom_eagain(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.recvfrom_eagain(); return a; }),
          new Call("epoll_wait_empty", n -> { long a = 0; for (int i = 0; i < n; i++) a += f.epoll_wait_empty(); return a; },
              n -> { long a = 0; for (int i = 0; i < n; i++) a += r.epoll_wait_empty(); return a; }));

      // warm-up, and each call's batch size from its warm time per op (the slower of the two)
      List<Integer> batch = new ArrayList<>();
      for (Call c : calls) {
        double ns = Math.max(warm(c.facade(), warmupS / 2), warm(c.raw(), warmupS / 2));
        batch.add((int) Math.max(100, batchMs * 1e6 / ns));
      }
      System.out.printf(Locale.ROOT, "# CheapCallsPaired: %d rounds, batches of about %.0f ms of thread CPU time, %.1f s warm-up per call%n", rounds, batchMs, warmupS);
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < calls.size(); k++) {
          Call c = calls.get(k);
          int n = batch.get(k);
          double facade, raw;
          if (round % 2 == 0) {
            raw = time(c.raw(), n);
            facade = time(c.facade(), n);
          } else {
            facade = time(c.facade(), n);
            raw = time(c.raw(), n);
          }
          System.out.printf(Locale.ROOT, "%s facade_ns_per_op %.3f%n%s raw_ns_per_op %.3f%n%s facade_over_raw %.4f%n",
              c.name(), facade, c.name(), raw, c.name(), facade / raw);
        }
      }
    } finally {
      f.closeSocket();
      r.closeSocket();
    }
  }

  /** Runs the loop for about {@code seconds}; returns its ns per call over the second half. */
  static double warm(Loop loop, double seconds) throws Throwable {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    double ns = Double.NaN;
    while (System.nanoTime() < end) ns = time(loop, 1000);
    return ns;
  }

  /**
   * The calling thread's CPU time (user + system, so the system call's own work counts) per call
   * of a batch. Not wall time: on a loaded machine wall time also counts the moments the thread
   * waited for a core, which swung single rounds from 0.02 to 179 × and the medians by ±3 %.
   */
  static double time(Loop loop, int n) throws Throwable {
    long t0 = THREAD_CPU.getCurrentThreadCpuTime();
    sink += loop.run(n);
    return (double) (THREAD_CPU.getCurrentThreadCpuTime() - t0) / n;
  }

  private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();
}

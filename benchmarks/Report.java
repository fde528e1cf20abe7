/*
 * Writes benchmarks/results.md from the raw results of benchmarks/run.
 *
 *   java benchmarks/Report.java RESULTS_DIR OUTPUT.md
 *
 * RESULTS_DIR (benchmarks/target/bench-results) holds one directory per family that was run
 * (startup, cheap, pingpong, bulk, echo), each with meta.txt (key=value), and as the family has them:
 *   runs.txt      start-up: "CONTENDER MODE wall_ms W cpu_ms C", one line per process run
 *   c.txt         the C contender's lines "NAME METRIC VALUE", one per round ('#' = comment)
 *   jmh.json      JMH's results (-rf json, -prof gc): one value per measurement iteration
 *   paired.txt    cheap: CheapCallsPaired's lines "CALL facade_over_raw RATIO" (and each side's ns/op), one per round
 *   MODE-S-cN.txt echo: echo-load's lines against server S in cycle N (MODE loop: closed loop, rate: -R)
 * and machine.txt (key=value). For each family: a table with, per contender, the median over
 * rounds (C) or measurement iterations of every fork (JMH), min-max, the ratio of that median
 * to C's median for the same thing in the same run, and the bytes allocated per op (JMH's gc
 * profiler, gc.alloc.rate.norm).
 *
 * Run with the JDK's source launcher: no dependencies, no build. The JSON reader is minimal and
 * reads what JMH writes.
 */

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

public class Report {
  /** One contender's values of one metric: the rounds or iterations. */
  record Series(List<Double> values) {
    double median() {
      List<Double> v = new ArrayList<>(values);
      Collections.sort(v);
      int n = v.size();
      return n == 0 ? Double.NaN : n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    double min() {
      return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
      return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    Series scaled(double factor) {
      return new Series(values.stream().map(x -> x * factor).toList());
    }

    Series inverted(double numerator) {
      return new Series(values.stream().map(x -> numerator / x).toList());
    }
  }

  /** A JMH benchmark's result: contender, case (method), time per op in ns, B/op. */
  record JmhResult(String family, String contender, String method, Series nsPerOp, Series bytesPerOp, int forks,
                   int iterations) {}

  static final String PKG = "io.github.panamasockets.benchmarks.";
  static final long BULK_BYTES_PER_OP = 1L << 30; // benchmarks Bulk.BYTES_PER_OP
  static final long BULK_CHUNK = 64 * 1024;        // Bulk.CHUNK

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java Report.java RESULTS_DIR OUTPUT.md");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    StringBuilder md = new StringBuilder();
    md.append("# Panama Sockets benchmarks\n\n");
    md.append("Written by `benchmarks/run` (see benchmarks/README.md for what each benchmark does and how).\n");
    md.append("Medians over measured rounds (C) or measurement iterations of all forks (JMH); min–max over the same;\n");
    md.append("*ratio to C* = the contender's median ÷ the C contender's median measured in the same run.\n");
    md.append("*B/op*: bytes allocated on the Java heap per op (JMH `-prof gc`, `gc.alloc.rate.norm`); C allocates none per op.\n\n");
    Map<String, String> machine = readMeta(dir.resolve("machine.txt"));
    if (!machine.isEmpty()) {
      md.append("Machine: ").append(machine.getOrDefault("cpu", "?")).append("; ")
          .append(machine.getOrDefault("kernel", "?")).append("; ")
          .append(machine.getOrDefault("jdk", "?")).append("; ")
          .append(machine.getOrDefault("cc", "?")).append(".\n\n");
    }
    boolean any = false;
    // A family not in RESULTS_DIR keeps its section (with its own date) from the results.md written before.
    Map<String, String> earlier = sections(Path.of(args[1]));
    for (String family : List.of("startup", "cheap", "pingpong", "bulk", "echo")) {
      Path f = dir.resolve(family);
      if (!Files.isDirectory(f)) {
        String kept = earlier.get(TITLES.get(family));
        if (kept != null) { md.append(kept); any = true; }
        continue;
      }
      any = true;
      switch (family) {
        case "startup" -> startup(f, md);
        case "cheap" -> cheap(f, md);
        case "pingpong" -> pingpong(f, md);
        case "bulk" -> bulk(f, md);
        case "echo" -> echo(f, md);
        default -> throw new AssertionError(family);
      }
    }
    if (!any) md.append("No results yet: run `benchmarks/run`.\n");
    Files.writeString(Path.of(args[1]), md);
  }

  static final Map<String, String> TITLES = Map.of(
      "startup", "Start-up: whole processes, fork to exit",
      "cheap", "Cheap calls that keep errno",
      "pingpong", "TCP ping-pong over loopback",
      "bulk", "Bulk transfer over loopback",
      "echo", "Event-loop echo server under load");

  /** The "## title" sections of an earlier results.md, title -> the section's text, heading included. */
  static Map<String, String> sections(Path md) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(md)) return out;
    String title = null;
    StringBuilder b = new StringBuilder();
    for (String line : Files.readAllLines(md)) {
      if (line.startsWith("## ")) {
        if (title != null) out.put(title, b.toString());
        title = line.substring(3).trim();
        b.setLength(0);
      }
      if (title != null) b.append(line).append('\n');
    }
    if (title != null) out.put(title, b.toString());
    return out;
  }

  // ---------------------------------------------------------------- the families

  static void startup(Path dir, StringBuilder md) throws IOException {
    header(md, TITLES.get("startup"), dir);
    Map<String, String> meta = readMeta(dir.resolve("meta.txt"));
    md.append("Each contender is a fresh process, timed by `native/build/startup-time` from just before posix_spawn to its exit\n")
        .append("(wall) and by its CPU time, user + system, all threads (CPU). ").append(meta.getOrDefault("runs", "?"))
        .append(" rounds; each round runs every contender once per mode in an order rotated from round to round,\n")
        .append("so that other load falls on all alike. *one*: one `socket(AF_INET, SOCK_STREAM, 0)` and exit (java.net: `new Socket()` made real\n")
        .append("by `getReceiveBufferSize()`, socket + getsockopt). *ten*: socket, setsockopt, bind, listen, getsockname, connect, accept,\n")
        .append("write, read, close over loopback (java.net: a ServerSocket, a Socket, accept, one byte each way).\n")
        .append("*÷ java.net*: the contender's median ÷ java.net's median in the same run. *+aot*: with a JDK 25 AOT cache\n")
        .append("(`-XX:AOTCache`) trained by one run of the same program's *ten* in this run. Contenders' commands: meta.txt.\n\n");
    Map<String, Map<String, List<Double>>> wall = new LinkedHashMap<>(), cpu = new LinkedHashMap<>();
    Path runs = dir.resolve("runs.txt");
    if (Files.exists(runs)) {
      for (String line : Files.readAllLines(runs)) {
        String[] w = line.trim().split("\\s+");
        if (w.length != 6 || !w[2].equals("wall_ms") || !w[4].equals("cpu_ms")) continue;
        wall.computeIfAbsent(w[1], k -> new LinkedHashMap<>()).computeIfAbsent(w[0], k -> new ArrayList<>()).add(Double.parseDouble(w[3]));
        cpu.computeIfAbsent(w[1], k -> new LinkedHashMap<>()).computeIfAbsent(w[0], k -> new ArrayList<>()).add(Double.parseDouble(w[5]));
      }
    }
    md.append("| contender | mode | median wall ms | min–max wall ms | wall ÷ java.net | median CPU ms | min–max CPU ms | CPU ÷ java.net |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (String mode : List.of("one", "ten")) {
      Map<String, List<Double>> w = wall.getOrDefault(mode, Map.of()), c = cpu.getOrDefault(mode, Map.of());
      double bw = w.containsKey("java.net") ? new Series(w.get("java.net")).median() : Double.NaN;
      double bc = c.containsKey("java.net") ? new Series(c.get("java.net")).median() : Double.NaN;
      for (String who : w.keySet().stream().sorted(Report::startupOrder).toList()) {
        Series sw = new Series(w.get(who)), sc = new Series(c.get(who));
        md.append("| ").append(who).append(" | ").append(mode).append(" | ").append(fmt(sw.median(), 1)).append(" | ").append(range(sw, 1))
            .append(" | ").append(ratio(sw.median(), bw)).append(" | ").append(fmt(sc.median(), 1)).append(" | ").append(range(sc, 1))
            .append(" | ").append(ratio(sc.median(), bc)).append(" |\n");
      }
    }
    md.append('\n');
    // What a further distinct function costs: (ten - one), less what the same calls cost C, over the nine calls beyond socket().
    Map<String, List<Double>> w1 = wall.getOrDefault("one", Map.of()), w10 = wall.getOrDefault("ten", Map.of());
    Map<String, List<Double>> c1 = cpu.getOrDefault("one", Map.of()), c10 = cpu.getOrDefault("ten", Map.of());
    if (w1.containsKey("c") && w10.containsKey("c")) {
      md.append("Each further distinct function, (median *ten* − median *one*) ÷ 9, less C's own difference: ");
      List<String> parts = new ArrayList<>();
      for (String who : w10.keySet().stream().sorted(Report::startupOrder).toList()) {
        if (who.equals("c") || who.equals("empty-jvm") || who.startsWith("java.net") || !w1.containsKey(who)) continue;
        double dw = (new Series(w10.get(who)).median() - new Series(w1.get(who)).median()
            - (new Series(w10.get("c")).median() - new Series(w1.get("c")).median())) / 9;
        double dc = (new Series(c10.get(who)).median() - new Series(c1.get(who)).median()
            - (new Series(c10.get("c")).median() - new Series(c1.get("c")).median())) / 9;
        parts.add(who + " " + fmt(dw, 1) + " ms wall, " + fmt(dc, 1) + " ms CPU");
      }
      md.append(String.join("; ", parts)).append(".\n\n");
    }
  }

  static int startupOrder(String a, String b) {
    List<String> order = List.of("c", "empty-jvm", "java.net", "java.net+aot", "raw-ffm", "raw-ffm+aot", "facade", "facade-trace-off", "facade-trace-off+aot");
    int ia = order.indexOf(a), ib = order.indexOf(b);
    ia = ia < 0 ? order.size() : ia;
    ib = ib < 0 ? order.size() : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  /** The facade's target on every cheap call: its median at most this × raw FFM with errno capture's, in the same run. */
  static final double CHEAP_TARGET = 1.05;

  static void cheap(Path dir, StringBuilder md) throws IOException {
    header(md, TITLES.get("cheap"), dir);
    md.append("Time per call. Each contender reads errno after every call where it has errno. `getsockopt`, `fcntl`, `close`:\n")
        .append("one UDP socket. The EAGAIN rows are non-blocking calls that find nothing to do, each checked to give -1 EAGAIN\n")
        .append("(epoll_wait: 0) at every call: `accept` on a TCP listener with no connection pending, `read` on a connected TCP\n")
        .append("socket nothing was sent to, `write` of 64 bytes to a full AF_UNIX stream socket, `sendto` of 64 bytes to an\n")
        .append("AF_UNIX datagram receiver (abstract name) whose queue is full, `recvfrom` on an empty bound UDP socket (accept and\n")
        .append("recvfrom with a sockaddr_in and its socklen_t, reset before each call), `epoll_wait(…, 64, 0)` with one empty socket.\n")
        .append("*÷ raw+capture*: the contender's median ÷ the median of raw FFM with errno capture (the same downcall, linked by hand)\n")
        .append("in the same run; the facade's target is ≤ ").append(fmt(CHEAP_TARGET, 2)).append(" on every call. Min–max: over every measurement\n")
        .append("iteration of every fork (C: every round).\n\n");
    Map<String, Series> c = readC(dir.resolve("c.txt"), "ns_per_op");
    List<JmhResult> jmh = readJmh(dir.resolve("jmh.json"));
    md.append("| call | contender | median ns/op | min–max ns/op | ratio to C | ÷ raw+capture | B/op |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|\n");
    List<String> calls = new ArrayList<>(List.of("getsockopt_so_type", "fcntl_f_getfl", "close_ebadf"));
    for (JmhResult r : jmh) if (!calls.contains(r.method())) calls.add(r.method());
    List<String> notes = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();
    for (String call : calls) {
      Series cs = c.get(call);
      double base = cs == null ? Double.NaN : cs.median();
      double raw = Double.NaN;
      for (JmhResult r : jmh) if (r.method().equals(call) && r.family().equals("CheapCallsRawCapture")) raw = r.nsPerOp().median();
      if (cs != null) cheapRow(md, callName(call), "C", cs, base, raw, "–");
      for (JmhResult r : sorted(jmh)) {
        if (!r.method().equals(call)) continue;
        String label = r.contender();
        if (call.equals("getsockopt_so_type") && r.family().equals("CheapCallsJdk")) {
          label += " ²";
          note(notes, "² JDK NIO has no SO_TYPE option: `DatagramChannel.getOption(SO_RCVBUF)`, its nearest getsockopt.");
        }
        if (call.equals("getsockopt_so_type") && r.family().equals("CheapCallsJnr")) {
          label += " ³";
          note(notes, "³ jnr-posix's `POSIX` interface has no getsockopt; this is its libc binding, `POSIX.libc().getsockopt`.");
        }
        if (r.family().equals("CheapCallsRaw")) {
          label += " ¹";
          note(notes, "¹ The raw bindings (`sockets_h.*`, jextract's shape) do not capture errno: this row reads no errno after the call, "
              + "and its `close(-1)` checks only that the result is -1. Its fcntl is jextract's variadic invoker, "
              + "`fcntl.makeInvoker().apply(fd, F_GETFL)`.");
        }
        cheapRow(md, callName(call), label, r.nsPerOp(), base, raw, bytes(r.bytesPerOp()));
        if (r.family().equals("CheapCallsFacade") && !Double.isNaN(raw)) {
          double x = r.nsPerOp().median() / raw;
          verdicts.add(callName(call) + " " + fmt(x, 2));
        }
      }
    }
    md.append('\n');
    for (String n : notes) md.append(n).append("  \n");
    if (!verdicts.isEmpty()) {
      md.append("\nThe facade ÷ raw FFM with errno capture from the table's medians (JMH runs them minutes apart): ")
          .append(String.join("; ", verdicts)).append(".\n");
    }
    pairedCheap(dir, md, calls);
    md.append('\n');
  }

  /** paired.txt (CheapCallsPaired): the facade ÷ raw FFM with errno capture within each round; the target's verdict. */
  static void pairedCheap(Path dir, StringBuilder md, List<String> calls) throws IOException {
    Map<String, Series> ratios = readC(dir.resolve("paired.txt"), "facade_over_raw");
    if (ratios.isEmpty()) return;
    Map<String, Series> facade = readC(dir.resolve("paired.txt"), "facade_ns_per_op");
    Map<String, Series> raw = readC(dir.resolve("paired.txt"), "raw_ns_per_op");
    Map<String, String> meta = readMeta(dir.resolve("meta.txt"));
    int n = ratios.values().iterator().next().values().size();
    md.append("\n**Paired: the facade against raw FFM with errno capture, the target's measure.** On a shared machine the load changes\n")
        .append("from second to second, so two JMH rows measured minutes apart differ by more than the 5 % the target allows.\n")
        .append("CheapCallsPaired runs both in one JVM (").append(meta.getOrDefault("paired_forks", "?"))
        .append(" JVMs), in alternating batches of about 20 ms, and divides the facade's time per call by raw FFM's in\n")
        .append("the same round: ").append(n).append(" rounds per call in all. Time is the calling thread's CPU time (user + system:\n")
        .append("the system call's work counts, the moments spent waiting for a core do not). The order matters for some calls\n")
        .append("(the first batch of a round can run slower, whichever contender it is: the two columns *by order*), so the\n")
        .append("rounds come in pairs, raw first then the facade first, and the verdict is on each pair's geometric mean,\n")
        .append("in which that difference cancels: ").append(n / 2).append(" pairs per call.\n\n");
    md.append("| call | facade ns/op | raw FFM + capture ns/op | by order: raw first | by order: facade first")
        .append(" | facade ÷ raw, pairs' median | min–max | middle half | target ≤ ").append(fmt(CHEAP_TARGET, 2)).append(" |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (String call : calls) {
      Series r = ratios.get(call);
      if (r == null) continue;
      Series pairs = pairsGeometricMean(r);
      List<Double> v = new ArrayList<>(pairs.values());
      Collections.sort(v);
      double q1 = v.get(v.size() / 4), q3 = v.get((3 * v.size()) / 4);
      double m = pairs.median();
      md.append("| ").append(callName(call)).append(" | ").append(fmt(facade.get(call).median(), 1)).append(" | ")
          .append(fmt(raw.get(call).median(), 1)).append(" | ").append(fmt(everyOther(r, 0).median(), 3)).append(" | ")
          .append(fmt(everyOther(r, 1).median(), 3)).append(" | ").append(fmt(m, 3)).append(" | ")
          .append(fmt(pairs.min(), 2)).append("–").append(fmt(pairs.max(), 2)).append(" | ")
          .append(fmt(q1, 3)).append("–").append(fmt(q3, 3)).append(" | ")
          .append(m <= CHEAP_TARGET ? "met" : "**missed**").append(" |\n");
    }
  }

  /** Rounds 0, 2, 4… (from 0: raw timed first) or 1, 3, 5… (from 1: the facade first). */
  static Series everyOther(Series rounds, int from) {
    List<Double> out = new ArrayList<>();
    for (int i = from; i < rounds.values().size(); i += 2) out.add(rounds.values().get(i));
    return new Series(out);
  }

  /**
   * √(r₀·r₁), √(r₂·r₃)…: one value per pair of rounds, one of each order. Every JVM of paired.txt
   * gives an even number of rounds (CheapCallsPaired rounds its count up), so no pair spans two.
   */
  static Series pairsGeometricMean(Series rounds) {
    List<Double> out = new ArrayList<>();
    List<Double> v = rounds.values();
    for (int i = 0; i + 1 < v.size(); i += 2) out.add(Math.sqrt(v.get(i) * v.get(i + 1)));
    return new Series(out);
  }

  static void cheapRow(StringBuilder md, String call, String who, Series s, double base, double raw, String b) {
    md.append("| ").append(call).append(" | ").append(who).append(" | ").append(fmt(s.median(), 2)).append(" | ")
        .append(fmt(s.min(), 2)).append("–").append(fmt(s.max(), 2)).append(" | ")
        .append(ratio(s.median(), base)).append(" | ").append(ratio(s.median(), raw)).append(" | ").append(b).append(" |\n");
  }

  static void pingpong(Path dir, StringBuilder md) throws IOException {
    header(md, TITLES.get("pingpong"), dir);
    Map<String, String> meta = readMeta(dir.resolve("meta.txt"));
    md.append("One round trip: 1 byte written, the 1-byte echo read back, TCP_NODELAY. Every contender is the client;\n")
        .append("the peer is the same C echo server (`bench-pingpong server`) for all. CPUs (client,peer): ")
        .append(meta.getOrDefault("cpus", "?")).append(".\n\n");
    Map<String, Series> c = readC(dir.resolve("c.txt"), "ns_per_roundtrip");
    List<JmhResult> jmh = readJmh(dir.resolve("jmh.json"));
    md.append("| contender | median µs/round trip | min–max µs | ratio to C | B/op |\n");
    md.append("|---|---:|---:|---:|---:|\n");
    Series cs = c.get("pingpong");
    double base = cs == null ? Double.NaN : cs.median() / 1e3;
    if (cs != null) row(md, null, "C", cs.scaled(1e-3), base, "–", 2);
    for (JmhResult r : sorted(jmh)) row(md, null, r.contender(), r.nsPerOp().scaled(1e-3), base, bytes(r.bytesPerOp()), 2);
    md.append('\n');
  }

  static void bulk(Path dir, StringBuilder md) throws IOException {
    header(md, TITLES.get("bulk"), dir);
    md.append("1 GiB per op over one TCP connection: 64 KiB writes by one thread, 64 KiB reads by another thread of the same\n")
        .append("contender; an op ends when the reader has the last byte. Throughput in MiB/s (higher is better);\n")
        .append("the ratio to C is of the time (lower is better).\n\n");
    Map<String, Series> c = readC(dir.resolve("c.txt"), "ns_per_64k_op");
    List<JmhResult> jmh = readJmh(dir.resolve("jmh.json"));
    double chunks = (double) BULK_BYTES_PER_OP / BULK_CHUNK;
    md.append("| contender | median MiB/s | min–max MiB/s | median ns per 64 KiB write | ratio to C (time) | B per 64 KiB write |\n");
    md.append("|---|---:|---:|---:|---:|---:|\n");
    Series cs = c.get("bulk");
    double base = cs == null ? Double.NaN : cs.median();
    if (cs != null) bulkRow(md, "C", cs, base, "–");
    for (JmhResult r : sorted(jmh)) {
      Series perChunk = r.nsPerOp().scaled(1 / chunks);
      String b = r.bytesPerOp() == null ? "?" : fmt(r.bytesPerOp().median() / chunks, 3);
      bulkRow(md, r.contender(), perChunk, base, b);
    }
    md.append('\n');
  }

  static void bulkRow(StringBuilder md, String who, Series nsPer64k, double base, String b) {
    Series mibs = nsPer64k.inverted(BULK_CHUNK / (1024.0 * 1024.0) * 1e9);
    md.append("| ").append(who).append(" | ").append(fmt(mibs.median(), 0)).append(" | ")
        .append(fmt(mibs.min(), 0)).append("–").append(fmt(mibs.max(), 0)).append(" | ")
        .append(fmt(nsPer64k.median(), 0)).append(" | ").append(ratio(nsPer64k.median(), base)).append(" | ")
        .append(b).append(" |\n");
  }

  static void echo(Path dir, StringBuilder md) throws IOException {
    header(md, TITLES.get("echo"), dir);
    Map<String, String> meta = readMeta(dir.resolve("meta.txt"));
    md.append("Single-threaded servers; one C load generator for all (`echo-load PORT ").append(meta.getOrDefault("load", "?"))
        .append("`: connections, message bytes, warm-up s, round s, rounds), each connection with one message in flight.\n")
        .append(meta.getOrDefault("cycles", "?")).append(" paired cycles: in each, every server is started afresh, in an order rotated from cycle to cycle,\n")
        .append("and loaded twice: *closed loop* (each connection sends its next message as soon as the echo is back), then, the server\n")
        .append("warm, *fixed rate* (`-R ").append(meta.getOrDefault("rate", "?"))
        .append("` messages/s in all, below saturation; latency counted from when a message was due).\n")
        .append("Each server is compared with the C epoll server **within each cycle** (its median over the cycle's rounds ÷ C's);\n")
        .append("the table gives the median of those ratios across cycles and their min–max.\n\n")
        .append("**The primary figure is the server's CPU time per message** (all its threads, JIT and GC included). On this 2-core machine\n")
        .append("the load generator needs about one core of its own: under the closed loop it, not the server, limits messages/s,\n")
        .append("which then swing with scheduling; msgs/s is shown, but it says little about the servers.\n\n");
    Map<String, String> names = new LinkedHashMap<>();
    names.put("c-epoll", "C, epoll");
    names.put("facade-epoll", "facade, epoll");
    names.put("facade-poll", "facade, poll");
    names.put("nio", "JDK NIO Selector");
    // mode -> server -> cycle -> metric -> median over the cycle's rounds
    Map<String, Map<String, Map<String, Map<String, Double>>>> data = new LinkedHashMap<>();
    try (var files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String f = p.getFileName().toString();
        var m = java.util.regex.Pattern.compile("(loop|rate)-(.+)-c(\\d+)\\.txt").matcher(f);
        if (!m.matches()) continue;
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String metric : List.of("msgs_per_s", "p50_us", "p99_us", "server_cpu_us_per_msg", "load_cpu_pct")) {
          Series x = readC(p, metric).get("echo");
          if (x != null) metrics.put(metric, x.median());
        }
        data.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).computeIfAbsent(m.group(2), k -> new LinkedHashMap<>()).put(m.group(3), metrics);
        if (!names.containsKey(m.group(2))) names.put(m.group(2), m.group(2));
      }
    }
    md.append("| server | CPU/msg µs, closed loop | ÷ C (min–max) | CPU/msg µs, fixed rate | ÷ C (min–max) "
        + "| msgs/s, closed loop | ÷ C (min–max) | p50 µs, fixed rate | ÷ C (min–max) | p99 µs, fixed rate | ÷ C (min–max) | load CPU %, closed loop |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String server : names.keySet()) {
      if (!data.getOrDefault("loop", Map.of()).containsKey(server)) continue;
      md.append("| ").append(names.get(server))
          .append(echoCells(data, "loop", server, "server_cpu_us_per_msg", 2))
          .append(echoCells(data, "rate", server, "server_cpu_us_per_msg", 2))
          .append(echoCells(data, "loop", server, "msgs_per_s", 0))
          .append(echoCells(data, "rate", server, "p50_us", 0))
          .append(echoCells(data, "rate", server, "p99_us", 0))
          .append(" | ").append(fmt(medianOverCycles(data, "loop", server, "load_cpu_pct"), 0)).append(" |\n");
    }
    md.append('\n');
  }

  /** The server's value (median over cycles) and its per-cycle ratio to C: median (min–max). */
  static String echoCells(Map<String, Map<String, Map<String, Map<String, Double>>>> data, String mode, String server, String metric, int digits) {
    Map<String, Map<String, Double>> mine = data.getOrDefault(mode, Map.of()).getOrDefault(server, Map.of());
    Map<String, Map<String, Double>> c = data.getOrDefault(mode, Map.of()).getOrDefault("c-epoll", Map.of());
    List<Double> ratios = new ArrayList<>();
    for (var e : mine.entrySet()) {
      Double x = e.getValue().get(metric), base = c.getOrDefault(e.getKey(), Map.of()).get(metric);
      if (x != null && base != null && base > 0) ratios.add(x / base);
    }
    Series r = new Series(ratios);
    return " | " + fmt(medianOverCycles(data, mode, server, metric), digits) + " | "
        + (ratios.isEmpty() ? "–" : fmt(r.median(), 2) + " (" + fmt(r.min(), 2) + "–" + fmt(r.max(), 2) + ")");
  }

  static double medianOverCycles(Map<String, Map<String, Map<String, Map<String, Double>>>> data, String mode, String server, String metric) {
    List<Double> v = new ArrayList<>();
    for (Map<String, Double> m : data.getOrDefault(mode, Map.of()).getOrDefault(server, Map.of()).values()) {
      if (m.get(metric) != null) v.add(m.get(metric));
    }
    return new Series(v).median();
  }

  static double base(Map<String, Series> c, String metric) {
    return c == null ? Double.NaN : c.get(metric).median();
  }

  static String range(Series s, int digits) {
    return fmt(s.min(), digits) + "–" + fmt(s.max(), digits);
  }

  // ---------------------------------------------------------------- table helpers

  static void header(StringBuilder md, String title, Path dir) throws IOException {
    Map<String, String> meta = readMeta(dir.resolve("meta.txt"));
    md.append("## ").append(title).append("\n\n");
    md.append("Measured ").append(meta.getOrDefault("date", "?"));
    if ("1".equals(meta.get("quick"))) md.append(" — **quick run (`--quick`): a smoke test, not a measurement**");
    md.append(".");
    if (meta.containsKey("loadavg_start")) {
      md.append(" Load average (1 min) of the machine at the start and the end of the run: ").append(meta.get("loadavg_start"))
          .append(" and ").append(meta.getOrDefault("loadavg_end", "?"))
          .append(" (2 CPUs; the benchmark itself accounts for about 1–2 of it).");
    }
    md.append("\n\n");
  }

  static void row(StringBuilder md, String first, String who, Series s, double base, String b, int digits) {
    md.append("| ");
    if (first != null) md.append(first).append(" | ");
    md.append(who).append(" | ").append(fmt(s.median(), digits)).append(" | ")
        .append(fmt(s.min(), digits)).append("–").append(fmt(s.max(), digits)).append(" | ")
        .append(ratio(s.median(), base)).append(" | ").append(b).append(" |\n");
  }

  static String callName(String method) {
    return switch (method) {
      case "getsockopt_so_type" -> "`getsockopt(SOL_SOCKET, SO_TYPE)`";
      case "fcntl_f_getfl" -> "`fcntl(F_GETFL)`";
      case "close_ebadf" -> "`close(-1)` → EBADF";
      case "accept_eagain" -> "`accept` → EAGAIN";
      case "read_eagain" -> "`read` → EAGAIN";
      case "write_eagain" -> "`write` → EAGAIN";
      case "sendto_eagain" -> "`sendto` → EAGAIN";
      case "recvfrom_eagain" -> "`recvfrom` → EAGAIN";
      case "epoll_wait_empty" -> "`epoll_wait(…, 0)` → 0";
      default -> "`" + method + "`";
    };
  }

  static String ratio(double x, double base) {
    return Double.isNaN(base) || Double.isNaN(x) ? "–" : fmt(x / base, 2);
  }

  static String bytes(Series s) {
    if (s == null) return "?";
    double m = s.median();
    return m < 0.5 ? "0" : fmt(m, 0);
  }

  static String fmt(double x, int digits) {
    if (Double.isNaN(x)) return "?";
    return String.format(Locale.ROOT, "%,." + digits + "f", x);
  }

  static void note(List<String> notes, String n) {
    if (!notes.contains(n)) notes.add(n);
  }

  /** facade, raw FFM + errno capture, raw bindings, then the others in the order of their labels. */
  static List<JmhResult> sorted(List<JmhResult> rs) {
    List<String> order = List.of("facade", "raw FFM + errno capture", "raw bindings");
    List<JmhResult> out = new ArrayList<>(rs);
    out.sort((a, b) -> {
      int ia = order.indexOf(a.contender()), ib = order.indexOf(b.contender());
      ia = ia < 0 ? order.size() : ia;
      ib = ib < 0 ? order.size() : ib;
      return ia != ib ? Integer.compare(ia, ib) : a.contender().compareTo(b.contender());
    });
    return out;
  }

  static String contender(String suffix) {
    return switch (suffix) {
      case "Facade" -> "facade";
      case "Raw" -> "raw bindings";
      case "RawCapture" -> "raw FFM + errno capture";
      case "Jdk", "Nio" -> "JDK NIO";
      case "Jnr" -> "jnr-posix";
      case "Socket" -> "java.net.Socket";
      default -> suffix;
    };
  }

  // ---------------------------------------------------------------- readers

  static Map<String, String> readMeta(Path p) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(p)) return m;
    for (String line : Files.readAllLines(p)) {
      int eq = line.indexOf('=');
      if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
    }
    return m;
  }

  /** name -> values of the lines "name METRIC value" of a C program's output. */
  static Map<String, Series> readC(Path p, String metric) throws IOException {
    Map<String, List<Double>> m = new LinkedHashMap<>();
    if (!Files.exists(p)) return Map.of();
    for (String line : Files.readAllLines(p)) {
      if (line.startsWith("#")) continue;
      String[] w = line.trim().split("\\s+");
      if (w.length == 3 && w[1].equals(metric)) {
        m.computeIfAbsent(w[0], k -> new ArrayList<>()).add(Double.parseDouble(w[2]));
      }
    }
    Map<String, Series> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, new Series(v)));
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<JmhResult> readJmh(Path p) throws IOException {
    List<JmhResult> out = new ArrayList<>();
    if (!Files.exists(p)) return out;
    List<Object> results = (List<Object>) new Json(Files.readString(p)).value();
    for (Object o : results) {
      Map<String, Object> r = (Map<String, Object>) o;
      String name = (String) r.get("benchmark");
      if (!name.startsWith(PKG)) continue;
      String cls = name.substring(PKG.length(), name.lastIndexOf('.'));
      String method = name.substring(name.lastIndexOf('.') + 1);
      String suffix = cls.replaceFirst("^(CheapCalls|PingPong|Bulk)", "");
      String label = contender(suffix);
      Map<String, Object> params = (Map<String, Object>) r.get("params");
      if (params != null) {
        for (var e : params.entrySet()) {
          if (!(e.getKey().equals("peer") && e.getValue().equals("c"))) label += " (" + e.getKey() + "=" + e.getValue() + ")";
        }
      }
      Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
      Series ns = flatten(primary.get("rawData")).scaled(toNanos((String) primary.get("scoreUnit")));
      Series alloc = null;
      Map<String, Object> secondary = (Map<String, Object>) r.get("secondaryMetrics");
      if (secondary != null && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
        alloc = flatten(norm.get("rawData"));
      }
      out.add(new JmhResult(cls, label, method, ns, alloc, ((Number) r.get("forks")).intValue(),
          ((Number) r.get("measurementIterations")).intValue()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Series flatten(Object rawData) {
    List<Double> v = new ArrayList<>();
    for (Object fork : (List<Object>) rawData) {
      for (Object x : (List<Object>) fork) v.add(x instanceof Number n ? n.doubleValue() : Double.NaN);
    }
    return new Series(v);
  }

  static double toNanos(String unit) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
    };
  }

  /** Enough of JSON for JMH's output: objects, arrays, strings, numbers, true/false/null. */
  static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      switch (c) {
        case '{' -> {
          Map<String, Object> m = new LinkedHashMap<>();
          i++;
          skip();
          if (s.charAt(i) == '}') { i++; return m; }
          for (;;) {
            skip();
            String k = string();
            skip();
            expect(':');
            m.put(k, value());
            skip();
            if (s.charAt(i++) == '}') return m;
          }
        }
        case '[' -> {
          List<Object> l = new ArrayList<>();
          i++;
          skip();
          if (s.charAt(i) == ']') { i++; return l; }
          for (;;) {
            l.add(value());
            skip();
            if (s.charAt(i++) == ']') return l;
          }
        }
        case '"' -> {
          return string();
        }
        default -> {
          int start = i;
          while (i < s.length() && ",]} \t\r\n".indexOf(s.charAt(i)) < 0) i++;
          String w = s.substring(start, i);
          return switch (w) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> Double.parseDouble(w);
          };
        }
      }
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      for (;;) {
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c == '\\') {
          char e = s.charAt(i++);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            case 'b' -> b.append('\b');
            case 'f' -> b.append('\f');
            case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
            default -> b.append(e);
          }
        } else {
          b.append(c);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) throw new IllegalStateException("JSON: expected '" + c + "' at " + i);
      i++;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
  }
}

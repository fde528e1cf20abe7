package io.github.panamasockets.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C programs of native/bench/ (built into native/build/ by {@code make -C native/bench}),
 * started from the benchmarks as peers.
 *
 * <p>Where they are: the directory in the environment variable {@code PSOCK_BENCH_NATIVE}
 * (benchmarks/run sets it; JMH's forked JVMs inherit the environment), else the system property
 * {@code psock.bench.native}, else {@code native/build} or {@code ../native/build} from the
 * working directory.
 */
final class Natives {
  private Natives() {}

  static Path binary(String name) {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("PSOCK_BENCH_NATIVE");
    if (env != null && !env.isEmpty()) candidates.add(Path.of(env));
    String prop = System.getProperty("psock.bench.native");
    if (prop != null && !prop.isEmpty()) candidates.add(Path.of(prop));
    candidates.add(Path.of("native", "build"));
    candidates.add(Path.of("..", "native", "build"));
    for (Path dir : candidates) {
      Path p = dir.resolve(name);
      if (Files.isExecutable(p)) return p.toAbsolutePath();
    }
    throw new IllegalStateException(name + " not found in " + candidates
        + ": build it with `make -C native/bench` and set PSOCK_BENCH_NATIVE to native/build");
  }

  /** A C server started as a child process, which has printed "listening on port N". */
  static final class Server implements AutoCloseable {
    final Process process;
    final int port;

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    /** Starts {@code native/build/NAME ARGS...} and waits (10 s at most) for its port. */
    static Server start(String name, String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(binary(name).toString());
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("listening on port ")) {
          return new Server(p, Integer.parseInt(line.substring("listening on port ".length()).trim()));
        }
        if (System.nanoTime() > deadline) break;
      }
      p.destroyForcibly();
      throw new IOException(cmd + " did not say which port it listens on");
    }

    @Override
    public void close() throws IOException {
      process.destroy(); // SIGTERM
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}

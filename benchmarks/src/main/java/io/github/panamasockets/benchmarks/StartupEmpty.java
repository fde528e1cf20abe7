package io.github.panamasockets.benchmarks;

/** Start-up contender "empty JVM": a main that returns, the JVM's own floor. */
public final class StartupEmpty {
  private StartupEmpty() {}

  public static void main(String[] args) {}
}

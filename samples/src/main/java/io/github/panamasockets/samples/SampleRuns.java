package io.github.panamasockets.samples;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs samples as the tour and the tests do: each a process of its own (the Java port in a JVM,
 * or its C twin from native/build), servers with their clients on 127.0.0.1, every wait
 * bounded, nothing left running. What a run printed comes back as an {@link Output}.
 */
final class SampleRuns {
    private SampleRuns() {}

    /** Which implementation of a sample runs: the C twin or the Java port. */
    enum Lang {
        C, JAVA;

        String title() { return this == C ? "C" : "Java"; }
    }

    /** What one process printed and how it ended; exit is -1 when it had to be killed. */
    record Output(String label, List<String> stdout, List<String> stderr, int exit, boolean timedOut) {}

    /** A server and what its clients printed. */
    record PairOutput(Output server, List<Output> clients) {
        List<Output> all() {
            List<Output> all = new ArrayList<>();
            all.add(server);
            all.addAll(clients);
            return all;
        }
    }

    /**
     * What the tour and the tests run: a server sample with its clients, one after another
     * (so that every line's order is fixed, see native/samples/README.md), or a sample alone.
     */
    record Scenario(String sample, List<String> args, String client, List<List<String>> clientMessages) {
        boolean isPair() { return client != null; }

        /** The server's arguments: port 0 (the kernel chooses), then how many clients, if it takes that. */
        static Scenario pair(String server, boolean takesClientCount, String client, List<List<String>> clientMessages) {
            List<String> args = takesClientCount ? List.of("0", String.valueOf(clientMessages.size())) : List.of("0");
            return new Scenario(server, args, client, clientMessages);
        }

        static Scenario alone(String sample, String... args) {
            return new Scenario(sample, List.of(args), null, List.of());
        }

        /** "tcp-loop-server 0 2, 2 tcp-client": the display name of a test. */
        @Override
        public String toString() {
            String s = sample + (args.isEmpty() ? "" : " " + String.join(" ", args));
            return isPair() ? s + ", " + clientMessages.size() + " " + client : s;
        }

        List<String> clientArgs(int client, int port) {
            List<String> a = new ArrayList<>(List.of("127.0.0.1", String.valueOf(port)));
            a.addAll(clientMessages.get(client));
            return a;
        }
    }

    /** Two clients: the first sends two messages, the second one. */
    static final List<List<String>> TWO_CLIENTS = List.of(List.of("hello", "panama sockets"), List.of("second client"));

    /** Every sample, as the tour runs it. */
    static final List<Scenario> SCENARIOS = List.of(
            Scenario.pair("tcp-server", false, "tcp-client", List.of(List.of("hello", "panama sockets"))),
            Scenario.pair("tcp-loop-server", true, "tcp-client", TWO_CLIENTS),
            Scenario.pair("tcp-fork-server", true, "tcp-client", TWO_CLIENTS),
            Scenario.pair("tcp-thread-server", true, "tcp-client", TWO_CLIENTS),
            Scenario.pair("select-server", true, "tcp-client", TWO_CLIENTS),
            Scenario.pair("udp-server", true, "udp-client", TWO_CLIENTS),
            Scenario.pair("udp-concurrent-server", true, "udp-client", TWO_CLIENTS),
            Scenario.alone("udp-connected"),
            Scenario.alone("blocked-state"),
            Scenario.alone("backlog", "3", "10"),
            Scenario.alone("tcp-states"),
            Scenario.alone("raw-ping"),
            Scenario.alone("unix-echo"));

    /** The exit status with which a sample says "skipped" (raw-ping without CAP_NET_RAW), as automake counts it. */
    static final int SKIPPED = 77;

    static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

    /** Where each line a process prints goes as it comes, beside being kept: the tour's screen. */
    interface Console {
        void line(String label, boolean stderr, String text);

        Console SILENT = (label, stderr, text) -> {};
    }

    /** Lets a test run a command under another (strace): role is "server", "client 1", ... or "sample". */
    interface Wrapper {
        List<String> wrap(String role, List<String> command);

        Wrapper NONE = (role, command) -> command;
    }

    /** The project's root: psock.root when set (./psock and the build set it), else the nearest directory up with native/samples. */
    static Path root() {
        String property = System.getProperty("psock.root");
        if (property != null && Files.isDirectory(Path.of(property, "native", "samples"))) return Path.of(property).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("native").resolve("samples"))) return p;
        }
        throw new IllegalStateException("cannot find the project's root (a directory with native/samples) from " + Path.of("").toAbsolutePath()
                + "; set -Dpsock.root");
    }

    /** How to start a sample: the Java port on a class path, or the C twin from root/native/build. */
    record Commands(Path root, String classpath, List<String> jvmOptions) {
        List<String> of(Lang lang, String sample, List<String> args) {
            List<String> command = new ArrayList<>();
            if (lang == Lang.C) {
                Path binary = cBinary(sample);
                if (!Files.isExecutable(binary)) {
                    throw new IllegalStateException("the C twin " + binary + " is missing: build it with `make -C native` (./psock build does)");
                }
                command.add(binary.toString());
            } else {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.add("--enable-native-access=ALL-UNNAMED");
                command.addAll(jvmOptions);
                command.addAll(List.of("-cp", classpath, Launcher.class.getName(), sample));
            }
            command.addAll(args);
            return command;
        }

        Path cBinary(String sample) {
            return root.resolve("native").resolve("build").resolve(sample);
        }
    }

    /** Runs a sample alone. */
    static Output runAlone(Commands commands, Scenario s, Lang lang, Wrapper wrapper, Console console) throws IOException {
        String label = lang.title() + " " + s.sample();
        try (Proc p = new Proc(label, wrapper.wrap("sample", commands.of(lang, s.sample(), s.args())), console)) {
            return p.await();
        }
    }

    /** Runs a server and, one after another, its clients; the server must print its port first. */
    static PairOutput runPair(Commands commands, Scenario s, Lang serverLang, Lang clientLang, Wrapper wrapper, Console console)
            throws IOException {
        String serverLabel = serverLang.title() + " " + s.sample();
        try (Proc server = new Proc(serverLabel, wrapper.wrap("server", commands.of(serverLang, s.sample(), s.args())), console)) {
            int port = server.awaitPort();
            if (port < 0) {
                server.kill(); // it will not serve anyone: do not wait for it
                return new PairOutput(server.await(), List.of());
            }
            List<Output> clients = new ArrayList<>();
            for (int i = 0; i < s.clientMessages().size(); i++) {
                String label = clientLang.title() + " " + s.client() + (s.clientMessages().size() > 1 ? " " + (i + 1) : "");
                List<String> command = commands.of(clientLang, s.client(), s.clientArgs(i, port));
                try (Proc client = new Proc(label, wrapper.wrap("client " + (i + 1), command), console)) {
                    clients.add(client.await());
                }
            }
            return new PairOutput(server.await(), clients);
        }
    }

    // "port 40123", "port:40123": port numbers change from run to run; all else must not.
    private static final Pattern PORT = Pattern.compile("(port[ :])(\\d+)");

    /**
     * The lines with each port number replaced by its rank among the ports of this output
     * ("port:P1"), so that two runs compare equal when they print the same lines about the same
     * ports, whichever numbers the kernel chose.
     */
    static List<String> normalised(List<String> lines) {
        Map<String, Integer> ranks = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PORT.matcher(line);
            StringBuilder s = new StringBuilder();
            while (m.find()) {
                int rank = ranks.computeIfAbsent(m.group(2), k -> ranks.size() + 1);
                m.appendReplacement(s, Matcher.quoteReplacement(m.group(1) + "P" + rank));
            }
            m.appendTail(s);
            out.add(s.toString());
        }
        return out;
    }

    /** Null when other printed what reference printed (ports normalised) and exited alike; else what differs. */
    static String difference(Output reference, Output other) {
        if (other.timedOut()) return other.label() + " did not end within " + PROCESS_TIMEOUT.toSeconds() + " s";
        if (reference.exit() != other.exit()) return other.label() + " exited " + other.exit() + " where " + reference.label() + " exited " + reference.exit();
        List<String> a = normalised(reference.stdout()), b = normalised(other.stdout());
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(nothing)", y = i < b.size() ? b.get(i) : "(nothing)";
            if (!x.equals(y)) return "line " + (i + 1) + ": " + reference.label() + " printed \"" + x + "\", " + other.label() + " printed \"" + y + "\"";
        }
        return null;
    }

    /**
     * A line of the facade's trace in the samples' slf4j-simple form: "[main] DEBUG socket(...) = 3".
     * The tour sends the trace to stdout (so that it stays in order with what the program prints);
     * such a line counts as stderr, where it goes otherwise: stdout is what is compared with C.
     */
    static final Pattern TRACE_LINE = Pattern.compile("\\[[^\\]]+] DEBUG .*");

    /** A process with its output pumped into lists as it comes; close() kills it and its descendants if still running. */
    static final class Proc implements AutoCloseable {
        private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

        final String label;
        private final Process process;
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<String> firstLine = new CompletableFuture<>();
        private final Thread outPump, errPump;

        Proc(String label, List<String> command, Console console) throws IOException {
            this.label = label;
            this.process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            this.outPump = pump(process.getInputStream(), stdout, false, console);
            this.errPump = pump(process.getErrorStream(), stderr, true, console);
        }

        private Thread pump(InputStream in, List<String> lines, boolean isStderr, Console console) {
            return Thread.ofPlatform().daemon().name("pump " + label).start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        boolean trace = !isStderr && TRACE_LINE.matcher(line).matches();
                        (trace ? stderr : lines).add(line);
                        if (!isStderr && !trace) firstLine.complete(line);
                        console.line(label, isStderr || trace, line);
                    }
                } catch (IOException e) {
                    lines.add("(reading the output failed: " + e + ")");
                } finally {
                    if (!isStderr) firstLine.complete(null);
                }
            });
        }

        /** The port of the first line, "listening on port N", or -1 if the process printed something else or nothing in time. */
        int awaitPort() {
            try {
                String line = firstLine.get(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Matcher m = line == null ? null : LISTENING.matcher(line);
                return m != null && m.matches() ? Integer.parseInt(m.group(1)) : -1;
            } catch (TimeoutException e) {
                return -1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Waits for the end, PROCESS_TIMEOUT at most (then kills it), and for the last lines. */
        Output await() {
            boolean ended;
            try {
                ended = process.waitFor(PROCESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) kill();
                outPump.join(Duration.ofSeconds(5));
                errPump.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                ended = false;
            }
            synchronized (stdout) {
                synchronized (stderr) {
                    return new Output(label, List.copyOf(stdout), List.copyOf(stderr), ended ? process.exitValue() : -1, !ended);
                }
            }
        }

        /** Kills the process and its descendants (a Java tcp-fork-server's children, strace's tracee). */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (process.isAlive() || process.descendants().findAny().isPresent()) kill();
            try {
                outPump.join(Duration.ofSeconds(5));
                errPump.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

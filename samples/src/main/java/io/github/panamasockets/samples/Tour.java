package io.github.panamasockets.samples;

import io.github.panamasockets.samples.SampleRuns.Commands;
import io.github.panamasockets.samples.SampleRuns.Lang;
import io.github.panamasockets.samples.SampleRuns.Output;
import io.github.panamasockets.samples.SampleRuns.PairOutput;
import io.github.panamasockets.samples.SampleRuns.Scenario;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * ./psock tour: every sample end to end on 127.0.0.1, the Java port against its C twin. A server
 * sample runs three times: its C twin with C clients (the reference), the Java server with C
 * clients, the C server with Java clients; a sample that stands alone runs as C, then as Java.
 * The Java runs have the facade's trace on, so each call shows with its result and errno; the
 * trace goes to the program's stdout, so that calls and printed lines show in the order they
 * happened, and a run of identical trace lines is folded into one line that counts them. At the
 * end a table says what ran and whether it printed what the C printed (ports aside) and exited
 * alike. Arguments, if any, are sample names: only those run.
 */
final class Tour {
    private Tour() {}

    /** One line of the final table. */
    record Row(String sample, String run, String result, boolean ok) {}

    static int run(List<String> only) throws IOException {
        for (String name : only) {
            if (SampleRuns.SCENARIOS.stream().noneMatch(s -> s.sample().equals(name))) {
                System.err.println("tour: no sample named " + name + "; ./psock list shows them");
                return 2;
            }
        }
        long start = System.nanoTime();
        // The trace on the program's stdout: one pipe keeps calls and printed lines in order.
        Commands commands = new Commands(SampleRuns.root(), System.getProperty("java.class.path"),
                List.of("-D" + Launcher.TRACE_PROPERTY + "=debug", "-Dorg.slf4j.simpleLogger.logFile=System.out"));
        System.out.println("""
                The tour: every sample on 127.0.0.1, the Java port against its C twin (native/build/NAME).
                Each line is labelled with who printed it. After the label, '|' is what the program printed
                on stdout, ':' the rest: for a Java port, the facade's trace, one line per call as strace
                shows it, with errno's name and text when a call fails, in order with what it printed
                ("... 246 more identical sendto lines" folds repeats); perror's messages.
                """);
        List<Row> rows = new ArrayList<>();
        for (Scenario s : SampleRuns.SCENARIOS) {
            if (!only.isEmpty() && !only.contains(s.sample())) continue;
            if (s.isPair()) pair(commands, s, rows);
            else alone(commands, s, rows);
        }
        if (only.isEmpty()) errnoRound(commands, rows);
        printTable(rows, (System.nanoTime() - start) / 1e9);
        return rows.stream().allMatch(Row::ok) ? 0 : 1;
    }

    private static void pair(Commands commands, Scenario s, List<Row> rows) throws IOException {
        String clients = s.clientMessages().size() == 1 ? " client" : " clients";
        heading(s.sample() + ": C server, C" + clients + " (the reference)");
        PairOutput reference = SampleRuns.runPair(commands, s, Lang.C, Lang.C, SampleRuns.Wrapper.NONE, SCREEN);
        SCREEN.flush();
        rows.add(referenceRow(s.sample(), "C server + C" + clients, reference.all()));
        for (Lang[] langs : new Lang[][] {{Lang.JAVA, Lang.C}, {Lang.C, Lang.JAVA}}) {
            String run = langs[0].title() + " server + " + langs[1].title() + clients;
            heading(s.sample() + ": " + run);
            PairOutput out = SampleRuns.runPair(commands, s, langs[0], langs[1], SampleRuns.Wrapper.NONE, SCREEN);
            SCREEN.flush();
            rows.add(comparedRow(s.sample(), run, reference.all(), out.all()));
        }
    }

    private static void alone(Commands commands, Scenario s, List<Row> rows) throws IOException {
        String args = s.args().isEmpty() ? "" : " " + String.join(" ", s.args());
        heading(s.sample() + args + ": C (the reference)");
        Output reference = SampleRuns.runAlone(commands, s, Lang.C, SampleRuns.Wrapper.NONE, SCREEN);
        SCREEN.flush();
        rows.add(referenceRow(s.sample(), "C" + args, List.of(reference)));
        heading(s.sample() + args + ": Java");
        Output java = SampleRuns.runAlone(commands, s, Lang.JAVA, SampleRuns.Wrapper.NONE, SCREEN);
        SCREEN.flush();
        rows.add(comparedRow(s.sample(), "Java" + args, List.of(reference), List.of(java)));
    }

    /** A short errno round: three experiments of the errno atlas (./psock errno lists them all), C then Java. */
    private static void errnoRound(Commands commands, List<Row> rows) throws IOException {
        for (String name : List.of("ECONNREFUSED", "EAGAIN", "EPIPE")) {
            ErrnoAtlasCommand.Entry e = ErrnoAtlasCommand.entry(name);
            heading("errno " + name + ": C, then Java with its trace (./psock errno " + name + " explains it)");
            ErrnoAtlasCommand.Run c = ErrnoAtlasCommand.run(commands, e, Lang.C, false);
            SCREEN.line("C errno-atlas " + name, false, c.verdict());
            ErrnoAtlasCommand.Run java = ErrnoAtlasCommand.run(commands, e, Lang.JAVA, true);
            for (String line : java.trace()) SCREEN.line("Java errno-atlas " + name, true, line);
            SCREEN.line("Java errno-atlas " + name, false, java.verdict());
            SCREEN.flush();
            boolean same = c.exit() == 0 && java.exit() == 0 && c.verdict().equals(java.verdict());
            rows.add(new Row("errno " + name, "C, then Java", same ? "same as C: " + java.verdict().replaceFirst("^failed: ", "")
                    : "DIFFERS: C " + c.verdict() + ", Java " + java.verdict(), same));
        }
    }

    private static Row referenceRow(String sample, String run, List<Output> outputs) {
        for (Output o : outputs) {
            if (o.timedOut()) return new Row(sample, run, "FAILED: " + o.label() + " did not end", false);
            if (o.exit() == SampleRuns.SKIPPED) return new Row(sample, run, "skipped (exit 77), the reference", true);
            if (o.exit() != 0) return new Row(sample, run, "FAILED: " + o.label() + " exited " + o.exit(), false);
        }
        return new Row(sample, run, "the reference", true);
    }

    private static Row comparedRow(String sample, String run, List<Output> reference, List<Output> outputs) {
        if (outputs.size() != reference.size()) {
            return new Row(sample, run, "DIFFERS: " + outputs.getFirst().label() + " never printed its port", false);
        }
        for (int i = 0; i < outputs.size(); i++) {
            String diff = SampleRuns.difference(reference.get(i), outputs.get(i));
            if (diff != null) return new Row(sample, run, "DIFFERS: " + diff, false);
        }
        boolean skipped = outputs.stream().anyMatch(o -> o.exit() == SampleRuns.SKIPPED);
        return new Row(sample, run, skipped ? "skipped (exit 77), as the C" : "same as C", true);
    }

    private static void heading(String text) {
        synchronized (System.out) {
            System.out.println();
            System.out.println("=== " + text + " ===");
        }
    }

    static final FoldingScreen SCREEN = new FoldingScreen();

    /**
     * The tour's screen: each line labelled with who printed it; a trace line identical to the one
     * before it from the same process is not printed but counted, and the count shows as
     * "... N more identical sendto lines" before that process's next line, or at the end of the run.
     */
    static final class FoldingScreen implements SampleRuns.Console {
        private final java.util.Map<String, String> lastLine = new java.util.HashMap<>();
        private final java.util.Map<String, Integer> repeats = new java.util.HashMap<>();

        @Override
        public synchronized void line(String label, boolean stderr, String text) {
            boolean trace = SampleRuns.TRACE_LINE.matcher(text).matches();
            if (trace && text.equals(lastLine.get(label))) {
                repeats.merge(label, 1, Integer::sum);
                return;
            }
            flush(label);
            lastLine.put(label, trace ? text : null);
            print(label, stderr, text);
        }

        /** Prints the counts still held, for every process: the run is over. */
        synchronized void flush() {
            for (String label : List.copyOf(repeats.keySet())) flush(label);
            lastLine.clear();
        }

        private void flush(String label) {
            Integer n = repeats.remove(label);
            if (n == null) return;
            String last = lastLine.get(label);
            if (n == 1) print(label, true, last);
            else print(label, true, "... " + n + " more identical " + callName(last) + " lines");
        }

        /** "sendto" of "[main] DEBUG sendto(9, ...) = 65536" (or of "[main] DEBUG [pid    42] sendto(..."). */
        static String callName(String traceLine) {
            String call = traceLine.substring(traceLine.indexOf("DEBUG ") + 6).replaceFirst("^\\[pid +\\d+] ", "");
            int paren = call.indexOf('(');
            return paren > 0 ? call.substring(0, paren) : call;
        }

        private static void print(String label, boolean stderr, String text) {
            System.out.printf("  %-26s %s %s%n", label, stderr ? ":" : "|", text);
        }
    }

    private static void printTable(List<Row> rows, double seconds) {
        int w1 = "sample".length(), w2 = "run".length();
        for (Row r : rows) {
            w1 = Math.max(w1, r.sample().length());
            w2 = Math.max(w2, r.run().length());
        }
        String format = "%-" + w1 + "s  %-" + w2 + "s  %s%n";
        System.out.println();
        System.out.println("=== what ran, and whether it behaved as the C does (stdout and exit status, ports normalised) ===");
        System.out.printf(format, "sample", "run", "result");
        System.out.printf(format, "-".repeat(w1), "-".repeat(w2), "-".repeat(6));
        for (Row r : rows) System.out.printf(format, r.sample(), r.run(), r.result());
        long failed = rows.stream().filter(r -> !r.ok()).count();
        long same = rows.stream().filter(r -> r.result().equals("same as C")).count();
        long references = rows.stream().filter(r -> r.result().equals("the reference")).count();
        long skipped = rows.stream().filter(r -> r.result().startsWith("skipped")).count();
        System.out.printf("%n%d runs in %.1f s: %d references (C), %d Java runs the same as C, %d skipped (exit 77: a capability is missing), %d failed or differ.%n",
                rows.size(), seconds, references, same, skipped, failed);
        System.out.println(failed == 0 ? "Every Java port behaved as its C twin." : failed + " did not behave as the C does: see the table.");
    }
}

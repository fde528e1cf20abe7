package io.github.panamasockets.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * ./psock as a user meets it: wrong input gets one line saying what is wrong and the usage line,
 * exit status 2, never a stack trace or a bash error; the lab (./psock shell) replays its lessons;
 * ./psock java runs a single-file program. Each run is a real ./psock in a child process.
 */
@Timeout(120)
class PsockLauncherTest {

    @TempDir
    Path dir;

    record Run(int exit, List<String> stdout, List<String> stderr) {
        String all() {
            return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
        }
    }

    /** ./psock ARGS with stdin from the given file (or /dev/null), its outputs kept apart. */
    private Run psock(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SampleRuns.root().resolve("psock").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(SampleRuns.root().toFile())
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail("./psock " + String.join(" ", args) + " did not end within 90 s");
        }
        return new Run(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
    }

    @ParameterizedTest(name = "./psock {0}")
    @CsvSource(delimiter = '|', textBlock = """
            nonsense                   | psock: unknown command 'nonsense'                      | usage: ./psock tour|test|list
            run                        | psock: run: which sample? ./psock list shows them       | usage: ./psock run [--trace] NAME
            run --trace                | psock: run: which sample? ./psock list shows them       | usage: ./psock run [--trace] NAME
            run no-such-sample         | psock: no sample named 'no-such-sample'; ./psock list   | usage: ./psock run [--trace] NAME
            run-c                      | psock: run-c: which sample? ./psock list shows them     | usage: ./psock run-c NAME
            run-c no-such-sample       | psock: no sample named 'no-such-sample'; ./psock list   | usage: ./psock run-c NAME
            run-c --trace tcp-server   | psock: the C twins have no --trace                      | usage: ./psock run-c NAME
            tour no-such-sample        | psock: no sample named 'no-such-sample'                 | usage: ./psock tour [NAME...]
            test now                   | psock: test takes no arguments (got: now)               | usage: ./psock test
            shell a.jsh b.jsh          | psock: shell takes one script at most                   | usage: ./psock shell [--no-trace] [FILE.jsh]
            shell no-such-lesson.jsh   | psock: no such script: no-such-lesson.jsh              | usage: ./psock shell [--no-trace] [FILE.jsh]
            java                       | psock: java: which program?                             | usage: ./psock java [--trace] FILE.java
            java notes.txt             | psock: java runs a single source file, FILE.java        | usage: ./psock java [--trace] FILE.java
            run tcp-server 70000       | tcp-server: PORT must be a number from 0 to 65535, not '70000' | usage: tcp-server PORT
            run-c tcp-server 70000     | tcp-server: PORT must be a number from 0 to 65535, not '70000' | usage: tcp-server PORT
            run tcp-fork-server --child 1 2 3 | tcp-fork-server: takes 2 arguments, got 4       | usage: tcp-fork-server PORT CLIENTS
            """)
    void wrongInputGetsAReasonAndTheUsageLineAndExitStatus2(String args, String reason, String usage) throws Exception {
        Run r = psock(null, args.split(" "));
        assertEquals(2, r.exit(), r.all());
        assertEquals(2, r.stderr().size(), "one line of reason, one of usage: " + r.all());
        assertTrue(r.stderr().get(0).startsWith(reason), r.all());
        assertTrue(r.stderr().get(1).startsWith(usage), r.all());
        assertEquals(List.of(), r.stdout());
    }

    @Test
    void helpIsTheCommentAtTheTopOfPsock() throws Exception {
        Run r = psock(null, "help");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.stdout().getFirst().startsWith("Panama Sockets launcher"), r.all());
        assertTrue(r.stdout().stream().anyMatch(l -> l.contains("./psock shell [--no-trace] [FILE.jsh]")), r.all());
    }

    @Test
    void theBindLessonShowsEaddrinuseInTheTraceInPerrorAndInErrno() throws Exception {
        Run r = psock(null, "shell", "lab/bind-eaddrinuse.jsh");
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of("bind returned -1, errno 98 (EADDRINUSE)", "someone holds that port: pick another, or wait",
                "after two successful closes errno is still EADDRINUSE"), r.stdout().subList(1, r.stdout().size()), r.all());
        assertTrue(r.stdout().getFirst().matches("first socket: 127\\.0\\.0\\.1:\\d+"), r.all());
        String port = r.stdout().getFirst().replaceAll(".*:", "");
        assertTrue(r.stderr().stream().anyMatch(l -> l.matches("\\[main] DEBUG bind\\(\\d+, \\{sa_family=AF_INET, sin_port=htons\\(" + port
                + "\\), sin_addr=inet_addr\\(\"127\\.0\\.0\\.1\"\\)}, 16\\) = -1 EADDRINUSE \\(Address already in use\\)")), r.all());
        assertTrue(r.stderr().contains("bind: Address already in use"), r.all());
        assertFalse(String.join("\n", r.stderr()).contains("Exception"), r.all());
    }

    @Test
    void theSeedsLessonMakesTheWholeCallSequence() throws Exception {
        Run r = psock(null, "shell", "--no-trace", "lab/seeds-call-sequence.jsh");
        assertEquals(0, r.exit(), r.all());
        assertEquals(4, r.stdout().size(), r.all());
        assertTrue(r.stdout().get(0).matches("server listening on 127\\.0\\.0\\.1:\\d+"), r.all());
        assertTrue(r.stdout().get(1).matches("client ip:127\\.0\\.0\\.1, port:\\d+"), r.all());
        assertEquals(List.of("client received: hello", "server read 0: the client has closed"), r.stdout().subList(2, 4), r.all());
        assertEquals(List.of(), r.stderr(), "--no-trace: no trace lines");
    }

    @Test
    void theSelectLessonFindsOnlyTheSocketWithADatagram() throws Exception {
        Run r = psock(null, "shell", "--no-trace", "lab/select-two-sockets.jsh");
        assertEquals(0, r.exit(), r.all());
        assertEquals(5, r.stdout().size(), r.all());
        assertEquals("select: 0 ready", r.stdout().get(2), r.all());
        assertTrue(r.stdout().get(3).matches("select: 1 ready; fd \\d+ readable: false, fd \\d+ readable: true"), r.all());
        assertTrue(r.stdout().get(4).matches("fd \\d+ received: ping"), r.all());
    }

    @Test
    void theShellReadsAScriptFromStandardInput() throws Exception {
        Path script = dir.resolve("stdin.jsh");
        Files.writeString(script, """
                System.out.println(ntohs(htons(8888)) + " " + htons(8888));
                int fd = socket(AF_INET, SOCK_DGRAM, 0);
                close(fd);
                """);
        Run r = psock(script, "shell");
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of("8888 47138"), r.stdout(), r.all());
        assertEquals(2, r.stderr().size(), "the trace, on by default: " + r.all());
        assertTrue(r.stderr().get(0).matches("\\[main] DEBUG socket\\(AF_INET, SOCK_DGRAM, IPPROTO_IP\\) = \\d+"), r.all());
        assertTrue(r.stderr().get(1).matches("\\[main] DEBUG close\\(\\d+\\) = 0"), r.all());
    }

    @Test
    void javaRunsASingleFileProgramWithTheTraceOnRequest() throws Exception {
        Run plain = psock(null, "java", "lab/BindTwice.java");
        assertEquals(0, plain.exit(), plain.all());
        assertEquals(List.of("bind: Address already in use"), plain.stderr(), plain.all());
        Run traced = psock(null, "java", "--trace", "lab/BindTwice.java");
        assertEquals(0, traced.exit(), traced.all());
        assertEquals(8, traced.stderr().size(), traced.all());
        assertTrue(traced.stderr().get(4).endsWith(" = -1 EADDRINUSE (Address already in use)"), traced.all());
    }
}

package io.github.panamasockets.samples;

import io.github.panamasockets.samples.SampleRuns.Commands;
import io.github.panamasockets.samples.SampleRuns.Lang;
import io.github.panamasockets.samples.SampleRuns.Output;
import io.github.panamasockets.samples.SampleRuns.PairOutput;
import io.github.panamasockets.samples.SampleRuns.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static io.github.panamasockets.samples.SampleRuns.Wrapper.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each Java port, run against C twins and alone, prints line for line what its C twin prints
 * (port numbers normalised) and exits with the same status: the Java server with the C clients
 * prints what the C server prints with them, and the clients print what they print with a C
 * server; the Java client against the C server prints what the C client prints.
 */
@Timeout(120)
class JavaPortsPrintWhatTheirCTwinsPrintTest {

    private static final Commands COMMANDS = TestRuns.commands();

    /** The C twins with C clients: what the Java ports must print. One run per scenario, shared. */
    private static final Map<Scenario, PairOutput> REFERENCE = new ConcurrentHashMap<>();

    private static PairOutput reference(Scenario s) throws IOException {
        PairOutput out = REFERENCE.get(s);
        if (out == null) {
            out = SampleRuns.runPair(COMMANDS, s, Lang.C, Lang.C, NONE, SampleRuns.Console.SILENT);
            out.all().forEach(TestRuns::assertEndedWell);
            REFERENCE.put(s, out);
        }
        return out;
    }

    static Stream<Scenario> pairs() {
        return TestRuns.pairs();
    }

    static Stream<Scenario> alone() {
        return TestRuns.alone();
    }

    static Stream<String> names() {
        return TestRuns.names();
    }

    private static void assertSameAsC(List<Output> reference, List<Output> outputs) {
        assertEquals(reference.size(), outputs.size(), "the server never printed its port: " + TestRuns.all(outputs.getFirst()));
        for (int i = 0; i < outputs.size(); i++) {
            Output c = reference.get(i), java = outputs.get(i);
            TestRuns.assertEndedWell(java);
            assertEquals(String.join("\n", SampleRuns.normalised(c.stdout())), String.join("\n", SampleRuns.normalised(java.stdout())),
                    java.label() + " printed other lines than " + c.label());
            assertEquals(c.exit(), java.exit(), java.label() + " exit status");
            assertEquals(null, SampleRuns.difference(c, java)); // the tour's own check agrees
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void javaServerWithCClientsPrintsWhatTheCServerAndClientsPrint(Scenario s) throws IOException {
        PairOutput java = SampleRuns.runPair(COMMANDS, s, Lang.JAVA, Lang.C, NONE, SampleRuns.Console.SILENT);
        assertSameAsC(reference(s).all(), java.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void javaClientsWithCServerPrintWhatTheCClientsAndServerPrint(Scenario s) throws IOException {
        PairOutput java = SampleRuns.runPair(COMMANDS, s, Lang.C, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
        assertSameAsC(reference(s).all(), java.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alone")
    void javaPortAlonePrintsWhatItsCTwinPrints(Scenario s) throws IOException {
        TestRuns.assumePrivileges(s);
        Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, NONE, SampleRuns.Console.SILENT);
        Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
        TestRuns.assertEndedWell(c);
        assertSameAsC(List.of(c), List.of(java));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void badArgumentsGiveTheCTwinsUsageLineAndExitStatus2(String name) throws IOException {
        // "-1" is a bad argument for every sample: not a port, and more arguments than those that take none.
        Scenario s = Scenario.alone(name, "-1");
        Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, NONE, SampleRuns.Console.SILENT);
        Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
        assertEquals(2, c.exit(), "the C twin's exit status");
        assertEquals(2, c.stderr().size(), "the C twin prints what is wrong, then its usage line: " + c.stderr());
        assertTrue(c.stderr().getFirst().matches(name + ": .+"), c.stderr().getFirst());
        assertTrue(c.stderr().get(1).matches("usage: " + name + "( .*)?"), c.stderr().get(1));
        assertEquals(c.stderr(), java.stderr());
        assertEquals(List.of(), java.stdout());
        assertEquals(2, java.exit());
    }

    @Test
    void aPortOutOfRangeIsNamedWithItsRange() throws IOException {
        Scenario s = Scenario.alone("tcp-server", "70000");
        Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, NONE, SampleRuns.Console.SILENT);
        Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
        assertEquals(List.of("tcp-server: PORT must be a number from 0 to 65535, not '70000'", "usage: tcp-server PORT"), c.stderr());
        assertEquals(c.stderr(), java.stderr());
        assertEquals(2, java.exit());
    }

    @Test
    void tcpClientWithNobodyListeningFailsWithConnectionRefusedAsTheCClientDoes() throws IOException {
        int closedPort = closedPort();
        Scenario s = Scenario.alone("tcp-client", "127.0.0.1", String.valueOf(closedPort), "hello");
        Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, NONE, SampleRuns.Console.SILENT);
        Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
        assertEquals(List.of("connect: Connection refused"), c.stderr());
        assertEquals(1, c.exit());
        assertEquals(c.stderr(), java.stderr());
        assertEquals(c.stdout(), java.stdout());
        assertEquals(1, java.exit());
    }

    @Test
    @SuppressWarnings("try") // the sockets are held, not used
    void serverOnAPortInUseFailsWithAddressInUseAsTheCServerDoes() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // udp-server binds UDP: take the UDP port too, so that both twins meet EADDRINUSE.
            try (java.net.DatagramSocket udp = new java.net.DatagramSocket(taken.getLocalPort(), java.net.InetAddress.getLoopbackAddress())) {
                for (String server : List.of("tcp-server", "udp-server")) {
                    List<String> args = server.equals("tcp-server") ? List.of(String.valueOf(taken.getLocalPort())) : List.of(String.valueOf(taken.getLocalPort()), "1");
                    Scenario s = new Scenario(server, args, null, List.of());
                    Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, NONE, SampleRuns.Console.SILENT);
                    Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, NONE, SampleRuns.Console.SILENT);
                    assertEquals(List.of("bind: Address already in use"), c.stderr(), server);
                    assertEquals(c.stderr(), java.stderr(), server);
                    assertEquals(1, c.exit(), server);
                    assertEquals(1, java.exit(), server);
                }
            }
        }
    }

    @Test
    void rawPingWithoutCapNetRawSaysItIsSkippedAndExits77AsTheCTwinDoes() throws IOException {
        // setpriv (util-linux) drops CAP_NET_RAW from the bounding set: even root then lacks it after exec.
        SampleRuns.Wrapper withoutNetRaw = (role, command) -> {
            List<String> c = new java.util.ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw", "--"));
            c.addAll(command);
            return c;
        };
        Scenario s = Scenario.alone("raw-ping");
        Output c = SampleRuns.runAlone(COMMANDS, s, Lang.C, withoutNetRaw, SampleRuns.Console.SILENT);
        Output java = SampleRuns.runAlone(COMMANDS, s, Lang.JAVA, withoutNetRaw, SampleRuns.Console.SILENT);
        assertEquals(List.of("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) = -1 EPERM (Operation not permitted)",
                "skipped: raw sockets need the CAP_NET_RAW capability (run as root)"), c.stdout(), "the C twin; stderr: " + c.stderr());
        assertEquals(SampleRuns.SKIPPED, c.exit());
        assertEquals(c.stdout(), java.stdout(), "stderr: " + java.stderr());
        assertEquals(SampleRuns.SKIPPED, java.exit());
    }

    @Test
    void portNormalisationKeepsWhichLinesNameTheSamePort() {
        List<String> a = SampleRuns.normalised(List.of("listening on port 40001", "client ip:127.0.0.1, port:50001", "client port:50001 closed"));
        List<String> b = SampleRuns.normalised(List.of("listening on port 40777", "client ip:127.0.0.1, port:51234", "client port:51234 closed"));
        List<String> c = SampleRuns.normalised(List.of("listening on port 40777", "client ip:127.0.0.1, port:51234", "client port:40777 closed"));
        assertEquals(a, b);
        assertTrue(!a.equals(c), "a line naming another port must not compare equal");
    }

    /** A TCP port on 127.0.0.1 where nobody listens: bound, then closed. */
    private static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

package io.github.panamasockets.samples;

import java.util.List;

/**
 * The samples by name, as ./psock runs them:
 * <pre>
 *   Launcher list                    the samples, one line each
 *   Launcher tour                    every sample end to end on 127.0.0.1, against its C twin (see {@link Tour})
 *   Launcher errno [NAME [--c]]      the errno atlas (see {@link ErrnoAtlasCommand}); errno-atlas NAME runs one experiment
 *   Launcher [--trace] NAME ARGS...  one sample; --trace logs each facade call on stderr, as strace would
 * </pre>
 */
public final class Launcher {
    private Launcher() {}

    /** A sample's entry point: its {@code main(String[])}. */
    interface Main {
        void main(String[] args) throws Exception;
    }

    /** A sample: the name it shares with its C twin (native/build/NAME), what it shows, its main. */
    record Sample(String name, String summary, Main main) {}

    static final List<Sample> SAMPLES = List.of(
            new Sample("tcp-server", "socket - bind - listen - accept, one client, its lines echoed", TcpServer::main),
            new Sample("tcp-client", "socket - connect, lines out with write, echoes back with recv", TcpClient::main),
            new Sample("tcp-loop-server", "the iterative server: one client after another", TcpLoopServer::main),
            new Sample("tcp-fork-server", "one child process per client (fork: a child JVM in Java), reaped with waitpid", TcpForkServer::main),
            new Sample("tcp-thread-server", "one thread per client, the same model with threads", TcpThreadServer::main),
            new Sample("select-server", "one thread, many clients: FD_SET and select", SelectServer::main),
            new Sample("udp-server", "recvfrom/sendto on one bound socket, every client", UdpServer::main),
            new Sample("udp-client", "sendto/recvfrom, no bind, no connect", UdpClient::main),
            new Sample("udp-concurrent-server", "a new connected UDP socket per client", UdpConcurrentServer::main),
            new Sample("udp-connected", "what connect does to a UDP socket, and where ICMP errors go", UdpConnected::main),
            new Sample("blocked-state", "the kernel state of a thread in accept, select and epoll_wait", BlockedState::main),
            new Sample("backlog", "listen's backlog, measured: how many connect without accept", Backlog::main),
            new Sample("tcp-states", "the TCP state diagram, read from TCP_INFO at each step", TcpStates::main),
            new Sample("raw-ping", "SOCK_RAW: an ICMP echo request built and parsed by hand (needs CAP_NET_RAW)", RawPing::main),
            new Sample("unix-echo", "AF_UNIX: a pathname and an abstract name", UnixEcho::main),
            new Sample("eintr", "alarm and a blocked recvfrom: EINTR, SA_RESTART, and the retry loop", Eintr::main),
            new Sample("signalfd-loop", "an epoll loop that reads SIGTERM from a signalfd and shuts down cleanly", SignalfdLoop::main),
            new Sample("connect-timeout", "a blocking connect given a timeout with alarm: EINTR as the timeout", ConnectTimeout::main),
            new Sample("sigchld-server", "one child process per client, reaped by a SIGCHLD handler", SigchldServer::main),
            new Sample("daytime-server", "the daytime service: a ctime(3) line from a forked child per client", DaytimeServer::main),
            new Sample("daytime-client", "connect, read the daytime line to end of file, check it with sscanf", DaytimeClient::main),
            new Sample("gai-server", "getaddrinfo(NULL, AF_UNSPEC): listens on ::1 and 127.0.0.1, poll picks", GaiServer::main),
            new Sample("gai-client", "getaddrinfo(HOST, AF_UNSPEC): tries each address until connect succeeds", GaiClient::main),
            new Sample("poll-chat", "a poll(2) chat server relaying lines between its forked clients", PollChat::main),
            new Sample("nonblock-connect", "connect on a non-blocking socket: EINPROGRESS, poll for POLLOUT, SO_ERROR", NonblockConnect::main),
            new Sample("fd-passing", "a descriptor sent to a forked child with SCM_RIGHTS over a socketpair", FdPassing::main),
            new Sample("udp6-peek", "UDP over ::1: MSG_PEEK|MSG_TRUNC gives the next datagram's size; a short buffer truncates", Udp6Peek::main),
            new Sample("epoll-et-server", "edge-triggered epoll: non-blocking sockets drained until EAGAIN", EpollEtServer::main),
            new Sample("half-close", "shutdown(SHUT_WR): the request ends at EOF, the answer still comes back", HalfClose::main));

    static final String TRACE_PROPERTY = "org.slf4j.simpleLogger.log.io.github.panamasockets.trace";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Launcher list | tour | [--trace] NAME [ARGS...]");
            System.exit(2);
        }
        switch (args[0]) {
            case "list" -> {
                for (Sample s : SAMPLES) System.out.printf("%-22s %s%n", s.name(), s.summary());
                System.out.println();
                System.out.println("./psock run [--trace] NAME ARGS runs the Java port, ./psock run-c NAME ARGS its C twin;");
                System.out.println("a sample run without arguments it needs prints its usage line.");
            }
            case "tour" -> System.exit(Tour.run(List.of(args).subList(1, args.length)));
            case "errno" -> System.exit(ErrnoAtlasCommand.main(List.of(args).subList(1, args.length)));
            case "errno-atlas" -> ErrnoAtlas.main(List.of(args).subList(1, args.length).toArray(String[]::new));
            default -> {
                int first = 0;
                if (args[0].equals("--trace")) {
                    // Before anything touches slf4j: slf4j-simple reads its settings once, at start.
                    System.setProperty(TRACE_PROPERTY, "debug");
                    first = 1;
                } else if (!traceConfigured()) {
                    // The trace is off: say so before the first call, so that SLF4J is never initialised.
                    System.setProperty("panamasockets.trace", "off");
                }
                if (first >= args.length) {
                    System.err.println("usage: Launcher [--trace] NAME [ARGS...]");
                    System.exit(2);
                }
                Sample sample = byName(args[first]);
                if (sample == null) {
                    System.err.println("no sample named " + args[first] + "; ./psock list shows them");
                    System.exit(2);
                }
                sample.main().main(List.of(args).subList(first + 1, args.length).toArray(String[]::new));
            }
        }
    }

    /**
     * Whether the trace could be on without --trace: the trace's property is given, or slf4j-simple
     * (the samples' provider) is set to DEBUG or TRACE for the trace's logger, one of its parents, or
     * by default, on the command line or in simplelogger.properties. Otherwise the Launcher turns
     * the trace off before the first call, and SLF4J is never initialised.
     */
    static boolean traceConfigured() {
        if (System.getProperty("panamasockets.trace") != null || System.getProperty("slf4j.provider") != null) return true;
        java.util.Properties file = new java.util.Properties();
        try (var in = Launcher.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) file.load(in);
        } catch (java.io.IOException e) {
            return true; // cannot tell: leave it to the logger
        }
        String prefix = "org.slf4j.simpleLogger.";
        String level = null;
        // the most specific setting wins, as in slf4j-simple: the logger, its parents, then the default
        for (String name = "io.github.panamasockets.trace"; level == null && name != null;
                name = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : null) {
            level = System.getProperty(prefix + "log." + name, file.getProperty(prefix + "log." + name));
        }
        if (level == null) level = System.getProperty(prefix + "defaultLogLevel", file.getProperty(prefix + "defaultLogLevel", "info"));
        return level.trim().equalsIgnoreCase("debug") || level.trim().equalsIgnoreCase("trace");
    }

    static Sample byName(String name) {
        for (Sample s : SAMPLES) if (s.name().equals(name)) return s;
        return null;
    }
}

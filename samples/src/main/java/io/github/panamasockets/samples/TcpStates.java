package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.pollfd;
import io.github.panamasockets.bindings.sockaddr_in;
import io.github.panamasockets.bindings.tcp_info;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * tcp-states: the TCP state diagram of seed 004 ("TCP状态转换"), walked through on
 * 127.0.0.1 with the kernel telling the state at each step.
 * The Java port of native/samples/tcp-states.c, line for line.
 *
 * <pre>
 * usage: tcp-states
 * </pre>
 *
 * getsockopt(fd, IPPROTO_TCP, TCP_INFO, ...) (tcp(7)) fills a struct tcp_info whose
 * tcpi_state is the connection's state as the kernel keeps it. The walk:
 * <pre>
 *   listener   CLOSE -&gt; LISTEN                           socket, listen
 *   late       SYN_SENT                                  its SYN is dropped: the queue is full
 *   client     ESTABLISHED                               connect: the three-way handshake
 *   server     ESTABLISHED                               accept
 *   client     FIN_WAIT1 -&gt; FIN_WAIT2                    active close: it sends FIN first
 *   server     CLOSE_WAIT -&gt; LAST_ACK -&gt; CLOSE           passive close: FIN received, then its own
 *   client     TIME_WAIT                                 FIN received: wait 2 MSL before forgetting
 * </pre>
 *
 * On loopback a packet is handled before the system call that sent it returns, so most
 * states last microseconds: connect() comes back ESTABLISHED, and a FIN is answered at once.
 * Three tricks make the short states visible, every time, in the same order:
 * <ul>
 * <li>SYN_SENT: connect to a listener whose accept queue is full. The kernel drops the SYN
 *     without an answer (see backlog), and the client waits in SYN_SENT.
 * <li>FIN_WAIT1 and LAST_ACK: before shutting down, fill the peer's receive buffer (the peer
 *     does not read) until send fails with EAGAIN. The FIN is queued behind data that the
 *     peer's closed receive window does not let out, so the state stays until the peer reads.
 * <li>TIME_WAIT: when the FIN arrives in FIN_WAIT2, the kernel hands the connection to a small
 *     time-wait record and closes the socket itself: the descriptor then reports CLOSE. The
 *     record shows in /proc/net/tcp, which netstat and ss read (state 06 is TIME_WAIT).
 * </ul>
 * shutdown(fd, SHUT_WR) sends the FIN like close would, but keeps the descriptor, so that
 * TCP_INFO can still be asked after it.
 */
public final class TcpStates {
    private TcpStates() {}

    /** The names of tcpi_state's values, as the kernel's tcp_states.h spells them. */
    static String state_name(int state) {
        switch (state) {
        case TCP_ESTABLISHED: return "ESTABLISHED";
        case TCP_SYN_SENT:    return "SYN_SENT";
        case TCP_SYN_RECV:    return "SYN_RECV";
        case TCP_FIN_WAIT1:   return "FIN_WAIT1";
        case TCP_FIN_WAIT2:   return "FIN_WAIT2";
        case TCP_TIME_WAIT:   return "TIME_WAIT";
        case TCP_CLOSE:       return "CLOSE";
        case TCP_CLOSE_WAIT:  return "CLOSE_WAIT";
        case TCP_LAST_ACK:    return "LAST_ACK";
        case TCP_LISTEN:      return "LISTEN";
        case TCP_CLOSING:     return "CLOSING";
        default:              return "?";
        }
    }

    /** The TCP state of a socket, from TCP_INFO. */
    static int tcp_state(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = tcp_info.allocate(arena);
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(info));
            if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, len) == -1) {
                perror("getsockopt");
                exit(1);
            }
            return tcp_info.tcpi_state(info);
        }
    }

    /** Some steps wait for the peer's ACK, which may be delayed by up to 200 ms (delayed ACK):
     * check every millisecond, for up to 5 s, until the socket reaches the state. */
    static int wait_for_state(int fd, int wanted) {
        int state = tcp_state(fd);
        for (int waited = 0; state != wanted && waited < 5000; waited++) {
            if (poll(MemorySegment.NULL, 0, 1) == -1) { /* poll(2) with no descriptors: sleep 1 ms */
                perror("poll");
                exit(1);
            }
            state = tcp_state(fd);
        }
        return state;
    }

    /* C's static buffers of fill() and drain(). */
    static final MemorySegment junk = Arena.global().allocate(65536);
    static final MemorySegment buf = Arena.global().allocate(65536);

    /** Send until the peer, which does not read, can take no more: send with MSG_DONTWAIT fails
     * with EAGAIN when our send buffer is full. Then make sure it stays full for 100 ms, that
     * is, the peer's ACKs free no more room: what is left in our buffer waits for the peer's
     * receive window to open. */
    static void fill(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = pollfd.allocate(arena);
            for (;;) {
                long n = send(fd, junk, sizeof(junk), MSG_DONTWAIT);
                if (n >= 0)
                    continue;
                if (errno() != EAGAIN) {
                    perror("send");
                    exit(1);
                }
                pollfd.fd(pfd, fd);
                pollfd.events(pfd, (short) POLLOUT);
                pollfd.revents(pfd, (short) 0);
                int ready = poll(pfd, 1, 100);
                if (ready == -1) {
                    perror("poll");
                    exit(1);
                }
                if (ready == 0)
                    return;
            }
        }
    }

    /** Read everything until recv returns 0: the peer's FIN has arrived. */
    static void drain(int fd) {
        for (;;) {
            long n = recv(fd, buf, sizeof(buf), 0);
            if (n == -1) {
                perror("recv");
                exit(1);
            }
            if (n == 0)
                return;
        }
    }

    /** The state /proc/net/tcp shows for the connection from local_port to remote_port, or -1 if
     * it lists none. Each line reads "sl: local rem st ...", an address being "0100007F:1F90",
     * the IPv4 address as the kernel stores it and the port, both in hex. */
    static int proc_net_tcp_state(int local_port, int remote_port) {
        int found = -1;
        try (BufferedReader f = new BufferedReader(new FileReader("/proc/net/tcp", StandardCharsets.US_ASCII))) {
            if (f.readLine() == null) { /* the header line */
                fprintf(stderr, "tcp-states: cannot read /proc/net/tcp\n");
                exit(1);
            }
            for (String line; (line = f.readLine()) != null;) {
                /* sscanf(line, " %*d: %8x:%4x %8x:%4x %2x", ...) */
                String[] field = line.strip().split("\\s+");
                if (field.length < 4 || field[1].length() != 13 || field[2].length() != 13)
                    continue;
                int lport = Integer.parseInt(field[1].substring(9), 16);
                int rport = Integer.parseInt(field[2].substring(9), 16);
                int st = Integer.parseInt(field[3], 16);
                if (lport == local_port && rport == remote_port)
                    found = st;
            }
        } catch (IOException e) {
            fprintf(stderr, "tcp-states: cannot read /proc/net/tcp\n");
            exit(1);
        }
        return found;
    }

    /** The port a socket is bound to (getsockname). */
    static int local_port(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = sockaddr_in.allocate(arena);
            MemorySegment len = arena.allocateFrom(socklen_t, sizeof(addr));
            if (getsockname(fd, addr, len) == -1) {
                perror("getsockname");
                exit(1);
            }
            return ntohs(sin_port(addr));
        }
    }

    public static void main(String[] args) {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "tcp-states: takes no arguments, got %d\n", args.length);
                fprintf(stderr, "usage: tcp-states\n");
                exit(2);
            }

            /* The listener. A new socket is CLOSED: TCP's starting point. */
            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            printf("listener: after socket(): %s\n", state_name(tcp_state(listenfd)));
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(0));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            /* Backlog 0: on Linux the accept queue then holds exactly one connection (see backlog). */
            if (listen(listenfd, 0) == -1) {
                perror("listen");
                exit(1);
            }
            printf("listener: after listen(fd, 0): %s\n", state_name(tcp_state(listenfd)));
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }

            /* The client: SYN, SYN+ACK, ACK, all done inside connect. */
            int client = socket(AF_INET, SOCK_STREAM, 0);
            if (client == -1) {
                perror("socket");
                exit(1);
            }
            if (connect(client, servaddr, sizeof(servaddr)) == -1) {
                perror("connect");
                exit(1);
            }
            printf("client: after connect(): %s\n", state_name(tcp_state(client)));

            /* A late client: the accept queue is full now (the client's connection waits in it), so
             * its SYN is dropped. Non-blocking, connect returns at once with EINPROGRESS. */
            int late = socket(AF_INET, SOCK_STREAM, 0);
            if (late == -1) {
                perror("socket");
                exit(1);
            }
            int flags = fcntl(late, F_GETFL);
            if (flags == -1 || fcntl(late, F_SETFL, flags | O_NONBLOCK) == -1) {
                perror("fcntl");
                exit(1);
            }
            if (connect(late, servaddr, sizeof(servaddr)) != -1 || errno() != EINPROGRESS) {
                fprintf(stderr, "tcp-states: the late connect did not give EINPROGRESS\n");
                exit(1);
            }
            printf("late client: non-blocking connect() = -1 %s, the accept queue is full: %s\n",
                    strerrorname(errno()), state_name(tcp_state(late)));
            /* Closing in SYN_SENT sends nothing: there is no connection to end yet. */
            if (close(late) == -1) {
                perror("close");
                exit(1);
            }

            /* accept hands over the connection that was ESTABLISHED in the queue. */
            int server = accept(listenfd, MemorySegment.NULL, MemorySegment.NULL);
            if (server == -1) {
                perror("accept");
                exit(1);
            }
            printf("server: after accept(): %s\n", state_name(tcp_state(server)));
            int client_port = local_port(client);
            int server_port = ntohs(sin_port(servaddr));

            /* Active close by the client. */
            fill(client);
            printf("client: send() until EAGAIN: the server's receive window is full\n");
            if (shutdown(client, SHUT_WR) == -1) {
                perror("shutdown");
                exit(1);
            }
            printf("client: after shutdown(SHUT_WR): %s, its FIN waits behind the unsent data\n",
                    state_name(tcp_state(client)));

            /* The server reads everything; recv returns 0 when it reaches the FIN. */
            drain(server);
            printf("server: recv() returned 0, the client's FIN: %s\n", state_name(tcp_state(server)));
            printf("client: the server acknowledged the FIN: %s\n", state_name(wait_for_state(client, TCP_FIN_WAIT2)));

            /* Passive close by the server; the half-closed client can still receive. */
            fill(server);
            printf("server: send() until EAGAIN: the client's receive window is full\n");
            if (shutdown(server, SHUT_WR) == -1) {
                perror("shutdown");
                exit(1);
            }
            printf("server: after shutdown(SHUT_WR): %s, its FIN waits behind the unsent data\n",
                    state_name(tcp_state(server)));

            drain(client);
            printf("client: recv() returned 0, the server's FIN: the socket says %s\n", state_name(tcp_state(client)));
            int st = proc_net_tcp_state(client_port, server_port);
            printf("client: /proc/net/tcp lists the connection as %s\n", st == -1 ? "(nothing)" : state_name(st));
            printf("server: the client acknowledged the FIN: %s\n", state_name(wait_for_state(server, TCP_CLOSE)));

            /* The time-wait record outlives every descriptor: it goes after 60 s (2 MSL on Linux). */
            if (close(client) == -1 || close(server) == -1 || close(listenfd) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}

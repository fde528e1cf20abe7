package io.github.panamasockets.samples;

import io.github.panamasockets.bindings.epoll_data;
import io.github.panamasockets.bindings.epoll_event;
import io.github.panamasockets.bindings.fd_set;
import io.github.panamasockets.bindings.sockaddr_in;

import java.io.BufferedReader;
import java.io.FileReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.github.panamasockets.api.Posix.*;
import static io.github.panamasockets.bindings.sockets_h.C_CHAR;
import static io.github.panamasockets.bindings.sockets_h.C_INT;
import static io.github.panamasockets.bindings.sockets_h.socklen_t;
import static io.github.panamasockets.samples.Stdlib.*;

/**
 * blocked-state: seed 000 asks "the server listens but no client has connected yet: what
 * state is the process in?" and answers: blocked with accept, but running (运行状态) with
 * select or epoll. This sample measures it.
 * The Java port of native/samples/blocked-state.c, line for line.
 *
 * <pre>
 * usage: blocked-state
 * </pre>
 *
 * The main thread waits for a connection three ways: in accept(2), in select(2) and in
 * epoll_wait(2). Each time, a second thread (the observer) reads the main thread's state
 * from /proc/self/task/TID/stat (proc(5)), prints it, and then connects, which wakes the
 * main thread up.
 *
 * <p>The answer: all three are S, "sleeping", an interruptible sleep. A thread that waits for
 * anything (a connection, data, a timer, one of many descriptors) is taken off the CPU and
 * put on a wait queue until the kernel wakes it; it uses no CPU meanwhile. select and epoll
 * are no exception: they sleep on many wait queues at once instead of one. The difference
 * the notes point at is the programming model, not the kernel state: accept blocks on ONE
 * descriptor, so one thread serves one thing at a time; select/epoll block on ALL of them
 * and return as soon as any is ready, so one thread serves many (see select-server).
 * R (running) is what a thread shows while it is on a CPU or ready to run, like the
 * observer reading its own state. (D is the uninterruptible sleep of some disk waits;
 * "interruptible" means a signal wakes the thread up, and the call fails with EINTR.)
 *
 * <p>A Java thread blocked in a downcall is such a kernel thread, asleep in the call: the JVM
 * shows it as RUNNABLE (it runs native code), the kernel as S.
 */
public final class BlockedState {
    private BlockedState() {}

    static int listen_port;                         /* where the observer connects to */
    static final int[] phase_pipe = new int[2];     /* main writes the name of each wait here before it starts it */
    static String main_stat;                        /* "/proc/self/task/TID/stat" of the main thread */
    static final char[] observed = new char[3];     /* the state seen in each of the three waits */

    /** The state letter in a /proc/.../stat file: "TID (comm) S ...". The name in parentheses
     * may itself contain spaces and ')', so the state is the first field after the LAST ')'. */
    static char read_state(String path) {
        String line;
        try (BufferedReader f = new BufferedReader(new FileReader(path, StandardCharsets.UTF_8))) { /* fopen, fgets */
            line = f.readLine();
        } catch (IOException e) {
            fprintf(stderr, "blocked-state: cannot read %s\n", path);
            exit(1);
            return '?';
        }
        int paren = line == null ? -1 : line.lastIndexOf(')');
        if (paren == -1 || paren + 2 >= line.length() || line.charAt(paren + 1) != ' ') {
            fprintf(stderr, "blocked-state: cannot parse %s\n", path);
            exit(1);
        }
        return line.charAt(paren + 2);
    }

    /** The states as /proc/PID/status spells them (see proc(5)). */
    static String state_name(char state) {
        switch (state) {
        case 'R': return "R (running)";
        case 'S': return "S (sleeping)";
        case 'D': return "D (disk sleep)";
        case 'T': return "T (stopped)";
        case 't': return "t (tracing stop)";
        case 'Z': return "Z (zombie)";
        case 'X': return "X (dead)";
        case 'I': return "I (idle)";
        default: return "? (unknown)";
        }
    }

    /** The second thread: for each of the three waits, observe, then connect to end it. */
    static void observer() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(32);
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            for (int phase = 0; phase < 3; phase++) {
                /* Block until main says which call it is about to make. */
                long n = read(phase_pipe[0], name, sizeof(name) - 1);
                if (n <= 0) {
                    perror("read");
                    exit(1);
                }
                name.set(C_CHAR, n, (byte) 0);

                if (phase == 0) {
                    /* Reading its own state, a thread is running by definition. */
                    printf("observer: my own state, read while I run: %s\n",
                            state_name(read_state("/proc/thread-self/stat")));
                }

                /* Main is on its way into the call: poll its state every millisecond until it
                 * leaves R, that is, until it sleeps inside the call (at most 5 s). Under a tracer
                 * (strace, gdb) it may also show t, "tracing stop": held at the call's entry while the
                 * tracer looks at it; it goes on from there, so wait through that too. */
                char state = read_state(main_stat);
                for (int waited = 0; (state == 'R' || state == 't') && waited < 5000; waited++) {
                    if (poll(MemorySegment.NULL, 0, 1) == -1) { /* poll(2) with no descriptors: sleep 1 ms */
                        perror("poll");
                        exit(1);
                    }
                    state = read_state(main_stat);
                }
                observed[phase] = state;
                printf("observer: main thread in %s: %s\n", cstring(name), state_name(state));

                /* Connect: the listening socket becomes readable and main wakes up. */
                int fd = socket(AF_INET, SOCK_STREAM, 0);
                if (fd == -1) {
                    perror("socket");
                    exit(1);
                }
                memset(servaddr, 0, sizeof(servaddr));
                sin_family(servaddr, AF_INET);
                sin_port(servaddr, htons(listen_port));
                s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
                if (connect(fd, servaddr, sizeof(servaddr)) == -1) {
                    perror("connect");
                    exit(1);
                }
                if (close(fd) == -1) {
                    perror("close");
                    exit(1);
                }
            }
        }
    }

    /** Tell the observer which call main is about to make. */
    static void announce(Arena arena, String name) {
        MemorySegment s = arena.allocateFrom(name);
        if (write(phase_pipe[1], s, strnlen(s)) == -1) {
            perror("write");
            exit(1);
        }
    }

    /** Take the connection the observer made, and drop it. */
    static void accept_and_close(int listenfd) {
        int connfd = accept(listenfd, MemorySegment.NULL, MemorySegment.NULL);
        if (connfd == -1) {
            perror("accept");
            exit(1);
        }
        if (close(connfd) == -1) {
            perror("close");
            exit(1);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            if (args.length != 0) {
                fprintf(stderr, "blocked-state: takes no arguments, got %d\n", args.length);
                fprintf(stderr, "usage: blocked-state\n");
                exit(2);
            }

            /* Our thread id: /proc/thread-self is the calling thread's own directory
             * (/proc/PID/task/TID), and the first field of its stat is the TID. The observer
             * reads /proc/self/task/TID/stat. (For the main thread of a C program TID == PID, so
             * /proc/PID/stat would do too; not for every thread of every program: not for Java's
             * main thread, which the java launcher starts beside the process's first thread.) */
            int tid = -1;
            try (BufferedReader f = new BufferedReader(new FileReader("/proc/thread-self/stat", StandardCharsets.UTF_8))) {
                String self = f.readLine(); /* fscanf(f, "%d", &tid) */
                tid = Integer.parseInt(self.substring(0, self.indexOf(' ')));
            } catch (IOException | RuntimeException e) {
                fprintf(stderr, "blocked-state: cannot read /proc/thread-self/stat\n");
                exit(1);
            }
            main_stat = String.format("/proc/self/task/%d/stat", tid);

            int listenfd = socket(AF_INET, SOCK_STREAM, 0);
            if (listenfd == -1) {
                perror("socket");
                exit(1);
            }
            MemorySegment servaddr = sockaddr_in.allocate(arena);
            memset(servaddr, 0, sizeof(servaddr));
            sin_family(servaddr, AF_INET);
            sin_port(servaddr, htons(0));
            s_addr(sin_addr(servaddr), inet_addr("127.0.0.1"));
            if (bind(listenfd, servaddr, sizeof(servaddr)) == -1) {
                perror("bind");
                exit(1);
            }
            if (listen(listenfd, 5) == -1) {
                perror("listen");
                exit(1);
            }
            MemorySegment addrlen = arena.allocateFrom(socklen_t, sizeof(servaddr));
            if (getsockname(listenfd, servaddr, addrlen) == -1) {
                perror("getsockname");
                exit(1);
            }
            listen_port = ntohs(sin_port(servaddr));

            MemorySegment pipefd = arena.allocate(C_INT, 2);
            if (pipe(pipefd) == -1) {
                perror("pipe");
                exit(1);
            }
            phase_pipe[0] = pipefd.getAtIndex(C_INT, 0);
            phase_pipe[1] = pipefd.getAtIndex(C_INT, 1);
            /* pthread_create: a platform thread is a kernel thread, as a pthread is. */
            Thread thread = Thread.ofPlatform().name("observer").start(BlockedState::observer);

            /* 1. accept(2) blocks until a connection is queued. */
            printf("main: calling accept(), nobody has connected yet\n");
            announce(arena, "accept()");
            accept_and_close(listenfd);
            printf("main: accept() returned\n");

            /* 2. select(2) blocks until one of the descriptors in the set is ready; a listening
             * socket is "readable" when a connection is queued. Then accept will not block. */
            printf("main: calling select() on the listening socket\n");
            announce(arena, "select()");
            MemorySegment rset = fd_set.allocate(arena);
            FD_ZERO(rset);
            FD_SET(listenfd, rset);
            if (select(listenfd + 1, rset, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL) == -1) {
                perror("select");
                exit(1);
            }
            printf("main: select() returned, the listening socket is readable\n");
            accept_and_close(listenfd);

            /* 3. epoll_wait(2): the same question asked of an epoll instance, which holds the
             * interest list, so it is not passed again on every call as select's sets are. */
            int epfd = epoll_create1(0);
            if (epfd == -1) {
                perror("epoll_create1");
                exit(1);
            }
            MemorySegment ev = epoll_event.allocate(arena);
            memset(ev, 0, sizeof(ev));
            epoll_event.events(ev, EPOLLIN);
            epoll_data.fd(epoll_event.data(ev), listenfd);
            if (epoll_ctl(epfd, EPOLL_CTL_ADD, listenfd, ev) == -1) {
                perror("epoll_ctl");
                exit(1);
            }
            printf("main: calling epoll_wait() on the listening socket\n");
            announce(arena, "epoll_wait()");
            MemorySegment ready = epoll_event.allocate(arena);
            if (epoll_wait(epfd, ready, 1, -1) == -1) {
                perror("epoll_wait");
                exit(1);
            }
            printf("main: epoll_wait() returned, the listening socket is readable\n");
            accept_and_close(listenfd);

            thread.join(); /* pthread_join */
            if (observed[0] != 'S' || observed[1] != 'S' || observed[2] != 'S') {
                fprintf(stderr, "blocked-state: expected S (sleeping) in all three waits\n");
                exit(1);
            }
            printf("all three waits are S (sleeping): the thread is off the CPU until the kernel wakes it\n");

            if (close(epfd) == -1 || close(listenfd) == -1 || close(phase_pipe[0]) == -1 || close(phase_pipe[1]) == -1) {
                perror("close");
                exit(1);
            }
        }
    }
}

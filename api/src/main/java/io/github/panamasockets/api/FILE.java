package io.github.panamasockets.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * C's {@code FILE *} for the three standard streams, {@code stdin}, {@code stdout} and
 * {@code stderr}. Each stands for Java's stream of the same name as it is at the moment of the
 * call ({@code System.in}, {@code System.out}, {@code System.err}, whatever {@code System.setOut}
 * made of them), so that text printed through the companion and through Java never comes out of
 * order, and a line read with fgets is not also read by Java's {@code System.in}.
 */
public final class FILE {
    private final int fd;

    private FILE(int fd) {
        this.fd = fd;
    }

    static final FILE STDIN = new FILE(0);
    static final FILE STDOUT = new FILE(1);
    static final FILE STDERR = new FILE(2);

    /** The descriptor C's stream has: 0, 1 or 2. */
    int fileno() {
        return fd;
    }

    private PrintStream out() {
        return fd == 2 ? System.err : System.out;
    }

    /**
     * Writes bytes as C's stdio would hand them on: stderr is unbuffered (flushed at once);
     * stdout is flushed at each newline, as C's line-buffered stdout on a terminal. False for
     * stdin, which is not open for writing (C's stdio then fails with EBADF).
     */
    boolean write(byte[] bytes) {
        if (fd == 0) return false;
        PrintStream s = out();
        s.write(bytes, 0, bytes.length);
        if (fd == 2 || CFormat.indexOf(bytes, (byte) '\n') >= 0) s.flush();
        return true;
    }

    void flush() {
        if (fd != 0) out().flush();
    }

    /** One byte of stdin, -1 at end of file or on an error (and for the output streams). */
    int read() throws IOException {
        if (fd != 0) return -1;
        InputStream in = System.in;
        return in.read();
    }

    @Override
    public String toString() {
        return fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr";
    }
}

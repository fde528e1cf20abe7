package io.github.panamasockets.api;

import java.io.PrintStream;

/**
 * C's {@code FILE *} for the two streams the companion writes to, {@code stdout} and
 * {@code stderr}. Each stands for Java's stream of the same name as it is at the moment of the
 * call ({@code System.out}, {@code System.err}, whatever {@code System.setOut} made of them), so
 * that text printed through the companion and through Java never comes out of order.
 */
public final class FILE {
    private final boolean err;

    private FILE(boolean err) {
        this.err = err;
    }

    static final FILE STDOUT = new FILE(false);
    static final FILE STDERR = new FILE(true);

    PrintStream stream() {
        return err ? System.err : System.out;
    }

    /**
     * Writes bytes as C's stdio would hand them on: stderr is unbuffered (flushed at once);
     * stdout is flushed at each newline, as C's line-buffered stdout on a terminal.
     */
    void write(byte[] bytes) {
        PrintStream s = stream();
        s.write(bytes, 0, bytes.length);
        if (err || CFormat.indexOf(bytes, (byte) '\n') >= 0) s.flush();
    }

    void flush() {
        stream().flush();
    }

    @Override
    public String toString() {
        return err ? "stderr" : "stdout";
    }
}
